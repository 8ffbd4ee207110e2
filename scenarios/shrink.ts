// One seed, and on a violation the smallest case that still breaks the same property: fast-check
// shrinks the fault schedule (fewer faults, earlier, shorter) and the workload while it fails.
import * as fc from "fast-check";
import type { Scenario } from "./types.ts";
import { caseArbitrary, failedProperties, phasesOf, runCase, type RunOptions, type RunResult } from "./runner.ts";

export interface SeedOutcome<W = unknown> {
  /** The seed's own run. */
  original: RunResult<W>;
  /** The smallest failing run found (the original when shrinking is off or found nothing smaller). */
  shrunk?: RunResult<W>;
  shrinkRuns: number;
}

export interface ShrinkOptions {
  shrink: boolean;
  /** Shrinking stops trying new candidates after this many runs: a bound in runs, not in time, so it replays. */
  shrinkRunsMax?: number;
}

export function runSeed<W>(scenario: Scenario<W>, seed: number, options: RunOptions, shrinking: ShrinkOptions): SeedOutcome<W> {
  const shrinkRunsMax = shrinking.shrinkRunsMax ?? 400;
  let original: RunResult<W> | undefined;
  let best: RunResult<W> | undefined;
  let target = "";
  let shrinkRuns = 0;
  const predicate = fc.property(caseArbitrary(scenario, phasesOf(scenario, options)), (scenarioCase) => {
    if (original === undefined) {
      original = runCase(scenario, seed, scenarioCase, options);
      if (original.valid !== false) return true;
      best = original;
      target = failedProperties(original)[0]!;
      return false;
    }
    if (shrinkRuns >= shrinkRunsMax) return true;
    shrinkRuns++;
    const candidate = runCase(scenario, seed, scenarioCase, options);
    if (!candidate.properties.some((p) => p.name === target && p.valid === false)) return true;
    best = candidate;
    return false;
  });
  fc.check(predicate, { seed, numRuns: 1, endOnFailure: !shrinking.shrink });
  return { original: original!, shrunk: best, shrinkRuns };
}
