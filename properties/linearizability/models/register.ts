// A single register (read/write) and a compare-and-set register (read/write/cas), as Knossos' cas-register.
// Values are any JSON; the state is the value's canonical JSON ("null" = never written).
//
// Conventions, from the histories these models must read:
// - `fail` means the operation did not happen, so it is dropped (Knossos). A failed cas therefore proves
//   nothing about the value; the etcd model is the one that reads a failed cas as "the compare failed".
// - A read of null is "never written". When the register starts with a value (--initial 0, as in
//   Knossos' corpus) it was never empty, and a null read there is a client that did not learn the value:
//   it observes nothing, as in Knossos.
import type { Operation } from "../../history/index.ts";
import type { LinearizabilityModel } from "../model.ts";
import { badValue, canonical, hashString } from "./values.ts";

export type RegisterInput =
  | { f: "read"; value: string }
  | { f: "write"; value: string }
  | { f: "cas"; expected: string; value: string };

type State = string;
type Output = null;

function prepareRegister(invoke: Operation, completion: Operation, initial: State, cas: boolean): RegisterInput | null {
  if (completion.type === "fail") return null;
  switch (invoke.f) {
    case "read": {
      if (completion.type !== "ok") return null;
      const value = canonical(completion.value);
      if (value === "null" && initial !== "null") return null;
      return { f: "read", value };
    }
    case "write":
      return { f: "write", value: canonical(invoke.value) };
    case "cas": {
      if (!cas) return null;
      const pair = invoke.value;
      if (!Array.isArray(pair) || pair.length !== 2) throw badValue(invoke, "[expected, new]");
      return { f: "cas", expected: canonical(pair[0]), value: canonical(pair[1]) };
    }
  }
  return null;
}

function stepRegister(state: State, input: RegisterInput) {
  switch (input.f) {
    case "read":
      return input.value === state
        ? { ok: true as const, next: state }
        : { ok: false as const, why: `read ${input.value}, but the value is ${state}` };
    case "write":
      return { ok: true as const, next: input.value };
    case "cas":
      return input.expected === state
        ? { ok: true as const, next: input.value }
        : { ok: false as const, why: `cas expects ${input.expected}, but the value is ${state}` };
  }
}

function describeRegister(input: RegisterInput): string {
  switch (input.f) {
    case "read":
      return `read → ${input.value}`;
    case "write":
      return `write ${input.value}`;
    case "cas":
      return `cas ${input.expected} → ${input.value}`;
  }
}

function registerFamily(name: string, cas: boolean): LinearizabilityModel<State, RegisterInput, Output> {
  return {
    name,
    fs: cas ? ["read", "write", "cas"] : ["read", "write"],
    init: () => "null",
    initialFrom: (json) => canonical(json),
    prepare(invoke, completion, initial) {
      const input = prepareRegister(invoke, completion, initial, cas);
      return input === null ? null : { input, output: null };
    },
    step: (state, input) => stepRegister(state, input),
    equal: (a, b) => a === b,
    hash: hashString,
    readOnly: (input) => input.f === "read" || (input.f === "cas" && input.expected === input.value),
    access: (input) =>
      input.f === "read" ? { needs: input.value, sets: null } : { needs: input.f === "cas" ? input.expected : null, sets: input.value },
    describeOperation: (input) => describeRegister(input),
    describeState: (state) => state,
  };
}

export const registerModel = registerFamily("register", false);
export const casRegisterModel = registerFamily("cas-register", true);
