import test from "ava";
import { runScenario, failedProperties } from "../../scenarios/runner.ts";
import { zkMaster } from "../../scenarios/zk-master.ts";

const replay = (seed: number, bug?: string) => `faultline replay --scenario zk-master --seed ${seed}${bug ? ` --bug ${bug}` : ""}`;

test("zk-master: the correct build keeps M1, M2 and master liveness (seeds 1-6)", (t) => {
  for (let seed = 1; seed <= 6; seed++) {
    const run = runScenario(zkMaster, seed);
    t.deepEqual(failedProperties(run), [], replay(seed));
    t.true(run.properties.every((property) => property.valid === true), replay(seed));
    t.true(run.history.some((op) => op.f === "master"), "someone was master");
  }
});

test("zk-master: master-no-fencing lets a paused master's stale write through (seed 27)", (t) => {
  const run = runScenario(zkMaster, 27, { bugs: ["master-no-fencing"] });
  t.deepEqual(failedProperties(run), ["M2 fencing"], replay(27, "master-no-fencing"));
  t.true(run.properties.find((property) => property.name === "M2 fencing")!.anomalies.includes("stale-token-accepted"));
  t.is(runScenario(zkMaster, 27).valid, true, "the same case is clean with fencing");
});

test("zk-master: lease-ignores-drift lets two masters act at once (seed 6)", (t) => {
  const run = runScenario(zkMaster, 6, { bugs: ["lease-ignores-drift"] });
  t.deepEqual(failedProperties(run), ["M1 single-master"], replay(6, "lease-ignores-drift"));
  t.true(run.properties[0]!.anomalies.includes("overlapping-masters"));
  t.is(runScenario(zkMaster, 6).valid, true, "the same case is clean with the drift margin");
});

test("zk-master: ephemeral-leak leaves a dead master's znode, so no one takes over (seed 2)", (t) => {
  const run = runScenario(zkMaster, 2, { bugs: ["ephemeral-leak"] });
  t.deepEqual(failedProperties(run), ["master-liveness"], replay(2, "ephemeral-leak"));
});

test("zk-master: a seed replays to the same trace hash", (t) => {
  const first = runScenario(zkMaster, 3);
  const second = runScenario(zkMaster, 3);
  t.is(first.traceHash, second.traceHash);
  t.deepEqual(first.history, second.history);
});
