// zk-master: candidates contend for mastership through the election recipe on a live ensemble while
// pauses, crashes, partitions and clock drift hit servers and candidates; the master writes to a
// fenced resource. Properties: M1 single master (true time), M2 fencing, and master liveness after
// the heal. Clocks only drift here (within the bound the lease margin is built on): a lease, like
// ZooKeeper's own session tracking, is measured on a monotonic clock, which steps and offsets never move.
import type { ScheduledFault } from "./role-faults.ts";
import { establishedLeader } from "../systems/coordination/index.ts";
import * as fc from "fast-check";
import type { Simulation } from "../sim/simulation.ts";
import type { Fault } from "../sim/faults.ts";
import type { NodeId } from "../sim/types.ts";
import type { BugSwitch, BuiltRun, FaultStyle, Phases, Scenario } from "./types.ts";
import { checkMaster, MASTER_LIVENESS, SINGLE_MASTER, FENCING } from "../properties/master/index.ts";
import { ElectionCandidate, type CandidateConfig } from "../systems/coordination/index.ts";
import { ProtectedResource } from "../systems/coordination/index.ts";
import { LEASE_IGNORES_DRIFT, MASTER_NO_FENCING, RECIPE_BUGS } from "../systems/coordination/index.ts";
import { EPHEMERAL_LEAK, coordinationBugs } from "../systems/coordination/index.ts";
import { driftBaseline, faultSchedule, withRoleShapes, type FaultWeights } from "./fault-arbitrary.ts";
import { HistoryRecorder } from "./history-recorder.ts";
import { MasterRecorder } from "./zk-master-recorder.ts";
import { zkMasterWorkload, serverIds, type ZkMasterWorkload } from "./zk-workload.ts";
import { placeEnsemble, zkClientFactory, ensembleLeaders } from "./zk-ensemble.ts";

/** The drift bound every clock keeps to, and the lease margin is computed from. */
export const MASTER_DRIFT_PPM_MAX = 200_000;

const PHASES: Phases = { faultsUs: 3_000_000, quietUs: 2_500_000 };

const MASTER_BUGS: readonly BugSwitch[] = [
  ...RECIPE_BUGS.map((bug) => ({ ...bug, breaks: bug.name === MASTER_NO_FENCING ? FENCING : SINGLE_MASTER })),
  ...coordinationBugs.filter((bug) => bug.name === EPHEMERAL_LEAK).map((bug) => ({ ...bug, breaks: MASTER_LIVENESS })),
];

/** On candidates: pauses and isolations longer than a session, and drift, which the recipe must survive. */
const CANDIDATE_WEIGHTS: FaultWeights = { "pause": 6, "isolate": 6, "clock-drift": 1, "crash": 1, "power-loss": 1 };
/** On servers: leader changes (which restart session timeouts), drift of the clock that expires sessions. */
const SERVER_WEIGHTS: FaultWeights = { "crash": 2, "power-loss": 1, "isolate": 2, "majority-minority": 1, "pause": 1, "clock-drift": 3, "latency-spike": 1 };

export function candidateIds(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `c${index + 1}`);
}

export const RESOURCE_ID = "resource";

export const zkMaster: Scenario<ZkMasterWorkload> = {
  name: "zk-master",
  description: "candidates elect a master through ephemeral-sequential znodes and write to a fenced resource, under pauses, drift and partitions",
  bugs: MASTER_BUGS,
  phases: PHASES,
  workload: zkMasterWorkload,
  faultTargets: (workload) => [...serverIds(workload.cluster.servers), ...candidateIds(workload.candidates)],
  faults: (workload, phases, style) => masterFaults(workload, phases, style),
  roles: ["leader"],
  build: buildMaster,
};

export function masterFaults(workload: ZkMasterWorkload, phases: Phases, style: FaultStyle = {}): fc.Arbitrary<ScheduledFault[]> {
  const sessionTimeoutUs = workload.cluster.sessionTimeoutMs * 1_000;
  const servers = serverIds(workload.cluster.servers);
  const candidates = candidateIds(workload.candidates);
  const limits = {
    pauseUsMin: Math.floor(sessionTimeoutUs / 2),
    pauseUsMax: sessionTimeoutUs * 3,
    durationUsMin: Math.floor(sessionTimeoutUs / 2),
    durationUsMax: sessionTimeoutUs * 4,
    restartAfterUsMax: sessionTimeoutUs * 3,
    driftPpmMax: MASTER_DRIFT_PPM_MAX,
    latencyExtraUsMax: 20_000,
  };
  // Two independent lists (each fault still removable on its own): faults aimed at candidates,
  // with partitions that cut a candidate from everyone, and faults aimed at the ensemble alone.
  // Clocks lean the way that hurts a lease (Jepsen aims its clock nemesis likewise): candidates'
  // clocks slow (a master's lease outlasts its session), servers' fast (the leader expires it early).
  return fc.tuple(
    driftBaseline(candidates, MASTER_DRIFT_PPM_MAX, -1),
    driftBaseline(servers, MASTER_DRIFT_PPM_MAX, 1),
    faultSchedule([...servers, ...candidates], phases, CANDIDATE_WEIGHTS, { ...limits, swarm: style.swarm, faultsMax: 10, targets: candidates, durationUsMin: sessionTimeoutUs }),
    faultSchedule(servers, phases, withRoleShapes(SERVER_WEIGHTS, style.roles), { ...limits, swarm: style.swarm, roles: ["leader"], faultsMax: 4, likelyLeaders: servers.slice(-2).reverse() }),
  ).map(([slow, fast, onCandidates, onServers]) => [...slow, ...fast, ...onCandidates, ...onServers].sort((a, b) => a.atUs - b.atUs));
}

export function candidateConfig(workload: ZkMasterWorkload, bugs: readonly string[]): CandidateConfig {
  const sessionTimeoutUs = workload.cluster.sessionTimeoutMs * 1_000;
  return {
    servers: serverIds(workload.cluster.servers),
    resource: RESOURCE_ID,
    electionPath: "/election",
    sessionTimeoutMs: workload.cluster.sessionTimeoutMs,
    requestTimeoutMs: Math.max(1, Math.floor(workload.cluster.sessionTimeoutMs / 2)),
    driftPpmMax: MASTER_DRIFT_PPM_MAX,
    heartbeatIntervalUs: Math.floor(sessionTimeoutUs / 10),
    workIntervalUs: 10_000,
    workUs: 5_000,
    recheckIntervalUs: Math.floor(sessionTimeoutUs / 2),
    bugs,
  };
}

function buildMaster(sim: Simulation, workload: ZkMasterWorkload, bugs: readonly string[]): BuiltRun {
  const history = new HistoryRecorder(sim);
  const masters = new MasterRecorder(history);
  const servers = placeEnsemble(sim, workload.cluster, bugs);
  const config = candidateConfig(workload, bugs);
  sim.addNode(RESOURCE_ID, () => new ProtectedResource({ fencing: !bugs.includes(MASTER_NO_FENCING) }, masters));
  for (const id of candidateIds(workload.candidates)) {
    sim.addNode(id, () => new ElectionCandidate(config, zkClientFactory, masters));
  }
  let healUs: number | undefined;
  return {
    roles: { leader: () => establishedLeader(sim, servers) },
    onHeal: () => { healUs = sim.nowUs; },
    finish: () => {
      masters.finish();
      const fromUs = healUs ?? PHASES.faultsUs;
      const operations = history.operations();
      const properties = checkMaster(operations, { livenessFromUs: fromUs + livenessBoundUs(workload), livenessDeadlineUs: sim.nowUs });
      const leaders = ensembleLeaders(sim, servers);
      return { history: operations, properties: properties.map((result) => annotate(result, leaders, config, bugs)) };
    },
  };
}

/** After the heal a master must act within this: a dead master's session expires (a new ensemble
 *  leader restarts every session's timeout, so twice), then a successor notices and claims. */
export function livenessBoundUs(workload: ZkMasterWorkload): number {
  return workload.cluster.sessionTimeoutMs * 1_000 * 3 + 300_000;
}

function annotate<T extends { summary: string }>(result: T, leaders: NodeId[], config: CandidateConfig, bugs: readonly string[]): T {
  if (result.summary.length === 0) return result;
  const lease = bugs.includes(LEASE_IGNORES_DRIFT) ? "lease margin 0" : `drift bound ${config.driftPpmMax} ppm`;
  return { ...result, summary: `${result.summary} (ensemble leaders at the end: ${leaders.join(",") || "none"}; ${lease})` };
}
