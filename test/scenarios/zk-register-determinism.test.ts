import test from "ava";
import { zkRegister } from "../../scenarios/zk-register.ts";
import { replaysExactlyAndHolds } from "./determinism-helpers.ts";

test("zk-register: every seed replays to the same trace hash, and the correct build keeps every property (200 seeds)", (t) => {
  replaysExactlyAndHolds(t, zkRegister, 200);
});
