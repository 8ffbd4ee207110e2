// Narrowing crashed znode sets (properties/models/znode-narrow.ts): it keeps every verdict and spares the
// search the subsets of crashed writes.
import test from "ava";
import fc from "fast-check";
import type { Operation } from "../../../properties/history/operation.ts";
import type { AnyModel } from "../../../properties/linearizability/model.ts";
import { checkLinearizable } from "../../../properties/linearizability/check.ts";
import { znodeModel } from "../../../properties/linearizability/models/znode.ts";
import { history, type Row } from "./helpers.ts";

const unnarrowed: AnyModel = { ...znodeModel, narrow: undefined, effectKey: undefined };

/**
 * Rounds of sets on /a: in round r one set(version r) succeeds, one fails bad-version, a get sees the new
 * version, and `crashedPerRound` sets crash (conditional on r, or unconditional every third), all concurrent.
 */
function crashedWrites(rounds: number, crashedPerRound: number): Operation[] {
  const rows: Row[] = [[0, "invoke", "create", { path: "/a", data: "" }], [0, "ok", "create", { path: "/a" }]];
  let crashedProcess = 10;
  for (let r = 0; r < rounds; r++) {
    const crashed: number[] = [];
    for (let c = 0; c < crashedPerRound; c++) {
      const process = crashedProcess++;
      crashed.push(process);
      rows.push([process, "invoke", "set", { path: "/a", data: `c${process}`, version: c % 3 === 2 ? -1 : r }]);
    }
    rows.push([1, "invoke", "set", { path: "/a", data: `w${r}`, version: r }]);
    rows.push([2, "invoke", "set", { path: "/a", data: `l${r}`, version: r }]);
    rows.push([1, "ok", "set", { path: "/a", version: r + 1 }]);
    rows.push([2, "fail", "set", { path: "/a" }, "bad-version"]);
    for (const process of crashed) rows.push([process, "info", "set", { path: "/a" }, "session-expired"]);
    rows.push([3, "invoke", "get", { path: "/a" }]);
    rows.push([3, "ok", "get", { path: "/a", data: `w${r}`, version: r + 1 }]);
  }
  return history(rows);
}

test("crashed sets whose version a completed set took are dropped, and unread ones are twins", (t) => {
  const operations = crashedWrites(10, 4);
  const before = checkLinearizable(operations, unnarrowed, { statesMax: 10_000_000 });
  const after = checkLinearizable(operations, znodeModel, { statesMax: 10_000_000 });
  t.is(before.valid, true);
  t.is(after.valid, true);
  t.true(after.statesExplored * 100 < before.statesExplored, `${after.statesExplored} states now, ${before.statesExplored} before`);
});

test("a crashed set that must fill a version no completed set returned still can", (t) => {
  const rows: Row[] = [
    [0, "invoke", "create", { path: "/a", data: "" }],
    [0, "ok", "create", { path: "/a" }],
    [1, "invoke", "set", { path: "/a", data: "lost", version: 0 }],
    [1, "info", "set", { path: "/a" }, "connection-loss"],
    [2, "invoke", "set", { path: "/a", data: "any", version: -1 }],
    [2, "info", "set", { path: "/a" }, "session-expired"],
    [3, "invoke", "set", { path: "/a", data: "b", version: 1 }],
    [3, "ok", "set", { path: "/a", version: 2 }],
  ];
  t.is(checkLinearizable(history(rows), znodeModel, { statesMax: 10_000 }).valid, true);
  const seen: Row[] = [[4, "invoke", "get", { path: "/a" }], [4, "ok", "get", { path: "/a", data: "any", version: 3 }]];
  t.is(checkLinearizable(history([...rows, ...seen]), znodeModel, { statesMax: 10_000 }).valid, true, "after the last returned version");
  const tooEarly: Row[] = [[4, "invoke", "get", { path: "/a" }], [4, "ok", "get", { path: "/a", data: "any", version: 2 }]];
  t.is(checkLinearizable(history([...rows, ...tooEarly]), znodeModel, { statesMax: 10_000 }).valid, false, "version 2 is set b's");
});

const rowsOnOnePath = fc
  .array(
    fc.record({
      process: fc.integer({ min: 0, max: 3 }),
      f: fc.constantFrom("set", "set", "get", "delete", "create"),
      data: fc.constantFrom("x", "y", "z"),
      version: fc.integer({ min: -1, max: 3 }),
      outcome: fc.constantFrom("ok", "ok", "info", "info", "fail"),
      completeNow: fc.boolean(),
    }),
    { maxLength: 12 },
  )
  .map((steps) => {
    const rows: Row[] = [];
    const open = new Map<number, Row>();
    const complete = (process: number) => {
      const [, , f, value] = open.get(process)!;
      open.delete(process);
      const { data, version, outcome } = value as { data: string; version: number; outcome: string };
      if (outcome === "fail") rows.push([process, "fail", f, { path: "/a" }, f === "create" ? "node-exists" : f === "get" ? "no-node" : "bad-version"]);
      else if (outcome === "info") rows.push([process, "info", f, { path: "/a" }, "session-expired"]);
      else if (f === "get") rows.push([process, "ok", f, { path: "/a", data, version: Math.max(version, 0) }]);
      else rows.push([process, "ok", f, { path: "/a", version: Math.max(version, 0) + 1 }]);
    };
    for (const step of steps) {
      if (open.has(step.process)) complete(step.process);
      const value = { path: "/a", data: step.data, version: step.version, outcome: step.outcome };
      rows.push([step.process, "invoke", step.f, value]);
      open.set(step.process, rows.at(-1)!);
      if (step.completeNow) complete(step.process);
    }
    for (const process of [...open.keys()]) complete(process);
    // The invoke's value carried the outcome to complete with; a real client's does not.
    return rows.map(([process, type, f, value, error]): Row => {
      if (type !== "invoke") return [process, type, f, value, error];
      const { data, version } = value as { data: string; version: number };
      return [process, type, f, f === "get" ? { path: "/a" } : f === "create" ? { path: "/a", data } : { path: "/a", data, version }];
    });
  });

test("narrowing keeps every verdict on random one-path histories", (t) => {
  fc.assert(
    fc.property(rowsOnOnePath, (rows) => {
      const operations = history(rows);
      const verdict = (model: AnyModel) => checkLinearizable(operations, model, { statesMax: 1_000_000 }).valid;
      return verdict(znodeModel) === verdict(unnarrowed);
    }),
    { numRuns: 1000 },
  );
  t.pass();
});
