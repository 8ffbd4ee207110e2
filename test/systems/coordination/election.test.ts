import test from "ava";
import type { Result } from "../../../systems/coordination/client/api.ts";
import { ClientActor, MS, SECOND, addWriter, clientOptions, makeEnsemble, SERVERS5 } from "./harness.ts";

test("election: a crashed leader is replaced, writes continue, and it rejoins as a follower (seed 11)", (t) => {
  const zk = makeEnsemble({ seed: 11 });
  const writer = addWriter(zk, "c1", "/w");
  zk.sim.run({ untilUs: 300 * MS });
  const old = zk.leader();
  t.truthy(old);
  const oldEpoch = zk.server(old!)!.epochs.currentEpoch;
  const crashUs = zk.sim.nowUs;
  zk.sim.apply({ atUs: 0, kind: "crash", nodeId: old! });
  zk.sim.run({ untilUs: 1 * SECOND });
  const fresh = zk.leader();
  t.truthy(fresh);
  t.not(fresh, old);
  t.true(zk.server(fresh!)!.epochs.currentEpoch > oldEpoch);
  t.true(writer().acked.filter((w) => w.atUs > crashUs).length > 20, "writes continue after the failover");
  const tree = zk.server(fresh!)!.db.tree;
  for (const { path } of writer().acked) t.true(tree.has(path), `${path} was acknowledged`);

  zk.sim.apply({ atUs: 0, kind: "restart", nodeId: old! });
  zk.sim.run({ untilUs: 1500 * MS });
  writer().stopped = true;
  zk.sim.run({ untilUs: 1600 * MS });
  const views = zk.views();
  t.is(views.find((v) => v.id === old)!.leader, fresh);
  t.is(new Set(views.map((v) => v.treeDigest)).size, 1, JSON.stringify(views));
});

test("election: a 5-server ensemble survives two crashes and elects the most up-to-date server (seed 5)", (t) => {
  const zk = makeEnsemble({ seed: 5, servers: SERVERS5 });
  const writer = addWriter(zk, "c1", "/w");
  zk.sim.run({ untilUs: 300 * MS });
  const old = zk.leader()!;
  const follower = SERVERS5.find((id) => id !== old)!;
  zk.sim.apply({ atUs: 0, kind: "crash", nodeId: old });
  zk.sim.apply({ atUs: 0, kind: "crash", nodeId: follower });
  zk.sim.run({ untilUs: 1 * SECOND });
  const fresh = zk.leader();
  t.truthy(fresh);
  t.false([old, follower].includes(fresh!));
  const live = zk.views().filter((v) => v.up);
  const leaderView = live.find((v) => v.id === fresh)!;
  for (const view of live) t.true(view.lastLoggedZxid <= leaderView.lastLoggedZxid);
  const tree = zk.server(fresh!)!.db.tree;
  for (const { path } of writer().acked) t.true(tree.has(path));
});

test("election: the same seed gives the same trace hash, faults included", (t) => {
  const run = () => {
    const zk = makeEnsemble({ seed: 99 });
    addWriter(zk, "c1", "/w");
    addWriter(zk, "c2", "/x", { readMode: "local" });
    zk.sim.addFaults([
      { atUs: 200 * MS, kind: "crash", nodeId: "zk2", restartAfterUs: 100 * MS },
      { atUs: 400 * MS, kind: "partition", groups: [["zk1"], ["zk2", "zk3", "c1", "c2"]], durationUs: 200 * MS },
      { atUs: 700 * MS, kind: "power-loss", nodeId: "zk3", restartAfterUs: 50 * MS },
    ]);
    return zk.sim.run({ untilUs: 1200 * MS });
  };
  const first = run();
  const second = run();
  t.is(first.traceHash, second.traceHash);
  t.is(first.events, second.events);
  t.true(first.events > 1000);
});

/** The leader is paused past syncLimit with a client's write held in its queue; it wakes in a newer epoch. */
function pausedLeaderWrite(seed: number, bugs: string[]) {
  const zk = makeEnsemble({ seed, config: { bugs } });
  const others = addWriter(zk, "cOther", "/o");
  zk.sim.run({ untilUs: 300 * MS });
  const old = zk.leader()!;
  zk.sim.addNode("cOld", () => new ClientActor(clientOptions([old], { requestTimeoutMs: 1000, sessionTimeoutMs: 400 })));
  zk.sim.run({ untilUs: 350 * MS });
  zk.sim.apply({ atUs: 0, kind: "pause", nodeId: old, durationUs: 200 * MS });
  zk.sim.run({ untilUs: 350 * MS + 100 });
  let result: Result<unknown> | undefined;
  zk.client("cOld").client.create("/held", "v", "persistent", (r) => (result = r));
  zk.sim.run({ untilUs: 1500 * MS });
  others().stopped = true;
  zk.sim.run({ untilUs: 1600 * MS });
  const leader = zk.leader()!;
  return { old, leader, result, present: zk.server(leader)!.db.tree.has("/held") };
}

test("election: a paused leader wakes up deposed; its held write is never acknowledged (seed 12)", (t) => {
  const { old, leader, result, present } = pausedLeaderWrite(12, []);
  t.not(leader, old);
  t.deepEqual(result, { ok: false, error: "connection-loss" });
  t.false(present);
});

test("election: with no-epoch-check, followers of the new epoch ACK the deposed leader: an acknowledged write is lost (seed 12)", (t) => {
  const { old, leader, result, present } = pausedLeaderWrite(12, ["no-epoch-check"]);
  t.not(leader, old);
  t.like(result, { ok: true });
  t.false(present);
});
