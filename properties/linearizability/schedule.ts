// How the budget is spent over the partitions and the searches.
//
// Round one gives every partition's depth-first search (wgl-search.ts) a small budget: a cheap violation in
// any partition is found before an expensive valid partition eats the budget, and the first illegal
// partition ends the check. Round two takes the undecided partitions one at a time (one memo in memory at
// once) and runs the frontier searches (frontier-search.ts) beside the depth-first one, in alternating
// slices; the first to decide wins. The depth-first search (40% of the budget) finds a linearization fast
// when one exists. The exact frontier search proves histories heavy with unknown outcomes illegal where the
// depth-first one would explore every subset of them; its relaxed form (crashed operations reusable) does
// it cheaply whenever even the relaxation is illegal, which is the common case. They share the other 60%.
// Before round two, a partition whose model says what each call needs and sets gets one sweep looking for
// a stale read (stale-read.ts), which the searches may explore millions of orders around without refuting.
//
// Memory: the depth-first memo, the model's interned states and one moment of a frontier search may each
// hold half of memoBytesMax; a search that reaches its limit stops as if out of states.
import type { AnyModel } from "./model.ts";
import type { LinearizabilityOptions } from "./options.ts";
import type { PartitionJob } from "./problem.ts";
import type { LinearizabilityResult } from "./result.ts";
import { buildFailure } from "./witness.ts";
import { refuteStaleRead } from "./stale-read.ts";
import { FrontierSearch } from "./frontier-search.ts";
import { PartitionSearch, type SearchStatus } from "./wgl-search.ts";

export type Search = PartitionSearch | FrontierSearch;

interface Contender {
  search: Search;
  statesMax: number;
  /** The relaxed frontier search decides only when it finds the partition illegal. */
  decidesValid: boolean;
}

interface Running {
  job: PartitionJob;
  contenders: Contender[];
  decidedBy: Search | null;
}

const FIRST_ROUND_STATES = 20_000;
const SLICE_STATES = 100_000;
const MEMO_BYTES_MAX = 1 << 30;

export function decide(model: AnyModel, jobs: PartitionJob[], operations: number, options: LinearizabilityOptions): LinearizabilityResult {
  const deadlineMs = options.timeoutMs === undefined ? Infinity : options.nowMs!() + options.timeoutMs;
  const late = () => deadlineMs !== Infinity && options.nowMs!() >= deadlineMs;
  const depthFirstMax = Math.ceil(options.statesMax * 0.4);
  const bytesMax = (options.memoBytesMax ?? MEMO_BYTES_MAX) / 2;
  const running: Running[] = jobs.map((job) => ({
    job,
    contenders: [{ search: new PartitionSearch(job.problem, job.steps), statesMax: depthFirstMax, decidesValid: true }],
    decidedBy: null,
  }));
  let explored = 0;
  const common = () => ({ model: model.name, operations, partitions: jobs.length, statesExplored: explored });
  const illegal = (run: Running) => ({ valid: false as const, ...common(), failures: [buildFailure(model, run.job, run.decidedBy!)] });
  let timedOut = false;
  for (const run of running) {
    timedOut = late();
    if (timedOut) break;
    const { search, statesMax } = run.contenders[0]!;
    const status = search.run(Math.min(statesMax, FIRST_ROUND_STATES));
    explored += search.statesExplored;
    if (status !== "running") run.decidedBy = search;
    if (status === "illegal") return illegal(run);
  }
  for (const run of running) {
    if (run.decidedBy || timedOut) continue;
    // Before the long searches, the one-sweep proof (stale-read.ts); the cheap round keeps its richer witness.
    const refuted = refuteStaleRead(model, run.job);
    if (refuted) return { valid: false as const, ...common(), failures: [refuted] };
    run.contenders.push(...frontierContenders(run.job, options.statesMax - depthFirstMax, bytesMax));
    const outcome = race(run, bytesMax, () => (timedOut = late()));
    explored += outcome.explored;
    if (outcome.status === "illegal") return illegal(run);
    run.contenders = []; // the memos can go: the verdict and its witness are kept by decidedBy
  }
  const undecided = running.filter((run) => !run.decidedBy).map((run) => run.job.key);
  if (undecided.length > 0) return { valid: "unknown", ...common(), reason: timedOut ? "timeout" : "states-max", undecided };
  const linearizations = running.map(({ job, decidedBy }) => ({
    key: job.key,
    order: decidedBy!.linearization().map((op) => job.calls[op]!.pair.invoke.index),
  }));
  return { valid: true, ...common(), linearizations };
}

/** The exact frontier search, and the relaxed one when there are unknown outcomes to relax. */
function frontierContenders(job: PartitionJob, statesMax: number, bytesMax: number): Contender[] {
  // A frontier search holds one moment's configurations, never the whole search: memory caps a moment.
  const momentMax = Math.floor(bytesMax / FrontierSearch.bytesPerState);
  const exact = new FrontierSearch(job.problem, job.steps, false, momentMax);
  if (exact.optionalCount === 0) return [{ search: exact, statesMax, decidesValid: true }];
  const relaxed = new FrontierSearch(job.problem, job.steps, true, Math.min(momentMax, FrontierSearch.relaxedClosureStatesMax));
  return [
    { search: relaxed, statesMax: Math.ceil(statesMax / 2), decidesValid: false },
    { search: exact, statesMax: Math.floor(statesMax / 2), decidesValid: true },
  ];
}

/** Alternates slices of the searches until one decides, all run out or stop, or `late()` says time is up. */
function race(run: Running, bytesMax: number, late: () => boolean): { status: SearchStatus; explored: number } {
  const total = () => run.contenders.reduce((sum, { search }) => sum + search.statesExplored, 0);
  const before = total();
  for (;;) {
    let progressed = false;
    for (const { search, statesMax, decidesValid } of run.contenders) {
      if (search.status !== "running" || search.statesExplored >= statesMax) continue;
      if (search instanceof PartitionSearch ? search.memoBytes > bytesMax : search.abandoned) continue;
      if (run.job.steps.bytes > bytesMax) return { status: "running", explored: total() - before };
      progressed = true;
      const status = search.run(Math.min(statesMax, search.statesExplored + SLICE_STATES));
      if (status === "illegal" || (status === "linearizable" && decidesValid)) {
        run.decidedBy = search;
        return { status, explored: total() - before };
      }
      if (late()) return { status: "running", explored: total() - before };
    }
    if (!progressed) return { status: "running", explored: total() - before };
  }
}
