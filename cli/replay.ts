// `faultline replay`: rerun a saved counterexample, or a (scenario, seed), and show that it gives
// the same verdict and the same trace hash.
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { setExitCode } from "./exit.ts";
import { parseSeed, parseSimSeconds } from "./arguments.ts";
import { findScenarios } from "../scenarios/catalogue.ts";
import { caseOfSeed, checkBugs, phasesOf, runCase, styleOf, type RunOptions, type ScenarioCase } from "../scenarios/runner.ts";
import { loadCounterexample, readScheduleFile } from "../scenarios/counterexample.ts";
import { verdictLines } from "../reports/verdict.ts";
import { UserError } from "../sim/errors.ts";
import { validateSchedule, type ScheduledFault } from "../scenarios/role-faults.ts";
import type { Scenario } from "../scenarios/types.ts";

interface ReplayFlags {
  scenario?: string;
  seed?: string;
  bug: string[];
  schedule?: string;
  trace?: string;
  simSeconds?: string;
  json?: boolean;
  swarm?: boolean;
  roles?: boolean;
}

export function registerReplay(program: Command): void {
  program
    .command("replay")
    .description("rerun a counterexample file, or --scenario S --seed N, and print its verdict and trace hash")
    .argument("[counterexample]", "a counterexample.json written by `faultline run`")
    .option("--scenario <name>", "the scenario (instead of a file)")
    .option("--seed <n>", "the seed (instead of a file)")
    .option("--bug <name>", "turn on a bug switch (repeatable)", (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option("--schedule <file>", "replay with this fault schedule instead (a JSON fault list, e.g. an edited one)")
    .option("--trace <file>", "write every delivered event as JSON lines")
    .option("--sim-seconds <s>", "length of the faults phase in simulated seconds")
    .option("--json", "print one JSON object")
    .option("--swarm", "with --scenario/--seed: draw the seed's faults swarm-style, as `run --swarm` did")
    .option("--roles", "with --scenario/--seed: draw role-aimed faults too, as `run --roles` did")
    .action((file: string | undefined, flags: ReplayFlags) => {
      setExitCode(replayCommand(file, flags));
    });
}

function replayCommand(file: string | undefined, flags: ReplayFlags): number {
  let scenarioName: string;
  let seed: number;
  let bugs: string[];
  let scenarioCase: ScenarioCase | undefined;
  let recordedHash: string | undefined;
  if (file !== undefined) {
    if (flags.scenario !== undefined || flags.seed !== undefined) throw new UserError("give a counterexample file or --scenario and --seed, not both");
    const example = loadCounterexample(file);
    scenarioName = example.scenario;
    seed = example.seed;
    bugs = [...example.bugs, ...flags.bug];
    scenarioCase = { workload: example.workload, schedule: example.schedule };
    recordedHash = example.traceHash;
  } else {
    if (flags.scenario === undefined || flags.seed === undefined) throw new UserError("replay needs a counterexample file, or --scenario NAME and --seed N");
    scenarioName = flags.scenario;
    seed = parseSeed(flags.seed, "--seed");
    bugs = flags.bug;
  }
  const scenario = findScenarios(scenarioName)[0]!;
  if (scenarioName === "all") throw new UserError("replay runs one scenario: name it (not all)");
  checkBugs(scenario, bugs);
  const options: RunOptions = { bugs, swarm: flags.swarm === true, roles: flags.roles === true, trace: flags.trace !== undefined, simSeconds: flags.simSeconds === undefined ? undefined : parseSimSeconds(flags.simSeconds) };
  scenarioCase ??= caseOfSeed(scenario, seed, phasesOf(scenario, options), styleOf(options));
  if (flags.schedule !== undefined) {
    const schedule = readScheduleFile(flags.schedule);
    scenarioCase = { ...scenarioCase, schedule: schedule as ScheduledFault[] };
    recordedHash = undefined; // an edited schedule is a new run
  }
  const nodeIds = scenario.faultTargets(scenarioCase.workload);
  try {
    validateSchedule(scenarioCase.schedule, nodeIds, scenario.roles ?? []);
  } catch (error) {
    throw new UserError(`${file ?? flags.schedule ?? "schedule"}: ${(error as Error).message}`);
  }
  const result = runCaseForUser(scenario, seed, scenarioCase, options, file);
  if (flags.trace !== undefined) writeFileSync(flags.trace, (result.trace ?? []).map((line) => JSON.stringify(line)).join("\n") + "\n");
  const matches = recordedHash === undefined ? undefined : recordedHash === result.traceHash;
  if (flags.json) {
    console.log(JSON.stringify({ scenario: scenario.name, seed, bugs, valid: result.valid, properties: result.properties, traceHash: result.traceHash, recordedTraceHash: recordedHash, matches }));
  } else {
    console.log(`${scenario.name} seed ${seed}${bugs.length > 0 ? ` bugs ${bugs.join(",")}` : ""}: ${result.case.schedule.length} faults, ${result.clientOps} client operations, ${(result.simulatedUs / 1e6).toFixed(1)} simulated s`);
    for (const line of verdictLines(result.properties)) console.log(`  ${line}`);
    console.log(`traceHash ${result.traceHash}${matches === undefined ? "" : matches ? " (matches the recorded hash)" : ` (DIFFERS from the recorded ${recordedHash}: the replay is not exact)`}`);
    if (flags.trace !== undefined) console.log(`trace: ${flags.trace} (${result.trace?.length ?? 0} events)`);
  }
  if (matches === false) return 255;
  return result.valid === true ? 0 : result.valid === false ? 1 : 2;
}

/** A hand-edited workload that the scenario cannot build is the user's error, named with the file. */
function runCaseForUser(scenario: Scenario<any>, seed: number, scenarioCase: ScenarioCase, options: RunOptions, file: string | undefined) {
  try {
    return runCase(scenario, seed, scenarioCase, options);
  } catch (error) {
    if (file === undefined || (error as { userError?: boolean }).userError) throw error;
    throw new UserError(`${file}: its workload does not fit scenario ${scenario.name} (${(error as Error).message})`);
  }
}
