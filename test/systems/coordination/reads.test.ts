import test from "ava";
import type { Result } from "../../../systems/coordination/client/api.ts";
import { ClientActor, MS, clientOptions, makeEnsemble } from "./harness.ts";

/** An elected ensemble with a writer connected to the leader and a reader to a follower. */
function writerOnLeaderReaderOnFollower(seed: number) {
  const zk = makeEnsemble({ seed });
  zk.sim.run({ untilUs: 200 * MS });
  const leader = zk.leader()!;
  const follower = zk.servers.find((id) => id !== leader)!;
  zk.sim.addNode("cW", () => new ClientActor(clientOptions([leader])));
  zk.sim.addNode("cR", () => new ClientActor(clientOptions([follower])));
  zk.sim.run({ untilUs: 250 * MS });
  const writer = zk.client("cW").client;
  const reader = zk.client("cR").client;
  return { zk, leader, follower, writer, reader };
}

/** A follower that lost its leader but has not noticed yet still answers its client. */
test("reads: a cut-off follower answers local reads with stale data; sync and linearizable reads never do (seed 51)", (t) => {
  const { zk, leader, follower, writer, reader } = writerOnLeaderReaderOnFollower(51);
  writer.create("/k", "old", "persistent", () => {});
  zk.sim.run({ untilUs: 300 * MS });
  zk.sim.apply({ atUs: 0, kind: "cut", from: [leader], to: [follower] });
  const reads: Record<string, Result<{ data: string }>> = {};
  writer.setData("/k", "new", -1, (written) => {
    t.true(written.ok);
    reader.getData("/k", { mode: "local" }, (r) => (reads.local = r));
    reader.getData("/k", { mode: "sync" }, (r) => (reads.sync = r));
    reader.getData("/k", { mode: "linearizable" }, (r) => (reads.linearizable = r));
  });
  zk.sim.run({ untilUs: 500 * MS });
  t.like(reads.local, { ok: true, value: { data: "old" } }, "local reads may be stale");
  for (const mode of ["sync", "linearizable"] as const) {
    const read = reads[mode]!;
    t.truthy(read, mode);
    t.false(read.ok && read.value.data === "old", `${mode} read returned stale data`);
  }
});

test("reads: sync and linearizable reads see a write acknowledged to another client (seed 52)", (t) => {
  const { zk, writer, reader } = writerOnLeaderReaderOnFollower(52);
  const seen: Array<[string, string | undefined]> = [];
  for (let round = 0; round < 20; round++) {
    zk.sim.at((260 + round * 10) * MS, () => writer.setData("/", String(round), -1, (written) => {
      if (!written.ok) return;
      for (const mode of ["sync", "linearizable"] as const) {
        reader.getData("/", { mode }, (r) => seen.push([mode, r.ok ? r.value.data : r.error]));
      }
    }));
    if (round === 0) zk.sim.run({ untilUs: 255 * MS });
  }
  zk.sim.run({ untilUs: 600 * MS });
  t.is(seen.length, 40);
  // Each read was issued after the write of its round was acknowledged: it sees that round or a later one.
  let round = 0;
  for (let i = 0; i < seen.length; i += 2, round++) {
    for (const [mode, data] of [seen[i]!, seen[i + 1]!]) t.true(Number(data) >= round, `${mode} read ${data} in round ${round}`);
  }
});
