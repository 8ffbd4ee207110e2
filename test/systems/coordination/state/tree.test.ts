import test from "ava";
import { ZnodeTree } from "../../../../systems/coordination/state/tree.ts";
import type { Txn } from "../../../../systems/coordination/messages.ts";

const origin = { server: "zk1", request: "1.1" };
const op = (session: string, body: Extract<Txn, { kind: "op" }>["op"]): Txn => ({ kind: "op", session, origin, op: body });

function treeWithSession(ephemeralLeak = false): ZnodeTree {
  const tree = new ZnodeTree(ephemeralLeak);
  tree.apply({ kind: "createSession", session: "s1", timeoutMs: 100, origin }, 1);
  return tree;
}

test("tree: create, versions, sequential names and stat fields", (t) => {
  const tree = treeWithSession();
  t.like(tree.apply(op("s1", { op: "create", path: "/a", data: "x", mode: "persistent" }), 2).result, { ok: true, value: { path: "/a" } });
  t.like(tree.apply(op("s1", { op: "create", path: "/a", data: "y", mode: "persistent" }), 3).result, { ok: false, error: "node-exists" });
  t.like(tree.apply(op("s1", { op: "create", path: "/b/c", data: "", mode: "persistent" }), 4).result, { ok: false, error: "no-node" });
  const first = tree.apply(op("s1", { op: "create", path: "/a/n-", data: "", mode: "sequential" }), 5).result;
  const second = tree.apply(op("s1", { op: "create", path: "/a/n-", data: "", mode: "sequential" }), 6).result;
  t.like(first, { ok: true, value: { path: "/a/n-0000000000" } });
  t.like(second, { ok: true, value: { path: "/a/n-0000000001" } });
  t.like(tree.apply(op("s1", { op: "setData", path: "/a", data: "z", version: 1 }), 7).result, { ok: false, error: "bad-version" });
  t.like(tree.apply(op("s1", { op: "setData", path: "/a", data: "z", version: 0 }), 8).result, { ok: true, value: { version: 1, mzxid: 8, czxid: 2 } });
  t.like(tree.getData("/a"), { ok: true, value: { data: "z", stat: { version: 1, cversion: 2, numChildren: 2, pzxid: 6 } } });
  t.like(tree.apply(op("s1", { op: "delete", path: "/a", version: -1 }), 9).result, { ok: false, error: "not-empty" });
  t.deepEqual(tree.getChildren("/a").ok && tree.getChildren("/a"), { ok: true, value: ["n-0000000000", "n-0000000001"], zxid: 9 });
});

test("tree: multi is all-or-nothing and a failed multi changes nothing", (t) => {
  const tree = treeWithSession();
  tree.apply(op("s1", { op: "create", path: "/a", data: "1", mode: "persistent" }), 2);
  const before = tree.digest();
  const failed = tree.apply(op("s1", { op: "multi", ops: [
    { op: "create", path: "/b", data: "", mode: "ephemeral" },
    { op: "set", path: "/a", data: "2", version: 0 },
    { op: "check", path: "/a", version: 0 }, // now 1: fails
  ] }), 3);
  t.like(failed.result, { ok: false, error: "bad-version" });
  t.deepEqual(failed.triggers, []);
  t.is(tree.digest(), before);
  t.deepEqual(tree.ephemeralsOf("s1"), []);
  const done = tree.apply(op("s1", { op: "multi", ops: [
    { op: "check", path: "/a", version: 0 },
    { op: "create", path: "/b", data: "", mode: "ephemeral" },
    { op: "set", path: "/a", data: "2", version: 0 },
  ] }), 4);
  t.true(done.result.ok);
  t.deepEqual(tree.ephemeralsOf("s1"), ["/b"]);
  t.like(tree.getData("/a"), { value: { data: "2" } });
});

test("tree: closeSession deletes ephemerals in the same txn, unless ephemeral-leak", (t) => {
  for (const leak of [false, true]) {
    const tree = treeWithSession(leak);
    tree.apply(op("s1", { op: "create", path: "/e", data: "", mode: "ephemeral" }), 2);
    t.like(tree.apply(op("s1", { op: "create", path: "/e/x", data: "", mode: "persistent" }), 3).result, { ok: false, error: "no-children-for-ephemerals" });
    const closed = tree.apply({ kind: "closeSession", session: "s1", origin: null }, 4);
    t.is(tree.has("/e"), leak);
    t.deepEqual(closed.triggers.map((e) => e.type), leak ? [] : ["deleted", "children"]);
    t.like(tree.apply(op("s1", { op: "create", path: "/z", data: "", mode: "persistent" }), 5).result, { ok: false, error: "session-expired" });
  }
});

test("tree: serialize and deserialize give the same tree", (t) => {
  const tree = treeWithSession();
  tree.apply(op("s1", { op: "create", path: "/a", data: "1", mode: "persistent" }), 2);
  tree.apply(op("s1", { op: "create", path: "/a/e", data: "2", mode: "ephemeral-sequential" }), 3);
  const copy = ZnodeTree.deserialize(tree.serialize());
  t.is(copy.digest(), tree.digest());
  t.deepEqual(copy.ephemeralsOf("s1"), ["/a/e0000000000"]);
  t.deepEqual(copy.getChildren("/a"), tree.getChildren("/a"));
});
