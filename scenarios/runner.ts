// (scenario, seed) → one run: a generated case (workload + fault schedule), three phases (faults,
// heal, quiet), a history and every property's verdict. The same inputs give the same trace hash.
import * as fc from "fast-check";
import { Simulation } from "../sim/simulation.ts";
import { InvariantError, UserError } from "../sim/errors.ts";
import { isRoleFault, resolveRoleFault, type RoleFault, type ScheduledFault } from "./role-faults.ts";
import type { Operation } from "../properties/history/index.ts";
import { faultSchedule } from "./fault-arbitrary.ts";
import type { BuiltRun, FaultStyle, Phases, PropertyResult, Scenario } from "./types.ts";
import type { Fault } from "../sim/faults.ts";
import type { NodeId } from "../sim/types.ts";

/** Everything a run depends on besides the seed: JSON, so it can be saved, edited and replayed. */
export interface ScenarioCase<Workload = unknown> {
  workload: Workload;
  schedule: ScheduledFault[];
}

export interface RunOptions {
  bugs?: readonly string[];
  /** Overrides the length of the faults phase, in simulated seconds. */
  simSeconds?: number;
  /** Keep every delivered event (for --trace). */
  trace?: boolean;
  /** Stops a run that would never end (a livelock): the verdict is then unknown. */
  eventsMax?: number;
  /** Seeds draw their fault schedules swarm-style (a random subset of fault shapes per seed). */
  swarm?: boolean;
  /** Seeds also draw faults aimed at the scenario's roles (scenarios/role-faults.ts). */
  roles?: boolean;
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
export function caseArbitrary<W>(scenario: Scenario<W>, phases: Phases = scenario.phases, style: FaultStyle = {}): fc.Arbitrary<ScenarioCase<W>> {
  return scenario.workload().chain((workload) => {
    const schedule = scenario.faults?.(workload, phases, style) ?? faultSchedule(scenario.faultTargets(workload), phases, undefined, { swarm: style.swarm });
    return schedule.map((faults) => ({ workload, schedule: faults }));
  });
}

/** The case a seed stands for: the first value fast-check draws with that seed (as `fc.check` would). */
export function caseOfSeed<W>(scenario: Scenario<W>, seed: number, phases: Phases = scenario.phases, style: FaultStyle = {}): ScenarioCase<W> {
  let drawn: ScenarioCase<W> | undefined;
  fc.check(fc.property(caseArbitrary(scenario, phases, style), (value) => { drawn = value; return true; }), { seed, numRuns: 1 });
  return drawn!;
}

export function styleOf(options: RunOptions): FaultStyle {
  return { ...(options.swarm === true ? { swarm: true } : {}), ...(options.roles === true ? { roles: true } : {}) };
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
  let resolved = new Map<RoleFault, NodeId | null>();
  try {
    const built = scenario.build(sim, scenarioCase.workload, bugs);
    const scheduled = scenarioCase.schedule.filter((fault) => fault.atUs < phases.faultsUs);
    sim.addFaults(scheduled.filter((fault) => !isRoleFault(fault)) as Fault[]);
    resolved = aimRoleFaults(sim, scheduled.filter(isRoleFault), built, scenario, scenarioCase.workload);
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
    if (error instanceof UserError || !(error instanceof Error)) throw error;
    // A protocol invariant stopped the run at its cause, or the system under test threw: either is
    // a violation like any other, with a seed that replays it.
    const exception = !(error instanceof InvariantError);
    const where = exception ? ` (${error.stack?.split("\n").find((line) => line.trim().startsWith("at "))?.trim() ?? "no stack"})` : "";
    properties = [{ name: "protocol invariants", valid: false, anomalies: [exception ? "exception" : "invariant"], summary: `${exception ? `${error.name}: ` : ""}${error.message}${where}` }];
  }
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6; // wall-clock-ok
  // The saved schedule says whom each role fault hit (new objects: fast-check may reuse the case's).
  const schedule = scenarioCase.schedule.map((fault) => (isRoleFault(fault) ? { ...fault, resolvedTo: resolved.get(fault) ?? null } : fault));
  return {
    scenario: scenario.name, seed, bugs, case: resolved.size === 0 ? scenarioCase : { ...scenarioCase, schedule }, properties, valid: verdictOf(properties), history,
    traceHash: sim.traceHash, events: sim.eventCount, messages: sim.messageCount, simulatedUs: sim.nowUs,
    clientOps: history.filter((op) => op.type !== "invoke").length, wallMs,
    trace: options.trace ? sim.logLines : undefined,
  };
}

/**
 * Each role fault fires as a harness event at its time: the holder of its role then becomes its node,
 * and the kernel gets a plain fault at that same instant (hashed and traced like any other).
 */
function aimRoleFaults<W>(sim: Simulation, faults: readonly RoleFault[], built: BuiltRun, scenario: Scenario<W>, workload: W): Map<RoleFault, NodeId | null> {
  const resolved = new Map<RoleFault, NodeId | null>();
  for (const fault of faults) {
    const holderOf = built.roles?.[fault.target];
    if (holderOf === undefined) throw new UserError(`scenario ${scenario.name} has no role "${fault.target}"`);
    sim.at(fault.atUs, () => {
      const holder = holderOf();
      resolved.set(fault, holder);
      if (holder !== null) sim.addFaults([resolveRoleFault(fault, holder, scenario.faultTargets(workload))]);
    });
  }
  return resolved;
}

export function runScenario<W>(scenario: Scenario<W>, seed: number, options: RunOptions = {}): RunResult<W> {
  return runCase(scenario, seed, caseOfSeed(scenario, seed, phasesOf(scenario, options), styleOf(options)), options);
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
  return fc.property(caseArbitrary(scenario, phasesOf(scenario, options), styleOf(options)), fc.integer({ min: 0, max: 0xffffffff }), (scenarioCase, seed) => {
    const result = runCase(scenario, seed, scenarioCase, options);
    if (result.valid === false) {
      const failed = result.properties.filter((p) => p.valid === false).map((p) => `${p.name}: ${p.summary}`);
      throw new Error(`${scenario.name} seed=${seed} traceHash=${result.traceHash}\n${failed.join("\n")}`);
    }
  });
}
