// Schedules are written by people as often as by generators: reject a bad one with one line that
// says which fault is wrong and why, before anything runs.
import type { Fault } from "./faults.ts";
import type { NodeId } from "./types.ts";
import { FAULT_KINDS, type FaultParameter } from "./fault-catalogue.ts";
import { UserError } from "./errors.ts";

const KINDS = new Map(FAULT_KINDS.map((info) => [info.kind as string, info]));

export function validateFaults(faults: unknown, nodeIds: readonly NodeId[]): asserts faults is Fault[] {
  if (!Array.isArray(faults)) throw new UserError("a fault schedule must be a JSON array of faults");
  const nodes = new Set(nodeIds);
  const nodeList = nodeIds.length <= 12 ? nodeIds.join(", ") : `${nodeIds.slice(0, 12).join(", ")}, …`;
  faults.forEach((fault: unknown, index) => {
    const where = (text: string) => new UserError(`fault ${index}: ${text}`);
    if (typeof fault !== "object" || fault === null || Array.isArray(fault)) throw where("is not an object");
    const record = fault as Record<string, unknown>;
    const info = KINDS.get(record.kind as string);
    if (info === undefined) {
      throw where(`unknown kind ${JSON.stringify(record.kind)}; kinds are ${[...KINDS.keys()].join(", ")}`);
    }
    const label = (text: string) => where(`(${info.kind}) ${text}`);
    if (!isNonNegativeInteger(record.atUs)) throw label(`atUs must be a non-negative integer of µs, not ${JSON.stringify(record.atUs)}`);
    const known = new Set(["atUs", "kind", ...info.parameters.map((parameter) => parameter.name)]);
    for (const key of Object.keys(record)) if (!known.has(key)) throw label(`unknown field "${key}"; fields are ${[...known].join(", ")}`);
    for (const parameter of info.parameters) {
      const problem = checkParameter(parameter, record[parameter.name], nodes);
      if (problem !== null) throw label(`${parameter.name} ${problem}${problem.includes("not a node") ? `; nodes are ${nodeList}` : ""}`);
    }
  });
}

function checkParameter(parameter: FaultParameter, value: unknown, nodes: Set<NodeId>): string | null {
  if (value === undefined) return parameter.optional ? null : "is missing";
  switch (parameter.type) {
    case "node":
      return typeof value === "string" && nodes.has(value) ? null : `${JSON.stringify(value)} is not a node`;
    case "nodes":
      return checkNodeList(value, nodes);
    case "groups":
      if (!Array.isArray(value)) return "must be a list of node lists";
      for (const group of value) {
        const problem = checkNodeList(group, nodes);
        if (problem !== null) return problem;
      }
      return null;
    case "us":
      return isNonNegativeInteger(value) ? null : "must be a non-negative integer of µs";
    case "usPositive":
      return isNonNegativeInteger(value) && value > 0 ? null : "must be a positive integer of µs";
    case "usSigned":
      return Number.isSafeInteger(value) ? null : "must be an integer";
    case "ppm":
      // A rate at or below zero would stop or reverse the clock: no real clock does that.
      return Number.isInteger(value) && (value as number) > -1_000_000 && (value as number) <= 1_000_000
        ? null : "must be an integer in (-1000000, 1000000]";
    case "probability":
      return typeof value === "number" && value >= 0 && value <= 1 ? null : "must be a probability in [0, 1]";
  }
}

function checkNodeList(value: unknown, nodes: Set<NodeId>): string | null {
  if (!Array.isArray(value)) return "must be a list of node ids";
  for (const id of value) if (typeof id !== "string" || !nodes.has(id)) return `names ${JSON.stringify(id)}, which is not a node`;
  return null;
}

/** Times stay exact integers: beyond 2^53 µs (285 years) they would not. */
function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}
