// Knossos' multi-register: named registers read and written by transactions `txn` of micro-operations
// [["read", k, v], ["write", k, v]], applied in order. A read of null observes nothing (Knossos: the
// client did not learn the value; an invoke carries nil reads). Registers that never share a transaction
// are independent, so the history splits into the connected components of the keys.
// State: the canonical JSON of an object with the component's registers (absent = null).
import { HistoryError } from "../../history/index.ts";
import type { Operation } from "../../history/index.ts";
import type { LinearizabilityModel, PartitionPlan } from "../model.ts";
import { badValue, canonical, componentsByKeys, hashString, isRecord, shortJson } from "./values.ts";

type MicroOp = { f: "read" | "write"; key: string; value: string };
export type TxnInput = MicroOp[];
type State = string;
type Initial = Record<string, unknown>;

function microOps(op: Operation): TxnInput {
  const shape = '[["read"|"write", key, value], ...]';
  if (!Array.isArray(op.value)) throw badValue(op, shape);
  return op.value.map((micro): MicroOp => {
    if (!Array.isArray(micro) || micro.length !== 3) throw badValue(op, shape);
    const [f, key, value] = micro as unknown[];
    if ((f !== "read" && f !== "write") || (typeof key !== "string" && typeof key !== "number")) throw badValue(op, shape);
    return { f, key: String(key), value: canonical(value) };
  });
}

function stepTxn(state: State, txn: TxnInput) {
  const registers = JSON.parse(state) as Record<string, unknown>;
  for (const micro of txn) {
    if (micro.f === "write") {
      registers[micro.key] = JSON.parse(micro.value);
      continue;
    }
    const current = canonical(registers[micro.key] ?? null);
    if (micro.value !== "null" && micro.value !== current) {
      return { ok: false as const, why: `read ${micro.key} = ${micro.value}, but ${micro.key} is ${current}` };
    }
  }
  return { ok: true as const, next: canonical(registers) };
}

function partitionTxns(calls: readonly { input: TxnInput }[], initial: Initial): PartitionPlan<State>[] {
  return componentsByKeys(calls.map((call) => [...new Set(call.input.map((micro) => micro.key))])).map(
    ({ keys, members }) => {
      const registers: Record<string, unknown> = {};
      for (const key of keys) if (key in initial) registers[key] = initial[key];
      return { key: keys.join(","), members, initial: canonical(registers) };
    },
  );
}

export const multiRegisterModel: LinearizabilityModel<State, TxnInput, null, Initial> = {
  name: "multi-register",
  fs: ["txn"],
  init: () => ({}),
  initialFrom(json) {
    if (!isRecord(json)) throw new HistoryError(`--initial for multi-register must be an object, got ${shortJson(json)}`);
    return json;
  },
  prepare(invoke, completion) {
    if (completion.type === "fail") return null;
    const input = microOps(completion.type === "ok" ? completion : invoke);
    return input.length === 0 ? null : { input, output: null };
  },
  step: stepTxn,
  equal: (a, b) => a === b,
  hash: hashString,
  partition: partitionTxns,
  describeOperation: (txn) => `txn ${txn.map((m) => `${m.f} ${m.key} ${m.value}`).join("; ")}`,
  describeState: (state) => state,
};
