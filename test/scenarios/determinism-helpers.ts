// Replays every seed of a scenario twice in one process and collects what differs; on the correct
// build every run must also keep every property.
import type { Scenario } from "../../scenarios/types.ts";
import { runScenario } from "../../scenarios/runner.ts";

export interface ReplaySweep {
  /** Seeds whose two runs differed in trace hash or verdict. */
  mismatches: string[];
  /** Seeds of the correct build that broke (or could not decide) a property. */
  violations: string[];
  distinctHashes: number;
}

export function replayTwice(scenario: Scenario<any>, seeds: number): ReplaySweep {
  const hashes = new Set<string>();
  const mismatches: string[] = [];
  const violations: string[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const first = runScenario(scenario, seed);
    const second = runScenario(scenario, seed);
    if (first.traceHash !== second.traceHash || first.valid !== second.valid) {
      mismatches.push(`seed ${seed}: ${first.traceHash}/${first.valid} then ${second.traceHash}/${second.valid}`);
    }
    hashes.add(first.traceHash);
    if (first.valid !== true) {
      const failed = first.properties.filter((p) => p.valid !== true).map((p) => `${p.name}: ${p.summary}`);
      violations.push(`seed ${seed}: ${failed.join("; ")}`);
    }
  }
  return { mismatches, violations, distinctHashes: hashes.size };
}
