// checkLinearizable: is there an order of the history's operations, each placed between its invoke and its
// completion, that the sequential model accepts? Wing & Gong / Lowe search (wgl-search.ts) on each
// independent partition of the history (P-compositionality), with a deterministic budget.
//
// Operations whose outcome is unknown (`info`, or still pending at the end) may take effect at any point
// after their invoke, or never. Partitions are first all searched with a small budget, then each to its
// full budget: a cheap violation in one partition is not hidden behind an expensive valid one.
import type { Operation } from "./history.ts";
import { HistoryError } from "./history-error.ts";
import { pairOperations, type OperationPair } from "./history-pairs.ts";
import type { AnyModel, Call, PartitionPlan } from "./linearizability-model.ts";
import type { LinearizabilityResult, OperationRef } from "./linearizability-result.ts";
import { buildFailure, operationRef } from "./linearizability-witness.ts";
import { modelNamed } from "./models/index.ts";
import { PartitionSearch, type PartitionProblem } from "./wgl-search.ts";
import { StepTable } from "./wgl-steps.ts";

export interface LinearizabilityOptions {
  /** Configurations each partition may explore before the verdict is "unknown". Deterministic. */
  statesMax: number;
  /** A wall-clock limit for the whole check, in ms; needs `nowMs`. */
  timeoutMs?: number;
  /** The caller's clock in ms. properties/ never reads the wall clock itself, so a replay keeps its verdict. */
  nowMs?: () => number;
  /** JSON overriding the model's initial state. */
  initial?: unknown;
  /** Memo memory per partition in bytes (default 1 GiB); it caps statesMax for very long partitions. */
  memoBytesMax?: number;
}

/** An operation ready for the search: the model's call, where it came from, whether it may never happen. */
export interface PreparedCall {
  call: Call<unknown, unknown>;
  pair: OperationPair;
  optional: boolean;
}

export interface PartitionJob {
  key: string;
  calls: PreparedCall[];
  steps: StepTable;
  search: PartitionSearch;
  problem: PartitionProblem;
  statesMax: number;
}

const FIRST_ROUND_STATES = 20_000;
const SLICE_STATES = 100_000;
const MEMO_BYTES_MAX = 1 << 30;

export function checkLinearizable(
  history: readonly Operation[],
  modelOrName: AnyModel | string,
  options: LinearizabilityOptions,
): LinearizabilityResult {
  const model = typeof modelOrName === "string" ? modelNamed(modelOrName) : modelOrName;
  if (options.timeoutMs !== undefined && !options.nowMs) throw new Error("checkLinearizable: timeoutMs needs nowMs");
  const initial = options.initial === undefined ? model.init() : model.initialFrom(options.initial);
  const prepared = prepareCalls(history, model, initial);
  const plans: PartitionPlan<unknown>[] = model.partition
    ? model.partition(prepared.map((p) => p.call), initial)
    : [{ key: "", members: prepared.map((_, i) => i), initial }];
  const jobs = plans.map((plan) => partitionJob(model, plan, prepared, options));
  return decide(model, jobs, prepared.length, options);
}

function prepareCalls(history: readonly Operation[], model: AnyModel, initial: unknown): PreparedCall[] {
  const known = new Set(model.fs);
  const prepared: PreparedCall[] = [];
  for (const pair of pairOperations(history)) {
    const { invoke } = pair;
    if (!known.has(invoke.f)) {
      throw new HistoryError(`operation ${invoke.index}: unknown f "${invoke.f}" for model ${model.name} (it knows ${model.fs.join(", ")})`);
    }
    // A pending invoke is an info: Knossos completes it with a synthetic info at the end of the history.
    const completion = pair.completion ?? { ...invoke, type: "info" as const, value: null };
    const call = model.prepare(invoke, completion, initial);
    if (call) prepared.push({ call, pair, optional: completion.type === "info" });
  }
  return prepared;
}

function partitionJob(model: AnyModel, plan: PartitionPlan<unknown>, prepared: PreparedCall[], options: LinearizabilityOptions): PartitionJob {
  const calls = plan.members.map((i) => prepared[i]!);
  const steps = new StepTable(model, calls.map((p) => p.call));
  const problem = problemOf(calls, steps.intern(plan.initial));
  const search = new PartitionSearch(problem, steps);
  const statesByMemory = Math.floor((options.memoBytesMax ?? MEMO_BYTES_MAX) / search.bytesPerState);
  return { key: plan.key, calls, steps, search, problem, statesMax: Math.min(options.statesMax, statesByMemory) };
}

/** Call and return entries in time order; at equal times calls come first (closed intervals overlap). */
export function problemOf(calls: readonly PreparedCall[], initialState: number): PartitionProblem {
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
  requiredCallsFirst(order, optional).forEach((e, at) => {
    entryOp[at] = e >> 1;
    entryIsReturn[at] = e & 1;
  });
  return { entryOp, entryIsReturn, optional, initialState };
}

/**
 * Within each run of calls between two returns, required calls go before optional ones: the search tries
 * not spending an unknown-outcome operation first, so the memo's dominance rule (wgl-config-set.ts) then
 * prunes the orders that do spend it. The runs' contents are unchanged, so the same orders are allowed.
 */
function requiredCallsFirst(order: number[], optional: Uint8Array): number[] {
  const sorted: number[] = [];
  let deferred: number[] = [];
  for (const e of order) {
    const isCall = (e & 1) === 0;
    if (isCall && optional[e >> 1] === 1) {
      deferred.push(e);
      continue;
    }
    if (!isCall) {
      sorted.push(...deferred);
      deferred = [];
    }
    sorted.push(e);
  }
  sorted.push(...deferred);
  return sorted;
}

function decide(model: AnyModel, jobs: PartitionJob[], operations: number, options: LinearizabilityOptions): LinearizabilityResult {
  const deadlineMs = options.timeoutMs === undefined ? Infinity : options.nowMs!() + options.timeoutMs;
  const late = () => deadlineMs !== Infinity && options.nowMs!() >= deadlineMs;
  const explored = () => jobs.reduce((sum, job) => sum + job.search.statesExplored, 0);
  const common = () => ({ model: model.name, operations, partitions: jobs.length, statesExplored: explored() });
  let timedOut = false;
  // Round one: every partition a little, so a cheap violation anywhere is found first.
  for (const job of jobs) {
    if ((timedOut ||= late())) break;
    if (job.search.run(Math.min(job.statesMax, FIRST_ROUND_STATES)) === "illegal") {
      return { valid: false, ...common(), failures: [buildFailure(model, job)] };
    }
  }
  // Round two: each undecided partition to its full budget, one at a time (one memo in memory at once).
  for (const job of jobs) {
    while (!timedOut && job.search.status === "running" && job.search.statesExplored < job.statesMax) {
      const status = job.search.run(Math.min(job.statesMax, job.search.statesExplored + SLICE_STATES));
      if (status === "illegal") return { valid: false, ...common(), failures: [buildFailure(model, job)] };
      timedOut = late();
    }
    if (job.search.status === "running" && !timedOut) job.search.release();
  }
  const undecided = jobs.filter((job) => job.search.status === "running").map((job) => job.key);
  if (undecided.length > 0) return { valid: "unknown", ...common(), reason: timedOut ? "timeout" : "states-max", undecided };
  const linearizations = jobs.map((job) => ({
    key: job.key,
    order: job.search.linearization().map((op) => job.calls[op]!.pair.invoke.index),
  }));
  return { valid: true, ...common(), linearizations };
}

export type { OperationRef };
export { operationRef };
