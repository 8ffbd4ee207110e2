import test from "ava";
import { committedDisagreement } from "../../../systems/coordination/ensemble.ts";
import { MS, addWriter, makeEnsemble, ClientActor, clientOptions, Writer } from "./harness.ts";

test("recovery: a restarted follower catches up by DIFF (seed 31)", (t) => {
  const zk = makeEnsemble({ seed: 31 });
  const writer = addWriter(zk, "c1", "/w");
  zk.sim.run({ untilUs: 300 * MS });
  const leader = zk.leader()!;
  const follower = zk.servers.find((id) => id !== leader)!;
  const before = zk.server(follower)!.db.committedZxid;
  zk.sim.apply({ atUs: 0, kind: "crash", nodeId: follower, restartAfterUs: 100 * MS });
  zk.sim.run({ untilUs: 600 * MS });
  writer().stopped = true;
  zk.sim.run({ untilUs: 700 * MS });
  const restarted = zk.server(follower)!;
  t.is(restarted.syncsReceived.diff, 1);
  t.is(restarted.syncsReceived.trunc + restarted.syncsReceived.snap, 0);
  t.true(zk.server(leader)!.syncsServed.diff >= 1);
  t.true(restarted.db.committedZxid > before);
  t.is(new Set(zk.views().map((v) => v.treeDigest)).size, 1);
});

test("recovery: a follower that missed more than the leader's log catches up by SNAP (seed 32)", (t) => {
  const zk = makeEnsemble({ seed: 32, config: { snapshotEvery: 20 } });
  const writer = addWriter(zk, "c1", "/w");
  zk.sim.run({ untilUs: 300 * MS });
  const leader = zk.leader()!;
  const follower = zk.servers.find((id) => id !== leader)!;
  zk.sim.apply({ atUs: 0, kind: "crash", nodeId: follower, restartAfterUs: 200 * MS });
  zk.sim.run({ untilUs: 700 * MS });
  writer().stopped = true;
  zk.sim.run({ untilUs: 800 * MS });
  const restarted = zk.server(follower)!;
  t.is(restarted.syncsReceived.snap, 1);
  t.true(zk.server(leader)!.syncsServed.snap >= 1);
  t.true(writer().acked.length > 60, "more than the leader keeps in its log");
  t.is(new Set(zk.views().map((v) => v.treeDigest)).size, 1);
  // Snapshots were written and the log was shortened on disk.
  t.true(zk.sim.diskOf(leader).read("log").length < 40);
  t.is(zk.sim.diskOf(leader).read("snapshot").length, 1);
});

/** The leader is cut off with a client that keeps writing: its log gets proposals no quorum accepted. */
function runTrunc(seed: number, bugs: string[]) {
  const zk = makeEnsemble({ seed, config: { bugs } });
  const majorityWriter = addWriter(zk, "cMajority", "/maj");
  zk.sim.run({ untilUs: 300 * MS });
  const old = zk.leader()!;
  const rest = zk.servers.filter((id) => id !== old);
  let minority: Writer | undefined;
  zk.sim.addNode("cMinority", () => new ClientActor(clientOptions([old]), (actor) => {
    minority = new Writer(actor, "/min", () => zk.sim.nowUs);
  }));
  zk.sim.run({ untilUs: 350 * MS });
  zk.sim.apply({ atUs: 0, kind: "partition", groups: [[old, "cMinority"], [...rest, "cMajority"]] });
  // Its writes start after the cut: the old leader proposes them, but no follower hears of them.
  minority!.start();
  zk.sim.run({ untilUs: 700 * MS });
  const uncommitted = zk.server(old)!.db.lastLoggedZxid - zk.server(old)!.db.committedZxid;
  zk.sim.apply({ atUs: 0, kind: "heal" });
  zk.sim.run({ untilUs: 1000 * MS });
  majorityWriter().stopped = true;
  minority!.stopped = true;
  zk.sim.run({ untilUs: 1100 * MS });
  return { zk, old, minority: minority!, uncommitted };
}

test("recovery: a deposed leader's uncommitted proposals are discarded by TRUNC (seed 33)", (t) => {
  const { zk, old, minority, uncommitted } = runTrunc(33, []);
  t.true(uncommitted > 0, "the cut-off leader logged proposals no quorum accepted");
  const server = zk.server(old)!;
  t.is(server.syncsReceived.trunc, 1);
  t.not(server.leaderId, old);
  const views = zk.views();
  t.is(new Set(views.map((v) => v.treeDigest)).size, 1, JSON.stringify(views));
  t.is(committedDisagreement(zk.sim, zk.servers), null);
  const tree = server.db.tree;
  for (const { path } of minority.acked) t.true(tree.has(path));
  const lost = minority.failed.filter((f) => f.error === "connection-loss").map((f) => f.path);
  t.true(lost.some((path) => !tree.has(path)), "an unacknowledged write was dropped everywhere");
});

test("recovery: with skip-trunc the deposed leader keeps its uncommitted proposals and diverges (seed 33)", (t) => {
  const { zk, old } = runTrunc(33, ["skip-trunc"]);
  const views = zk.views();
  t.is(zk.server(old)!.syncsReceived.trunc, 0);
  const digests = new Set(views.map((v) => v.treeDigest));
  t.is(digests.size, 2, JSON.stringify(views));
  const others = views.filter((v) => v.id !== old);
  t.is(others[0]!.treeDigest, others[1]!.treeDigest);
  t.regex(committedDisagreement(zk.sim, zk.servers) ?? "", /different trees/);
});
