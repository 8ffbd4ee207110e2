// Builds a kafka-log cluster by hand, the way scenarios/kafka-log.ts buildKafka does, but with a
// config the test may override and with the simulation in the test's hands (run to a time, inspect).
import { readFileSync } from "node:fs";
import { Simulation } from "../../../sim/simulation.ts";
import type { Fault } from "../../../sim/faults.ts";
import type { Operation } from "../../../properties/history/operation.ts";
import type { PropertyResult } from "../../../scenarios/types.ts";
import { checkLog } from "../../../properties/log/checks.ts";
import { logClusterConfig, type LogClusterConfig } from "../../../systems/log/config.ts";
import { Broker } from "../../../systems/log/broker.ts";
import { Producer, type ProducerConfig } from "../../../systems/log/producer.ts";
import { Consumer, type ConsumerConfig } from "../../../systems/log/consumer.ts";
import { Drainer } from "../../../systems/log/drainer.ts";
import { inspectLog } from "../../../systems/log/cluster.ts";
import { HistoryRecorder } from "../../../scenarios/history-recorder.ts";
import { placeEnsemble, zkClientFactory } from "../../../scenarios/zk-ensemble.ts";
import { LogInvariants } from "../../../scenarios/kafka-invariants.ts";
import { logBugFlags } from "../../../systems/log/bugs.ts";

export const BROKERS = ["b1", "b2", "b3"];
export const SERVERS = ["zk1", "zk2", "zk3"];
export const TOPIC = "events";

export function loadSchedule(name: string): Fault[] {
  return JSON.parse(readFileSync(new URL(`./schedules/${name}.json`, import.meta.url), "utf8")) as Fault[];
}

export interface Cluster {
  sim: Simulation;
  config: LogClusterConfig;
  history: HistoryRecorder;
  inspect(): ReturnType<typeof inspectLog>;
  broker(id: string): Broker;
  /** Heals, stops the producers 0.8 s later and starts the drainer 1.3 s later (as kafka-log does). */
  heal(): void;
  drainer(): Drainer | undefined;
  finish(): { history: Operation[]; properties: PropertyResult[] };
}

export function makeCluster(options: {
  seed: number;
  partitions?: number;
  producers?: number;
  consumers?: number;
  sendsMax?: number;
  overrides?: Partial<LogClusterConfig>;
}): Cluster {
  const partitions = options.partitions ?? 2;
  const sim = new Simulation({ seed: options.seed, eventsMax: 20_000_000 });
  const history = new HistoryRecorder(sim);
  placeEnsemble(sim, { servers: 3, tickUs: 20_000, sessionTimeoutMs: 400 }, []);
  const config = logClusterConfig(BROKERS, SERVERS, {
    topics: [{ name: TOPIC, partitions, replicationFactor: 3 }],
    ...options.overrides,
  });
  const invariants = new LogInvariants(sim, false);
  for (const id of BROKERS) sim.addNode(id, () => new Broker(config, zkClientFactory, invariants));
  const inFlightMax = 2;
  const producerConfig: ProducerConfig = {
    brokers: BROKERS, topic: TOPIC, partitions, acks: -1, idempotent: true, declaredIdempotent: true,
    inFlightMax, retryBackoffUs: 20_000, requestTimeoutUs: 300_000, sendsMax: options.sendsMax ?? 400,
  };
  const producers = Array.from({ length: options.producers ?? 3 }, (_, i) => `p${i + 1}`);
  const incarnations = new Map<string, number>();
  for (const id of producers) {
    sim.addNode(id, () => {
      const next = (incarnations.get(id) ?? 0) + 1;
      incarnations.set(id, next);
      return new Producer(producerConfig, Array.from({ length: inFlightMax }, () => history.client()), `${id}.${next}`);
    });
  }
  const consumerConfig: ConsumerConfig = {
    brokers: BROKERS, topic: TOPIC, group: "readers", requestTimeoutUs: 200_000,
    heartbeatIntervalUs: Math.floor(config.groupSessionTimeoutUs / 3), retryBackoffUs: 20_000,
    fetchWaitUsMax: 20_000, processUs: 5_000, bugs: logBugFlags([]),
  };
  for (let i = 1; i <= (options.consumers ?? 0); i++) {
    sim.addNode(`c${i}`, () => new Consumer(consumerConfig, history.client(), () => history.client()));
  }
  let drainer: Drainer | undefined;
  return {
    sim, config, history,
    inspect: () => inspectLog(sim, BROKERS),
    broker: (id) => {
      const broker = sim.actorOf<Broker>(id);
      if (broker === undefined) throw new Error(`${id} is down`);
      return broker;
    },
    heal: () => {
      sim.healAll();
      const healUs = sim.nowUs;
      sim.at(healUs + 800_000, () => {
        for (const id of producers) {
          const producer = sim.actorOf<Producer>(id);
          if (producer) producer.stopped = true;
        }
      });
      sim.addNode("drainer", () => (drainer = new Drainer({
        brokers: BROKERS, topic: TOPIC, partitions, requestTimeoutUs: 200_000, retryBackoffUs: 20_000,
      }, () => history.client())), { startAtUs: healUs + 1_300_000 });
    },
    drainer: () => drainer,
    finish: () => {
      history.closePending();
      const operations = history.operations();
      return { history: operations, properties: checkLog(operations) };
    },
  };
}

/** Runs faults to `faultsUs`, heals, runs `quietUs` more; returns the checked history. */
export function runToEnd(cluster: Cluster, faultsUs: number, quietUs = 2_500_000) {
  cluster.sim.run({ untilUs: faultsUs });
  cluster.heal();
  cluster.sim.run({ untilUs: faultsUs + quietUs });
  return cluster.finish();
}

export function replica(cluster: Cluster, broker: string, partition: string) {
  return cluster.inspect().replicas.find((r) => r.broker === broker && r.partition === partition);
}

export function leaderOf(cluster: Cluster, partition: string): string | null {
  const leaders = cluster.inspect().replicas.filter((r) => r.partition === partition && r.role === "leader");
  return leaders.length === 1 ? leaders[0]!.broker : null;
}
