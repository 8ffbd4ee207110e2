// How fast faultline finds each planted bug. For every bug switch, from each of 20 starting seeds,
// seeds run until the first failure; then the first few failures are shrunk, as `run` would shrink
// them. Prints a table, or with --json `{"bugs": {"<switch>": {found, property, seedsToFirstFailureMedian,
// medianSeconds, shrunkFaults, ...}}}`. Figures only; nothing is asserted.
//   npm run bench -- bugs [--json] [--swarm] [--roles] [--starts N] [--max-seeds N] [--workers K] [--bug NAME]...
import { availableParallelism, tmpdir } from "node:os";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { allBugs } from "../scenarios/catalogue.ts";
import { mapLanes, openExecutor } from "../scenarios/sweep.ts";
import type { FirstFailureReport } from "../scenarios/first-failure.ts";

const argv = process.argv.slice(2);
const flag = (name: string, fallback: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
const json = argv.includes("--json");
const starts = flag("--starts", 20);
const maxSeeds = flag("--max-seeds", 400);
const workers = flag("--workers", availableParallelism());
/** How many failures of each bug are shrunk; the smallest is what `run` would name the counterexample. */
const shrinks = flag("--shrinks", 3);
/** Swarm testing: each seed draws its faults from a random subset of the shapes (compare with and without). */
const swarm = argv.includes("--swarm");
/** Some faults aim at roles resolved when they fire (the leader, the controller). */
const roles = argv.includes("--roles");
const only = argv.flatMap((arg, i) => (argv[i - 1] === "--bug" ? [arg] : []));
// Starting seeds far apart, so that no two searches share seeds.
const startSeeds = Array.from({ length: starts }, (_, i) => 1 + i * 10_000);

const bugs = allBugs().filter((bug) => only.length === 0 || only.includes(bug.name));
const executor = openExecutor(workers);
const out = mkdtempSync(join(tmpdir(), "faultline-bench-bugs-"));
const started = performance.now();
try {
  const searches = bugs.flatMap((bug) => startSeeds.map((start) => ({ bug, start })));
  const found = await mapLanes(searches, executor, (lane, { bug, start }) =>
    lane.runFirstFailure({ scenario: bug.scenarios[0]!, start, maxSeeds, options: { bugs: [bug.name], swarm, roles } }));
  const byBug = new Map(bugs.map((bug) => [bug.name, found.filter((_, i) => searches[i]!.bug === bug) as FirstFailureReport[]]));
  const shrinkJobs = bugs.flatMap((bug) => byBug.get(bug.name)!.filter((r) => r.seed !== undefined).slice(0, shrinks)
    .map((r) => ({ bug, job: { scenario: bug.scenarios[0]!, seed: r.seed!, options: { bugs: [bug.name], swarm, roles }, shrink: true, out, minimal: false, version: "bench" } })));
  const shrunk = await mapLanes(shrinkJobs, executor, (lane, { job }) => lane.run(job));
  const rows = bugs.map((bug) => {
    const reports = byBug.get(bug.name)!;
    const failing = reports.filter((r) => r.seed !== undefined);
    const mine = shrunk.filter((_, i) => shrinkJobs[i]!.bug === bug).map((r) => r!);
    const properties = failing.map((r) => r.properties![0]!);
    const property = mostCommon(properties);
    return {
      name: bug.name, scenario: bug.scenarios[0]!, found: failing.length > 0, property, expectedProperty: bug.breaks,
      startsFound: failing.length, starts,
      // A start that found nothing counts as maxSeeds + 1: the median is then a lower bound.
      seedsToFirstFailureMedian: median(reports.map((r) => (r.seed === undefined ? maxSeeds + 1 : r.seedsRun))),
      medianSeconds: +median(reports.map((r) => r.wallMs / 1000)).toFixed(2),
      shrunkFaults: mine.length === 0 ? null : Math.min(...mine.map((r) => r.faults)),
      shrunkFaultsEach: mine.map((r) => r.faults),
      faultsBeforeShrinkEach: mine.map((r) => r.faultsBeforeShrink),
      shrinkSecondsMedian: mine.length === 0 ? null : +median(mine.map((r) => r.jobWallMs / 1000)).toFixed(1),
    };
  });
  const wallSeconds = +((performance.now() - started) / 1000).toFixed(1);
  if (json) {
    console.log(JSON.stringify({ bugs: Object.fromEntries(rows.map(({ name, ...row }) => [name, row])), starts: startSeeds, maxSeeds, workers, swarm, roles, wallSeconds }));
  } else {
    const header = ["bug switch", "scenario", "found", "property", "seeds to 1st (median)", "s to 1st (median)", "shrunk faults"];
    const cells = rows.map((r) => [r.name, r.scenario, `${r.startsFound}/${r.starts}`, (r.property ?? "-") + (r.property !== undefined && r.property !== r.expectedProperty ? ` (expected ${r.expectedProperty})` : ""),
      String(r.seedsToFirstFailureMedian), r.medianSeconds.toFixed(2), r.shrunkFaults === null ? "-" : `${r.shrunkFaults} (of ${r.shrunkFaultsEach.join(", ")})`]);
    const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c]!.length)));
    for (const row of [header, widths.map((w) => "-".repeat(w)), ...cells]) console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join("  "));
    console.log(`\n${starts} starting seeds per bug, at most ${maxSeeds} seeds each${swarm ? ", swarm testing" : ""}${roles ? ", role-aimed faults" : ""}, ${workers} workers, ${wallSeconds} s in all`);
  }
} finally {
  await executor.close();
  rmSync(out, { recursive: true, force: true });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length === 0 ? 0 : sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}
