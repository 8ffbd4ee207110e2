import test from "ava";
import { zkMaster } from "../../scenarios/zk-master.ts";
import { replayTwice } from "./determinism-helpers.ts";

test("zk-master: every seed replays to the same trace hash, and the correct build keeps every property (200 seeds)", (t) => {
  const sweep = replayTwice(zkMaster, 200);
  t.deepEqual(sweep.mismatches, [], "a seed did not replay exactly");
  t.is(sweep.distinctHashes, 200, "two seeds gave the same trace hash");
  t.deepEqual(sweep.violations, [], "the correct build failed: faultline replay --scenario zk-master --seed N");
});
