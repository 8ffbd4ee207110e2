// One seed, and on a violation the smallest case that still breaks the same property: fast-check
// shrinks the fault schedule (fewer faults, earlier, shorter) and the workload while it fails.
import * as fc from "fast-check";
import type { Scenario } from "./types.ts";
import { caseArbitrary, failedProperties, phasesOf, runCase, styleOf, type RunOptions, type RunResult } from "./runner.ts";

export interface SeedOutcome<W = unknown> {
  /** The seed's own run. */
  original: RunResult<W>;
  /** The smallest failing run found (the original when shrinking is off or found nothing smaller). */
  shrunk?: RunResult<W>;
  shrinkRuns: number;
}

export interface ShrinkOptions {
  /** Whether to shrink; a function decides after seeing the seed's own failing run. */
  shrink: boolean | ((original: RunResult<any>) => boolean);
  /** Shrinking stops trying new candidates after this many runs: a bound in runs, not in time, so it replays. */
  shrinkRunsMax?: number;
}

export function runSeed<W>(scenario: Scenario<W>, seed: number, options: RunOptions, shrinkOptions: ShrinkOptions): SeedOutcome<W> {
  const shrinkRunsMax = shrinkOptions.shrinkRunsMax ?? 400;
  let original: RunResult<W> | undefined;
  let best: RunResult<W> | undefined;
  let target = "";
  let shrinkRuns = 0;
  let shrinking = true;
  const stillFails = (candidate: RunResult<W>) => candidate.properties.some((p) => p.name === target && p.valid === false);
  const predicate = fc.property(caseArbitrary(scenario, phasesOf(scenario, options), styleOf(options)), (scenarioCase) => {
    if (original === undefined) {
      original = runCase(scenario, seed, scenarioCase, options);
      if (original.valid !== false) return true;
      best = original;
      target = failedProperties(original)[0]!;
      shrinking = typeof shrinkOptions.shrink === "function" ? shrinkOptions.shrink(original) : shrinkOptions.shrink;
      return false;
    }
    if (!shrinking || shrinkRuns >= shrinkRunsMax) return true;
    shrinkRuns++;
    const candidate = runCase(scenario, seed, scenarioCase, options);
    if (!stillFails(candidate)) return true;
    best = candidate;
    return false;
  });
  fc.check(predicate, { seed, numRuns: 1, endOnFailure: shrinkOptions.shrink === false });
  if (!shrinking || best === undefined) return { original: original!, shrunk: undefined, shrinkRuns };
  // fast-check may stop at its budget with faults it never tried to drop: drop each once more.
  const finalPass = dropEachFault(best, (schedule) => {
    if (shrinkRuns >= shrinkRunsMax * 2) return undefined;
    shrinkRuns++;
    const candidate = runCase(scenario, seed, { workload: best!.case.workload, schedule }, options);
    return stillFails(candidate) ? candidate : undefined;
  });
  return { original: original!, shrunk: finalPass, shrinkRuns };
}

/**
 * Greedy removal, latest fault first: single faults, then pairs, then triples (a removal that breaks
 * the failure alone may keep it when its partners go too, e.g. a pause and the drift that made it
 * matter). Faults of a correlated group (one instant) count separately, so groups need the triples.
 */
function dropEachFault<W>(failing: RunResult<W>, tryRun: (schedule: RunResult<W>["case"]["schedule"]) => RunResult<W> | undefined): RunResult<W> {
  let best = failing;
  for (let size = 1; size <= 3; size++) {
    if (size > 1 && best.case.schedule.length > SUBSETS_TRIED_UP_TO) break;
    for (const drop of subsetsOf(best.case.schedule.length, size)) {
      const candidate = tryRun(best.case.schedule.filter((_, i) => !drop.includes(i)));
      if (candidate === undefined) continue;
      best = candidate;
      size = 0; // something went: start again from single removals
      break;
    }
  }
  return best;
}

/** Index sets of `size` out of `length`, latest indexes first. */
function* subsetsOf(length: number, size: number, below = length): Generator<number[]> {
  if (size === 0) { yield []; return; }
  for (let index = below - 1; index >= size - 1; index--) {
    for (const rest of subsetsOf(length, size - 1, index)) yield [index, ...rest];
  }
}

/** Subsets cost up to n³/6 runs: only worth it once the schedule is already small. */
const SUBSETS_TRIED_UP_TO = 8;
