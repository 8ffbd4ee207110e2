// The named scenarios. Open to new systems: each system's scenarios are appended here.
import type { BugSwitch, Scenario } from "./types.ts";
import { UserError } from "../sim/errors.ts";
import { zkRegister } from "./zk-register.ts";
import { zkMaster } from "./zk-master.ts";
import { kafkaLog } from "./kafka-log.ts";

export const SCENARIOS: Scenario<any>[] = [zkRegister, zkMaster, kafkaLog];

export function scenarioNames(): string[] {
  return SCENARIOS.map((scenario) => scenario.name);
}

/** `all` means every scenario; an unknown name is the user's error and lists the valid ones. */
export function findScenarios(name: string): Scenario<any>[] {
  if (name === "all") return SCENARIOS;
  const found = SCENARIOS.find((scenario) => scenario.name === name);
  if (found === undefined) throw new UserError(`unknown scenario "${name}"; scenarios are ${["all", ...scenarioNames()].join(", ")}`);
  return [found];
}

export function allBugs(): Array<BugSwitch & { scenarios: string[] }> {
  const bugs = new Map<string, BugSwitch & { scenarios: string[] }>();
  for (const scenario of SCENARIOS) {
    for (const bug of scenario.bugs) {
      const entry = bugs.get(bug.name) ?? { ...bug, scenarios: [] };
      entry.scenarios.push(scenario.name);
      bugs.set(bug.name, entry);
    }
  }
  return [...bugs.values()];
}
