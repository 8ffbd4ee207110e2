// Replays every seed of a scenario twice in one process and compares the runs; on the correct
// build every run must also keep every property.
import type { ExecutionContext } from "ava";
import type { Scenario } from "../../scenarios/types.ts";
import { runScenario } from "../../scenarios/runner.ts";

export function replaysExactlyAndHolds(t: ExecutionContext, scenario: Scenario<any>, seeds: number): void {
  const hashes = new Set<string>();
  const violations: string[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const first = runScenario(scenario, seed);
    const second = runScenario(scenario, seed);
    if (first.traceHash !== second.traceHash || first.valid !== second.valid) {
      t.fail(`${scenario.name} seed ${seed}: ${first.traceHash}/${first.valid} then ${second.traceHash}/${second.valid}`);
      return;
    }
    hashes.add(first.traceHash);
    if (first.valid !== true) {
      const failed = first.properties.filter((p) => p.valid !== true).map((p) => `${p.name}: ${p.summary}`);
      violations.push(`seed ${seed}: ${failed.join("; ")}`);
    }
  }
  t.is(hashes.size, seeds, "two seeds gave the same trace hash");
  t.deepEqual(violations, [], `${scenario.name}: the correct build failed (faultline replay --scenario ${scenario.name} --seed N)`);
}
