import test from "ava";
import { ClientActor, MS, clientOptions, makeEnsemble } from "./harness.ts";

/**
 * One follower is cut off, so the leader's quorum is itself plus F1. A write is acknowledged; at that
 * instant F1 loses power and the leader crashes for good. F1 restarts and forms a quorum with the
 * returning follower: the write survives only if F1 had it on disk before it ACKed.
 */
function powerLossAfterAck(seed: number, bugs: string[]): { acked: string | null; survived: boolean } {
  const zk = makeEnsemble({ seed, config: { bugs }, sim: { disk: { fsyncUsMin: 500, fsyncUsMax: 6_000 } } });
  zk.sim.addNode("c1", () => new ClientActor(clientOptions(zk.servers)));
  zk.sim.run({ untilUs: 300 * MS });
  const leader = zk.leader()!;
  const [f1, f2] = zk.servers.filter((id) => id !== leader) as [string, string];
  zk.sim.apply({ atUs: 0, kind: "partition", groups: [[leader, f1, "c1"], [f2]] });
  zk.sim.run({ untilUs: 450 * MS });
  let acked: string | null = null;
  let attempt = 0;
  const write = () => {
    const path = `/x${attempt++}`;
    zk.client("c1").client.create(path, "v", "persistent", (result) => {
      if (!result.ok) return zk.sim.nowUs < 900 * MS && write();
      acked = path;
      zk.sim.apply({ atUs: 0, kind: "power-loss", nodeId: f1, restartAfterUs: 20 * MS });
      zk.sim.apply({ atUs: 0, kind: "crash", nodeId: leader });
      zk.sim.apply({ atUs: 0, kind: "heal" });
    });
  };
  write();
  zk.sim.run({ untilUs: 1500 * MS });
  if (acked === null) return { acked, survived: false };
  const fresh = zk.leader();
  const survived = fresh !== null && zk.server(fresh)!.db.tree.has(acked);
  return { acked, survived };
}

const SEEDS = Array.from({ length: 12 }, (_, i) => i + 1);

test("durability: with ACK after fsync, power loss of the ACKing follower never loses a committed write", (t) => {
  let acknowledged = 0;
  for (const seed of SEEDS) {
    const { acked, survived } = powerLossAfterAck(seed, []);
    if (acked === null) continue;
    acknowledged++;
    t.true(survived, `seed ${seed}: ${acked} was acknowledged and must survive`);
  }
  t.true(acknowledged >= SEEDS.length - 2, `${acknowledged} seeds acknowledged the write`);
});

test("durability: with ack-before-fsync, power loss right after the ACK loses a committed write", (t) => {
  const lost = SEEDS.filter((seed) => {
    const { acked, survived } = powerLossAfterAck(seed, ["ack-before-fsync"]);
    return acked !== null && !survived;
  });
  t.log(`seeds that lost an acknowledged write: ${lost.join(", ")}`);
  t.true(lost.length > 0);
});
