import test from "ava";
import { runCase, runScenario, caseOfSeed } from "../../scenarios/runner.ts";
import { findScenarios } from "../../scenarios/catalogue.ts";
import { zkSyncRead } from "../../scenarios/zk-sync-read.ts";
import { zkRegister, REGISTER_LIVENESS } from "../../scenarios/zk-register.ts";
import { LINEARIZABLE_ZNODES } from "../../scenarios/zk-linearizable.ts";
import type { Fault } from "../../sim/faults.ts";

const SEED = 18;
const replay = `faultline replay --scenario zk-sync-read --seed ${SEED}`;

test("zk-sync-read: sync-then-read is not linearizable: ZooKeeper's documented anomaly is found (seed 18)", (t) => {
  const run = runScenario(zkSyncRead, SEED);
  const [linearizable, liveness] = run.properties;
  t.is(linearizable!.name, LINEARIZABLE_ZNODES);
  t.is(linearizable!.valid, false, replay);
  t.deepEqual(linearizable!.anomalies, ["non-linearizable"]);
  t.is(liveness!.name, REGISTER_LIVENESS);
  t.is(liveness!.valid, true, "the ensemble itself is healthy: only the reads are stale");
  t.is(runScenario(zkSyncRead, SEED).traceHash, run.traceHash, "it replays");
  t.is(runScenario(zkRegister, SEED).valid, true, "the same case with linearizable reads is clean");
});

test("zk-sync-read: shrunk, one pause of the leader is enough; linearizable reads survive it", (t) => {
  // What `faultline run --scenario zk-sync-read --seed 18` shrank the seed's 11 faults to: zk3 (the
  // first leader) frozen for 207 ms. The others elect a new leader and write on; zk3 wakes believing it
  // still leads, and answers a sync (and the read behind it) from its own stale tree.
  const schedule: Fault[] = [{ atUs: 107_855, kind: "pause", nodeId: "zk3", durationUs: 206_569 }];
  const { workload } = caseOfSeed(zkSyncRead, SEED);
  const sync = runCase(zkSyncRead, SEED, { workload, schedule });
  t.is(sync.properties[0]!.valid, false, `${replay} --schedule (the pause above): ${sync.properties[0]!.summary}`);
  t.regex(sync.properties[0]!.summary, /get \/k\d → .* cannot be placed/);
  t.is(runCase(zkRegister, SEED, { workload, schedule }).properties[0]!.valid, true);
  t.is(runCase(zkSyncRead, SEED, { workload, schedule: [] }).valid, true, "no fault, no stale read");
});

test("zk-sync-read: its finding is expected, so `all` leaves it out; by name it runs", (t) => {
  t.is(zkSyncRead.expectedFinding?.property, LINEARIZABLE_ZNODES);
  t.is(zkSyncRead.expectedFinding?.reference, "ZOOKEEPER-1675");
  t.false(findScenarios("all").some((scenario) => scenario.name === "zk-sync-read"));
  t.true(findScenarios("all").some((scenario) => scenario.name === "zk-register"));
  t.is(findScenarios("zk-sync-read")[0], zkSyncRead);
});
