// Tiny histories for tests: one row per event, time = row position.
import type { Operation, OperationType } from "../../../properties/history/operation.ts";

export type Row = [process: number, type: OperationType, f: string, value?: unknown, error?: string];

export function history(rows: readonly Row[]): Operation[] {
  return rows.map(([process, type, f, value, error], index) => {
    const op: Operation = { process, type, f, value: value ?? null, time: index, index };
    if (error !== undefined) op.error = error;
    return op;
  });
}

/** An operation that completes before the next begins: invoke, then its completion. */
export function sequential(process: number, f: string, invokeValue: unknown, type: OperationType, result: unknown, error?: string): Row[] {
  return [[process, "invoke", f, invokeValue], [process, type, f, result, error]];
}
