// A sweep's reports folded into per-scenario summaries, the `<out>/summary.json` that `merge` reads
// back, and the one JSON object `run --json` prints. Shared by `run` and `merge`, so a merge of shards
// is built by the same code as one unsharded run.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { moveCounterexample } from "../scenarios/counterexample.ts";
import { violatedProperties, type SeedReport } from "../scenarios/sweep-job.ts";
import type { ScenarioSummary } from "../reports/summary.ts";
import { UserError } from "../sim/errors.ts";

export type Validity = boolean | "unknown";

/** One summary per scenario (in the order given), failures and undecided seeds in seed order. */
export function summarize(scenarios: readonly string[], reports: readonly SeedReport[]): ScenarioSummary[] {
  return scenarios.map((name) => {
    const mine = reports.filter((report) => report.scenario === name).sort((a, b) => a.seed - b.seed);
    const summary = emptySummary(name);
    for (const report of mine) {
      summary.seeds++;
      summary.simulatedUs += report.simulatedUs;
      summary.wallMs += report.wallMs;
      summary.events += report.events;
      summary.clientOps += report.clientOps;
      if (report.valid === "unknown") {
        summary.unknown++;
        summary.unknownSeeds.push({ seed: report.seed, summaries: report.properties.filter((p) => p.valid === "unknown").map((p) => `${p.name}: ${p.summary}`) });
      }
      if (report.valid === false) {
        summary.violations++;
        summary.failures.push({
          seed: report.seed, properties: violatedProperties(report), traceHash: report.traceHash, counterexample: report.counterexample!,
          faults: report.faults, faultsBeforeShrink: report.faultsBeforeShrink, shrunk: report.shrunk,
          summaries: report.properties.filter((p) => p.valid === false).map((p) => `${p.name}: ${p.summary}`),
        });
      }
    }
    return summary;
  });
}

export function emptySummary(name: string): ScenarioSummary {
  return { name, seeds: 0, violations: 0, unknown: 0, failures: [], unknownSeeds: [], simulatedUs: 0, wallMs: 0, events: 0, clientOps: 0 };
}

/**
 * For each property, the smallest shrunk failure (earliest seed on a tie) becomes counterexample.json;
 * every other shrunk failure is a failure.json. Failures saved as found (--no-shrink) keep their name.
 */
export function nameSmallestCounterexamples(summary: ScenarioSummary): void {
  const shrunk = summary.failures.filter((failure) => failure.shrunk);
  const minimal = new Set<typeof shrunk[number]>();
  for (const property of new Set(shrunk.flatMap((failure) => failure.properties))) {
    const smallest = shrunk.filter((failure) => failure.properties.includes(property)).sort((a, b) => a.faults - b.faults || a.seed - b.seed)[0];
    if (smallest !== undefined) minimal.add(smallest);
  }
  for (const failure of shrunk) {
    const wanted = join(dirname(failure.counterexample), minimal.has(failure) ? "counterexample.json" : "failure.json");
    if (wanted !== failure.counterexample) failure.counterexample = moveCounterexample(failure.counterexample, wanted);
  }
}

export function verdictOf(summaries: readonly ScenarioSummary[]): Validity {
  if (summaries.some((s) => s.violations > 0)) return false;
  return summaries.some((s) => s.unknown > 0) ? "unknown" : true;
}

export function exitCodeOf(valid: Validity): number {
  return valid === true ? 0 : valid === false ? 1 : 2;
}

export interface SweepTotals {
  /** Seeds planned (this shard's share of the range, times the scenarios) and seeds run. */
  planned: number;
  ran: number;
  /** Wall seconds of the whole sweep (every worker at once). */
  wallSeconds: number;
  stoppedByTimeBudget: boolean;
}

export function jsonReport(summaries: readonly ScenarioSummary[], totals: SweepTotals) {
  return {
    scenarios: summaries.map((s) => {
      const wallSeconds = Math.max(s.wallMs, 1e-3) / 1000;
      return {
        name: s.name, seeds: s.seeds, violations: s.violations, unknown: s.unknown, unknownSeeds: s.unknownSeeds.map((u) => u.seed),
        failures: s.failures.map((f) => ({ seed: f.seed, properties: f.properties, traceHash: f.traceHash, counterexample: f.counterexample, faults: f.faults, faultsBeforeShrink: f.faultsBeforeShrink, shrunk: f.shrunk })),
        // Per worker: the sum of the runs' own wall times.
        simSecondsPerWallSecond: +(s.simulatedUs / 1e6 / wallSeconds).toFixed(1),
        eventsPerSecond: Math.round(s.events / wallSeconds),
        clientOpsPerSecond: Math.round(s.clientOps / wallSeconds),
      };
    }),
    seedsPlanned: totals.planned,
    seedsRun: totals.ran,
    stoppedByTimeBudget: totals.stoppedByTimeBudget,
    wallSeconds: +totals.wallSeconds.toFixed(2),
    seedsPerSecond: +(totals.ran / Math.max(totals.wallSeconds, 1e-3)).toFixed(2),
    valid: verdictOf(summaries),
  };
}

/** What `<out>/summary.json` holds: enough to merge shards without rerunning anything. */
export interface SummaryFile {
  faultline: string;
  shard: { index: number; count: number };
  bugs: string[];
  totals: SweepTotals;
  summaries: ScenarioSummary[];
}

export function writeSummaryFile(out: string, file: SummaryFile): string {
  mkdirSync(out, { recursive: true });
  const path = join(out, "summary.json");
  writeFileSync(path, JSON.stringify(file, null, 1) + "\n");
  return path;
}

export function readSummaryFile(dir: string): SummaryFile {
  const path = join(dir, "summary.json");
  if (!existsSync(path)) throw new UserError(`${dir} has no summary.json: is it the --out folder of a \`faultline run\`?`);
  let value: SummaryFile;
  try {
    value = JSON.parse(readFileSync(path, "utf8")) as SummaryFile;
  } catch (error) {
    throw new UserError(`${path} is not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(value.summaries) || typeof value.shard?.count !== "number" || typeof value.totals?.ran !== "number") {
    throw new UserError(`${path} is not a faultline run summary`);
  }
  return value;
}
