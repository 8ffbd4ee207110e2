// kafka-log: three brokers coordinated through a three-server ensemble (registration, controller
// election, partition state), producers sending unique values and a consumer group reading and
// committing, under crashes, power loss, partitions, pauses and clock drift of brokers, servers and
// consumers. After the heal the producers stop and every partition is drained from its log start.
// Properties: K1–K3 and C1–C3 over the history, and liveness (every partition drained).
import type { ScheduledFault } from "./role-faults.ts";
import { establishedLeader } from "../systems/coordination/index.ts";
import { inspectLog } from "../systems/log/cluster.ts";
import * as fc from "fast-check";
import type { Simulation } from "../sim/simulation.ts";
import type { Fault } from "../sim/faults.ts";
import type { Operation } from "../properties/history/index.ts";
import { checkLog } from "../properties/log/index.ts";
import type { BugSwitch, BuiltRun, FaultStyle, Phases, PropertyResult, Scenario } from "./types.ts";
import { logBugs, logBugFlags, ACKS_1, NO_IDEMPOTENCE, STALE_CONTROLLER, UNCLEAN_LEADER_ELECTION } from "../systems/log/bugs.ts";
import { logClusterConfig, type LogClusterConfig } from "../systems/log/config.ts";
import { Broker } from "../systems/log/broker.ts";
import { Producer, type ProducerConfig } from "../systems/log/producer.ts";
import { Consumer, type ConsumerConfig } from "../systems/log/consumer.ts";
import { Drainer } from "../systems/log/drainer.ts";
import { faultSchedule, driftBaseline, withRoleShapes, type FaultWeights } from "./fault-arbitrary.ts";
import { HistoryRecorder } from "./history-recorder.ts";
import { placeEnsemble, zkClientFactory } from "./zk-ensemble.ts";
import { serverIds } from "./zk-workload.ts";
import { LogInvariants } from "./kafka-invariants.ts";
import { spacePowerLosses } from "./kafka-power-losses.ts";
import { brokerIds, consumerIds, DRAINER_ID, GROUP, kafkaWorkload, producerIds, TOPIC, type KafkaWorkload } from "./kafka-workload.ts";

export const LOG_LIVENESS = "log liveness after heal";

const PHASES: Phases = { faultsUs: 3_000_000, quietUs: 2_500_000 };
/** After the heal: producers stop at +stop, the drain starts at +drain. */
const PRODUCERS_STOP_AFTER_HEAL_US = 800_000;
const DRAIN_AFTER_HEAL_US = 1_300_000;

const KAFKA_BUGS: readonly BugSwitch[] = logBugs;

/** No power-loss-group: every replica losing power inside one flush interval loses acked records
 *  legitimately (Kafka relies on replication, KIP-966); single power losses stay. */
const BROKER_WEIGHTS: FaultWeights = {
  "crash": 4, "power-loss": 2, "pause": 4, "isolate": 3, "majority-minority": 1, "random-split": 1, "cut": 1,
  "clock-drift": 1, "clock-jump": 1, "latency-spike": 1,
};
const SERVER_WEIGHTS: FaultWeights = { "crash": 2, "isolate": 1, "pause": 1, "clock-drift": 1, "power-loss": 1 };
/** Among brokers only (the ensemble and clients unaffected): a leader cut from its followers while it
 *  still reaches the controller shrinks its ISR to itself, the window unclean elections exploit. */
const PEER_WEIGHTS: FaultWeights = { "isolate": 3, "crash": 2, "power-loss": 1 };
const CONSUMER_WEIGHTS: FaultWeights = { "pause": 3, "crash": 2, "isolate": 2 };

export const kafkaLog: Scenario<KafkaWorkload> = {
  name: "kafka-log",
  description: "producers and a consumer group on three brokers coordinated through a three-server ensemble, under crashes, power loss, partitions, pauses and drift",
  bugs: KAFKA_BUGS,
  phases: PHASES,
  workload: kafkaWorkload,
  faultTargets: (workload) => [...brokerIds(workload.brokers), ...serverIds(workload.zk.servers), ...consumerIds(workload.consumers)],
  faults: (workload, phases, style) => kafkaFaults(workload, phases, style),
  roles: ["leader", "controller", "partition-leader"],
  build: buildKafka,
};

export function kafkaFaults(workload: KafkaWorkload, phases: Phases, style: FaultStyle = {}): fc.Arbitrary<ScheduledFault[]> {
  const brokers = brokerIds(workload.brokers);
  const servers = serverIds(workload.zk.servers);
  const consumers = consumerIds(workload.consumers);
  const all = [...brokers, ...servers, ...consumers];
  const sessionUs = clusterConfig(workload, []).zkSessionTimeoutMs * 1_000;
  const limits = {
    durationUsMin: 50_000, durationUsMax: 1_000_000,
    pauseUsMin: 50_000, pauseUsMax: sessionUs * 2,
    restartAfterUsMin: 10_000, restartAfterUsMax: 800_000,
    driftPpmMax: 50_000, clockJumpUsMax: 200_000, latencyExtraUsMax: 20_000,
  };
  return fc.tuple(
    driftBaseline(brokers, 20_000),
    // No role-aimed power loss of brokers: a power loss of each replica that holds an acked but
    // unflushed record loses it by Kafka's design (durability is replication, not fsync), and aiming
    // at the leader makes that the common case instead of a rare one.
    faultSchedule([...brokers, ...servers], phases, withRoleShapes(BROKER_WEIGHTS, style.roles, ["role-crash", "role-pause", "role-isolate"]), { ...limits, swarm: style.swarm, roles: ["controller", "partition-leader"], faultsMax: 6, targets: brokers }),
    faultSchedule(servers, phases, withRoleShapes(SERVER_WEIGHTS, style.roles), { ...limits, swarm: style.swarm, roles: ["leader"], faultsMax: 2 }),
    faultSchedule(brokers, phases, PEER_WEIGHTS, { ...limits, swarm: style.swarm, faultsMax: 3 }),
    faultSchedule(all, phases, CONSUMER_WEIGHTS, { ...limits, swarm: style.swarm, faultsMax: 3, targets: consumers }),
  ).map((lists) => spacePowerLosses(lists.flat().sort((a, b) => a.atUs - b.atUs), brokers, POWER_LOSS_SPACING_US));
}

/** A broker that runs this long after another lost power has flushed what that one lost. */
const POWER_LOSS_SPACING_US = 2 * logClusterConfig([], []).flushIntervalUs;

export function clusterConfig(workload: KafkaWorkload, bugs: readonly string[]): LogClusterConfig {
  const flags = logBugFlags(bugs);
  return logClusterConfig(brokerIds(workload.brokers), serverIds(workload.zk.servers), {
    topics: [{ name: TOPIC, partitions: workload.partitions, replicationFactor: 3 }],
    minInsyncReplicas: flags.unclean ? 1 : 2,
    uncleanLeaderElection: flags.unclean,
    bugs,
  });
}

function buildKafka(sim: Simulation, workload: KafkaWorkload, bugs: readonly string[]): BuiltRun {
  const history = new HistoryRecorder(sim);
  const flags = logBugFlags(bugs);
  placeEnsemble(sim, workload.zk, []);
  const config = clusterConfig(workload, bugs);
  const invariants = new LogInvariants(sim, bugs.includes(STALE_CONTROLLER) || bugs.includes(UNCLEAN_LEADER_ELECTION));
  for (const id of config.brokers) sim.addNode(id, () => new Broker(config, zkClientFactory, invariants));
  const producerConfig: ProducerConfig = {
    brokers: config.brokers, topic: TOPIC, partitions: workload.partitions,
    acks: bugs.includes(ACKS_1) ? 1 : -1,
    idempotent: !bugs.includes(NO_IDEMPOTENCE), declaredIdempotent: true,
    inFlightMax: workload.inFlightMax, retryBackoffUs: 20_000, requestTimeoutUs: 300_000,
    sendsMax: workload.sendsPerProducerMax,
  };
  const producers = producerIds(workload.producers);
  const incarnations = new Map<string, number>();
  const incarnation = (id: string) => {
    const next = (incarnations.get(id) ?? 0) + 1;
    incarnations.set(id, next);
    return next;
  };
  for (const id of producers) {
    sim.addNode(id, () => new Producer(producerConfig,
      Array.from({ length: workload.inFlightMax }, () => history.client()), `${id}.${incarnation(id)}`));
  }
  const consumerConfig: ConsumerConfig = {
    brokers: config.brokers, topic: TOPIC, group: GROUP, requestTimeoutUs: 200_000,
    heartbeatIntervalUs: Math.floor(config.groupSessionTimeoutUs / 3), retryBackoffUs: 20_000,
    fetchWaitUsMax: 20_000, processUs: 5_000, bugs: flags,
  };
  for (const id of consumerIds(workload.consumers)) {
    sim.addNode(id, () => new Consumer(consumerConfig, history.client(), () => history.client()));
  }
  let drainer: Drainer | undefined;
  return {
    roles: kafkaRoles(sim, workload),
    onHeal: () => {
      const healUs = sim.nowUs;
      sim.at(healUs + PRODUCERS_STOP_AFTER_HEAL_US, () => {
        for (const id of producers) {
          const producer = sim.actorOf<Producer>(id);
          if (producer) producer.stopped = true;
        }
      });
      sim.addNode(DRAINER_ID, () => (drainer = new Drainer({
        brokers: config.brokers, topic: TOPIC, partitions: workload.partitions, requestTimeoutUs: 200_000, retryBackoffUs: 20_000,
      }, () => history.client())), { startAtUs: healUs + DRAIN_AFTER_HEAL_US });
    },
    finish: () => {
      history.closePending();
      const operations = history.operations();
      return { history: operations, properties: [...checkLog(operations), checkDrained(operations, workload, drainer)] };
    },
  };
}

/**
 * The ensemble's leader; the active controller (the newest epoch, if a deposed one still acts); the
 * leader of the first partition (the broker leading it in the newest leader epoch).
 */
function kafkaRoles(sim: Simulation, workload: KafkaWorkload): BuiltRun["roles"] {
  const brokers = brokerIds(workload.brokers);
  const servers = serverIds(workload.zk.servers);
  return {
    "leader": () => establishedLeader(sim, servers),
    "controller": () => {
      const active = brokers.flatMap((id) => {
        const epoch = sim.actorOf<Broker>(id)?.controller;
        return epoch?.isActive ? [{ id, epoch: epoch.epoch ?? -1 }] : [];
      });
      return active.sort((a, b) => b.epoch - a.epoch)[0]?.id ?? null;
    },
    "partition-leader": () => {
      const leaders = inspectLog(sim, brokers).replicas.filter((replica) => replica.partition === `${TOPIC}-0` && replica.role === "leader");
      return leaders.sort((a, b) => b.leaderEpoch - a.leaderEpoch)[0]?.broker ?? null;
    },
  };
}

function checkDrained(history: readonly Operation[], workload: KafkaWorkload, drainer: Drainer | undefined): PropertyResult {
  const drained = history.filter((op) => op.f === "drain" && op.type === "ok").length;
  if (drainer?.finished) {
    return { name: LOG_LIVENESS, valid: true, anomalies: [], summary: `all ${workload.partitions} partitions had a leader and were drained after the heal` };
  }
  return {
    name: LOG_LIVENESS, valid: false, anomalies: ["drain-incomplete"],
    summary: `${workload.partitions - drained} of ${workload.partitions} partitions could not be drained after the heal (no leader, or the drain never reached the high watermark)`,
  };
}
