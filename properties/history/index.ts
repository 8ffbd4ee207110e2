// properties/history/: histories in Jepsen's shape. The operation; reading a history file (JSON, JSON lines,
// Jepsen EDN, Porcupine's logs) and writing one; pairing invokes with completions; and the checked readers
// of operation values that the log and master checks share. The front door for every other folder.
export type { Operation, OperationType } from "./operation.ts";
export { HistoryError, where } from "./error.ts";
export { formatFromPath, HISTORY_FORMATS, isHistoryFormat, parseHistory, type HistoryFormat } from "./read.ts";
export { toEdn, toJsonLines } from "./write.ts";
export { pairOperations, type OperationPair } from "./pairs.ts";
export { checkedOperation } from "./checked-operation.ts";
export {
  arrayField, booleanField, fail, idField, integerField, numberField, objectValue, optionalIdField, optionalIntegerField,
  presentField, show, valueKey, type Fields, type Id, type Place,
} from "./fields.ts";
