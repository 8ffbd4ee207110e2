// The value of each log operation (docs/histories.md's table), checked field by field and typed.
import type { Operation } from "../history/index.ts";
import type { Fields, Id, Place } from "../history/index.ts";
import {
  arrayField, booleanField, fail, idField, integerField, objectValue, optionalIdField, optionalIntegerField,
  presentField, valueKey,
} from "../history/index.ts";

/** A completion and its position in the history (`order`), which is what "before" means in every check. */
export interface Located {
  ok: Operation;
  order: number;
}

export interface LogRecord {
  partition: number;
  offset: number;
  value: unknown;
  valueKey: string;
}

export interface SendAck extends Located, LogRecord {
  producer: Id;
  idempotent: boolean;
  /** Send order is invoke order: an idempotent producer promises its records land in the order it sent them. */
  invokeOrder: number;
}

export interface Poll extends Located {
  consumer: Id;
  generation: number;
  records: LogRecord[];
}

export interface Commit extends Located {
  group: Id;
  partition: number;
  /** Kafka's convention: the next offset the group will read, one past the last record processed. */
  offset: number;
  generation: number | undefined;
  consumer: Id | undefined;
  /** Where its invoke stands in the history. */
  invokeOrder: number;
}

export interface Assign extends Located {
  consumer: Id;
  generation: number;
  partitions: number[];
  group: Id | undefined;
}

export interface Drain extends Located {
  partition: number;
  records: LogRecord[];
  invokeOrder: number;
  /** Distinct offsets held, ascending: poll-skip looks for the ones a consumer passed. */
  offsets: number[];
  valueKeys: Set<string>;
}

const placeOf = (op: Operation, part: string): Place => ({ index: op.index, what: `${op.f} ${op.type} ${part}` });

/** What an invoke tells before its completion: the consumer a process acts for, and how a value was sent. */
export function readInvokeValue(invoke: Operation): { consumer?: Id; sentKey?: string; idempotent: boolean } {
  const place = placeOf(invoke, "value");
  const fields = objectValue(invoke.value, place);
  switch (invoke.f) {
    case "send": {
      idField(fields, "producer", place);
      optionalIntegerField(fields, "partition", place);
      const idempotent = fields.idempotent === undefined ? true : booleanField(fields, "idempotent", place);
      return { sentKey: valueKey(presentField(fields, "value", place)), idempotent };
    }
    case "poll":
    case "assign":
      optionalIdField(fields, "group", place);
      return { consumer: idField(fields, "consumer", place), idempotent: true };
    case "commit":
      commitFields(fields, place);
      return { idempotent: true };
    default:
      integerField(fields, "partition", place);
      return { idempotent: true };
  }
}

export function readSendAck(invoke: Operation, ok: Operation, order: number, invokeOrder: number): SendAck {
  const sent = invoke.value as Fields;
  const place = placeOf(ok, "value");
  const fields = objectValue(ok.value, place);
  const value = fields.value === undefined ? sent.value : fields.value;
  const key = valueKey(value);
  if (key !== valueKey(sent.value)) throw fail(place, `acknowledges ${key}, but ${valueKey(sent.value)} was sent`);
  return {
    ok, order, invokeOrder, value, valueKey: key,
    producer: sent.producer as Id,
    idempotent: sent.idempotent !== false,
    partition: integerField(fields, "partition", place),
    offset: integerField(fields, "offset", place),
  };
}

export function readPoll(invoke: Operation, ok: Operation, order: number): Poll {
  const place = placeOf(ok, "value");
  const fields = objectValue(ok.value, place);
  const records = arrayField(fields, "records", place).map((record, i) => {
    const recordPlace = placeOf(ok, `record ${i}`);
    const recordFields = objectValue(record, recordPlace);
    return logRecord(recordFields, integerField(recordFields, "partition", recordPlace), recordPlace);
  });
  return { ok, order, records, consumer: (invoke.value as Fields).consumer as Id, generation: integerField(fields, "generation", place) };
}

export function readCommit(invoke: Operation, ok: Operation, order: number, consumerOfProcess: Id | undefined, invokeOrder = order): Commit {
  // docs/histories.md: the ok value repeats the invoke's; a writer that leaves it out still names what was committed.
  const source = typeof ok.value === "object" && ok.value !== null ? ok : invoke;
  const place = placeOf(source, "value");
  const fields = objectValue(source.value, place);
  const consumer = optionalIdField(fields, "consumer", place) ?? consumerOfProcess;
  return { ok, order, invokeOrder, consumer, ...commitFields(fields, place) };
}

export function readAssign(invoke: Operation, ok: Operation, order: number): Assign {
  const place = placeOf(ok, "value");
  const fields = objectValue(ok.value, place);
  const partitions = arrayField(fields, "partitions", place).map((partition, i) => {
    if (typeof partition !== "number" || !Number.isSafeInteger(partition)) {
      throw fail(place, `partition ${i} must be an integer, got ${JSON.stringify(partition)}`);
    }
    return partition;
  });
  const asked = invoke.value as Fields;
  const group = optionalIdField(fields, "group", place) ?? (asked.group as Id | undefined);
  return { ok, order, partitions, group, consumer: asked.consumer as Id, generation: integerField(fields, "generation", place) };
}

export function readDrain(invoke: Operation, ok: Operation, order: number, invokeOrder: number): Drain {
  const partition = (invoke.value as Fields).partition as number;
  const place = placeOf(ok, "value");
  const records = arrayField(objectValue(ok.value, place), "records", place).map((record, i) => {
    const recordPlace = placeOf(ok, `record ${i}`);
    return logRecord(objectValue(record, recordPlace), partition, recordPlace);
  });
  const offsets = [...new Set(records.map((record) => record.offset))].sort((a, b) => a - b);
  return { ok, order, invokeOrder, partition, records, offsets, valueKeys: new Set(records.map((record) => record.valueKey)) };
}

function logRecord(fields: Fields, partition: number, place: Place): LogRecord {
  const value = presentField(fields, "value", place);
  return { partition, offset: integerField(fields, "offset", place), value, valueKey: valueKey(value) };
}

function commitFields(fields: Fields, place: Place): { group: Id; partition: number; offset: number; generation: number | undefined } {
  return {
    group: idField(fields, "group", place),
    partition: integerField(fields, "partition", place),
    offset: integerField(fields, "offset", place),
    generation: optionalIntegerField(fields, "generation", place),
  };
}
