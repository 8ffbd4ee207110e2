// The shape every operation must have before a log or master check looks at its value.
import type { Operation } from "./operation.ts";
import { HistoryError, where } from "./error.ts";
import { show } from "./fields.ts";

const TYPES: ReadonlySet<string> = new Set(["invoke", "ok", "fail", "info"]);

/** The operation itself, with its index filled in from its position when the file gave none. */
export function checkedOperation(raw: unknown, order: number, functions: ReadonlySet<string>, model: string): Operation {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new HistoryError(`${where(order)}: an operation must be an object, got ${show(raw)}`);
  }
  const op = raw as Operation;
  const index = Number.isSafeInteger(op.index) ? op.index : order;
  if (!TYPES.has(op.type)) throw new HistoryError(`${where(index)}: type must be invoke, ok, fail or info, got ${show(op.type)}`);
  if (!functions.has(op.f)) {
    throw new HistoryError(`${where(index)}: unknown f ${show(op.f)} for the ${model} model (${[...functions].join(", ")})`);
  }
  if (typeof op.process !== "number" && typeof op.process !== "string") {
    throw new HistoryError(`${where(index)}: process must be an integer, got ${show(op.process)}`);
  }
  return index === op.index ? op : { ...op, index };
}
