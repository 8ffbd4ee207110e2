import test from "ava";
import { zkRegister } from "../../scenarios/zk-register.ts";
import { replayTwice } from "./determinism-helpers.ts";

test("zk-register: every seed replays to the same trace hash, and the correct build keeps every property (200 seeds)", (t) => {
  const sweep = replayTwice(zkRegister, 200);
  t.deepEqual(sweep.mismatches, [], "a seed did not replay exactly");
  t.is(sweep.distinctHashes, 200, "two seeds gave the same trace hash");
  t.deepEqual(sweep.violations, [], "the correct build failed: faultline replay --scenario zk-register --seed N");
});
