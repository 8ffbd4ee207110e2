// checkLinearizable: is there an order of the history's operations, each placed between its invoke and its
// completion, that the sequential model accepts? The history is split into independent partitions
// (P-compositionality) and each is searched (schedule.ts) within a deterministic budget.
//
// Operations whose outcome is unknown (`info`, or still pending at the end) may take effect at any point
// after their invoke, or never.
import type { Operation } from "../history/index.ts";
import { HistoryError } from "../history/index.ts";
import { pairOperations } from "../history/index.ts";
import type { AnyModel, Call, PartitionPlan } from "./model.ts";
import { problemOf, type PartitionJob, type PreparedCall } from "./problem.ts";
import type { LinearizabilityResult } from "./result.ts";
import { decide } from "./schedule.ts";
import type { LinearizabilityOptions } from "./options.ts";
import { modelNamed } from "./models/index.ts";
import { StepTable } from "./wgl-steps.ts";

export type { LinearizabilityOptions };


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
  const effectKey = model.effectKey ? (call: Call<unknown, unknown>) => model.effectKey!(call.input, call.output) : undefined;
  const readOnly = model.readOnly ? (call: Call<unknown, unknown>) => model.readOnly!(call.input, call.output) : undefined;
  const jobs = plans.map((plan): PartitionJob => {
    const calls = narrowed(model, plan.members.map((i) => prepared[i]!));
    const steps = new StepTable(model, calls.map((p) => p.call));
    return { key: plan.key, calls, steps, problem: problemOf(calls, steps.intern(plan.initial), effectKey, readOnly) };
  });
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

/** The partition's calls after the model's narrowing (model.ts); only unknown outcomes may go. */
function narrowed(model: AnyModel, calls: PreparedCall[]): PreparedCall[] {
  if (!model.narrow) return calls;
  const narrower = model.narrow(calls.map((p) => p.call), calls.map((p) => p.optional));
  const kept: PreparedCall[] = [];
  calls.forEach((prepared, i) => {
    const call = narrower[i];
    if (call === undefined || (call === null && !prepared.optional)) throw new Error(`${model.name}.narrow dropped or lost a completed operation`);
    if (call !== null) kept.push(call === prepared.call ? prepared : { ...prepared, call });
  });
  return kept;
}
