// `faultline merge DIR...`: the `--out` folders of `run --shard i/n` (one per machine or CI job) into
// one summary and one set of failure folders, built by the same code as an unsharded run's.
import { cpSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Command } from "commander";
import { setExitCode } from "./exit.ts";
import { version } from "./version.ts";
import { emptySummary, exitCodeOf, jsonReport, nameSmallestCounterexamples, readSummaryFile, writeSummaryFile, type SummaryFile } from "./run-summary.ts";
import { moveCounterexample } from "../scenarios/counterexample.ts";
import { summaryTable, type ScenarioSummary } from "../reports/summary.ts";
import { writeReport } from "../reports/write-report.ts";
import { UserError } from "../sim/errors.ts";

interface MergeFlags {
  out: string;
  json?: boolean;
}

export function registerMerge(program: Command): void {
  program
    .command("merge")
    .description("merge the --out folders of sharded runs (run --shard i/n) into one summary and one set of failures")
    .argument("<dirs...>", "the --out folder of each shard")
    .option("--out <dir>", "where the merged summary and failures are written", "out")
    .option("--json", "print one JSON object on stdout")
    .action((dirs: string[], flags: MergeFlags) => {
      setExitCode(mergeCommand(dirs, flags));
    });
}

function mergeCommand(dirs: string[], flags: MergeFlags): number {
  const shards = dirs.map((dir) => ({ dir, file: readSummaryFile(dir) }));
  const missing = checkShards(shards);
  const out = flags.out;
  const byName = new Map<string, ScenarioSummary>();
  const seen = new Map<string, string>();
  for (const { dir, file } of shards) {
    for (const part of file.summaries) {
      const merged = byName.get(part.name) ?? emptySummary(part.name);
      byName.set(part.name, merged);
      merged.seeds += part.seeds;
      merged.violations += part.violations;
      merged.unknown += part.unknown;
      merged.simulatedUs += part.simulatedUs;
      merged.wallMs += part.wallMs;
      merged.events += part.events;
      merged.clientOps += part.clientOps;
      merged.unknownSeeds.push(...part.unknownSeeds);
      for (const failure of part.failures) {
        const key = `${part.name} seed ${failure.seed}`;
        if (seen.has(key)) throw new UserError(`${key} is in both ${seen.get(key)} and ${dir}: these are not disjoint shards`);
        seen.set(key, dir);
        merged.failures.push({ ...failure, counterexample: copyFailure(dir, failure.counterexample, out) });
      }
    }
  }
  const summaries = [...byName.values()];
  for (const summary of summaries) {
    summary.failures.sort((a, b) => a.seed - b.seed);
    summary.unknownSeeds.sort((a, b) => a.seed - b.seed);
    nameSmallestCounterexamples(summary);
    // Rebuilt from the copied files: the report's replay command names the merged place.
    for (const failure of summary.failures) failure.report = writeReport(dirname(failure.counterexample));
  }
  const totals = {
    planned: shards.reduce((sum, s) => sum + s.file.totals.planned, 0),
    ran: shards.reduce((sum, s) => sum + s.file.totals.ran, 0),
    // Shards run side by side: the sweep took as long as its slowest shard.
    wallSeconds: Math.max(...shards.map((s) => s.file.totals.wallSeconds)),
    stoppedByTimeBudget: shards.some((s) => s.file.totals.stoppedByTimeBudget),
  };
  writeSummaryFile(out, { faultline: version(), shard: { index: 1, count: 1 }, bugs: shards[0]!.file.bugs, totals, summaries });
  const report = { ...jsonReport(summaries, totals), shards: shards.length, missingShards: missing };
  if (flags.json) console.log(JSON.stringify(report));
  else console.log(summaryTable(summaries));
  if (missing.length > 0) console.error(`faultline: shard(s) ${missing.join(", ")} missing: this summary covers only part of the seeds`);
  // A merge that misses a shard cannot say the whole sweep passed.
  return missing.length > 0 && report.valid === true ? exitCodeOf("unknown") : exitCodeOf(report.valid);
}

/** Shards of one sweep: the same bug switches, each slice once. Returns the slices not given. */
function checkShards(shards: Array<{ dir: string; file: SummaryFile }>): string[] {
  if (shards.length === 0) throw new UserError("merge needs at least one --out folder of a run");
  const [first] = shards;
  const count = first!.file.shard.count;
  const given = new Map<number, string>();
  for (const { dir, file } of shards) {
    if (file.shard.count !== count) throw new UserError(`${dir} is shard ${file.shard.index}/${file.shard.count} but ${first!.dir} is one of ${count}: not the same sweep`);
    if (JSON.stringify(file.bugs) !== JSON.stringify(first!.file.bugs)) throw new UserError(`${dir} ran bug switches [${file.bugs.join(", ")}] but ${first!.dir} ran [${first!.file.bugs.join(", ")}]: not the same sweep`);
    const other = given.get(file.shard.index);
    if (other !== undefined) throw new UserError(`${dir} and ${other} are both shard ${file.shard.index}/${count}`);
    given.set(file.shard.index, dir);
  }
  return Array.from({ length: count }, (_, i) => i + 1).filter((index) => !given.has(index)).map((index) => `${index}/${count}`);
}

/** Copies one failure's folder under the merged --out; its replay command then names the new place. */
function copyFailure(shardDir: string, file: string, out: string): string {
  // A failure is always <out>/<scenario>/<seed>/<file>: find it under the shard's folder as given
  // now, wherever the run wrote it (a CI artifact is downloaded somewhere else).
  const parts = file.split(/[\\/]/).slice(-3);
  const inShard = join(shardDir, ...parts);
  if (!existsSync(inShard)) throw new UserError(`${shardDir}'s summary names ${file}, which is not at ${inShard}`);
  const target = join(out, ...parts);
  if (resolve(target) !== resolve(inShard)) cpSync(dirname(inShard), dirname(target), { recursive: true });
  return moveCounterexample(target, target);
}
