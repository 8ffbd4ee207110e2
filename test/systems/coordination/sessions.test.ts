import test from "ava";
import type { Result } from "../../../systems/coordination/client/api.ts";
import { ClientActor, MS, SECOND, Sequencer, clientOptions, makeEnsemble, type Ensemble } from "./harness.ts";

/** c1 owns an ephemeral /eph; c2 watches it. Then c1 is paused past its session timeout. */
function expiry(seed: number, bugs: string[]) {
  const zk = makeEnsemble({ seed, config: { bugs } });
  zk.sim.addNode("c1", () => new ClientActor(clientOptions(zk.servers)));
  zk.sim.addNode("c2", () => new ClientActor(clientOptions(zk.servers)));
  zk.sim.run({ untilUs: 300 * MS });
  const results: Result<unknown>[] = [];
  zk.client("c1").client.create("/eph", "", "ephemeral", (r) => results.push(r));
  zk.sim.run({ untilUs: 350 * MS });
  zk.client("c2").client.exists("/eph", { watch: true }, (r) => results.push(r));
  zk.sim.run({ untilUs: 400 * MS });
  zk.sim.apply({ atUs: 0, kind: "pause", nodeId: "c1", durationUs: 600 * MS });
  zk.sim.run({ untilUs: 1200 * MS });
  return { zk, results };
}

test("sessions: an expired session's ephemerals are deleted and watchers are told (seed 41)", (t) => {
  const { zk, results } = expiry(41, []);
  t.true(results.every((r) => r.ok), JSON.stringify(results));
  const leader = zk.leader()!;
  t.false(zk.server(leader)!.db.tree.has("/eph"));
  t.deepEqual(zk.client("c2").events, [{ type: "deleted", path: "/eph" }]);
  const c1 = zk.client("c1").client;
  t.is(c1.state, "expired");
  t.deepEqual(zk.client("c1").states.slice(-1), ["expired"]);
  let after: Result<unknown> | undefined;
  c1.getData("/", {}, (r) => (after = r));
  t.deepEqual(after, { ok: false, error: "session-expired" });
  t.is(new Set(zk.views().map((v) => v.treeDigest)).size, 1);
});

test("sessions: with ephemeral-leak the dead session's ephemeral outlives it (seed 41)", (t) => {
  const { zk } = expiry(41, ["ephemeral-leak"]);
  const leader = zk.leader()!;
  const tree = zk.server(leader)!.db.tree;
  const stat = tree.statOf("/eph");
  t.truthy(stat);
  t.false(tree.hasSession(stat!.ephemeralOwner!), "its owner is gone");
  t.deepEqual(zk.client("c2").events, []);
});

test("sessions: a client fails over to another server and keeps its session and ephemerals (seed 42)", (t) => {
  const zk = makeEnsemble({ seed: 42 });
  zk.sim.addNode("c1", () => new ClientActor(clientOptions(zk.servers, { sessionTimeoutMs: 300 })));
  zk.sim.run({ untilUs: 300 * MS });
  const actor = zk.client("c1");
  let created: Result<unknown> | undefined;
  actor.client.create("/mine", "", "ephemeral", (r) => (created = r));
  zk.sim.run({ untilUs: 350 * MS });
  t.true(created?.ok);
  const session = actor.client.sessionId;
  const first = actor.client.server!;
  zk.sim.apply({ atUs: 0, kind: "crash", nodeId: first, restartAfterUs: 1 * SECOND });
  zk.sim.run({ untilUs: 900 * MS });
  t.is(actor.client.sessionId, session);
  t.not(actor.client.server, first);
  t.is(actor.client.state, "connected");
  t.is(actor.client.connections, 2);
  t.deepEqual(actor.states, ["connected", "disconnected", "connected"]);
  const leader = zk.leader()!;
  t.is(zk.server(leader)!.db.tree.statOf("/mine")?.ephemeralOwner, session);
  let read: Result<unknown> | undefined;
  actor.client.exists("/mine", {}, (r) => (read = r));
  zk.sim.run({ untilUs: 1000 * MS });
  t.like(read, { ok: true, value: { ephemeralOwner: session } });
});

function watchOrder(zk: Ensemble): { seen: string[] } {
  zk.sim.addNode("reader", () => new ClientActor(clientOptions(zk.servers, { readMode: "local" })));
  zk.sim.addNode("writer", () => new ClientActor(clientOptions(zk.servers)));
  zk.sim.run({ untilUs: 300 * MS });
  const reader = zk.client("reader");
  const writer = zk.client("writer");
  const setup = new Sequencer(writer);
  setup.run([["create /a", (done) => writer.client.create("/a", "0", "persistent", done)]]);
  zk.sim.run({ untilUs: 330 * MS });
  const watchSet = new Sequencer(reader);
  watchSet.run([
    ["watch /a", (done) => reader.client.getData("/a", { watch: true }, done)],
    ["watch children /", (done) => reader.client.getChildren("/", { watch: true }, done)],
  ]);
  zk.sim.run({ untilUs: 360 * MS });
  const writes = new Sequencer(writer);
  writes.run([
    ["set /a", (done) => writer.client.setData("/a", "1", -1, done)],
    ["create /b", (done) => writer.client.create("/b", "", "persistent", done)],
  ]);
  // The reader polls /b from its (maybe lagging) server until it sees it.
  const poll = () => reader.client.exists("/b", {}, (r) => {
    reader.seen.push(`poll /b ${r.ok && r.value !== null ? "exists" : "absent"}`);
    if (!(r.ok && r.value !== null) && zk.sim.nowUs < 900 * MS) poll();
  });
  poll();
  zk.sim.run({ untilUs: 1000 * MS });
  return { seen: reader.seen };
}

for (const seed of [43, 44, 45]) {
  test(`watches: a watch event reaches the client before any reply reflecting a later state (seed ${seed})`, (t) => {
    const { seen } = watchOrder(makeEnsemble({ seed }));
    const sawB = seen.indexOf("poll /b exists");
    t.true(sawB > 0, seen.join("\n"));
    const changed = seen.indexOf("watch changed /a");
    const children = seen.indexOf("watch children /");
    t.true(changed >= 0 && changed < sawB, seen.join("\n"));
    t.true(children >= 0 && children < sawB, seen.join("\n"));
    t.is(seen.filter((line) => line.startsWith("watch ")).length, 2, "one-shot: each watch fires once");
  });
}

test("watches: a client that fails over keeps its watches (setWatches) and hears of changes it missed (seed 46)", (t) => {
  const zk = makeEnsemble({ seed: 46 });
  zk.sim.addNode("watcher", () => new ClientActor(clientOptions(zk.servers, { sessionTimeoutMs: 300, readMode: "local" })));
  zk.sim.addNode("writer", () => new ClientActor(clientOptions(zk.servers)));
  zk.sim.run({ untilUs: 250 * MS });
  const watcher = zk.client("watcher");
  const writer = zk.client("writer");
  writer.client.create("/a", "0", "persistent", () => {});
  writer.client.create("/b", "0", "persistent", () => {});
  zk.sim.run({ untilUs: 280 * MS });
  watcher.client.getData("/a", { watch: true }, () => {});
  watcher.client.exists("/b", { watch: true }, () => {});
  watcher.client.exists("/c", { watch: true }, () => {});
  zk.sim.run({ untilUs: 300 * MS });
  const first = watcher.client.server!;
  zk.sim.apply({ atUs: 0, kind: "crash", nodeId: first, restartAfterUs: 1_000 * MS });
  // While the watcher is cut off from its server, /a changes; /b and /c change after it moved.
  writer.client.setData("/a", "1", -1, () => {});
  zk.sim.run({ untilUs: 600 * MS });
  t.not(watcher.client.server, first);
  t.is(watcher.client.state, "connected");
  writer.client.delete("/b", -1, () => {});
  writer.client.create("/c", "", "persistent", () => {});
  zk.sim.run({ untilUs: 700 * MS });
  t.deepEqual(watcher.events.map((e) => `${e.type} ${e.path}`).sort(), ["changed /a", "created /c", "deleted /b"]);
});
