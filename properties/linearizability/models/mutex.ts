// Knossos' mutex: one lock, `acquire` needs it free, `release` needs it held. Like Knossos it does not
// track the owner (a release by another process is legal), so it judges the lock service, not its users.
import { HistoryError } from "../../history/index.ts";
import type { LinearizabilityModel } from "../model.ts";
import { shortJson } from "./values.ts";

type State = boolean; // true = held
export type MutexInput = { f: "acquire" | "release" };

export const mutexModel: LinearizabilityModel<State, MutexInput, null> = {
  name: "mutex",
  fs: ["acquire", "release"],
  init: () => false,
  initialFrom(json) {
    if (json === null || json === false || json === "free" || json === "unlocked") return false;
    if (json === true || json === "held" || json === "locked") return true;
    throw new HistoryError(`--initial for mutex must be null, false/true or "free"/"held", got ${shortJson(json)}`);
  },
  prepare(invoke, completion) {
    if (completion.type === "fail") return null;
    return { input: { f: invoke.f as MutexInput["f"] }, output: null };
  },
  step(held, input) {
    if (input.f === "acquire") return held ? { ok: false, why: "acquire, but the lock is held" } : { ok: true, next: true };
    return held ? { ok: true, next: false } : { ok: false, why: "release, but the lock is free" };
  },
  equal: (a, b) => a === b,
  hash: (held) => (held ? 1 : 0),
  describeOperation: (input) => input.f,
  describeState: (held) => (held ? "held" : "free"),
};
