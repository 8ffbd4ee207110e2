// A partition's operations as the searches take them: call and return entries in time order, which
// operations are optional (outcome unknown), and which optional ones are interchangeable twins.
// Twins: two unknown-outcome operations with the same input and output can be swapped in any
// linearization, so the searches spend them in call order only (k crashed "write 3"s then cost k + 1
// choices, not 2^k).
import type { Call } from "./model.ts";
import type { OperationPair } from "../history/index.ts";
import { canonical } from "./models/values.ts";
import type { PartitionProblem } from "./wgl-search.ts";
import type { StepTable } from "./wgl-steps.ts";

/** An operation ready for the search: the model's call, where it came from, whether it may never happen. */
export interface PreparedCall {
  call: Call<unknown, unknown>;
  pair: OperationPair;
  optional: boolean;
}

/** One partition, ready for the searches: its calls, the model's steps over them, the entries. */
export interface PartitionJob {
  key: string;
  calls: PreparedCall[];
  steps: StepTable;
  problem: PartitionProblem;
}

/** Call and return entries in time order; at equal times calls come first (closed intervals overlap). */
export function problemOf(
  calls: readonly PreparedCall[],
  initialState: number,
  effectKey: (call: Call<unknown, unknown>) => string = canonical,
  readOnly: (call: Call<unknown, unknown>) => boolean = () => false,
): PartitionProblem {
  const n = calls.length;
  const time = new Float64Array(2 * n);
  const position = new Float64Array(2 * n);
  for (let op = 0; op < n; op++) {
    const { pair, optional } = calls[op]!;
    time[2 * op] = pair.invoke.time;
    position[2 * op] = pair.invokePosition;
    time[2 * op + 1] = optional ? Infinity : pair.completion!.time;
    position[2 * op + 1] = optional ? Infinity : pair.completionPosition!;
  }
  const order = Array.from({ length: 2 * n }, (_, e) => e);
  order.sort((a, b) => time[a]! - time[b]! || (a & 1) - (b & 1) || position[a]! - position[b]! || a - b);
  const optional = Uint8Array.from(calls, (c) => (c.optional ? 1 : 0));
  const entryOp = new Int32Array(2 * n);
  const entryIsReturn = new Uint8Array(2 * n);
  order.forEach((e, at) => {
    entryOp[at] = e >> 1;
    entryIsReturn[at] = e & 1;
  });
  return { entryOp, entryIsReturn, optional, initialState, readOnly: Uint8Array.from(calls, (c) => (readOnly(c.call) ? 1 : 0)), previousTwin: previousTwins(calls, entryOp, entryIsReturn, effectKey) };
}

function previousTwins(
  calls: readonly PreparedCall[],
  entryOp: Int32Array,
  entryIsReturn: Uint8Array,
  effectKey: (call: Call<unknown, unknown>) => string,
): Int32Array {
  const twins = new Int32Array(calls.length).fill(-1);
  const lastOfKind = new Map<string, number>();
  for (let e = 0; e < entryOp.length; e++) {
    const op = entryOp[e]!;
    if (entryIsReturn[e] === 1 || !calls[op]!.optional) continue;
    const kind = effectKey(calls[op]!.call);
    twins[op] = lastOfKind.get(kind) ?? -1;
    lastOfKind.set(kind, op);
  }
  return twins;
}
