// Porcupine's kv model (porcupine_test.go, kvModel): string values per key with get, put and append; a
// missing key reads as "". Keys are independent, so the history is checked one key at a time.
// --initial: a string every key starts with (Porcupine: ""), or an object {key: string} (others start at "").
import { HistoryError } from "../../history/index.ts";
import type { Operation } from "../../history/index.ts";
import type { LinearizabilityModel, PartitionPlan } from "../model.ts";
import { badValue, componentsByKeys, hashString, isRecord, shortJson } from "./values.ts";

export type KvInput = { f: "get" | "put" | "append"; key: string; value: string };
type Initial = string | Record<string, string>;

function keyValue(op: Operation, valueRequired: boolean): { key: string; value: string | null } {
  const value = op.value;
  if (!isRecord(value) || typeof value.key !== "string") throw badValue(op, '{"key": string, "value": string}');
  const inner = value.value ?? null;
  if (inner !== null && typeof inner !== "string") throw badValue(op, '{"key": string, "value": string}');
  if (valueRequired && inner === null) throw badValue(op, '{"key": string, "value": string}');
  return { key: value.key, value: inner };
}

function prepareKv(invoke: Operation, completion: Operation): KvInput | null {
  if (completion.type === "fail") return null;
  if (invoke.f === "get") {
    if (completion.type !== "ok") return null;
    const read = keyValue(completion, false);
    return { f: "get", key: keyValue(invoke, false).key, value: read.value ?? "" };
  }
  const { key, value } = keyValue(invoke, true);
  return { f: invoke.f as "put" | "append", key, value: value! };
}

function stepKv(state: string, input: KvInput) {
  switch (input.f) {
    case "get":
      return input.value === state
        ? { ok: true as const, next: state }
        : { ok: false as const, why: `get ${JSON.stringify(input.value)}, but the value is ${JSON.stringify(state)}` };
    case "put":
      return { ok: true as const, next: input.value };
    case "append":
      return { ok: true as const, next: state + input.value };
  }
}

function initialFrom(json: unknown): Initial {
  if (typeof json === "string") return json;
  if (isRecord(json) && Object.values(json).every((v) => typeof v === "string")) return json as Record<string, string>;
  throw new HistoryError(`--initial for kv must be a string or an object of strings, got ${shortJson(json)}`);
}

function partitionKv(calls: readonly { input: KvInput }[], initial: Initial): PartitionPlan<string>[] {
  return componentsByKeys(calls.map((call) => [call.input.key])).map(({ keys, members }) => ({
    key: `key ${JSON.stringify(keys[0])}`,
    members,
    initial: typeof initial === "string" ? initial : (initial[keys[0]!] ?? ""),
  }));
}

export const kvModel: LinearizabilityModel<string, KvInput, null, Initial> = {
  name: "kv",
  fs: ["get", "put", "append"],
  init: () => "",
  initialFrom,
  prepare(invoke, completion) {
    const input = prepareKv(invoke, completion);
    return input === null ? null : { input, output: null };
  },
  step: (state, input) => stepKv(state, input),
  equal: (a, b) => a === b,
  hash: hashString,
  partition: partitionKv,
  readOnly: (input) => input.f === "get",
  describeOperation: (input) =>
    input.f === "get"
      ? `get ${JSON.stringify(input.key)} → ${JSON.stringify(input.value)}`
      : `${input.f} ${JSON.stringify(input.key)} ${JSON.stringify(input.value)}`,
  describeState: (state) => JSON.stringify(state),
};
