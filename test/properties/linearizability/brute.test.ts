// The checker against a brute-force one on small random cas-register histories (concurrent clients,
// acknowledged, failed, crashed and still-pending operations): the brute force tries every order of the
// operations that real time allows, with each crashed one placed anywhere after its call or left out, and
// knows nothing of memos, twins, just-in-time runs or forced steps. Every pruning of the depth-first search
// is checked on its own and together, the frontier searches (with their forced steps), the stale-read proof (which the whole checker runs only past its first
// round, so never on these) on its own, and the whole checker too.
import test from "ava";
import fc from "fast-check";
import type { Operation } from "../../../properties/history/operation.ts";
import { pairOperations } from "../../../properties/history/pairs.ts";
import { checkLinearizable } from "../../../properties/linearizability/check.ts";
import { problemOf, type PartitionJob, type PreparedCall } from "../../../properties/linearizability/problem.ts";
import { refuteStaleRead } from "../../../properties/linearizability/stale-read.ts";
import { casRegisterModel, type RegisterInput } from "../../../properties/linearizability/models/register.ts";
import { etcdModel } from "../../../properties/linearizability/models/etcd.ts";
import type { AnyModel } from "../../../properties/linearizability/model.ts";
import { PartitionSearch } from "../../../properties/linearizability/wgl-search.ts";
import { FrontierSearch } from "../../../properties/linearizability/frontier-search.ts";
import { StepTable } from "../../../properties/linearizability/wgl-steps.ts";

/** Random operations by up to 4 clients, results random over a small domain: some linearizable, some not. */
const randomHistory = fc
  .array(
    fc.record({
      process: fc.nat(3),
      f: fc.constantFrom("read", "read", "write", "cas"),
      a: fc.nat(1),
      b: fc.nat(1),
      outcome: fc.constantFrom("ok", "ok", "ok", "fail", "info", "info"),
      read: fc.constantFrom(null, 0, 1, 1),
    }),
    { minLength: 10, maxLength: 26, size: "max" },
  )
  .map((steps) => {
    const history: Operation[] = [];
    const open = new Map<number, Operation>();
    const retired = new Map<number, number>();
    for (const step of steps) {
      const process = step.process + 4 * (retired.get(step.process) ?? 0);
      const pending = open.get(process);
      if (pending) {
        const type = step.outcome as Operation["type"];
        const value = pending.f === "read" ? (type === "ok" ? step.read : null) : pending.value;
        history.push({ process, type, f: pending.f, value, time: history.length, index: history.length });
        open.delete(process);
        if (type === "info") retired.set(step.process, (retired.get(step.process) ?? 0) + 1);
        continue;
      }
      const value = step.f === "read" ? null : step.f === "write" ? step.a : [step.a, step.b];
      const invoke: Operation = { process, type: "invoke", f: step.f, value, time: history.length, index: history.length };
      history.push(invoke);
      open.set(process, invoke);
    }
    return history;
  });

interface BruteOp {
  f: string;
  value: unknown;
  invoke: number;
  /** +Infinity when crashed or pending. */
  ret: number;
  optional: boolean;
}

/**
 * Every order, exhaustively: an operation may go next when every operation left that must take effect
 * was not over before it began. Crashed and pending operations are optional; a crashed read observes
 * nothing and a failed operation did not happen (the cas-register conventions, register.ts). With
 * `etcd`, a failed cas did happen: it observed a value other than the one it expected (etcd.ts).
 */
function bruteForce(history: Operation[], etcd = false): boolean {
  const ops: BruteOp[] = [];
  for (const { invoke, completion } of pairOperations(history)) {
    const type = completion?.type ?? "info";
    const failedCompare = etcd && type === "fail" && invoke.f === "cas";
    if ((type === "fail" && !failedCompare) || (invoke.f === "read" && type !== "ok")) continue;
    ops.push({ f: failedCompare ? "cas-failed" : invoke.f, value: invoke.f === "read" ? completion!.value : invoke.value, invoke: invoke.time, ret: type === "info" ? Infinity : completion!.time, optional: type === "info" });
  }
  const done = new Array<boolean>(ops.length).fill(false);
  const search = (state: unknown): boolean => {
    let deadline = Infinity;
    ops.forEach((op, i) => {
      if (!done[i] && !op.optional) deadline = Math.min(deadline, op.ret);
    });
    if (deadline === Infinity) return true;
    for (const [i, op] of ops.entries()) {
      if (done[i] || op.invoke > deadline) continue;
      let next: unknown;
      if (op.f === "read") {
        if (op.value !== state) continue;
        next = state;
      } else if (op.f === "write") {
        next = op.value;
      } else if (op.f === "cas-failed") {
        if ((op.value as [unknown, unknown])[0] === state) continue;
        next = state;
      } else {
        const [expected, value] = op.value as [unknown, unknown];
        if (expected !== state) continue;
        next = value;
      }
      done[i] = true;
      const found = search(next);
      done[i] = false;
      if (found) return true;
    }
    return false;
  };
  return search(null);
}

/** The history as checkLinearizable makes it one partition: its calls, their steps, the search problem. */
function jobOf(history: Operation[], model: AnyModel = casRegisterModel): PartitionJob {
  const initial = model.init();
  const calls: PreparedCall[] = [];
  for (const pair of pairOperations(history)) {
    const completion = pair.completion ?? { ...pair.invoke, type: "info" as const, value: null };
    const call = model.prepare(pair.invoke, completion, initial);
    if (call) calls.push({ call, pair, optional: completion.type === "info" });
  }
  const steps = new StepTable(model, calls.map((c) => c.call));
  const readOnly = (call: PreparedCall["call"]) => model.readOnly!(call.input as RegisterInput, null);
  return { key: "", calls, steps, problem: problemOf(calls, steps.intern(initial), undefined, readOnly) };
}

function depthFirst(history: Operation[], options: { justInTime: boolean; greedy: boolean }): boolean {
  const { problem, steps } = jobOf(history);
  const status = new PartitionSearch(problem, steps, options).run(10_000_000);
  if (status === "running") throw new Error("depth-first search undecided on a small history");
  return status === "linearizable";
}

const RUNS = 3000;

for (const options of [
  { justInTime: false, greedy: false },
  { justInTime: true, greedy: false },
  { justInTime: false, greedy: true },
  { justInTime: true, greedy: true },
]) {
  test(`depth-first search (just in time ${options.justInTime}, forced steps ${options.greedy}) agrees with brute force`, (t) => {
    const verdicts = { linearizable: 0, illegal: 0 };
    fc.assert(
      fc.property(randomHistory, (history) => {
        const expected = bruteForce(history);
        verdicts[expected ? "linearizable" : "illegal"]++;
        return depthFirst(history, options) === expected;
      }),
      { numRuns: RUNS },
    );
    t.log(verdicts);
    t.true(verdicts.linearizable > RUNS / 10 && verdicts.illegal > RUNS / 10, "both verdicts are common");
  });
}

for (const name of ["cas-register", "etcd"]) {
  test(`checkLinearizable agrees with brute force (${name})`, (t) => {
    fc.assert(
      fc.property(randomHistory, (history) => {
        const result = checkLinearizable(history, name, { statesMax: 1_000_000, initial: null });
        return result.valid === bruteForce(history, name === "etcd");
      }),
      { numRuns: RUNS },
    );
    t.pass();
  });
}

test("the frontier search agrees with brute force; the relaxed one finds illegal only what is", (t) => {
  fc.assert(
    fc.property(randomHistory, (history) => {
      const expected = bruteForce(history);
      const { problem, steps } = jobOf(history);
      const exact = new FrontierSearch(problem, steps).run(10_000_000);
      const relaxed = new FrontierSearch(problem, steps, true).run(10_000_000);
      return exact === (expected ? "linearizable" : "illegal") && (relaxed !== "illegal" || !expected);
    }),
    { numRuns: RUNS },
  );
  t.pass();
});

for (const model of [casRegisterModel, etcdModel] as AnyModel[]) {
  const etcd = model === etcdModel;
  test(`${model.name}: the stale-read proof refutes only histories brute force finds illegal, and many of those`, (t) => {
    const verdicts = { refuted: 0, illegal: 0 };
    fc.assert(
      fc.property(randomHistory, (history) => {
        const refuted = refuteStaleRead(model, jobOf(history, model));
        if (bruteForce(history, etcd)) return refuted === null;
        verdicts.illegal++;
        if (refuted === null) return true;
        verdicts.refuted++;
        // The culprit is a completed operation that needs a value, named first in the window.
        return refuted.culprit.outcome === "ok" && refuted.window[0]!.operation.index === refuted.culprit.index;
      }),
      { numRuns: RUNS },
    );
    t.log(verdicts);
    t.true(verdicts.refuted > verdicts.illegal / 4, "the proof is exercised");
  });
}
