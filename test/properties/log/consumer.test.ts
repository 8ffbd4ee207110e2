// C1–C3 on tiny histories: each anomaly shown, and a near miss that is valid.
import test from "ava";
import { checkLog } from "../../../properties/log/checks.ts";
import type { PropertyResult } from "../../../properties/result.ts";
import { HistoryBuilder, evidenceIndices } from "./builder.ts";

function result(builder: HistoryBuilder, name: string): PropertyResult {
  const found = checkLog(builder.ops).find((r) => r.name === name);
  if (!found) throw new Error(`no result named ${name}`);
  return found;
}

test("C1: a consumer polling an offset again within one generation is a nonmonotonic-poll", (t) => {
  const h = new HistoryBuilder();
  h.assign(2, "c1", 1, [0]);
  const first = h.poll(2, "c1", 1, [[0, 0, "a"], [0, 1, "b"]]);
  const second = h.poll(2, "c1", 1, [[0, 1, "b"]]);
  const c1 = result(h, "C1 nonmonotonic-poll");
  t.is(c1.valid, false);
  t.deepEqual(c1.anomalies, ["nonmonotonic-poll"]);
  t.deepEqual(evidenceIndices(c1.evidence), [[first, second]]);
});

test("C1: offsets going down inside one poll name that poll once", (t) => {
  const h = new HistoryBuilder();
  const polled = h.poll(2, "c1", 1, [[0, 0, "a"], [0, 2, "c"], [0, 1, "b"]]);
  t.deepEqual(evidenceIndices(result(h, "C1 nonmonotonic-poll").evidence), [[polled]]);
});

test("C1 near miss: after a new assignment a consumer may restart lower; partitions are apart", (t) => {
  const h = new HistoryBuilder();
  h.assign(2, "c1", 1, [0, 1]);
  h.poll(2, "c1", 1, [[0, 0, "a"], [0, 1, "b"], [1, 5, "x"]]);
  h.assign(2, "c1", 2, [0, 1]);
  h.poll(2, "c1", 2, [[0, 1, "b"], [1, 0, "w"]]);
  h.poll(3, "c2", 1, [[0, 0, "a"]]);
  t.is(result(h, "C1 nonmonotonic-poll").valid, true);
});

test("C2: a group's committed offset moving backwards is a nonmonotonic-commit", (t) => {
  const h = new HistoryBuilder();
  const ahead = h.commit(2, "g", 0, 5);
  const behind = h.commit(3, "g", 0, 3, 2);
  const c2 = result(h, "C2 nonmonotonic-commit");
  t.is(c2.valid, false);
  t.deepEqual(c2.anomalies, ["nonmonotonic-commit"]);
  t.deepEqual(evidenceIndices(c2.evidence), [[ahead, behind]]);
});

test("C2 near miss: repeating an offset, other partitions and groups, failed commits", (t) => {
  const h = new HistoryBuilder();
  h.commit(2, "g", 0, 5);
  h.commit(2, "g", 0, 5);
  h.commit(2, "g", 1, 2);
  h.commit(3, "h", 0, 1);
  h.add(4, "invoke", "commit", { group: "g", partition: 0, offset: 1, generation: 1 });
  h.add(4, "fail", "commit", null, "stale-generation");
  t.is(result(h, "C2 nonmonotonic-commit").valid, true);
});

test("C2 near miss: a lower commit that overlapped the higher one (a paused consumer's late reply) may have come first", (t) => {
  // Found by the soak (kafka-log seed 500206): c2 committed 32 and paused before the reply came; c1, in
  // the next generation, committed 64 meanwhile. Success order says 64 then 32; real time says either.
  const h = new HistoryBuilder();
  h.add(4, "invoke", "commit", { group: "g", partition: 1, offset: 32, generation: 1 });
  h.commit(5, "g", 1, 64, 2);
  h.add(4, "ok", "commit", { group: "g", partition: 1, offset: 32, generation: 1 });
  t.is(result(h, "C2 nonmonotonic-commit").valid, true);
  // Invoked after 64 was committed, the same commit of 32 moves the offset back.
  h.commit(4, "g", 1, 32, 1);
  t.is(result(h, "C2 nonmonotonic-commit").valid, false);
});

test("C3: passing offsets the log holds without receiving them is a poll-skip", (t) => {
  const h = new HistoryBuilder();
  h.assign(2, "c1", 1, [0]);
  const before = h.poll(2, "c1", 1, [[0, 0, "a"], [0, 1, "b"]]);
  const after = h.poll(2, "c1", 1, [[0, 4, "e"]]);
  const drain = h.drain(9, 0, [[0, "a"], [1, "b"], [2, "c"], [3, "d"], [4, "e"]]);
  const c3 = result(h, "C3 poll-skip");
  t.is(c3.valid, false);
  t.deepEqual(c3.anomalies, ["poll-skip"]);
  t.deepEqual(evidenceIndices(c3.evidence), [[before, after, drain]]);
  t.regex(c3.summary, /never receiving 2, 3 held by the final drain/);
});

test("C3: starting past the group's committed offset is a poll-skip", (t) => {
  const h = new HistoryBuilder();
  const committed = h.commit(1, "g", 0, 1);
  const assigned = h.assign(2, "c2", 2, [0]);
  const polled = h.poll(2, "c2", 2, [[0, 3, "d"]]);
  const drain = h.drain(9, 0, [[0, "a"], [1, "b"], [2, "c"], [3, "d"]]);
  const c3 = result(h, "C3 poll-skip");
  t.is(c3.valid, false);
  t.deepEqual(evidenceIndices(c3.evidence), [[committed, assigned, polled, drain]]);
  t.regex(c3.summary, /never receiving 1, 2 held/);
});

test("C3 near miss: starting at the committed offset, gaps the log has, and a new generation", (t) => {
  const h = new HistoryBuilder();
  h.commit(1, "g", 0, 1);
  h.assign(2, "c2", 2, [0]);
  h.poll(2, "c2", 2, [[0, 1, "b"], [0, 3, "d"]]);
  h.commit(2, "g", 0, 4);
  h.assign(2, "c2", 3, [0]);
  h.poll(2, "c2", 3, [[0, 4, "e"]]);
  h.drain(9, 0, [[0, "a"], [1, "b"], [3, "d"], [4, "e"]]);
  for (const r of checkLog(h.ops)) t.is(r.valid, true, `${r.name}: ${r.summary}`);
});

test("C3 near miss: an offset received later in the same assignment was not skipped (C1 flags the order)", (t) => {
  const h = new HistoryBuilder();
  h.poll(2, "c1", 1, [[0, 0, "a"], [0, 2, "c"]]);
  h.poll(2, "c1", 1, [[0, 1, "b"]]);
  h.drain(9, 0, [[0, "a"], [1, "b"], [2, "c"]]);
  t.is(result(h, "C3 poll-skip").valid, true);
  t.is(result(h, "C1 nonmonotonic-poll").valid, false);
});

test("C3: the group is learned from the process that commits for the consumer", (t) => {
  const h = new HistoryBuilder();
  h.commit(1, "other", 0, 0);
  h.assign(2, "c1", 1, [0]);
  h.commit(2, "g", 0, 2);
  const assigned = h.assign(2, "c1", 2, [0]);
  h.poll(2, "c1", 2, [[0, 3, "d"]]);
  h.drain(9, 0, [[0, "a"], [1, "b"], [2, "c"], [3, "d"]]);
  const c3 = result(h, "C3 poll-skip");
  t.is(c3.valid, false);
  t.is(evidenceIndices(c3.evidence)[0]![1], assigned);
  t.regex(c3.summary, /never receiving 2 held/);
});

test("C3: a gap in polls of a partition never drained leaves the verdict unknown", (t) => {
  const h = new HistoryBuilder();
  h.poll(2, "c1", 1, [[0, 0, "a"], [0, 5, "f"]]);
  t.is(result(h, "C3 poll-skip").valid, "unknown");
});

test("C3: committing past records the assignment never received is a poll-skip (commit-before-process, then a crash)", (t) => {
  const h = new HistoryBuilder();
  h.assign(2, "c1", 1, [0]);
  h.poll(2, "c1", 1, [[0, 0, "a"]]);
  const committed = h.call(2, "commit", { group: "g", consumer: "c1", partition: 0, offset: 3, generation: 1 }, { group: "g", consumer: "c1", partition: 0, offset: 3, generation: 1 });
  const drain = h.drain(9, 0, [[0, "a"], [1, "b"], [2, "c"], [3, "d"]]);
  const c3 = result(h, "C3 poll-skip");
  t.is(c3.valid, false);
  t.deepEqual(evidenceIndices(c3.evidence), [[committed, drain]]);
  t.regex(c3.summary, /committed offset 3 for partition 0 .* without ever receiving 1, 2 held/);
});

test("C3 near miss: a commit in flight when the assignment completed may set its start (its reply came later, or never)", (t) => {
  const h = new HistoryBuilder();
  h.commit(1, "g", 0, 1);
  h.add(1, "invoke", "commit", { group: "g", partition: 0, offset: 3, generation: 1 });
  h.add(3, "invoke", "commit", { group: "g", partition: 0, offset: 4, generation: 1 });
  h.assign(2, "c2", 2, [0]);
  h.add(1, "ok", "commit", { group: "g", partition: 0, offset: 3, generation: 1 });
  h.add(3, "info", "commit", null, "timeout");
  h.poll(2, "c2", 2, [[0, 3, "d"]]);
  h.poll(4, "c3", 2, [[0, 4, "e"]]);
  h.drain(9, 0, [[0, "a"], [1, "b"], [2, "c"], [3, "d"], [4, "e"]]);
  t.is(result(h, "C3 poll-skip").valid, true, result(h, "C3 poll-skip").summary);
});

test("C3 near miss: commits that overlapped may have landed in either order, so the consumer may start at either", (t) => {
  // Found by the soak (kafka-log seed 1200357 --roles --swarm): c1's commit of 4 was invoked, c1 paused, and
  // its reply came just after c2's commit of 10 in the next generation. Reply order says 4 is the committed
  // offset; real time allows 10, where the next generation's consumer started.
  const h = new HistoryBuilder();
  h.add(4, "invoke", "commit", { group: "g", partition: 1, offset: 4, generation: 1 });
  h.commit(5, "g", 1, 10, 2);
  h.add(4, "ok", "commit", { group: "g", partition: 1, offset: 4, generation: 1 });
  h.assign(6, "c2", 3, [1]);
  h.poll(6, "c2", 3, [[1, 10, "k"]]);
  // A consumer that receives nothing and commits the offset it may have started at skips nothing either.
  h.assign(7, "c3", 3, [1]);
  h.call(7, "commit", { group: "g", consumer: "c3", partition: 1, offset: 10, generation: 3 }, { group: "g", consumer: "c3", partition: 1, offset: 10, generation: 3 });
  h.drain(9, 1, [[4, "e"], [5, "f"], [6, "g"], [7, "h"], [8, "i"], [9, "j"], [10, "k"]]);
  t.is(result(h, "C3 poll-skip").valid, true, result(h, "C3 poll-skip").summary);
});

test("C3: a commit invoked after another was acknowledged supersedes it, so starting at the older one's offset skips", (t) => {
  const h = new HistoryBuilder();
  h.commit(5, "g", 1, 10, 2);
  const later = h.commit(4, "g", 1, 4, 1);
  h.assign(6, "c2", 3, [1]);
  h.poll(6, "c2", 3, [[1, 10, "k"]]);
  h.drain(9, 1, [[4, "e"], [5, "f"], [6, "g"], [7, "h"], [8, "i"], [9, "j"], [10, "k"]]);
  const c3 = result(h, "C3 poll-skip");
  t.is(c3.valid, false);
  t.is(evidenceIndices(c3.evidence)[0]![0], later);
  t.regex(c3.summary, /due to start at its group's committed offset 4 .* never receiving 4, 5, 6, 7, 8, 9 held/);
});
