// The two searches answer the same question in different ways: on random histories (linearizable or not,
// with crashed operations) they must agree on the verdict and, when illegal, on the culprit.
import test from "ava";
import fc from "fast-check";
import type { Operation } from "../../../properties/history/operation.ts";
import { pairOperations } from "../../../properties/history/pairs.ts";
import { problemOf, type PreparedCall } from "../../../properties/linearizability/problem.ts";
import { casRegisterModel } from "../../../properties/linearizability/models/register.ts";
import { FrontierSearch } from "../../../properties/linearizability/frontier-search.ts";
import { PartitionSearch } from "../../../properties/linearizability/wgl-search.ts";
import { StepTable } from "../../../properties/linearizability/wgl-steps.ts";

/** Random operations with random results: some histories are linearizable, most are not. */
const randomHistory = fc
  .array(
    fc.record({
      process: fc.nat(4),
      f: fc.constantFrom("read", "write", "cas"),
      a: fc.nat(2),
      b: fc.nat(2),
      outcome: fc.constantFrom("ok", "ok", "fail", "info", "info"),
      gap: fc.nat(3),
    }),
    { maxLength: 24 },
  )
  .map((steps) => {
    const history: Operation[] = [];
    const open = new Map<number, Operation>();
    let time = 0;
    for (const step of steps) {
      const pending = open.get(step.process);
      time += step.gap;
      if (pending) {
        const value = pending.f === "read" ? (step.outcome === "ok" ? step.a : null) : pending.value;
        history.push({ process: pending.process, type: step.outcome as Operation["type"], f: pending.f, value, time, index: history.length });
        open.delete(step.process);
        continue;
      }
      const value = step.f === "read" ? null : step.f === "write" ? step.a : [step.a, step.b];
      const invoke: Operation = { process: step.process, type: "invoke", f: step.f, value, time, index: history.length };
      history.push(invoke);
      open.set(step.process, invoke);
    }
    return history;
  });

function searchBoth(history: Operation[]) {
  const initial = casRegisterModel.init();
  const calls: PreparedCall[] = [];
  for (const pair of pairOperations(history)) {
    const completion = pair.completion ?? { ...pair.invoke, type: "info" as const };
    const call = casRegisterModel.prepare(pair.invoke, completion, initial);
    if (call) calls.push({ call, pair, optional: completion.type === "info" });
  }
  // With the model's read-only flags, as the checker passes them, so both searches also force read-only steps.
  const readOnly = (call: PreparedCall["call"]) => casRegisterModel.readOnly!(call.input as never, call.output as never);
  const run = (make: (problem: ReturnType<typeof problemOf>, steps: StepTable) => PartitionSearch | FrontierSearch) => {
    const steps = new StepTable(casRegisterModel, calls.map((c) => c.call));
    const search = make(problemOf(calls, steps.intern(initial), undefined, readOnly), steps);
    const status = search.run(10_000_000);
    return { status, furthest: search.furthest(), order: status === "linearizable" ? search.linearization() : [] };
  };
  const steps = new StepTable(casRegisterModel, calls.map((c) => c.call));
  const problem = problemOf(calls, steps.intern(initial), undefined, readOnly);
  return {
    depthFirst: run((p, s) => new PartitionSearch(p, s)),
    frontier: run((p, s) => new FrontierSearch(p, s)),
    relaxed: run((p, s) => new FrontierSearch(p, s, true)),
    calls,
    problem,
  };
}

test("frontier and depth-first searches agree on random histories, culprit included", (t) => {
  fc.assert(
    fc.property(randomHistory, (history) => {
      const { depthFirst, frontier } = searchBoth(history);
      if (depthFirst.status !== frontier.status) return false;
      return depthFirst.status !== "illegal" || depthFirst.furthest.entry === frontier.furthest.entry;
    }),
    { numRuns: 400 },
  );
  t.pass();
});

test("the relaxed frontier search is a relaxation: its illegal is final, and it gets at least as far", (t) => {
  fc.assert(
    fc.property(randomHistory, (history) => {
      const { depthFirst, relaxed } = searchBoth(history);
      if (relaxed.status === "illegal") return depthFirst.status === "illegal" && relaxed.furthest.entry >= depthFirst.furthest.entry;
      return true;
    }),
    { numRuns: 400 },
  );
  t.pass();
});

test("both searches' linearizations replay on the model and respect real time", (t) => {
  fc.assert(
    fc.property(randomHistory, (history) => {
      const { depthFirst, frontier, calls, problem } = searchBoth(history);
      fc.pre(depthFirst.status === "linearizable");
      return [depthFirst, frontier].every(({ order }) => isLinearization(order, calls, problem));
    }),
    { numRuns: 400 },
  );
  t.pass();
});

/** Every required operation once, model steps legal, and no operation before one that returned before it began. */
function isLinearization(order: number[], calls: PreparedCall[], problem: ReturnType<typeof problemOf>): boolean {
  const position = new Map<number, number>();
  for (let e = 0; e < problem.entryOp.length; e++) position.set(problem.entryOp[e]! * 2 + problem.entryIsReturn[e]!, e);
  const required = calls.map((c, op) => op).filter((op) => !calls[op]!.optional);
  if (!required.every((op) => order.includes(op)) || new Set(order).size !== order.length) return false;
  let state = casRegisterModel.init();
  for (const [at, op] of order.entries()) {
    const step = casRegisterModel.step(state, calls[op]!.call.input as never, null);
    if (!step.ok) return false;
    state = step.next;
    const earlierReturnedFirst = order.slice(at + 1).some((later) => position.get(later * 2 + 1)! < position.get(op * 2)!);
    if (earlierReturnedFirst) return false;
  }
  return true;
}
