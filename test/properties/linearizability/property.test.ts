// Property: run random operations one at a time on a sequential model, give each a real-time interval
// around its moment (widened at random, never overlapping its own client's previous or next operation),
// crash some clients (info: the operation happened or not). Such a history is linearizable. Change one
// read to a value never written and it is not, with that read named as the operation that cannot be placed.
import test from "ava";
import fc from "fast-check";
import type { Operation, OperationType } from "../../../properties/history/operation.ts";
import { checkLinearizable } from "../../../properties/linearizability/check.ts";

interface Step {
  client: number;
  kind: number;
  a: number;
  b: number;
  crash: boolean;
  happens: boolean;
  widenBeforeUs: number;
  widenAfterUs: number;
}

interface Planned {
  client: number;
  f: string;
  invokeValue: unknown;
  completion: { type: OperationType; value: unknown };
  read: boolean;
}

/** A sequential model as the generator runs it: the outcome of step `s` from `state`. */
interface Spec {
  model: string;
  initial: unknown;
  run(state: unknown, step: Step, position: number): { planned: Omit<Planned, "client">; next: unknown };
  /** A completion value no read of this model can see. */
  impossible(planned: Planned): unknown;
}

const casRegister: Spec = {
  model: "cas-register",
  initial: null,
  run(state, { kind, a, b }) {
    if (kind === 0) return { planned: { f: "read", invokeValue: null, completion: { type: "ok", value: state }, read: true }, next: state };
    if (kind === 1) return { planned: { f: "write", invokeValue: a, completion: { type: "ok", value: a }, read: false }, next: a };
    const swapped = state === a;
    return { planned: { f: "cas", invokeValue: [a, b], completion: { type: swapped ? "ok" : "fail", value: [a, b] }, read: false }, next: swapped ? b : state };
  },
  impossible: () => 99,
};

const kv: Spec = {
  model: "kv",
  initial: "",
  run(state, { kind, a }, position) {
    const values = state as Record<string, string>;
    const key = a % 2 === 0 ? "a" : "b";
    const current = values[key] ?? "";
    if (kind === 0) return { planned: { f: "get", invokeValue: { key, value: null }, completion: { type: "ok", value: { key, value: current } }, read: true }, next: values };
    const written = `x${position}y`;
    const f = kind === 1 ? "put" : "append";
    const next = { ...values, [key]: kind === 1 ? written : current + written };
    return { planned: { f, invokeValue: { key, value: written }, completion: { type: "ok", value: { key, value: written } }, read: false }, next };
  },
  impossible: (planned) => ({ key: (planned.invokeValue as { key: string }).key, value: "never written" }),
};

const stepArbitrary = fc.record({
  client: fc.nat(3),
  kind: fc.nat(2),
  a: fc.nat(3),
  b: fc.nat(3),
  crash: fc.nat(9).map((n) => n === 0),
  happens: fc.boolean(),
  widenBeforeUs: fc.nat(2_500),
  widenAfterUs: fc.nat(2_500),
});

/** The history, and for each planned operation the index of its invoke. */
function historyOf(spec: Spec, steps: readonly Step[]): { history: Operation[]; planned: Planned[]; invokeIndex: number[] } {
  let state: unknown = spec.model === "kv" ? {} : spec.initial;
  const planned: Planned[] = [];
  for (const [position, step] of steps.entries()) {
    const run = spec.run(state, step, position);
    const crashed = step.crash && !run.planned.read;
    if (!crashed || step.happens) state = run.next;
    const completion = crashed ? { type: "info" as const, value: null } : run.planned.completion;
    planned.push({ ...run.planned, client: step.client, completion });
  }
  // Each operation's moment is 1000 µs × (position + 1); its interval is widened around it but stays
  // clear of the same client's neighbours, so every client is single-threaded.
  const momentUs = (i: number) => 1000 * (i + 1);
  const events: { time: number; order: number; op: Omit<Operation, "index" | "time"> ; planned: number }[] = [];
  const lastEndUs = new Map<number, number>();
  const processOf = new Map<number, number>();
  planned.forEach((p, i) => {
    const nextSame = planned.findIndex((q, j) => j > i && q.client === p.client);
    const invokeUs = Math.max((lastEndUs.get(p.client) ?? -1) + 1, momentUs(i) - steps[i]!.widenBeforeUs);
    const endUs = Math.min(momentUs(i) + steps[i]!.widenAfterUs, nextSame === -1 ? Infinity : momentUs(nextSame) - 1);
    lastEndUs.set(p.client, endUs);
    const process = processOf.get(p.client) ?? p.client;
    events.push({ time: invokeUs, order: 0, planned: i, op: { process, type: "invoke", f: p.f, value: p.invokeValue } });
    events.push({ time: endUs, order: 1, planned: i, op: { process, type: p.completion.type, f: p.f, value: p.completion.value } });
    // After an info, Jepsen retires the process id; the client carries on as a new one.
    processOf.set(p.client, p.completion.type === "info" ? process + 4 : process);
  });
  events.sort((x, y) => x.time - y.time || x.order - y.order || x.planned - y.planned);
  const invokeIndex: number[] = [];
  const history = events.map((event, index) => {
    if (event.order === 0) invokeIndex[event.planned] = index;
    return { ...event.op, time: event.time, index } as Operation;
  });
  return { history, planned, invokeIndex };
}

for (const spec of [casRegister, kv]) {
  test(`property (${spec.model}): widened intervals around a sequential run stay linearizable`, (t) => {
    fc.assert(
      fc.property(fc.array(stepArbitrary, { minLength: 1, maxLength: 30 }), (steps) => {
        const { history } = historyOf(spec, steps);
        const result = checkLinearizable(history, spec.model, { statesMax: 1_000_000, initial: spec.initial });
        return result.valid === true;
      }),
      { numRuns: 150 },
    );
    t.pass();
  });

  test(`property (${spec.model}): one read changed to a value never written is named in the witness`, (t) => {
    fc.assert(
      fc.property(fc.array(stepArbitrary, { minLength: 1, maxLength: 30 }), fc.nat(), (steps, pick) => {
        const { history, planned, invokeIndex } = historyOf(spec, steps);
        const reads = planned.map((p, i) => i).filter((i) => planned[i]!.read && planned[i]!.completion.type === "ok");
        fc.pre(reads.length > 0);
        const target = reads[pick % reads.length]!;
        const invoke = history[invokeIndex[target]!]!;
        const completion = history.find((op, at) => at > invokeIndex[target]! && op.process === invoke.process)!;
        completion.value = spec.impossible(planned[target]!);
        const result = checkLinearizable(history, spec.model, { statesMax: 1_000_000, initial: spec.initial });
        if (result.valid !== false) return false;
        const failure = result.failures[0]!;
        return failure.culprit.index === invoke.index && failure.window.some((w) => w.operation.index === invoke.index);
      }),
      { numRuns: 150 },
    );
    t.pass();
  });
}
