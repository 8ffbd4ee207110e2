// A proof without search that a partition is not linearizable, for models that say which value each call
// needs and which it sets (model.ts `access`: a register's read v needs v, write v sets v, cas a → b needs a
// and sets b): a call R that needs v where every call that could have set v in time was overwritten before
// R was invoked — a stale read.
//
// Why it is sound: in any linearization the state just before R is the value set by the last call before
// it that sets one, or the initial value when none does. That call s is placed before R, so it was invoked
// before R returned (it is not R). If s must take effect (its outcome is known) and some call w that must
// take effect too was invoked after s returned and returned before R was invoked, real time puts w between
// s and R in every linearization, and s was not the last. The initial value is overwritten by any such w
// that returned before R was invoked. So when every candidate has its w, no linearization exists. A call
// whose outcome is unknown may take effect at any moment after its invoke, so nothing overwrites it.
//
// Why it exists: a stale read (bench/cases/cas-register.ts) is legal in many orders of the calls around it,
// just not in any complete one, and the searches explore millions of those orders before running out;
// this costs one sweep of the history.
import type { AnyModel } from "./model.ts";
import type { PartitionJob } from "./problem.ts";
import type { PartitionFailure } from "./result.ts";
import { operationRef, WINDOW_MAX } from "./witness.ts";

const NONE = -1;
/** Setters (with what overwrote them) the proof spells out; the window holds more. */
const NAMED_MAX = 6;

/** Positions in the entry order (problem.ts): an unknown outcome's return is at the end. */
interface Timeline {
  callAt: Int32Array;
  returnAt: Int32Array;
  /** Interned state each call needs or sets, NONE for none. */
  needs: Int32Array;
  sets: Int32Array;
  /** For an entry position p: the call setting a value, invoked at p or later, that returns first. */
  firstDone: Int32Array;
}

/** The first call (by return) a stale read makes impossible, as a failure; null when there is none. */
export function refuteStaleRead(model: AnyModel, job: PartitionJob): PartitionFailure | null {
  if (!model.access) return null;
  const timeline = timelineOf(model, job);
  const { entryOp, entryIsReturn, optional, initialState } = job.problem;
  const { callAt, returnAt, needs, sets } = timeline;
  // An unknown-outcome call returns at the end (problem.ts): nothing is invoked after it to overwrite it.
  const overwriter = (setter: number) => timeline.firstDone[setter === NONE ? 0 : returnAt[setter]! + 1]!;
  // Overwritten at this entry position (the overwriter's return), +Infinity when nothing overwrites it.
  const deadline = (setter: number) => {
    const w = overwriter(setter);
    return w === NONE ? Infinity : returnAt[w]!;
  };
  // Per value, the two latest-overwritten setters invoked so far: R may not count itself (cas v → v).
  const latest = new Map<number, [number, number]>();
  for (let e = 0; e < entryOp.length; e++) {
    const op = entryOp[e]!;
    if (entryIsReturn[e] === 0) {
      if (sets[op] === NONE) continue;
      const top = latest.get(sets[op]!) ?? [NONE, NONE];
      const at = deadline(op);
      if (top[0] === NONE || at > deadline(top[0])) latest.set(sets[op]!, [op, top[0]]);
      else if (top[1] === NONE || at > deadline(top[1])) latest.set(sets[op]!, [top[0], op]);
      continue;
    }
    if (optional[op] === 1 || needs[op] === NONE) continue;
    const top = latest.get(needs[op]!) ?? [NONE, NONE];
    const other = top[0] === op ? top[1] : top[0];
    if (other !== NONE && deadline(other) > callAt[op]!) continue;
    if (needs[op] === initialState && deadline(NONE) > callAt[op]!) continue;
    return failureOf(model, job, timeline, op, overwriter);
  }
  return null;
}

function timelineOf(model: AnyModel, job: PartitionJob): Timeline {
  const { calls, steps, problem } = job;
  const n = calls.length;
  const timeline: Timeline = {
    callAt: new Int32Array(n),
    returnAt: new Int32Array(n),
    needs: new Int32Array(n).fill(NONE),
    sets: new Int32Array(n).fill(NONE),
    firstDone: new Int32Array(2 * n + 1).fill(NONE),
  };
  const { callAt, returnAt, needs, sets, firstDone } = timeline;
  calls.forEach(({ call }, op) => {
    const access = model.access!(call.input, call.output);
    if (access.needs !== null) needs[op] = steps.intern(access.needs);
    if (access.sets !== null) sets[op] = steps.intern(access.sets);
  });
  for (let e = 0; e < 2 * n; e++) (problem.entryIsReturn[e] === 1 ? returnAt : callAt)[problem.entryOp[e]!] = e;
  for (let e = 2 * n - 1; e >= 0; e--) {
    const op = problem.entryOp[e]!;
    const best = firstDone[e + 1]!;
    // An unknown-outcome call returns at the end, so it is never first: only calls that must happen count.
    const setter = problem.entryIsReturn[e] === 0 && sets[op] !== NONE;
    firstDone[e] = setter && (best === NONE || returnAt[op]! < returnAt[best]!) ? op : best;
  }
  return timeline;
}

/** The culprit, the setters of its value (latest invoked first) each with what overwrote it, in words. */
function failureOf(model: AnyModel, job: PartitionJob, timeline: Timeline, culprit: number, overwriter: (setter: number) => number): PartitionFailure {
  const { callAt, returnAt, needs, sets } = timeline;
  const value = needs[culprit]!;
  const setsValue = [...sets.keys()].filter((op) => sets[op] === value && op !== culprit);
  const setters = setsValue.filter((op) => callAt[op]! < returnAt[culprit]!).sort((a, b) => callAt[b]! - callAt[a]!);
  if (value === job.problem.initialState) setters.push(NONE);
  const ref = (op: number) => operationRef(model, job.calls[op]!);
  const name = (op: number) => `#${ref(op).index} ${ref(op).description}`;
  const shown = model.describeState(job.steps.states[value]);
  const at = `#${ref(culprit).index}`;
  // A read from the future: name the first call that does set the value, invoked after the culprit returned.
  const later = setsValue.filter((op) => callAt[op]! > returnAt[culprit]!).sort((a, b) => callAt[a]! - callAt[b]!).slice(0, 1);
  const pairs = setters.map((s) => `${s === NONE ? `the initial ${shown}` : name(s)} by ${name(overwriter(s))}`);
  const more = pairs.length > NAMED_MAX ? `, … (${pairs.length - NAMED_MAX} more)` : "";
  const overwritten = setters.length === 0 ? "" :
    `; each operation that could have set it before ${at} returned was overwritten before ${at} was invoked, by one invoked after it completed: ${pairs.slice(0, NAMED_MAX).join(", ")}${more}`;
  const first = later.length === 0 ? `no operation sets ${shown}` : `the next to set it, ${name(later[0]!)}, was invoked after ${at} returned`;
  const why = `${name(culprit)} needs ${shown}${overwritten}; ${setters.length === 0 ? "" : "and "}${first}`;
  const proof = setters.flatMap((s) => (s === NONE ? [overwriter(s)] : [s, overwriter(s)]));
  const window = [...new Set([culprit, ...proof, ...later])].slice(0, WINDOW_MAX);
  return {
    key: job.key,
    culprit: ref(culprit),
    prefix: [],
    stateAfterPrefix: model.describeState(job.steps.states[job.problem.initialState]),
    window: window.map((op) => ({ operation: ref(op), inPrefix: false, tried: [] })),
    refutation: { rule: "stale-read", why },
  };
}
