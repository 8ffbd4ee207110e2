// `faultline run`: seeds × scenarios on a worker pool, a progress bar, a summary table, counterexamples
// and `summary.json` on disk.
import { availableParallelism } from "node:os";
import { dirname } from "node:path";
import type { Command } from "commander";
import { setExitCode } from "./exit.ts";
import { parseSeed, parseCount, parseSimSeconds, parseSeconds } from "./arguments.ts";
import { Progress } from "./progress.ts";
import { exitCodeOf, jsonReport, nameSmallestCounterexamples, summarize, writeSummaryFile } from "./run-summary.ts";
import { version } from "./version.ts";
import { findScenarios } from "../scenarios/catalogue.ts";
import { checkBugs, type RunOptions } from "../scenarios/runner.ts";
import { sweep } from "../scenarios/sweep.ts";
import { violatedProperties, type SeedJob } from "../scenarios/sweep-job.ts";
import { summaryTable, type ScenarioSummary } from "../reports/summary.ts";
import { UserError } from "../sim/errors.ts";
import type { Scenario } from "../scenarios/types.ts";

interface RunFlags {
  scenario: string;
  seeds?: string;
  seed?: string;
  firstSeed: string;
  bug: string[];
  simSeconds?: string;
  out: string;
  json?: boolean;
  shrink: boolean;
  workers?: string;
  shard?: string;
  timeBudget?: string;
  replayCheck?: boolean;
  swarm?: boolean;
  roles?: boolean;
}

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("run scenarios over seeds, check their properties, shrink and save each failure")
    .option("--scenario <name>", "a scenario name, or all", "all")
    .option("--seeds <n>", "how many seeds to run (default 20)")
    .option("--seed <n>", "run this one seed")
    .option("--first-seed <n>", "the first of --seeds consecutive seeds", "1")
    .option("--bug <name>", "turn on a bug switch (repeatable)", (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option("--sim-seconds <s>", "length of the faults phase in simulated seconds")
    .option("--out <dir>", "where failing cases are written", "out")
    .option("--json", "print one JSON object on stdout")
    .option("--no-shrink", "save failures as found, without shrinking")
    .option("--workers <k>", "worker threads (default: the number of cores); results are the same for any k")
    .option("--shard <i/n>", "run only the i-th of n disjoint slices of the seeds (merge them with `faultline merge`)")
    .option("--time-budget <seconds>", "start no new seed after this many wall seconds; the summary says how many ran")
    .option("--swarm", "swarm testing: each seed draws its faults from a random subset of the fault shapes")
    .option("--roles", "some faults aim at roles (the leader, the controller) resolved when they fire")
    .option("--replay-check", "run every seed twice; a different trace hash is a violation (for soak runs)")
    .action(async (flags: RunFlags) => {
      setExitCode(await runCommand(flags));
    });
}

function seedsOf(flags: RunFlags): number[] {
  if (flags.seed !== undefined && flags.seeds !== undefined) throw new UserError("give --seed or --seeds, not both");
  if (flags.seed !== undefined) return [parseSeed(flags.seed, "--seed")];
  const count = parseCount(flags.seeds ?? "20", "--seeds");
  const first = parseSeed(flags.firstSeed, "--first-seed");
  if (first + count - 1 > 0xffffffff) throw new UserError("--first-seed + --seeds runs past the largest seed, 4294967295");
  return Array.from({ length: count }, (_, i) => first + i);
}

/** With --bug and --scenario all, only the scenarios that have every named switch run. */
function scenariosOf(flags: RunFlags): Scenario<any>[] {
  const scenarios = findScenarios(flags.scenario);
  if (flags.bug.length === 0 || flags.scenario !== "all") {
    for (const scenario of scenarios) checkBugs(scenario, flags.bug);
    return scenarios;
  }
  const fitting = scenarios.filter((scenario) => flags.bug.every((bug) => scenario.bugs.some((known) => known.name === bug)));
  if (fitting.length === 0) {
    const names = [...new Set(scenarios.flatMap((scenario) => scenario.bugs.map((bug) => bug.name)))];
    throw new UserError(`no scenario has bug switch(es) ${flags.bug.join(", ")}; bug switches are ${names.join(", ")}`);
  }
  return fitting;
}

async function runCommand(flags: RunFlags): Promise<number> {
  const shard = parseShard(flags.shard);
  const seeds = seedsOf(flags).filter((_, index) => index % shard.count === shard.index - 1);
  const scenarios = scenariosOf(flags);
  const workers = flags.workers === undefined ? availableParallelism() : parseCount(flags.workers, "--workers");
  const timeBudgetMs = flags.timeBudget === undefined ? undefined : parseSeconds(flags.timeBudget, "--time-budget") * 1000;
  const options: RunOptions = { bugs: flags.bug, swarm: flags.swarm === true, roles: flags.roles === true, simSeconds: flags.simSeconds === undefined ? undefined : parseSimSeconds(flags.simSeconds) };
  const jobs: SeedJob[] = scenarios.flatMap((scenario) => seeds.map((seed) => ({
    scenario: scenario.name, seed, options, shrink: false, out: flags.out,
    // --no-shrink asks for failures as found: each is then the counterexample of its seed. Otherwise
    // each is a failure.json until the sweep's end names the smallest per property.
    minimal: !flags.shrink, version: version(), replayCheck: flags.replayCheck === true,
  })));
  const progress = new Progress();
  let violations = 0;
  const started = performance.now(); // wall-clock-ok: reported speed only
  let summaryOf: ScenarioSummary[] | undefined;
  const result = await sweep(jobs, {
    workers, timeBudgetMs, shrinksPerProperty: flags.shrink ? SHRINKS_PER_PROPERTY : 0,
    onPhase: (phase, count) => progress.phase(PHASE_LABELS[phase], count),
    // Named before the reports are written, so each report's replay command names its final file.
    finalFiles: (reports) => {
      summaryOf = summarize(scenarios.map((scenario) => scenario.name), reports);
      if (flags.shrink) for (const summary of summaryOf) nameSmallestCounterexamples(summary);
      return summaryOf.flatMap((summary) => summary.failures.map((failure) => failure.counterexample));
    },
    onArtifacts: () => progress.tick(violations),
    onReport: (report, phase) => {
      if (phase === "run" && report.valid === false) violations++;
      progress.tick(violations);
      const replay = `npx faultline replay --scenario ${report.scenario} --seed ${report.seed}${flags.bug.map((b) => ` --bug ${b}`).join("")}${flags.swarm ? " --swarm" : ""}${flags.roles ? " --roles" : ""}`;
      if (phase === "run" && report.valid === "unknown") {
        progress.note(`${report.scenario} seed ${report.seed}: undecided (${report.properties.map((p) => `${p.name}: ${p.summary}`).join("; ")}) → ${replay}`);
      }
      if (report.valid !== false) return;
      const size = phase === "shrink" ? `${report.faultsBeforeShrink} faults shrunk to ${report.faults}` : `${report.faults} faults`;
      progress.note(`${report.scenario} seed ${report.seed}: ${violatedProperties(report).join(", ")} violated; ${size} (saved in ${dirname(report.counterexample!)})`);
    },
  });
  progress.finish();
  const summaries = summaryOf!;
  for (const done of result.artifacts) {
    const failure = summaries.flatMap((summary) => summary.failures).find((f) => f.counterexample === done.file);
    if (failure !== undefined) Object.assign(failure, { report: done.report, witness: done.witness });
  }
  const totals = { planned: jobs.length, ran: result.reports.length, wallSeconds: (performance.now() - started) / 1000, stoppedByTimeBudget: result.skipped > 0 }; // wall-clock-ok
  writeSummaryFile(flags.out, { faultline: version(), shard, bugs: flags.bug, totals, summaries });
  const report = jsonReport(summaries, totals);
  if (flags.json) console.log(JSON.stringify(report));
  else {
    console.log(summaryTable(summaries));
    if (result.skipped > 0) console.log(`\ntime budget: ${totals.ran} of ${totals.planned} seeds ran; ${result.skipped} never started`);
  }
  return exitCodeOf(report.valid);
}

const PHASE_LABELS = { run: "seeds", shrink: "shrinking", report: "reports" } as const;

/** How many failures of one property a run shrinks before it saves the rest as found. */
const SHRINKS_PER_PROPERTY = 3;

/** `--shard i/n`: the i-th (from 1) of n disjoint slices of the seeds, dealt round-robin so each slice gets as much of every part of the range. */
function parseShard(text: string | undefined): { index: number; count: number } {
  if (text === undefined) return { index: 1, count: 1 };
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || !(count >= 1) || !(index >= 1 && index <= count)) throw new UserError(`--shard must be i/n with 1 <= i <= n, like 2/4, not "${text}"`);
  return { index, count };
}
