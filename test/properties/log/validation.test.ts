// Malformed log histories throw a user error (exit 3 in the CLI): one line that names the operation.
import test from "ava";
import { checkLog } from "../../../properties/log/checks.ts";
import type { Operation } from "../../../properties/history/operation.ts";
import { HistoryBuilder } from "./builder.ts";

function rejects(t: import("ava").ExecutionContext, ops: unknown[], message: RegExp): void {
  const error = t.throws(() => checkLog(ops as Operation[]));
  t.is((error as { userError?: boolean } | undefined)?.userError, true);
  t.regex(error?.message ?? "", message);
  t.false((error?.message ?? "").includes("\n"));
}

test("a send ack with an offset that is not an integer names the operation and the field", (t) => {
  const h = new HistoryBuilder();
  h.send(1, "p1", 0, "a", 0);
  h.add(1, "invoke", "send", { producer: "p1", partition: 0, value: "b" });
  h.add(1, "ok", "send", { partition: 0, offset: "one", value: "b" });
  rejects(t, h.ops, /^operation 3: send ok value field "offset" must be an integer, got "one"$/);
});

test("missing fields, wrong types and non-objects are rejected", (t) => {
  const poll = new HistoryBuilder();
  poll.add(2, "invoke", "poll", {});
  rejects(t, poll.ops, /^operation 0: poll invoke value field "consumer" must be a string or a number/);

  const record = new HistoryBuilder();
  record.poll(2, "c1", 1, []);
  (record.ops[1]!.value as { records: unknown[] }).records.push(7);
  rejects(t, record.ops, /^operation 1: poll ok record 0 must be an object, got 7$/);

  const drain = new HistoryBuilder();
  drain.call(9, "drain", { partition: 0 }, { records: [{ offset: 0 }] });
  rejects(t, drain.ops, /^operation 1: drain ok record 0 lacks field "value"$/);

  const assign = new HistoryBuilder();
  assign.call(2, "assign", { consumer: "c1" }, { generation: 1, partitions: ["zero"] });
  rejects(t, assign.ops, /^operation 1: assign ok value partition 0 must be an integer/);

  rejects(t, [null], /^operation 0: an operation must be an object, got null$/);
});

test("an ack for a value other than the one sent is rejected", (t) => {
  const h = new HistoryBuilder();
  h.call(1, "send", { producer: "p1", partition: 0, value: "a" }, { partition: 0, offset: 0, value: "b" });
  rejects(t, h.ops, /^operation 1: send ok value acknowledges "b", but "a" was sent$/);
});

test("unknown functions, unpaired completions and double invokes are rejected", (t) => {
  const unknown = new HistoryBuilder();
  unknown.add(1, "invoke", "read", null);
  rejects(t, unknown.ops, /^operation 0: unknown f "read" for the log model/);

  const unpaired = new HistoryBuilder();
  unpaired.add(1, "ok", "poll", { generation: 1, records: [] });
  rejects(t, unpaired.ops, /^operation 0: ok of process 1 has no pending invoke$/);

  const twice = new HistoryBuilder();
  twice.add(1, "invoke", "drain", { partition: 0 });
  twice.add(1, "invoke", "drain", { partition: 1 });
  rejects(t, twice.ops, /^operation 1: process 1 invokes while its operation 0 is pending$/);

  const mismatched = new HistoryBuilder();
  mismatched.add(1, "invoke", "drain", { partition: 0 });
  mismatched.add(1, "ok", "poll", { generation: 1, records: [] });
  rejects(t, mismatched.ops, /^operation 1: poll ok completes a drain invoke/);
});

test("operations without an index are numbered by their position", (t) => {
  const h = new HistoryBuilder();
  h.send(1, "p1", 0, "a", 0);
  h.drain(9, 0, []);
  const ops = h.ops.map(({ index: _index, ...rest }) => rest);
  const k1 = checkLog(ops as Operation[])[0]!;
  t.is(k1.valid, false);
  t.deepEqual((k1.evidence as { operations: Operation[] }[])[0]!.operations.map((op) => op.index), [1, 3]);
});
