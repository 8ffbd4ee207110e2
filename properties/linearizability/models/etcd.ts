// Porcupine's etcd model (porcupine_test.go, etcdModel): one key read, written and compare-and-set by
// Jepsen's etcd test. Differences from cas-register, on purpose:
// - a `fail`ed cas is an observation: the compare failed, so the value was not `expected` at that point;
// - a `fail`ed or timed-out read observes nothing (Porcupine accepts it in any state);
// - `null` read = the key is absent (the register starts absent).
// A timed-out write or cas is `info`: the checker lets it take effect after its invoke, or never, which is
// what Porcupine gets by accepting an unknown cas in any state and returning it at the end of the history.
import type { Operation } from "../../history/index.ts";
import type { LinearizabilityModel } from "../model.ts";
import { badValue, canonical, hashString } from "./values.ts";

export type EtcdInput =
  | { f: "read"; value: string }
  | { f: "write"; value: string }
  | { f: "cas"; expected: string; value: string; swapped: boolean };

type State = string;

function casPair(op: Operation): [string, string] {
  const pair = op.value;
  if (!Array.isArray(pair) || pair.length !== 2) throw badValue(op, "[expected, new]");
  return [canonical(pair[0]), canonical(pair[1])];
}

function prepareEtcd(invoke: Operation, completion: Operation): EtcdInput | null {
  switch (invoke.f) {
    case "read":
      return completion.type === "ok" ? { f: "read", value: canonical(completion.value) } : null;
    case "write":
      return completion.type === "fail" ? null : { f: "write", value: canonical(invoke.value) };
    case "cas": {
      const [expected, value] = casPair(invoke);
      return { f: "cas", expected, value, swapped: completion.type !== "fail" };
    }
  }
  return null;
}

function stepEtcd(state: State, input: EtcdInput) {
  switch (input.f) {
    case "read":
      return input.value === state
        ? { ok: true as const, next: state }
        : { ok: false as const, why: `read ${input.value}, but the value is ${state}` };
    case "write":
      return { ok: true as const, next: input.value };
    case "cas":
      if (input.swapped) {
        return input.expected === state
          ? { ok: true as const, next: input.value }
          : { ok: false as const, why: `cas swapped from ${input.expected}, but the value is ${state}` };
      }
      return input.expected !== state
        ? { ok: true as const, next: state }
        : { ok: false as const, why: `cas failed its compare, but the value is ${state} as expected` };
  }
}

function describeEtcd(input: EtcdInput): string {
  switch (input.f) {
    case "read":
      return `read → ${input.value}`;
    case "write":
      return `write ${input.value}`;
    case "cas":
      return `cas ${input.expected} → ${input.value} ${input.swapped ? "(swapped)" : "(compare failed)"}`;
  }
}

export const etcdModel: LinearizabilityModel<State, EtcdInput, null> = {
  name: "etcd",
  fs: ["read", "write", "cas"],
  init: () => "null",
  initialFrom: (json) => canonical(json),
  prepare(invoke, completion) {
    const input = prepareEtcd(invoke, completion);
    return input === null ? null : { input, output: null };
  },
  step: (state, input) => stepEtcd(state, input),
  equal: (a, b) => a === b,
  hash: hashString,
  readOnly: (input) => input.f === "read" || (input.f === "cas" && (!input.swapped || input.expected === input.value)),
  // A failed cas needs "anything but expected", which `needs` cannot say: it claims nothing and sets nothing.
  access: (input) =>
    input.f === "read" ? { needs: input.value, sets: null }
      : input.f === "write" ? { needs: null, sets: input.value }
        : input.swapped ? { needs: input.expected, sets: input.value } : { needs: null, sets: null },
  describeOperation: (input) => describeEtcd(input),
  describeState: (state) => state,
};
