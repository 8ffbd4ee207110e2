import test from "ava";
import { MS, SERVERS5, addWriter, makeEnsemble } from "./harness.ts";

for (const [name, servers, seed] of [["3 servers", undefined, 21], ["5 servers split 2/3", SERVERS5, 22]] as const) {
  test(`partition (${name}): the majority side keeps serving, the leader's minority side refuses writes (seed ${seed})`, (t) => {
    const zk = makeEnsemble({ seed, servers: servers ? [...servers] : undefined });
    const minorityWriter = addWriter(zk, "cMinority", "/min");
    const majorityWriter = addWriter(zk, "cMajority", "/maj");
    zk.sim.run({ untilUs: 300 * MS });
    const old = zk.leader()!;
    const others = zk.servers.filter((id) => id !== old);
    const minority = [old, ...others.slice(0, Math.floor(zk.servers.length / 2) - 1)];
    const majority = zk.servers.filter((id) => !minority.includes(id));
    const cutUs = zk.sim.nowUs;
    zk.sim.apply({ atUs: 0, kind: "partition", groups: [[...minority, "cMinority"], [...majority, "cMajority"]] });
    zk.sim.run({ untilUs: 800 * MS });

    const fresh = zk.leader();
    t.truthy(fresh);
    t.true(majority.includes(fresh!), `new leader ${fresh} on the majority side`);
    for (const id of minority) t.false(zk.server(id)!.isServing, `${id} stopped serving`);
    t.deepEqual(minorityWriter().acked.filter((w) => w.atUs > cutUs + 5 * MS), [], "no write acknowledged on the minority side");
    t.true(majorityWriter().acked.filter((w) => w.atUs > cutUs).length > 20, "the majority side keeps acknowledging writes");

    const healUs = zk.sim.nowUs;
    zk.sim.apply({ atUs: 0, kind: "heal" });
    zk.sim.run({ untilUs: 1200 * MS });
    minorityWriter().stopped = true;
    majorityWriter().stopped = true;
    zk.sim.run({ untilUs: 1300 * MS });
    const views = zk.views();
    t.true(views.every((v) => v.serving && v.leader === fresh), JSON.stringify(views));
    t.is(new Set(views.map((v) => v.treeDigest)).size, 1);
    const tree = zk.server(fresh!)!.db.tree;
    for (const { path } of [...minorityWriter().acked, ...majorityWriter().acked]) t.true(tree.has(path));
    // The minority client's session outlived neither the partition nor stayed stuck: it either carried on or expired.
    const minorityClient = zk.client("cMinority").client;
    t.true(minorityClient.state === "expired" || minorityWriter().acked.some((w) => w.atUs > healUs));
  });
}
