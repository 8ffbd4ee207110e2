// K1–K3 on tiny histories: each anomaly shown, and a near miss that is valid.
import test from "ava";
import { checkLog } from "../../../properties/log/checks.ts";
import type { PropertyResult } from "../../../properties/result.ts";
import { HistoryBuilder, evidenceIndices } from "./builder.ts";

function result(builder: HistoryBuilder, name: string): PropertyResult {
  const found = checkLog(builder.ops).find((r) => r.name === name);
  if (!found) throw new Error(`no result named ${name}`);
  return found;
}

test("K1: an acked send missing from the final drain is a lost write", (t) => {
  const h = new HistoryBuilder();
  h.send(1, "p1", 0, "a", 0);
  const lost = h.send(1, "p1", 0, "b", 1);
  const drain = h.drain(9, 0, [[0, "a"]]);
  const k1 = result(h, "K1 lost-write");
  t.is(k1.valid, false);
  t.deepEqual(k1.anomalies, ["lost-write"]);
  t.deepEqual(evidenceIndices(k1.evidence), [[lost, drain]]);
  t.regex(k1.summary, /1 lost-write; first: "b" acked at partition 0 offset 1/);
});

test("K1: only the last drain of a partition counts", (t) => {
  const h = new HistoryBuilder();
  const sent = h.send(1, "p1", 0, "a", 0);
  h.drain(9, 0, [[0, "a"]]);
  const last = h.drain(9, 0, []);
  t.deepEqual(evidenceIndices(result(h, "K1 lost-write").evidence), [[sent, last]]);
});

test("K1 near miss: info and failed sends may be missing, or present", (t) => {
  const h = new HistoryBuilder();
  h.send(1, "p1", 0, "a", 0);
  h.add(2, "invoke", "send", { producer: "p2", partition: 0, value: "b" });
  h.add(2, "info", "send", null, "timeout");
  h.add(3, "invoke", "send", { producer: "p3", partition: 0, value: "c" });
  h.add(3, "fail", "send", null, "not-leader");
  h.drain(9, 0, [[0, "a"], [1, "c"]]);
  for (const r of checkLog(h.ops)) t.is(r.valid, true, `${r.name}: ${r.summary}`);
});

test("K1: acked sends to a partition never drained leave the verdict unknown", (t) => {
  const h = new HistoryBuilder();
  h.send(1, "p1", 0, "a", 0);
  h.send(1, "p1", 1, "b", 0);
  h.drain(9, 0, [[0, "a"]]);
  const k1 = result(h, "K1 lost-write");
  t.is(k1.valid, "unknown");
  t.regex(k1.summary, /never drained/);
});

test("K1 near miss: a send acked after the drain began is not judged", (t) => {
  const h = new HistoryBuilder();
  h.add(9, "invoke", "drain", { partition: 0 });
  h.send(1, "p1", 0, "late", 0);
  h.add(9, "ok", "drain", { records: [] });
  t.is(result(h, "K1 lost-write").valid, true);
});

test("K2: one offset seen with two values is inconsistent-offsets", (t) => {
  const h = new HistoryBuilder();
  const sent = h.send(1, "p1", 0, "a", 0);
  const polled = h.poll(2, "c1", 1, [[0, 0, "z"]]);
  const k2 = result(h, "K2 inconsistent-offsets");
  t.is(k2.valid, false);
  t.deepEqual(k2.anomalies, ["inconsistent-offsets"]);
  t.deepEqual(evidenceIndices(k2.evidence), [[sent, polled]]);
});

test("K2: one value at two offsets is a duplicate", (t) => {
  const h = new HistoryBuilder();
  const sent = h.send(1, "p1", 0, "a", 0);
  const drain = h.drain(9, 0, [[0, "a"], [1, "a"]]);
  const k2 = result(h, "K2 inconsistent-offsets");
  t.is(k2.valid, false);
  t.deepEqual(k2.anomalies, ["duplicate"]);
  t.deepEqual(evidenceIndices(k2.evidence), [[sent, drain]]);
});

test("K2: an ack and a drain that disagree give both anomalies", (t) => {
  const h = new HistoryBuilder();
  h.send(1, "p1", 0, "a", 0);
  h.send(1, "p1", 0, "b", 1);
  h.drain(9, 0, [[0, "b"]]);
  t.deepEqual(result(h, "K2 inconsistent-offsets").anomalies, ["inconsistent-offsets", "duplicate"]);
});

test("K2 near miss: a producer without idempotence may write a value twice; agreeing sightings are fine", (t) => {
  const h = new HistoryBuilder();
  h.add(1, "invoke", "send", { producer: "p1", partition: 0, value: "a", idempotent: false });
  h.add(1, "ok", "send", { partition: 0, offset: 1, value: "a" });
  h.poll(2, "c1", 1, [[0, 0, "a"], [0, 1, "a"]]);
  h.drain(9, 0, [[0, "a"], [1, "a"]]);
  t.is(result(h, "K2 inconsistent-offsets").valid, true);
});

test("K2: values compare by content, so 1 and \"1\" are different values", (t) => {
  const h = new HistoryBuilder();
  h.send(1, "p1", 0, 1, 0);
  h.drain(9, 0, [[0, "1"]]);
  t.deepEqual(result(h, "K2 inconsistent-offsets").anomalies, ["inconsistent-offsets"]);
});

test("K3: an idempotent producer's later send at a lower offset is a producer-reorder", (t) => {
  const h = new HistoryBuilder();
  const first = h.send(1, "p1", 0, "a", 1);
  const second = h.send(1, "p1", 0, "b", 0);
  const k3 = result(h, "K3 producer-reorder");
  t.is(k3.valid, false);
  t.deepEqual(k3.anomalies, ["producer-reorder"]);
  t.deepEqual(evidenceIndices(k3.evidence), [[first, second]]);
});

test("K3: send order is invoke order, even when acks come back in another order", (t) => {
  const h = new HistoryBuilder();
  h.add(1, "invoke", "send", { producer: "p1", partition: 0, value: "a" });
  h.add(2, "invoke", "send", { producer: "p1", partition: 0, value: "b" });
  const bOk = h.add(2, "ok", "send", { partition: 0, offset: 0, value: "b" });
  const aOk = h.add(1, "ok", "send", { partition: 0, offset: 1, value: "a" });
  t.deepEqual(evidenceIndices(result(h, "K3 producer-reorder").evidence), [[aOk, bOk]]);
});

test("K3 near miss: different producers, different partitions, or no idempotence", (t) => {
  const h = new HistoryBuilder();
  h.send(1, "p1", 0, "a", 1);
  h.send(2, "p2", 0, "b", 0);
  h.send(1, "p1", 1, "c", 0);
  h.add(3, "invoke", "send", { producer: "p3", partition: 2, value: "d", idempotent: false });
  h.add(3, "ok", "send", { partition: 2, offset: 5, value: "d" });
  h.add(3, "invoke", "send", { producer: "p3", partition: 2, value: "e", idempotent: false });
  h.add(3, "ok", "send", { partition: 2, offset: 4, value: "e" });
  t.is(result(h, "K3 producer-reorder").valid, true);
});

test("an empty history is valid on every log property", (t) => {
  const results = checkLog([]);
  t.deepEqual(results.map((r) => r.name), [
    "K1 lost-write", "K2 inconsistent-offsets", "K3 producer-reorder", "C1 nonmonotonic-poll", "C2 nonmonotonic-commit", "C3 poll-skip",
  ]);
  for (const r of results) t.is(r.valid, true);
});
