// What a scenario is: systems + workload + fault arbitrary + properties, registered by name.
// The runner (scenarios/runner.ts) turns (scenario, seed) into a history and verdicts.
import type * as fc from "fast-check";
import type { Simulation } from "../sim/simulation.ts";
import type { ScheduledFault } from "./role-faults.ts";
import type { NodeId } from "../sim/types.ts";
import type { Operation } from "../properties/history/index.ts";

export interface BugSwitch {
  name: string;
  description: string;
  /** The property (PropertyResult.name) that this bug is expected to break. */
  breaks: string;
}

/** One property's verdict on one run (the shape lives in properties/, which imports nothing of ours). */
export type { PropertyResult } from "../properties/result.ts";
import type { PropertyResult } from "../properties/result.ts";

/** The timing of every run: faults happen in [0, faultsUs); then everything heals; then a quiet period. */
export interface Phases {
  faultsUs: number;
  quietUs: number;
}

/** How a seed's faults are drawn, beyond the scenario's own mix. */
export interface FaultStyle {
  /** Swarm testing: each seed draws from a random subset of the fault shapes. */
  swarm?: boolean;
  /** Some faults aim at roles (the leader, the controller) resolved when they fire. */
  roles?: boolean;
}

/** What `build` returns: the harness's view of the systems it placed on the simulation. */
export interface BuiltRun {
  /** Called at the end of the faults phase, right after the kernel healed every fault. */
  onHeal?(): void;
  /** Called after the quiet period: returns the history and every property's verdict. */
  finish(): { history: Operation[]; properties: PropertyResult[] };
  /** Who holds each of the scenario's roles right now (null: nobody), for faults aimed at a role. */
  roles?: Readonly<Record<string, () => NodeId | null>>;
}

export interface Scenario<Workload = unknown> {
  name: string;
  description: string;
  /** The bug switches this scenario can turn on. */
  bugs: readonly BugSwitch[];
  phases: Phases;
  /** JSON-able workload (clients, operation mix, keys, cluster size); fast-check shrinks it. */
  workload(): fc.Arbitrary<Workload>;
  /** The nodes that faults may target for this workload (servers, candidates), and their quorum groups. */
  faultTargets(workload: Workload): NodeId[];
  /** The roles that faults may target (`{"target": "leader"}`); `build`'s `roles` resolves them. */
  roles?: readonly string[];
  /** The fault arbitrary for this scenario (defaults to the generic one over `faultTargets`). */
  faults?(workload: Workload, phases: Phases, style: FaultStyle): fc.Arbitrary<ScheduledFault[]>;
  /** Places the systems and clients on `sim`; `bugs` names the switches turned on. */
  build(sim: Simulation, workload: Workload, bugs: readonly string[]): BuiltRun;
  /** Set on a scenario that shows a documented anomaly of the real system, not a bug of ours: its
   *  violations are expected. `--scenario all` leaves it out (so `npm run sim` stays a regression
   *  check); run it by name to see the finding. */
  expectedFinding?: ExpectedFinding;
}

export interface ExpectedFinding {
  /** The property (PropertyResult.name) expected to be violated. */
  property: string;
  /** Where the real system documents it (an issue, a page). */
  reference: string;
  why: string;
}
