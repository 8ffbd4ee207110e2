// The log cluster's configuration: brokers, topics and the timing, in µs of each node's own clock.
// Names follow Kafka's settings (replica.lag.time.max.ms → replicaLagTimeMaxUs) so that a reader who
// knows Kafka finds each knob.
import type { NodeId } from "../../sim/types.ts";

export type BrokerId = NodeId;

export interface TopicConfig {
  name: string;
  partitions: number;
  replicationFactor: number;
}

export interface LogClusterConfig {
  brokers: readonly BrokerId[];
  /** The coordination ensemble the brokers and the controller use (through its client library only). */
  zkServers: readonly NodeId[];
  zkSessionTimeoutMs: number;
  zkRequestTimeoutMs: number;
  topics: readonly TopicConfig[];
  /** A follower that has not caught up for this long (on the leader's clock) leaves the ISR. */
  replicaLagTimeMaxUs: number;
  /** acks=all writes are refused while the ISR is smaller than this. */
  minInsyncReplicas: number;
  /** An out-of-sync replica may be elected when no ISR member is alive. */
  uncleanLeaderElection: boolean;
  /** The log is fsynced this often (Kafka relies on replication, not on fsync per write). */
  flushIntervalUs: number;
  /** A segment rolls after this many records. */
  segmentRecordsMax: number;
  /** Retention: whole segments are deleted while the log holds more than this many records. */
  retentionRecordsMax: number;
  /** Retention by age: a segment whose newest record is older than this is deleted (0 = off). */
  retentionUs: number;
  /** A follower's fetch waits at most this long at the leader for new records (a long poll). */
  fetchWaitUsMax: number;
  fetchRecordsMax: number;
  /** A parked fetch is answered this long after the first new record (0: at once). */
  fetchLingerUs: number;
  /** The leader answers an acks=all produce with a timeout error after this long. */
  produceTimeoutUs: number;
  /** Group membership: a member not heard from for this long is removed (on the coordinator's clock). */
  groupSessionTimeoutUs: number;
  /** A rebalance waits this long for known members to rejoin. */
  groupRebalanceTimeoutUs: number;
  /** The controller moves leadership back to the preferred replica this often (auto.leader.rebalance). */
  preferredLeaderCheckUs: number;
  bugs: readonly string[];
}

export const OFFSETS_TOPIC = "__consumer_offsets";

export function logClusterConfig(brokers: readonly BrokerId[], zkServers: readonly NodeId[], overrides: Partial<LogClusterConfig> = {}): LogClusterConfig {
  return {
    brokers,
    zkServers,
    zkSessionTimeoutMs: 400,
    zkRequestTimeoutMs: 200,
    topics: [{ name: "events", partitions: 2, replicationFactor: Math.min(3, brokers.length) }],
    replicaLagTimeMaxUs: 150_000,
    minInsyncReplicas: 2,
    uncleanLeaderElection: false,
    flushIntervalUs: 50_000,
    segmentRecordsMax: 64,
    retentionRecordsMax: 1_000_000,
    retentionUs: 0,
    fetchWaitUsMax: 30_000,
    fetchRecordsMax: 32,
    fetchLingerUs: 2_000,
    produceTimeoutUs: 250_000,
    groupSessionTimeoutUs: 300_000,
    groupRebalanceTimeoutUs: 150_000,
    preferredLeaderCheckUs: 300_000,
    bugs: [],
    ...overrides,
  };
}

/** Every topic the cluster hosts: the configured ones and the internal offsets topic (one partition). */
export function allTopics(config: LogClusterConfig): TopicConfig[] {
  return [...config.topics, { name: OFFSETS_TOPIC, partitions: 1, replicationFactor: Math.min(3, config.brokers.length) }];
}

export interface PartitionKey {
  topic: string;
  partition: number;
}

export function partitionName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/** Replica assignment as Kafka's default does it: partition p's replicas start at broker p mod n. */
export function replicasOf(config: LogClusterConfig, topic: TopicConfig, partition: number): BrokerId[] {
  const brokers = config.brokers;
  const offset = topic.name === OFFSETS_TOPIC ? brokers.length - 1 : partition;
  return Array.from({ length: topic.replicationFactor }, (_, i) => brokers[(offset + i) % brokers.length]!);
}
