// How soon a sweep finds a bug: from a starting seed, run consecutive seeds until one fails. The
// bug-finding benchmark runs many of these (one per starting seed) on the sweep's worker pool.
import { findScenarios } from "./catalogue.ts";
import { failedProperties, runScenario, type RunOptions } from "./runner.ts";

export interface FirstFailureJob {
  scenario: string;
  start: number;
  /** Give up after this many seeds. */
  maxSeeds: number;
  options: RunOptions;
}

export interface FirstFailureReport {
  start: number;
  /** Seeds run, the failing one included. */
  seedsRun: number;
  /** The runs' own wall time, summed: the time one worker takes to the first failure. */
  wallMs: number;
  /** The first failing seed and what it violated; undefined if none within maxSeeds. */
  seed?: number;
  properties?: string[];
  faults?: number;
}

export function firstFailureJob(job: FirstFailureJob): FirstFailureReport {
  const [scenario] = findScenarios(job.scenario);
  let wallMs = 0;
  for (let i = 0; i < job.maxSeeds; i++) {
    const seed = job.start + i;
    const result = runScenario(scenario!, seed, job.options);
    wallMs += result.wallMs;
    if (result.valid === false) {
      return { start: job.start, seedsRun: i + 1, wallMs, seed, properties: failedProperties(result), faults: result.case.schedule.length };
    }
  }
  return { start: job.start, seedsRun: job.maxSeeds, wallMs };
}
