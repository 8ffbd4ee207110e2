// The named scenarios. Open to new systems: each system's scenarios are appended here.
import type { BugSwitch, Scenario } from "./types.ts";
import { UserError } from "../sim/errors.ts";
import { zkRegister } from "./zk-register.ts";
import { zkMaster } from "./zk-master.ts";
import { kafkaLog } from "./kafka-log.ts";
import { zkSyncRead } from "./zk-sync-read.ts";

export const SCENARIOS: Scenario<any>[] = [zkRegister, zkMaster, kafkaLog, zkSyncRead];

export function scenarioNames(): string[] {
  return SCENARIOS.map((scenario) => scenario.name);
}

/** `all` means every scenario whose violations would be ours: one that shows a documented anomaly
 *  of the real system (expectedFinding) runs only by name. An unknown name is the user's error. */
export function findScenarios(name: string): Scenario<any>[] {
  if (name === "all") return SCENARIOS.filter((scenario) => scenario.expectedFinding === undefined);
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
