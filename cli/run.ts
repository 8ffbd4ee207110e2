// `faultline run`: seeds × scenarios, a progress line, a summary table, counterexamples on disk.
import { renameSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Command } from "commander";
import { setExitCode } from "./exit.ts";
import { parseSeed, parseCount, parseSimSeconds } from "./arguments.ts";
import { version } from "./version.ts";
import { findScenarios } from "../scenarios/catalogue.ts";
import { checkBugs, failedProperties, type RunOptions, type RunResult } from "../scenarios/runner.ts";
import { runSeed } from "../scenarios/shrink.ts";
import { counterexampleOf, saveCounterexample } from "../scenarios/counterexample.ts";
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
    .action((flags: RunFlags) => {
      setExitCode(runCommand(flags));
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

function runCommand(flags: RunFlags): number {
  const seeds = seedsOf(flags);
  const scenarios = scenariosOf(flags);
  const options: RunOptions = { bugs: flags.bug, simSeconds: flags.simSeconds === undefined ? undefined : parseSimSeconds(flags.simSeconds) };
  const progress = new Progress(scenarios.length * seeds.length);
  const summaries: ScenarioSummary[] = [];
  for (const scenario of scenarios) {
    const summary: ScenarioSummary = {
      name: scenario.name, seeds: 0, violations: 0, unknown: 0, failures: [], unknownSeeds: [],
      simulatedUs: 0, wallMs: 0, events: 0, clientOps: 0,
    };
    summaries.push(summary);
    const shrinksFor = new Map<string, number>();
    for (const seed of seeds) {
      // Shrinking costs hundreds of runs: do it for the first few failures of each property (how
      // small a failure shrinks depends on its seed), save the rest as found.
      const shrink = (original: RunResult) => flags.shrink && failedProperties(original).some((name) => (shrinksFor.get(name) ?? 0) < SHRINKS_PER_PROPERTY);
      const outcome = runSeed(scenario, seed, options, { shrink });
      if (outcome.shrunk !== undefined) for (const name of failedProperties(outcome.original)) shrinksFor.set(name, (shrinksFor.get(name) ?? 0) + 1);
      const run = outcome.original;
      summary.seeds++;
      summary.simulatedUs += run.simulatedUs;
      summary.wallMs += run.wallMs;
      summary.events += run.events;
      summary.clientOps += run.clientOps;
      if (run.valid === "unknown") {
        summary.unknown++;
        const undecided = run.properties.filter((p) => p.valid === "unknown").map((p) => `${p.name}: ${p.summary}`);
        summary.unknownSeeds.push({ seed, summaries: undecided });
        progress.note(`${scenario.name} seed ${seed}: undecided (${undecided.join("; ")}) → npx faultline replay --scenario ${scenario.name} --seed ${seed}${flags.bug.map((b) => ` --bug ${b}`).join("")}`);
      }
      if (run.valid === false) {
        summary.violations++;
        const smallest = outcome.shrunk ?? run;
        const example = counterexampleOf(smallest, version(), run.case.schedule.length);
        // --no-shrink asks for failures as found: each is then the counterexample of its seed. Otherwise
        // each is a failure.json until the run's end names the smallest per property (see below).
        const file = saveCounterexample(flags.out, example, smallest, !flags.shrink);
        summary.failures.push({
          seed, properties: failedProperties(run), traceHash: run.traceHash, counterexample: file,
          faults: smallest.case.schedule.length, faultsBeforeShrink: run.case.schedule.length, shrunk: outcome.shrunk !== undefined,
          summaries: run.properties.filter((p) => p.valid === false).map((p) => `${p.name}: ${p.summary}`),
        });
        const size = outcome.shrunk !== undefined ? `shrunk to ${smallest.case.schedule.length} faults` : `${smallest.case.schedule.length} faults, not shrunk`;
        progress.note(`${scenario.name} seed ${seed}: ${failedProperties(run).join(", ")} violated; ${size} (saved in ${dirname(file)})`);
      }
      progress.tick(`${scenario.name} seed ${seed}`, summary);
    }
    if (flags.shrink) nameSmallestCounterexamples(summary);
  }
  progress.done();
  const valid = summaries.every((s) => s.violations === 0) ? (summaries.every((s) => s.unknown === 0) ? true : "unknown") : false;
  if (flags.json) console.log(JSON.stringify(jsonReport(summaries, valid)));
  else console.log(summaryTable(summaries));
  return valid === true ? 0 : valid === false ? 1 : 2;
}

/** How many failures of one property a run shrinks before it saves the rest as found. */
const SHRINKS_PER_PROPERTY = 3;

/** For each property, the smallest shrunk failure (earliest seed on a tie) becomes counterexample.json. */
function nameSmallestCounterexamples(summary: ScenarioSummary): void {
  const properties = new Set(summary.failures.flatMap((failure) => failure.properties));
  for (const property of properties) {
    const shrunk = summary.failures.filter((failure) => failure.shrunk && failure.properties.includes(property));
    const smallest = shrunk.sort((a, b) => a.faults - b.faults || a.seed - b.seed)[0];
    if (smallest === undefined || !smallest.counterexample.endsWith("failure.json")) continue;
    const minimal = join(dirname(smallest.counterexample), "counterexample.json");
    renameSync(smallest.counterexample, minimal);
    smallest.counterexample = minimal;
  }
}

function jsonReport(summaries: ScenarioSummary[], valid: boolean | "unknown") {
  return {
    scenarios: summaries.map((s) => {
      const wallSeconds = Math.max(s.wallMs, 1e-3) / 1000;
      return {
        name: s.name, seeds: s.seeds, violations: s.violations, unknown: s.unknown, unknownSeeds: s.unknownSeeds.map((u) => u.seed),
        failures: s.failures.map((f) => ({ seed: f.seed, properties: f.properties, traceHash: f.traceHash, counterexample: f.counterexample, faults: f.faults, faultsBeforeShrink: f.faultsBeforeShrink, shrunk: f.shrunk })),
        simSecondsPerWallSecond: +(s.simulatedUs / 1e6 / wallSeconds).toFixed(1),
        eventsPerSecond: Math.round(s.events / wallSeconds),
        clientOpsPerSecond: Math.round(s.clientOps / wallSeconds),
      };
    }),
    valid,
  };
}

/** One line on stderr, rewritten in place on a terminal, every tenth of the work elsewhere. */
class Progress {
  private done_ = 0;
  private readonly tty = process.stderr.isTTY === true;
  constructor(private readonly total: number) {}
  tick(what: string, summary: ScenarioSummary): void {
    this.done_++;
    const line = `[${this.done_}/${this.total}] ${what}: ${summary.violations} violations, ${summary.unknown} unknown`;
    if (this.tty) process.stderr.write(`\r${line.padEnd(78).slice(0, 120)}`);
    else if (this.done_ === this.total || this.done_ % Math.max(1, Math.ceil(this.total / 10)) === 0) process.stderr.write(`${line}\n`);
  }
  note(line: string): void {
    process.stderr.write(this.tty ? `\r${" ".repeat(80)}\r${line}\n` : `${line}\n`);
  }
  done(): void {
    if (this.tty) process.stderr.write("\n");
  }
}
