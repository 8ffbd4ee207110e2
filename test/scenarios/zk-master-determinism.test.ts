import test from "ava";
import { zkMaster } from "../../scenarios/zk-master.ts";
import { replaysExactlyAndHolds } from "./determinism-helpers.ts";

test("zk-master: every seed replays to the same trace hash, and the correct build keeps every property (200 seeds)", (t) => {
  replaysExactlyAndHolds(t, zkMaster, 200);
});
