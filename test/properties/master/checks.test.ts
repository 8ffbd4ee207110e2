// M1 and M2 (and liveness on request) on tiny master histories: each anomaly shown, and near misses.
import test from "ava";
import fc from "fast-check";
import { checkMaster } from "../../../properties/master/checks.ts";
import type { Operation } from "../../../properties/history/operation.ts";
import type { PropertyResult } from "../../../properties/result.ts";
import { HistoryBuilder, evidenceIndices } from "../log/builder.ts";

function result(builder: HistoryBuilder, name: string, options = {}): PropertyResult {
  const found = checkMaster(builder.ops, options).find((r) => r.name === name);
  if (!found) throw new Error(`no result named ${name}`);
  return found;
}

test("M1: two nodes acting as master at once are overlapping-masters", (t) => {
  const h = new HistoryBuilder();
  const first = h.master("n1", 1, 0, 100);
  const second = h.master("n2", 2, 50, 150);
  const m1 = result(h, "M1 single-master");
  t.is(m1.valid, false);
  t.deepEqual(m1.anomalies, ["overlapping-masters"]);
  t.deepEqual(evidenceIndices(m1.evidence), [[first, second]]);
  t.regex(m1.summary, /"n1" \[0, 100\) token 1 \(index 0\) and "n2" \[50, 150\) token 2 \(index 1\) were both master for 50 us/);
});

test("M1: an interval recorded later but starting earlier is still caught", (t) => {
  const h = new HistoryBuilder();
  const late = h.master("n2", 2, 500, 900);
  const early = h.master("n1", 1, 0, 600);
  t.deepEqual(evidenceIndices(result(h, "M1 single-master").evidence), [[early, late]]);
});

test("M1 near miss: touching intervals, a node's own intervals, empty intervals", (t) => {
  const h = new HistoryBuilder();
  h.master("n1", 1, 0, 100);
  h.master("n2", 2, 100, 200);
  h.master("n2", 2, 150, 250);
  h.master("n3", 3, 180, 180);
  const results = checkMaster(h.ops);
  for (const r of results) t.is(r.valid, true, `${r.name}: ${r.summary}`);
});

test("M2: accepting a lower token after a higher one is stale-token-accepted", (t) => {
  const h = new HistoryBuilder();
  const newer = h.write("n2", 2, true);
  const stale = h.write("n1", 1, true);
  const m2 = result(h, "M2 fencing");
  t.is(m2.valid, false);
  t.deepEqual(m2.anomalies, ["stale-token-accepted"]);
  t.deepEqual(evidenceIndices(m2.evidence), [[newer, stale]]);
});

test("M2 near miss: a rejected stale write, and the same token accepted again", (t) => {
  const h = new HistoryBuilder();
  h.write("n2", 2, true);
  h.write("n1", 1, false);
  h.write("n2", 2, true);
  h.write("n3", 3, true);
  t.is(result(h, "M2 fencing").valid, true);
});

test("M2: two nodes' master intervals with one token are a duplicate-token", (t) => {
  const h = new HistoryBuilder();
  const first = h.master("n1", 7, 0, 100);
  const second = h.master("n2", 7, 200, 300);
  h.master("n2", 7, 300, 400);
  const m2 = result(h, "M2 fencing");
  t.deepEqual(m2.anomalies, ["duplicate-token"]);
  t.deepEqual(evidenceIndices(m2.evidence), [[first, second]]);
});

test("M2: two nodes' accepted writes with one token are a duplicate-token, rejected ones are not", (t) => {
  const h = new HistoryBuilder();
  const first = h.write("n1", 5, true);
  h.write("n3", 5, false);
  const second = h.write("n2", 5, true);
  const m2 = result(h, "M2 fencing");
  t.deepEqual(m2.anomalies, ["duplicate-token"]);
  t.deepEqual(evidenceIndices(m2.evidence), [[first, second]]);
});

test("M2 near miss: one node holding its token over several intervals and writes", (t) => {
  const h = new HistoryBuilder();
  h.master("n1", 4, 0, 100);
  h.write("n1", 4, true);
  h.master("n1", 4, 100, 200);
  t.is(result(h, "M2 fencing").valid, true);
});

test("liveness is judged only when asked: some master in the window", (t) => {
  const h = new HistoryBuilder();
  h.master("n1", 1, 0, 100);
  h.master("n2", 2, 300, 400);
  t.is(checkMaster(h.ops).length, 2);
  t.is(result(h, "master-liveness", { livenessDeadlineUs: 350 }).valid, true);
  t.is(result(h, "master-liveness", { livenessFromUs: 150, livenessDeadlineUs: 320 }).valid, true);
  const none = result(h, "master-liveness", { livenessFromUs: 100, livenessDeadlineUs: 299 });
  t.is(none.valid, false);
  t.deepEqual(none.anomalies, ["no-master"]);
  t.is(result(h, "master-liveness", { livenessFromUs: 400, livenessDeadlineUs: 399 }).valid, "unknown");
});

test("malformed master values name the operation", (t) => {
  const h = new HistoryBuilder();
  h.master("n1", 1, 0, 100);
  h.add(0, "ok", "master", { node: "n2", startUs: 0, endUs: 5 });
  const error = t.throws(() => checkMaster(h.ops));
  t.true((error as { userError?: boolean } | undefined)?.userError);
  t.is(error?.message, 'operation 1: master value field "token" must be a number, got nothing');

  const backwards = new HistoryBuilder();
  backwards.master("n1", 1, 100, 50);
  t.throws(() => checkMaster(backwards.ops), { message: "operation 0: master value ends (endUs 50) before it starts (startUs 100)" });

  const unknown = new HistoryBuilder();
  unknown.add(0, "ok", "elect", {});
  t.throws(() => checkMaster(unknown.ops), { message: /^operation 0: unknown f "elect" for the master model/ });
});

const interval = fc.record({
  node: fc.constantFrom("n1", "n2", "n3"),
  startUs: fc.integer({ min: 0, max: 1_000 }),
  lengthUs: fc.integer({ min: 0, max: 300 }),
});

test("M1 finds exactly the pairs of different nodes' intervals that share an instant", (t) => {
  fc.assert(fc.property(fc.array(interval, { maxLength: 12 }), (intervals) => {
    const h = new HistoryBuilder();
    intervals.forEach((i, token) => h.master(i.node, token, i.startUs, i.startUs + i.lengthUs));
    const expected = new Set<string>();
    intervals.forEach((a, i) => intervals.forEach((b, j) => {
      // An empty interval [s, s) holds no instant, so it overlaps nothing.
      const overlap = a.lengthUs > 0 && b.lengthUs > 0 && a.startUs < b.startUs + b.lengthUs && b.startUs < a.startUs + a.lengthUs;
      if (i < j && a.node !== b.node && overlap) expected.add(`${i},${j}`);
    }));
    const m1 = result(h, "M1 single-master");
    const found = new Set(evidenceIndices(m1.evidence).map((pair) => [...pair].sort((x, y) => x - y).join()));
    if (m1.valid !== (expected.size === 0)) throw new Error(m1.summary);
    if ([...expected].sort().join(";") !== [...found].sort().join(";")) throw new Error(`${[...expected]} vs ${[...found]}`);
  }), { seed: 3, numRuns: 300 });
  t.pass();
});

test("masters handing over in turn with rising tokens, and a resource that fences, are valid", (t) => {
  fc.assert(fc.property(fc.array(fc.record({ node: fc.constantFrom("n1", "n2", "n3"), lengthUs: fc.integer({ min: 0, max: 50 }),
    writes: fc.array(fc.boolean(), { maxLength: 3 }) }), { maxLength: 10 }), (terms) => {
    const h = new HistoryBuilder();
    let startUs = 0;
    terms.forEach((term, token) => {
      const node = `${term.node}-${token}`;
      for (const stale of term.writes) {
        // A stale write carries an older token: the fencing resource rejects it.
        h.write(node, stale && token > 0 ? token - 1 : token, !(stale && token > 0));
      }
      h.master(node, token, startUs, (startUs += term.lengthUs));
    });
    const ops: Operation[] = h.ops;
    for (const r of checkMaster(ops)) if (r.valid !== true) throw new Error(`${r.name}: ${r.summary}`);
  }), { seed: 5, numRuns: 200 });
  t.pass();
});
