import test from "ava";
import { zkRegister } from "../../scenarios/zk-register.ts";
import { replaysExactly } from "./determinism-helpers.ts";

test("zk-register: every seed replays to the same trace hash and verdict (200 seeds)", (t) => {
  replaysExactly(t, zkRegister, 200);
});
