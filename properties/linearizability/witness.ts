// Why a partition is not linearizable, in terms a person can check by hand: the furthest the search got
// (a linearizable prefix), the operation whose completion it could not get past (the culprit), and the
// operations concurrent with it, each tried in the states the search stood in when it could go no further.
import type { AnyModel } from "./model.ts";
import type { PartitionJob, PreparedCall } from "./problem.ts";
import type { Furthest } from "./wgl-search.ts";
import type { OperationRef, PartitionFailure } from "./result.ts";

export const WINDOW_MAX = 24;

export function operationRef(model: AnyModel, prepared: PreparedCall): OperationRef {
  const { invoke, completion } = prepared.pair;
  return {
    index: invoke.index,
    process: invoke.process,
    f: invoke.f,
    description: model.describeOperation(prepared.call.input, prepared.call.output),
    outcome: completion ? completion.type as OperationRef["outcome"] : "pending",
    invokeTime: invoke.time,
    completionTime: completion && completion.type !== "info" ? completion.time : null,
  };
}

/** `search` is whichever search decided the partition (depth-first or frontier): both report how far they got. */
export function buildFailure(model: AnyModel, job: PartitionJob, search: { furthest(): Furthest }): PartitionFailure {
  const furthest = search.furthest();
  const culprit = job.problem.entryOp[furthest.entry]!;
  const placed = new Set(furthest.prefix);
  const window = [culprit, ...concurrentWith(job, culprit, furthest.entry).filter((op) => op !== culprit)].slice(0, WINDOW_MAX);
  const describeState = (state: number) => model.describeState(job.steps.states[state]);
  return {
    key: job.key,
    culprit: operationRef(model, job.calls[culprit]!),
    // The relaxed search lets a crashed operation take effect more than once: name it once.
    prefix: [...new Set(furthest.prefix)].map((op) => job.calls[op]!.pair.invoke.index),
    stateAfterPrefix: describeState(furthest.states[0]!),
    window: window.map((op) => ({
      operation: operationRef(model, job.calls[op]!),
      inPrefix: placed.has(op),
      tried: furthest.states.map((state) => {
        const step = job.steps.explain(state, op);
        return step.ok
          ? { state: describeState(state), ok: true, result: `→ ${describeState(step.next)}` }
          : { state: describeState(state), ok: false, result: step.why };
      }),
    })),
  };
}

/** The operations whose interval overlaps the culprit's: called before its return, returning after its call. */
function concurrentWith(job: PartitionJob, culprit: number, culpritReturn: number): number[] {
  const { entryOp, entryIsReturn } = job.problem;
  const calledBefore = new Set<number>();
  let culpritCall = -1;
  for (let e = 0; e < culpritReturn; e++) {
    if (entryIsReturn[e] === 0) calledBefore.add(entryOp[e]!);
    if (entryOp[e] === culprit) culpritCall = e;
  }
  // Those that returned before the culprit was called are in its past, not concurrent.
  for (let e = 0; e < culpritCall; e++) if (entryIsReturn[e] === 1) calledBefore.delete(entryOp[e]!);
  return [...calledBefore];
}
