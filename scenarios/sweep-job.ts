// One unit of a sweep: a (scenario, seed) run, or the shrinking of a failing seed, with its failure
// saved on disk. A pure function of the job (plus the files it writes), so a worker pool of any size
// gives the same reports: the identity that `--workers K` promises.
import { findScenarios } from "./catalogue.ts";
import { dirname, join } from "node:path";
import { runCase, type RunOptions, type RunResult } from "./runner.ts";
import { runSeed } from "./shrink.ts";
import { counterexampleOf, loadCounterexample, saveCounterexample } from "./counterexample.ts";
import { saveFailureArtifacts } from "./failure-artifacts.ts";
import { REPORT_FILE } from "../reports/report-files.ts";
import { witnessLines } from "../reports/witness-text.ts";

export interface SeedJob {
  scenario: string;
  seed: number;
  options: RunOptions;
  /** Shrink a failure (a second-phase job; the first phase never shrinks). */
  shrink: boolean;
  /** Where failures are written (`<out>/<scenario>/<seed>/`). */
  out: string;
  /** Save a failure as counterexample.json (true) or as failure.json until the sweep names the smallest. */
  minimal: boolean;
  /** The faultline version written into each counterexample. */
  version: string;
  /** Run the seed's case a second time and count a different trace hash as a violation (soak runs). */
  replayCheck?: boolean;
}

/** What a job sends back: small, so thousands of them cross a thread boundary cheaply. */
export interface SeedReport {
  scenario: string;
  seed: number;
  valid: boolean | "unknown";
  /** The properties that were violated or undecided, with their one-line summaries. */
  properties: Array<{ name: string; valid: boolean | "unknown"; summary: string }>;
  traceHash: string;
  events: number;
  simulatedUs: number;
  clientOps: number;
  wallMs: number;
  /** The saved replay file, for a failure. */
  counterexample?: string;
  /** Faults in the saved case, and in the seed's own schedule. */
  faults: number;
  faultsBeforeShrink: number;
  shrunk: boolean;
  shrinkRuns: number;
  /** The whole job's wall time, shrinking included. */
  jobWallMs: number;
}

export function runSeedJob(job: SeedJob): SeedReport {
  return naming(job, () => seedJob(job));
}

/** An error escaping a job (a bug in faultline: systems' own exceptions are violations) names its seed. */
function naming<T>(job: { scenario: string; seed: number; options: RunOptions }, work: () => T): T {
  try {
    return work();
  } catch (error) {
    const bugs = (job.options.bugs ?? []).map((bug) => ` --bug ${bug}`).join("");
    if (error instanceof Error) error.message = `${job.scenario} seed ${job.seed}${bugs}: ${error.message}`;
    throw error;
  }
}

function seedJob(job: SeedJob): SeedReport {
  const [scenario] = findScenarios(job.scenario);
  const started = performance.now(); // wall-clock-ok: reported time only
  const outcome = runSeed(scenario!, job.seed, job.options, { shrink: job.shrink });
  const run = outcome.original;
  if (job.replayCheck === true) {
    const again = runCase(scenario!, job.seed, run.case, job.options);
    if (again.traceHash !== run.traceHash) {
      run.properties = [...run.properties, { name: "replay", valid: false, anomalies: ["nondeterminism"], summary: `seed ${job.seed} gave trace hash ${run.traceHash}, then ${again.traceHash} on the same case: not a replay` }];
      run.valid = false;
    }
  }
  const smallest = outcome.shrunk ?? run;
  const report: SeedReport = {
    scenario: job.scenario, seed: job.seed, valid: run.valid,
    // As the saved case has them (the shrunk one's, when shrunk): what its replay shows.
    properties: (run.valid === false ? smallest : run).properties.filter((p) => p.valid !== true).map((p) => ({ name: p.name, valid: p.valid, summary: p.summary })),
    traceHash: run.traceHash, events: run.events, simulatedUs: run.simulatedUs, clientOps: run.clientOps, wallMs: run.wallMs,
    faults: smallest.case.schedule.length, faultsBeforeShrink: run.case.schedule.length,
    shrunk: outcome.shrunk !== undefined, shrinkRuns: outcome.shrinkRuns,
    jobWallMs: performance.now() - started, // wall-clock-ok
  };
  if (run.valid === false) {
    const example = counterexampleOf(smallest, job.version, run.case.schedule.length);
    report.counterexample = saveCounterexample(job.out, example, smallest, job.minimal);
  }
  return report;
}

export function violatedProperties(report: SeedReport): string[] {
  return report.properties.filter((p) => p.valid === false).map((p) => p.name);
}

/** The last phase of a sweep: a saved failure gets its trace facts and report.html (and its witness in words). */
export interface ArtifactsJob {
  /** The failure's replay file, under its final name. */
  file: string;
  options: RunOptions;
}

export interface ArtifactsReport {
  file: string;
  report: string;
  witness: string[];
}

/** Replays the saved case with tracing (saveFailureArtifacts checks the trace hash) and writes the report. */
export function artifactsJob(job: ArtifactsJob): ArtifactsReport {
  const example = loadCounterexample(job.file);
  const [scenario] = findScenarios(example.scenario);
  const folder = dirname(job.file);
  const recorded = {
    scenario: example.scenario, seed: example.seed, bugs: example.bugs, traceHash: example.traceHash,
    case: { workload: example.workload, schedule: example.schedule }, properties: example.properties,
  } as unknown as RunResult;
  const input = saveFailureArtifacts(folder, scenario!, recorded, { ...job.options, bugs: example.bugs });
  return { file: job.file, report: join(folder, REPORT_FILE), witness: witnessLines(input.example.properties, input.history) };
}
