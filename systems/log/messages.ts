// The log's wire protocol: Kafka's requests, reduced to the fields the protocol needs. Messages are
// immutable values; every request carries an id its reply echoes, so a client matches replies to
// requests on a connection that may have broken and reopened.
import type { BrokerId } from "./config.ts";

/** A record as the log stores it. `producerId`/`sequence` are absent for non-idempotent producers. */
export interface StoredRecord {
  offset: number;
  leaderEpoch: number;
  value: unknown;
  producerId?: number;
  sequence?: number;
  /** The leader's clock when it appended the record (retention by age reads it). */
  appendedUs: number;
}

export interface PartitionState {
  topic: string;
  partition: number;
  leader: BrokerId | null;
  leaderEpoch: number;
  isr: BrokerId[];
  replicas: BrokerId[];
  /** Replicas that restarted while in the ISR and have not caught up since: any may have lost its
   *  unflushed tail, so none leads while an in-sync replica that did not restart may still come back;
   *  but any may hold records the others lost, so an election among restarted replicas waits for them
   *  too. While the partition is offline they stay in the ISR it kept; otherwise they are outside it. */
  suspects?: BrokerId[];
  /** The version of the partition's state znode: every change to it is conditional on this. */
  zkVersion: number;
  controllerEpoch: number;
}

/** Where a replica's log ends: its last leader epoch and its log end offset. */
export interface LogEnd {
  epoch: number;
  offset: number;
}

export type LogError =
  | "not-leader" | "fenced-leader-epoch" | "unknown-leader-epoch" | "not-enough-replicas" | "not-enough-replicas-after-append"
  | "request-timeout" | "out-of-order-sequence" | "offset-out-of-range" | "coordinator-not-available"
  | "not-coordinator" | "illegal-generation" | "unknown-member" | "rebalance-in-progress" | "stale-controller-epoch";

// ---- clients and followers to a broker ------------------------------------------------------

export interface ProduceRequest {
  type: "k.produce"; id: number; topic: string; partition: number; value: unknown;
  acks: 0 | 1 | -1; producerId?: number; sequence?: number;
}
export interface ProduceReply { type: "k.produce-reply"; id: number; offset?: number; error?: LogError }

/** `replica` set: a follower's fetch (reads to the log end, moves the follower's LEO at the leader). */
export interface FetchRequest {
  type: "k.fetch"; id: number; topic: string; partition: number; offset: number;
  replica?: BrokerId; leaderEpoch?: number; waitUsMax: number;
  /** A follower whose registration still says it restarted uncleanly: it may not join the ISR yet. */
  recovering?: true;
}
export interface FetchReply {
  type: "k.fetch-reply"; id: number; topic: string; partition: number; records: StoredRecord[];
  highWatermark: number; logStartOffset: number; leaderEpoch: number; error?: LogError;
}

/** OffsetsForLeaderEpoch (KIP-101): where did `leaderEpoch` end in the leader's log? */
export interface EpochEndRequest { type: "k.epoch-end"; id: number; topic: string; partition: number; leaderEpoch: number; currentLeaderEpoch: number }
export interface EpochEndReply { type: "k.epoch-end-reply"; id: number; leaderEpoch: number; endOffset: number; error?: LogError }

export interface MetadataRequest { type: "k.metadata"; id: number }
export interface MetadataReply { type: "k.metadata-reply"; id: number; partitions: PartitionState[]; controller: BrokerId | null }

export interface InitProducerIdRequest { type: "k.init-producer-id"; id: number }
export interface InitProducerIdReply { type: "k.init-producer-id-reply"; id: number; producerId?: number; error?: LogError }

// ---- consumer groups -----------------------------------------------------------------------

export interface JoinGroupRequest { type: "k.join"; id: number; group: string; member: string }
/** `unchanged`: a known member of a stable group rejoined and nothing was rebalanced. */
export interface JoinGroupReply { type: "k.join-reply"; id: number; generation?: number; partitions?: number[]; unchanged?: boolean; error?: LogError }
export interface HeartbeatRequest { type: "k.heartbeat"; id: number; group: string; member: string; generation: number }
export interface HeartbeatReply { type: "k.heartbeat-reply"; id: number; error?: LogError }
export interface CommitRequest { type: "k.commit"; id: number; group: string; member: string; generation: number; partition: number; offset: number }
export interface CommitReply { type: "k.commit-reply"; id: number; error?: LogError }
export interface OffsetFetchRequest { type: "k.offset-fetch"; id: number; group: string; partitions: number[] }
export interface OffsetFetchReply { type: "k.offset-fetch-reply"; id: number; offsets?: Array<{ partition: number; offset: number | null }>; error?: LogError }
export interface LeaveGroupRequest { type: "k.leave"; id: number; group: string; member: string }

// ---- controller to brokers -----------------------------------------------------------------

/** `brokerEpoch`: the czxid of the registration the controller saw; a restarted broker refuses orders meant for its predecessor. */
export interface LeaderAndIsrRequest { type: "k.leader-and-isr"; controller: BrokerId; controllerEpoch: number; brokerEpoch: number; partitions: PartitionState[] }
/** A leader asks the controller to change its ISR (KIP-497's AlterIsr); the controller writes it. */
export interface AlterIsrRequest { type: "k.alter-isr"; id: number; topic: string; partition: number; leaderEpoch: number; isr: BrokerId[]; zkVersion: number }
export interface AlterIsrReply { type: "k.alter-isr-reply"; id: number; state?: PartitionState; error?: LogError | "invalid-version" }

/** KIP-966's GetReplicaLogInfo: before electing among replicas that all restarted, the controller asks
 *  each where its logs end now (`partitions` by name; the reply leaves out those it does not host). */
export interface LogEndsRequest { type: "k.log-ends"; id: number; controllerEpoch: number; partitions: string[] }
export interface LogEndsReply { type: "k.log-ends-reply"; id: number; ends: Record<string, LogEnd> }

export type LogRequest =
  | ProduceRequest | FetchRequest | EpochEndRequest | MetadataRequest | InitProducerIdRequest
  | JoinGroupRequest | HeartbeatRequest | CommitRequest | OffsetFetchRequest | LeaveGroupRequest
  | LeaderAndIsrRequest | AlterIsrRequest | LogEndsRequest;

export type LogReply =
  | ProduceReply | FetchReply | EpochEndReply | MetadataReply | InitProducerIdReply
  | JoinGroupReply | HeartbeatReply | CommitReply | OffsetFetchReply | AlterIsrReply | LogEndsReply;

export function isLogMessage(message: unknown): message is LogRequest | LogReply {
  return typeof message === "object" && message !== null && typeof (message as { type?: unknown }).type === "string"
    && (message as { type: string }).type.startsWith("k.");
}
