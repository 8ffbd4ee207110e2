// The checker's contract beyond single verdicts: witnesses, budgets, partition order, input errors.
import test from "ava";
import { checkLinearizable } from "../../../properties/linearizability/check.ts";
import { linearizabilityProperty, describeLinearizability } from "../../../properties/linearizability/text.ts";
import { history, sequential, type Row } from "./helpers.ts";

// Knossos' bad-analysis.edn, shortened: after write 0, reads of 3 and 2 cannot both be explained.
const badAnalysis: Row[] = [
  ...sequential(4, "write", 2, "ok", 2),
  [6, "invoke", "read", null],
  ...sequential(9, "write", 0, "ok", 0),
  [20, "invoke", "write", 1],
  [22, "invoke", "read", null],
  [21, "invoke", "read", null],
  [21, "ok", "read", 2],
  [22, "ok", "read", 3],
];

test("witness: the culprit, the furthest prefix and the concurrent operations tried in each state", (t) => {
  const result = checkLinearizable(history(badAnalysis), "cas-register", { statesMax: 1000, initial: 0 });
  t.is(result.valid, false);
  if (result.valid !== false) return;
  const failure = result.failures[0]!;
  t.is(failure.culprit.index, 7, "p21's read of 2 is the first completion no order reaches");
  t.deepEqual(failure.prefix.slice(0, 2), [0, 3], "write 2, then write 0");
  t.is(failure.stateAfterPrefix, failure.prefix.includes(5) ? "1" : "0");
  const windowIndexes = failure.window.map((w) => w.operation.index).sort();
  t.deepEqual(windowIndexes, [5, 6, 7], "the crashed write 1 and both reads (a read that never returned observed nothing)");
  t.is(failure.window[0]!.operation.index, 7, "the culprit comes first");
  const culprit = failure.window.find((w) => w.operation.index === 7)!;
  t.deepEqual(culprit.tried.map((s) => s.state).sort(), ["0", "1"]);
  t.true(culprit.tried.every((s) => !s.ok));
  const crashedWrite = failure.window.find((w) => w.operation.index === 5)!;
  t.is(crashedWrite.operation.outcome, "pending");
  t.true(crashedWrite.tried.some((s) => s.ok && s.result === "→ 1"));
  const text = describeLinearizability(result).join("\n");
  t.regex(text, /operation #7 cannot be placed/);
  t.regex(text, /read 2, but the value is 0/);
});

test("valid: one linearization per partition, in an order real time allows", (t) => {
  const rows: Row[] = [[0, "invoke", "write", 1], [1, "invoke", "read"], [1, "ok", "read", 1], [0, "ok", "write", 1], ...sequential(1, "read", null, "ok", 1)];
  const result = checkLinearizable(history(rows), "register", { statesMax: 1000 });
  t.is(result.valid, true);
  if (result.valid === true) t.deepEqual(result.linearizations, [{ key: "", order: [0, 1, 4] }]);
});

/** Six concurrent appends to key "a", then a read: valid, but many orders to explore first. */
function busyKey(): Row[] {
  const rows: Row[] = [];
  for (let p = 0; p < 6; p++) rows.push([p, "invoke", "append", { key: "a", value: String(p) }]);
  for (let p = 0; p < 6; p++) rows.push([p, "ok", "append", { key: "a", value: String(p) }]);
  // The last order a depth-first search tries: it must explore many before finding it.
  rows.push(...sequential(20, "get", { key: "a", value: null }, "ok", { key: "a", value: "543210" }));
  return rows;
}

test("budget: states explored are counted, and running out gives unknown, deterministically", (t) => {
  const options = { statesMax: 50, initial: "" };
  const first = checkLinearizable(history(busyKey()), "kv", options);
  const again = checkLinearizable(history(busyKey()), "kv", options);
  t.is(first.valid, "unknown");
  if (first.valid === "unknown") {
    t.is(first.reason, "states-max");
    t.deepEqual(first.undecided, ['key "a"']);
  }
  // The frontier search stops between expansions, so it may pass its half by one configuration's steps.
  t.true(first.statesExplored >= 50 && first.statesExplored < 60, String(first.statesExplored));
  t.deepEqual(again, first);
  t.is(checkLinearizable(history(busyKey()), "kv", { statesMax: 100_000, initial: "" }).valid, true);
});

test("budget: a cheap violation in a later partition is found even when an earlier one runs out", (t) => {
  const rows = [...busyKey(), ...sequential(30, "put", { key: "b", value: "x" }, "ok", { key: "b", value: "x" }), ...sequential(30, "get", { key: "b", value: null }, "ok", { key: "b", value: "y" })];
  const result = checkLinearizable(history(rows), "kv", { statesMax: 50, initial: "" });
  t.is(result.valid, false);
  if (result.valid === false) t.is(result.failures[0]!.key, 'key "b"');
});

test("timeout: the caller's clock ends the search with unknown", (t) => {
  let nowMs = 0;
  const clock = () => (nowMs += 1000);
  const result = checkLinearizable(history(busyKey()), "kv", { statesMax: 100_000, initial: "", timeoutMs: 500, nowMs: clock });
  t.is(result.valid, "unknown");
  if (result.valid === "unknown") t.is(result.reason, "timeout");
});

test("input errors: unknown f, a completion without an invoke, two pending invokes, time backwards", (t) => {
  const error = (rows: Row[], model = "register") => t.throws(() => checkLinearizable(history(rows), model, { statesMax: 10 }))!;
  t.regex(error(sequential(0, "explode", 1, "ok", 1)).message, /operation 0: unknown f "explode" for model register/);
  t.regex(error([[0, "ok", "write", 1]]).message, /operation 0: ok write of process 0 completes no pending invoke/);
  t.regex(error([[0, "invoke", "write", 1], [0, "invoke", "read"]]).message, /operation 1: process 0 invokes read while its write/);
  const backwards = history(sequential(0, "write", 1, "ok", 1));
  backwards[1]!.time = -5;
  t.regex(t.throws(() => checkLinearizable(backwards, "register", { statesMax: 10 }))!.message, /time goes backwards/);
  t.regex(error(sequential(0, "cas", 1, "ok", 1), "cas-register").message, /value must be \[expected, new\]/);
  t.true((error([[0, "ok", "write", 1]]) as { userError?: boolean }).userError);
});

test("property result: non-linearizable is the anomaly, with a one-line summary", (t) => {
  const result = checkLinearizable(history(badAnalysis), "cas-register", { statesMax: 1000, initial: 0 });
  const property = linearizabilityProperty(result, "linearizable register");
  t.is(property.valid, false);
  t.deepEqual(property.anomalies, ["non-linearizable"]);
  t.regex(property.summary, /^operation 7 \(process 21: read → 2\) cannot be linearized after a \d-operation prefix$/);
  t.false(property.summary.includes("\n"));
});

test("budget: a history the model checks whole names itself when undecided, and says what to try", (t) => {
  const rows: Row[] = [];
  for (let p = 0; p < 6; p++) rows.push([p, "invoke", "write", p]);
  for (let p = 0; p < 6; p++) rows.push([p, "ok", "write", p]);
  rows.push(...sequential(20, "read", null, "ok", 0));
  const result = checkLinearizable(history(rows), "register", { statesMax: 5 });
  t.is(result.valid, "unknown");
  if (result.valid !== "unknown") return;
  t.deepEqual(result.undecided, [""], "the register model does not split: its one partition has no key");
  const text = describeLinearizability(result).join("\n");
  t.notRegex(text, /\(none\)/);
  t.regex(text, /undecided: the whole history/);
  t.regex(text, /to decide it: allow more states: the budget ran out after \d+ states/);
  t.regex(describeLinearizability(result, "raise --states-max").join("\n"), /to decide it: raise --states-max$/);
  t.regex(linearizabilityProperty(result, "linearizable register").summary, /undecided: the whole history/);
});
