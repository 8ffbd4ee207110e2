// Each model on tiny histories: what it accepts, what it rejects, and the conventions it follows.
import test from "ava";
import { checkLinearizable } from "../../../properties/linearizability/check.ts";
import { znodeModel } from "../../../properties/linearizability/models/znode.ts";
import { modelNamed } from "../../../properties/linearizability/models/index.ts";
import { history, sequential, type Row } from "./helpers.ts";

const check = (model: string, rows: Row[], initial?: unknown) =>
  checkLinearizable(history(rows), model, { statesMax: 100_000, initial });
const valid = (model: string, rows: Row[], initial?: unknown) => check(model, rows, initial).valid;

test("register: a read sees the last write; null means never written", (t) => {
  t.is(valid("register", [...sequential(0, "read", null, "ok", null), ...sequential(0, "write", 1, "ok", 1), ...sequential(1, "read", null, "ok", 1)]), true);
  t.is(valid("register", [...sequential(0, "write", 1, "ok", 1), ...sequential(1, "read", null, "ok", 2)]), false);
  t.is(valid("register", [...sequential(0, "write", 1, "ok", 1), ...sequential(1, "read", null, "ok", null)]), false);
});

test("register: concurrent write and read may go either way", (t) => {
  const rows = (seen: number | null): Row[] => [[0, "invoke", "write", 1], [1, "invoke", "read"], [1, "ok", "read", seen], [0, "ok", "write", 1]];
  t.is(valid("register", rows(1)), true);
  t.is(valid("register", rows(null)), true);
  t.is(valid("register", rows(2)), false);
});

test("register: with a non-null initial value a null read observes nothing (Knossos' convention)", (t) => {
  t.is(valid("register", sequential(0, "read", null, "ok", null), 0), true);
  t.is(valid("register", sequential(0, "read", null, "ok", 1), 0), false);
});

test("register: an info write may take effect later, or never", (t) => {
  const crashed: Row[] = [[0, "invoke", "write", 1], [0, "info", "write", null, "timeout"]];
  t.is(valid("register", [...crashed, ...sequential(1, "read", null, "ok", 1)]), true);
  t.is(valid("register", [...crashed, ...sequential(1, "read", null, "ok", null)]), true);
  t.is(valid("register", [...crashed, ...sequential(1, "read", null, "ok", 1), ...sequential(1, "read", null, "ok", null)]), false);
  // A pending invoke at the end of the history is the same as an info.
  t.is(valid("register", [[0, "invoke", "write", 1], ...sequential(1, "read", null, "ok", 1)]), true);
});

test("cas-register: cas swaps only from the expected value; a failed cas did not happen", (t) => {
  t.is(valid("cas-register", [...sequential(0, "cas", [0, 1], "ok", [0, 1]), ...sequential(0, "read", null, "ok", 1)], 0), true);
  t.is(valid("cas-register", [...sequential(0, "cas", [0, 1], "ok", [0, 1]), ...sequential(0, "read", null, "ok", 0)], 0), false);
  t.is(valid("cas-register", sequential(0, "cas", [5, 1], "ok", [5, 1]), 0), false);
  t.is(valid("cas-register", sequential(0, "cas", [0, 1], "fail", [0, 1]), 0), true);
});

test("cas-register: an info cas whose compare can never match is allowed never to happen", (t) => {
  // Forcing every unknown operation to take effect (Porcupine's way, with a strict cas) rejects this.
  const rows: Row[] = [...sequential(0, "write", 0, "ok", 0), [1, "invoke", "cas", [1, 2]], [1, "info", "cas", [1, 2]], ...sequential(0, "read", null, "ok", 0)];
  t.is(valid("cas-register", rows, null), true);
});

test("etcd: a failed cas observes that the value was not the expected one", (t) => {
  t.is(valid("etcd", [...sequential(0, "write", 1, "ok", 1), ...sequential(0, "cas", [1, 2], "fail", [1, 2])]), false);
  t.is(valid("etcd", [...sequential(0, "write", 1, "ok", 1), ...sequential(0, "cas", [3, 2], "fail", [3, 2])]), true);
  t.is(valid("etcd", [...sequential(0, "write", 1, "ok", 1), ...sequential(0, "read", null, "fail", null, "timed-out")]), true);
  t.is(valid("etcd", sequential(0, "read", null, "ok", null)), true);
});

test("kv: get, put and append per key; a missing key reads as the empty string", (t) => {
  const kv = (key: string, value: string | null) => ({ key, value });
  const rows = (seen: string): Row[] => [
    ...sequential(0, "get", kv("a", null), "ok", kv("a", "")),
    ...sequential(0, "put", kv("a", "x"), "ok", kv("a", "x")),
    ...sequential(1, "append", kv("a", "y"), "ok", kv("a", "y")),
    ...sequential(0, "get", kv("a", null), "ok", kv("a", seen)),
  ];
  t.is(valid("kv", rows("xy"), ""), true);
  t.is(valid("kv", rows("x"), ""), false);
});

test("kv: keys are checked apart, and the failing key is named", (t) => {
  const rows: Row[] = [
    ...sequential(0, "put", { key: "a", value: "1" }, "ok", { key: "a", value: "1" }),
    ...sequential(1, "put", { key: "b", value: "2" }, "ok", { key: "b", value: "2" }),
    ...sequential(1, "get", { key: "b", value: null }, "ok", { key: "b", value: "3" }),
  ];
  const result = check("kv", rows, "");
  t.is(result.partitions, 2);
  t.is(result.valid, false);
  if (result.valid === false) t.is(result.failures[0]!.key, 'key "b"');
});

test("multi-register: a transaction's reads see its own and earlier writes; keys never read together split", (t) => {
  const txn = (...micro: unknown[][]) => micro;
  const rows = (y: number): Row[] => [
    ...sequential(0, "txn", txn(["write", "x", 1]), "ok", txn(["write", "x", 1])),
    ...sequential(1, "txn", txn(["read", "x", null], ["read", "y", null]), "ok", txn(["read", "x", 1], ["read", "y", y])),
    ...sequential(2, "txn", txn(["write", "z", 5], ["read", "z", null]), "ok", txn(["write", "z", 5], ["read", "z", 5])),
  ];
  const good = check("multi-register", rows(0), { x: 0, y: 0 });
  t.is(good.valid, true);
  t.is(good.partitions, 2);
  t.is(valid("multi-register", rows(1), { x: 0, y: 0 }), false);
});

test("mutex: acquire needs the lock free, release needs it held; an info acquire may never happen", (t) => {
  const acquire = (p: number) => sequential(p, "acquire", null, "ok", null);
  const release = (p: number) => sequential(p, "release", null, "ok", null);
  t.is(valid("mutex", [...acquire(0), ...release(0), ...acquire(1)]), true);
  t.is(valid("mutex", [...acquire(0), ...acquire(1)]), false);
  t.is(valid("mutex", [...release(0)]), false);
  t.is(valid("mutex", [[0, "invoke", "acquire"], [0, "info", "acquire"], ...acquire(1)]), true);
});

const create = (p: number, path: string, data: string, type: "ok" | "fail" = "ok", error?: string) =>
  sequential(p, "create", { path, data }, type, type === "ok" ? { path } : null, error);
const set = (p: number, path: string, data: string, version: number, result: number | null, error?: string) =>
  sequential(p, "set", { path, data, version }, error ? "fail" : "ok", error ? null : { version: result }, error);
const get = (p: number, path: string, data: string | null, version: number) =>
  sequential(p, "get", { path }, data === null ? "fail" : "ok", data === null ? null : { data, version }, data === null ? "no-node" : undefined);
const del = (p: number, path: string, version: number, error?: string) =>
  sequential(p, "delete", { path, version }, error ? "fail" : "ok", error ? null : {}, error);

test("znode: versions start at 0 and each set adds 1; a stale version fails bad-version", (t) => {
  const base = [...create(0, "/a", "x"), ...get(1, "/a", "x", 0), ...set(0, "/a", "y", 0, 1), ...get(1, "/a", "y", 1)];
  t.is(valid("znode", base), true);
  t.is(valid("znode", [...base, ...set(0, "/a", "z", 0, null, "bad-version")]), true);
  t.is(valid("znode", [...base, ...set(0, "/a", "z", 0, 2)]), false, "a set with a stale version cannot succeed");
  t.is(valid("znode", [...base, ...set(0, "/a", "z", -1, 2), ...get(1, "/a", "z", 2)]), true, "-1 matches any version");
  t.is(valid("znode", [...create(0, "/a", "x"), ...set(0, "/a", "y", 0, 5)]), false, "set must return the new version");
});

test("znode: delete and re-create resets the version to 0", (t) => {
  const base = [...create(0, "/a", "x"), ...set(0, "/a", "y", 0, 1), ...del(0, "/a", 1), ...get(1, "/a", null, 0), ...create(0, "/a", "n")];
  t.is(valid("znode", [...base, ...get(1, "/a", "n", 0)]), true);
  t.is(valid("znode", [...base, ...get(1, "/a", "n", 2)]), false);
  t.is(valid("znode", [...create(0, "/a", "x"), ...del(0, "/a", 3)]), false, "delete with a wrong version cannot succeed");
  t.is(valid("znode", [...create(0, "/a", "x"), ...del(0, "/a", 3, "bad-version")]), true);
});

test("znode: create needs the parent; delete needs no children; exists reports the version", (t) => {
  t.is(valid("znode", create(0, "/a/b", "x", "fail", "no-node")), true);
  t.is(valid("znode", create(0, "/a/b", "x")), false, "no parent");
  t.is(valid("znode", [...create(0, "/a", ""), ...create(0, "/a/b", "x"), ...del(1, "/a", -1, "not-empty")]), true);
  t.is(valid("znode", [...create(0, "/a", ""), ...create(0, "/a/b", "x"), ...del(1, "/a", -1)]), false, "children");
  t.is(valid("znode", [...create(0, "/a", "x"), ...create(1, "/a", "y", "fail", "node-exists")]), true);
  t.is(valid("znode", [...sequential(0, "exists", { path: "/a" }, "ok", null), ...create(0, "/a", "x"), ...sequential(0, "exists", { path: "/a" }, "ok", { version: 0 })]), true);
  t.is(valid("znode", sequential(0, "exists", { path: "/a" }, "ok", { version: 0 })), false);
});

test("znode: a fail with an error that is not ZooKeeper's answer did not happen", (t) => {
  t.is(valid("znode", [...create(0, "/a", "x"), ...set(0, "/a", "y", 0, null, "session-expired"), ...get(0, "/a", "x", 0)]), true);
});

test("znode: paths are checked apart unless one's parent is created or deleted in the history", (t) => {
  t.is(check("znode", [...create(0, "/a", "x"), ...create(1, "/b", "y")]).partitions, 2);
  t.is(check("znode", [...create(0, "/a", "x"), ...create(1, "/a/b", "y"), ...create(1, "/c", "z")]).partitions, 2);
  const initial = { "/app": "", "/app/x": { data: "1", version: 3 } };
  const result = check("znode", [...get(0, "/app/x", "1", 3), ...create(1, "/app/y", "2")], initial);
  t.is(result.valid, true);
  t.is(result.partitions, 2);
});

test("znode model: the step itself follows ZooKeeper's check order (exists, version, children)", (t) => {
  const tree = JSON.stringify({ "/a": ["\"x\"", 2], "/a/b": ["\"y\"", 0] });
  const step = (input: Parameters<typeof znodeModel.step>[1]) => znodeModel.step(tree, input, null).ok;
  t.true(step({ f: "delete", path: "/a", version: 5, outcome: "bad-version" }), "bad-version before not-empty");
  t.false(step({ f: "delete", path: "/a", version: 5, outcome: "not-empty" }));
  t.true(step({ f: "delete", path: "/a", version: 2, outcome: "not-empty" }));
  t.true(step({ f: "delete", path: "/z", version: -1, outcome: "no-node" }));
});

// The stale-read proof (stale-read.ts) trusts `access`: a call needing v is legal nowhere else, and a legal
// step leads where `sets` says. For register and cas-register it is exact (legal wherever `needs` allows).
test("register, cas-register, etcd: access agrees with step on every call and state over a small domain", (t) => {
  const values = ["null", "0", "1", "\"a\""];
  const inputs = values.flatMap((value) => [
    { f: "read", value },
    { f: "write", value },
    ...values.flatMap((expected) => [{ f: "cas", expected, value, swapped: true }, { f: "cas", expected, value, swapped: false }]),
  ]);
  for (const name of ["register", "cas-register", "etcd"]) {
    const model = modelNamed(name);
    const exact = name !== "etcd";
    for (const input of inputs.filter((i) => i.f !== "cas" || name !== "register")) {
      if (exact && "swapped" in input && !input.swapped) continue;
      const { needs, sets } = model.access!(input, null);
      for (const state of values) {
        const step = model.step(state, input, null);
        const where = `${name} ${JSON.stringify(input)} from ${state}`;
        if (exact) t.is(step.ok, needs === null || needs === state, where);
        else if (needs !== null) t.true(!step.ok || needs === state, where);
        if (step.ok) t.is(step.next, sets ?? state, where);
      }
    }
  }
});
