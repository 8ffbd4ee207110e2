// zk-register: clients read, write and compare-and-set (setData with the version they last read) a
// few znodes on a live ensemble while crashes, power loss, partitions, pauses and clock faults hit
// the servers. Properties: every path's history is linearizable under the znode model, and after
// the heal the ensemble elects a leader and every client completes an operation within a bound.
import type { ScheduledFault } from "./role-faults.ts";
import { establishedLeader } from "../systems/coordination/index.ts";
import type * as fc from "fast-check";
import type { Simulation } from "../sim/simulation.ts";
import type { Fault } from "../sim/faults.ts";
import type { Operation } from "../properties/history/index.ts";
import type { BugSwitch, BuiltRun, FaultStyle, Phases, PropertyResult, Scenario } from "./types.ts";
import { coordinationBugs, FOLLOWER_LOCAL_READS, EPHEMERAL_LEAK } from "../systems/coordination/index.ts";
import { withRoleShapes, faultSchedule, type FaultWeights } from "./fault-arbitrary.ts";
import { ensembleConfig } from "../systems/coordination/index.ts";
import type { ReadMode } from "../systems/coordination/index.ts";
import { HistoryRecorder, type ClientRecorder } from "./history-recorder.ts";
import { RegisterClient, type RegisterClientConfig } from "./zk-register-client.ts";
import { zkRegisterWorkload, serverIds, type ZkRegisterWorkload } from "./zk-workload.ts";
import { placeEnsemble, zkClientFactory, ensembleLeaders } from "./zk-ensemble.ts";
import { checkZnodeLinearizable, LINEARIZABLE_ZNODES } from "./zk-linearizable.ts";

export const REGISTER_LIVENESS = "liveness after heal";

/** Operations each client may issue after the heal. */
export const QUIET_OPERATIONS_PER_CLIENT = 25;

const PHASES: Phases = { faultsUs: 2_000_000, quietUs: 1_500_000 };

const REGISTER_BUGS: readonly BugSwitch[] = coordinationBugs
  .filter((bug) => bug.name !== EPHEMERAL_LEAK)
  .map((bug) => ({ ...bug, breaks: LINEARIZABLE_ZNODES }));

/** Crashes and power loss of servers (followers right after an ACK, leaders with uncommitted
 *  proposals) and partitions or pauses that depose a leader are what the ensemble must survive. */
const REGISTER_WEIGHTS: FaultWeights = {
  "isolate": 3, "majority-minority": 3, "bridge": 1, "majorities-ring": 1, "random-split": 1, "cut": 1,
  "crash": 4, "power-loss": 3, "pause": 3, "power-loss-group": 3,
  "clock-offset": 1, "clock-drift": 1, "clock-jump": 2, "clock-strobe": 1, "clock-jump-group": 3, "latency-spike": 1,
  "leader-pause": 10, "leader-out-power-loss": 4, "leader-bounce": 6,
};

export function clientIds(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `client${index + 1}`);
}

export function keyPaths(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `/k${index}`);
}

export const zkRegister: Scenario<ZkRegisterWorkload> = {
  name: "zk-register",
  description: "clients read, write and compare-and-set a few znodes (linearizable reads) under crashes, power loss, partitions and pauses",
  bugs: REGISTER_BUGS,
  phases: PHASES,
  workload: zkRegisterWorkload,
  faultTargets: (workload) => serverIds(workload.cluster.servers),
  faults: (workload, phases, style) => registerFaults(workload, phases, style),
  roles: ["leader"],
  build: buildRegister,
};

export function registerFaults(workload: ZkRegisterWorkload, phases: Phases, style: FaultStyle = {}): fc.Arbitrary<ScheduledFault[]> {
  const sessionTimeoutUs = workload.cluster.sessionTimeoutMs * 1_000;
  const tickUs = workload.cluster.tickUs;
  const servers = serverIds(workload.cluster.servers);
  return faultSchedule(servers, phases, withRoleShapes(REGISTER_WEIGHTS, style.roles), {
    swarm: style.swarm, roles: ["leader"],
    faultsMax: 10,
    // The first leader is the highest id; when it goes, the next highest usually follows it.
    likelyLeaders: servers.slice(-2).reverse(),
    // Well past the followers' sync limit (they elect a new leader meanwhile), yet about the
    // clients' request timeout (half a session): the deposed leader wakes up still believing it
    // leads (its ticks stopped too), with clients still attached. Sweeps found this window sharp.
    leaderPauseUsMin: Math.max(tickUs * ensembleConfig(servers).syncLimitTicks * 2, sessionTimeoutUs / 2),
    leaderPauseUsMax: Math.floor((sessionTimeoutUs * 3) / 5),
    leaderOutUsMin: sessionTimeoutUs / 2,
    leaderOutUsMax: sessionTimeoutUs * 2,
    durationUsMin: tickUs * 2,
    durationUsMax: Math.floor(phases.faultsUs / 3),
    pauseUsMin: tickUs,
    pauseUsMax: sessionTimeoutUs * 2,
    restartAfterUsMin: tickUs,
    restartAfterUsMax: sessionTimeoutUs * 2,
    driftPpmMax: 100_000,
    clockOffsetUsMax: sessionTimeoutUs,
    clockJumpUsMax: sessionTimeoutUs,
    latencyExtraUsMax: 5_000,
  });
}

/** `readMode` is the scenario's (zk-sync-read reads with sync); the bug switch overrides it. */
export function registerClientConfig(workload: ZkRegisterWorkload, bugs: readonly string[], readMode: ReadMode = "linearizable"): RegisterClientConfig {
  return {
    servers: serverIds(workload.cluster.servers),
    paths: keyPaths(workload.keys),
    mix: workload.mix,
    readMode: bugs.includes(FOLLOWER_LOCAL_READS) ? "local" : readMode,
    sessionTimeoutMs: workload.cluster.sessionTimeoutMs,
    requestTimeoutMs: Math.max(1, Math.floor(workload.cluster.sessionTimeoutMs / 2)),
    operationsMax: workload.operationsPerClientMax,
    retryUs: workload.cluster.tickUs,
  };
}

/** After the heal: a leader within this, and every client completes an operation within it. */
export function registerLivenessBoundUs(workload: ZkRegisterWorkload): number {
  return workload.cluster.sessionTimeoutMs * 1_000 * 2 + 500_000;
}

export function buildRegister(sim: Simulation, workload: ZkRegisterWorkload, bugs: readonly string[], readMode?: ReadMode): BuiltRun {
  const history = new HistoryRecorder(sim);
  const servers = placeEnsemble(sim, workload.cluster, bugs);
  const config = registerClientConfig(workload, bugs, readMode);
  const recorders = new Map<string, ClientRecorder[]>();
  for (const id of clientIds(workload.clients)) {
    sim.addNode(id, () => {
      const recorder = history.client();
      recorders.set(id, [...(recorders.get(id) ?? []), recorder]);
      return new RegisterClient(config, zkClientFactory, recorder);
    });
  }
  const boundUs = registerLivenessBoundUs(workload);
  let healUs = PHASES.faultsUs;
  let leaderByUs: number | undefined;
  const watchLeader = (atUs: number) => sim.at(atUs, () => {
    if (leaderByUs === undefined && ensembleLeaders(sim, servers).length > 0) leaderByUs = sim.nowUs;
    else if (leaderByUs === undefined && atUs < healUs + boundUs) watchLeader(atUs + workload.cluster.tickUs);
  });
  return {
    roles: { leader: () => establishedLeader(sim, servers) },
    onHeal: () => {
      healUs = sim.nowUs;
      watchLeader(healUs);
      // A small fresh budget for the quiet period: enough to show progress after the heal, few
      // enough that the history stays cheap to check (each unknown outcome multiplies the search).
      for (const id of clientIds(workload.clients)) {
        const client = sim.actorOf<RegisterClient>(id);
        if (client !== undefined) client.operationsBudget = client.operationsDone + QUIET_OPERATIONS_PER_CLIENT;
      }
    },
    finish: () => {
      history.closePending();
      const operations = history.operations();
      const linearizable = checkZnodeLinearizable(operations);
      const liveness = checkRegisterLiveness(operations, recorders, { healUs, boundUs, leaderByUs });
      return { history: operations, properties: [linearizable, liveness] };
    },
  };
}

interface LivenessWindow {
  healUs: number;
  boundUs: number;
  leaderByUs: number | undefined;
}

export function checkRegisterLiveness(history: readonly Operation[], recorders: Map<string, ClientRecorder[]>, window: LivenessWindow): PropertyResult {
  const deadlineUs = window.healUs + window.boundUs;
  if (window.leaderByUs === undefined) {
    return { name: REGISTER_LIVENESS, valid: false, anomalies: ["no-leader-after-heal"], summary: `no ensemble leader within ${window.boundUs} us of the heal at ${window.healUs} us` };
  }
  const processesOf = new Map<number, string>();
  for (const [client, list] of recorders) for (const recorder of list) for (const process of recorder.processes) processesOf.set(process, client);
  const progressed = new Set<string>();
  for (const op of history) {
    if ((op.type === "ok" || op.type === "fail") && op.time >= window.healUs && op.time <= deadlineUs) {
      const client = processesOf.get(op.process);
      if (client !== undefined) progressed.add(client);
    }
  }
  const stuck = [...recorders.keys()].filter((client) => !progressed.has(client)).sort();
  if (stuck.length > 0) {
    return { name: REGISTER_LIVENESS, valid: false, anomalies: ["client-stuck-after-heal"], evidence: stuck,
      summary: `${stuck.join(", ")} completed no operation within ${window.boundUs} us of the heal at ${window.healUs} us` };
  }
  return { name: REGISTER_LIVENESS, valid: true, anomalies: [],
    summary: `leader by ${window.leaderByUs} us; every client completed an operation by ${deadlineUs} us` };
}
