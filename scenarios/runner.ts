// (scenario, seed) → one run: a generated case (workload + fault schedule), three phases (faults,
// heal, quiet), a history and every property's verdict. The same inputs give the same trace hash.
import * as fc from "fast-check";
import { Simulation } from "../sim/simulation.ts";
import { InvariantError, UserError } from "../sim/errors.ts";
import type { Fault } from "../sim/faults.ts";
import type { Operation } from "../properties/history.ts";
import { faultSchedule } from "./fault-arbitrary.ts";
import type { Phases, PropertyResult, Scenario } from "./types.ts";

/** Everything a run depends on besides the seed: JSON, so it can be saved, edited and replayed. */
export interface ScenarioCase<Workload = unknown> {
  workload: Workload;
  schedule: Fault[];
}

export interface RunOptions {
  bugs?: readonly string[];
  /** Overrides the length of the faults phase, in simulated seconds. */
  simSeconds?: number;
  /** Keep every delivered event (for --trace). */
  trace?: boolean;
  /** Stops a run that would never end (a livelock): the verdict is then unknown. */
  eventsMax?: number;
}

export type Validity = boolean | "unknown";

export interface RunResult<Workload = unknown> {
  scenario: string;
  seed: number;
  bugs: string[];
  case: ScenarioCase<Workload>;
  properties: PropertyResult[];
  valid: Validity;
  history: Operation[];
  traceHash: string;
  events: number;
  messages: number;
  simulatedUs: number;
  clientOps: number;
  wallMs: number;
  trace?: Simulation["logLines"];
}

export const EVENTS_MAX_DEFAULT = 20_000_000;

export function phasesOf(scenario: Scenario<any>, options: RunOptions): Phases {
  if (options.simSeconds === undefined) return scenario.phases;
  if (!(options.simSeconds > 0)) throw new UserError(`--sim-seconds must be positive, not ${options.simSeconds}`);
  return { ...scenario.phases, faultsUs: Math.round(options.simSeconds * 1_000_000) };
}

/** The arbitrary of a scenario's cases. The schedule depends on the workload's nodes, hence chain. */
export function caseArbitrary<W>(scenario: Scenario<W>, phases: Phases = scenario.phases): fc.Arbitrary<ScenarioCase<W>> {
  return scenario.workload().chain((workload) => {
    const schedule = scenario.faults?.(workload, phases) ?? faultSchedule(scenario.faultTargets(workload), phases);
    return schedule.map((faults) => ({ workload, schedule: faults }));
  });
}

/** The case a seed stands for: the first value fast-check draws with that seed (as `fc.check` would). */
export function caseOfSeed<W>(scenario: Scenario<W>, seed: number, phases: Phases = scenario.phases): ScenarioCase<W> {
  let drawn: ScenarioCase<W> | undefined;
  fc.check(fc.property(caseArbitrary(scenario, phases), (value) => { drawn = value; return true; }), { seed, numRuns: 1 });
  return drawn!;
}

export function checkBugs(scenario: Scenario<any>, bugs: readonly string[]): void {
  for (const bug of bugs) {
    if (!scenario.bugs.some((known) => known.name === bug)) {
      const names = scenario.bugs.map((known) => known.name);
      throw new UserError(`scenario ${scenario.name} has no bug switch "${bug}"; its switches are ${names.length > 0 ? names.join(", ") : "none"}`);
    }
  }
}

/** Runs one case through its three phases and checks every property. */
export function runCase<W>(scenario: Scenario<W>, seed: number, scenarioCase: ScenarioCase<W>, options: RunOptions = {}): RunResult<W> {
  const bugs = [...(options.bugs ?? [])];
  checkBugs(scenario, bugs);
  const phases = phasesOf(scenario, options);
  const started = process.hrtime.bigint(); // wall-clock-ok: reported speed only, never a decision
  const sim = new Simulation({ seed, log: options.trace ?? false, eventsMax: options.eventsMax ?? EVENTS_MAX_DEFAULT });
  let properties: PropertyResult[];
  let history: Operation[] = [];
  try {
    const built = scenario.build(sim, scenarioCase.workload, bugs);
    sim.addFaults(scenarioCase.schedule.filter((fault) => fault.atUs < phases.faultsUs));
    const faulted = sim.run({ untilUs: phases.faultsUs });
    sim.healAll();
    built.onHeal?.();
    const quiet = sim.run({ untilUs: phases.faultsUs + phases.quietUs });
    const finished = built.finish();
    history = finished.history;
    properties = finished.properties;
    if (faulted.stopReason === "event-limit" || quiet.stopReason === "event-limit") {
      properties = [...properties, {
        name: "bounded run", valid: "unknown", anomalies: ["event-limit"],
        summary: `the run hit its limit of ${sim.eventCount} events before ${phases.faultsUs + phases.quietUs} µs (a livelock?)`,
      }];
    }
  } catch (error) {
    if (!(error instanceof InvariantError)) throw error;
    // A protocol invariant stopped the run at its cause: that is a violation like any other.
    properties = [{ name: "protocol invariants", valid: false, anomalies: ["invariant"], summary: error.message }];
  }
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6; // wall-clock-ok
  return {
    scenario: scenario.name, seed, bugs, case: scenarioCase, properties, valid: verdictOf(properties), history,
    traceHash: sim.traceHash, events: sim.eventCount, messages: sim.messageCount, simulatedUs: sim.nowUs,
    clientOps: history.filter((op) => op.type !== "invoke").length, wallMs,
    trace: options.trace ? sim.logLines : undefined,
  };
}

export function runScenario<W>(scenario: Scenario<W>, seed: number, options: RunOptions = {}): RunResult<W> {
  return runCase(scenario, seed, caseOfSeed(scenario, seed, phasesOf(scenario, options)), options);
}

export function verdictOf(properties: readonly PropertyResult[]): Validity {
  if (properties.some((property) => property.valid === false)) return false;
  if (properties.some((property) => property.valid === "unknown")) return "unknown";
  return true;
}

export function failedProperties(result: RunResult<any>): string[] {
  return result.properties.filter((property) => property.valid === false).map((property) => property.name);
}

/**
 * A fast-check property from a scenario, for people's own tests:
 * `fc.assert(faultline.property(myScenario), { seed })`. It fails when any property is violated.
 */
export function property<W>(scenario: Scenario<W>, options: RunOptions = {}) {
  return fc.property(caseArbitrary(scenario, phasesOf(scenario, options)), fc.integer({ min: 0, max: 0xffffffff }), (scenarioCase, seed) => {
    const result = runCase(scenario, seed, scenarioCase, options);
    if (result.valid === false) {
      const failed = result.properties.filter((p) => p.valid === false).map((p) => `${p.name}: ${p.summary}`);
      throw new Error(`${scenario.name} seed=${seed} traceHash=${result.traceHash}\n${failed.join("\n")}`);
    }
  });
}
