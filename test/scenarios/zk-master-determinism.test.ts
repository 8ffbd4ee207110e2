import test from "ava";
import { zkMaster } from "../../scenarios/zk-master.ts";
import { replaysExactly } from "./determinism-helpers.ts";

test("zk-master: every seed replays to the same trace hash and verdict (200 seeds)", (t) => {
  replaysExactly(t, zkMaster, 200);
});
