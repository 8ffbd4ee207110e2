import test from "ava";
import type { Operation } from "../../properties/history/operation.ts";
import { checkLinearizable } from "../../properties/linearizability/check.ts";
import { linearizabilityProperty } from "../../properties/linearizability/text.ts";
import { checkMaster } from "../../properties/master/checks.ts";
import { summaryTable } from "../../reports/summary.ts";
import { seconds, witnessLines } from "../../reports/witness-text.ts";

const op = (process: number, type: Operation["type"], f: string, value: unknown, time: number): Operation => ({ process, type, f, value, time, index: 0 });
function indexed(history: Operation[]): Operation[] {
  return history.map((entry, index) => ({ ...entry, index }));
}

test("witness: a stale read names what it returned, when, the state it was tried in and the last write before it", (t) => {
  const history = indexed([
    op(0, "invoke", "write", 3, 1_000_000), op(0, "ok", "write", 3, 1_100_000),
    op(1, "invoke", "write", 4, 1_150_000), op(1, "ok", "write", 4, 1_180_000),
    op(2, "invoke", "read", null, 1_204_000), op(2, "ok", "read", 3, 1_210_000),
  ]);
  const result = checkLinearizable(history, "register", { statesMax: 10_000 });
  const lines = witnessLines([linearizabilityProperty(result, "linearizable")], history);
  t.regex(lines[0]!, /read → 3, by process 2 invoked at t=1\.204 s, returned at t=1\.21 s \(#4\), cannot be linearized/);
  t.true(lines.some((line) => /the state is 4/.test(line)), lines.join("\n"));
  t.true(lines.some((line) => /the last write placed before it: #2 write 4 by process 1, invoked at t=1\.15 s, returned 4 at t=1\.18 s/.test(line)), lines.join("\n"));
  t.true(lines.some((line) => /in state 4: .*3/.test(line)), lines.join("\n"));
});

test("witness: findings of log and master checks in their own words; valid properties say nothing", (t) => {
  const history = indexed([
    op(0, "ok", "resource-write", { node: "a", token: 2, accepted: true }, 10),
    op(1, "ok", "resource-write", { node: "b", token: 1, accepted: true }, 20),
  ]);
  const lines = witnessLines(checkMaster(history), history);
  t.is(lines.length, 1);
  t.regex(lines[0]!, /^M2 fencing \(stale-token-accepted\): the resource accepted token 1 from "b"/);
  t.deepEqual(witnessLines([{ name: "x", valid: true, summary: "fine" }], history), []);
  t.is(seconds(1_018_159), "1.018159 s");
  t.is(seconds(2_000_000), "2 s");
});

test("summary: each failure prints its witness and its report under the replay command", (t) => {
  const table = summaryTable([{
    name: "zk-register", seeds: 10, violations: 1, unknown: 0, unknownSeeds: [], simulatedUs: 1e6, wallMs: 100, events: 10, clientOps: 5,
    failures: [{ seed: 3, properties: ["p"], traceHash: "0123456789abcdef", counterexample: "out/zk-register/3/counterexample.json", faults: 1, faultsBeforeShrink: 2, shrunk: true,
      summaries: ["p: broke"], witness: ["read → 3 cannot be linearized"], report: "out/zk-register/3/report.html" }],
  }]);
  t.regex(table, /witness:\n {6}read → 3 cannot be linearized\n {4}report: out\/zk-register\/3\/report\.html\n {4}replay: npx faultline replay/);
});
