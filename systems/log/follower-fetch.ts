// A follower replica's side of replication: first truncate to where the leader says our last epoch
// ended (KIP-101, looping while more than one epoch diverged: KIP-279), then fetch in a loop, each
// answer appended and the next fetch sent at once. Replies to superseded requests are ignored.
import type { NodeContext } from "../../sim/types.ts";
import type { LogBugFlags } from "./bugs.ts";
import type { LogClusterConfig } from "./config.ts";
import type { EpochEndReply, FetchReply, FetchRequest, PartitionState, StoredRecord } from "./messages.ts";
import type { PartitionLog } from "./partition-log.ts";

/** The replica this loop fetches for (partition.ts's Partition), as far as the loop uses it:
 *  named here so that the loop does not import the class that owns it. */
export interface FetchingReplica {
  readonly host: { readonly ctx: NodeContext; readonly config: LogClusterConfig; readonly bugs: LogBugFlags; nextRequestId(): number; registrationRecovering(): boolean };
  readonly topic: string;
  readonly partition: number;
  readonly log: PartitionLog;
  readonly state: PartitionState | undefined;
  readonly role: "leader" | "follower" | "none";
  readonly highWatermark: number;
  readonly leaderEpoch: number;
  truncateTo(offset: number): void;
  appendReplicated(records: readonly StoredRecord[], leaderHighWatermark: number): void;
}

/** A follower whose request failed waits this long before asking again. */
const RETRY_US = 20_000;

export class FollowerFetch {
  /** The request a reply must answer (older ones are superseded); null while idle. */
  private request: number | null = null;
  private retryAtUs = 0;
  private truncated = false;

  constructor(private readonly partition: FetchingReplica) {}

  /** A new leader epoch (or a restart): truncate before fetching again. */
  reset(): void {
    this.request = null;
    this.retryAtUs = 0;
    this.truncated = false;
  }

  /** The leader changed to us: whatever we had in flight is moot. */
  stop(): void {
    this.request = null;
  }

  /** On the broker's tick: an idle follower past its retry time asks again. */
  tick(nowUs: number): void {
    if (this.request === null && nowUs >= this.retryAtUs) this.start();
  }

  start(): void {
    const partition = this.partition;
    if (partition.role !== "follower") return;
    if (this.truncated) return this.sendFetch();
    if (partition.host.bugs.hwTruncation) {
      // Pre-KIP-101: trust our own high watermark, which lags the leader's (KAFKA-1211).
      partition.truncateTo(partition.highWatermark);
      this.truncated = true;
      return this.sendFetch();
    }
    const epochs = partition.log.epochs;
    if (epochs.latestEpoch < 0) {
      this.truncated = true;
      return this.sendFetch();
    }
    const id = partition.host.nextRequestId();
    this.request = id;
    partition.host.ctx.send(partition.state!.leader!, {
      type: "k.epoch-end", id, topic: partition.topic, partition: partition.partition,
      leaderEpoch: epochs.latestEpoch, currentLeaderEpoch: partition.leaderEpoch,
    });
  }

  onEpochEnd(reply: EpochEndReply): void {
    const partition = this.partition;
    if (reply.id !== this.request || partition.role !== "follower") return; // superseded: legal
    this.request = null;
    if (reply.error !== undefined) return this.retryLater();
    const log = partition.log;
    const asked = log.epochs.latestEpoch;
    // The leader's end of the largest epoch ≤ ours; if it never had ours, our own end of its epoch
    // bounds what we share (KIP-279), so take the smaller.
    const ours = reply.leaderEpoch === asked ? log.logEndOffset : log.epochs.endOf(reply.leaderEpoch, log.logEndOffset).endOffset;
    const target = reply.leaderEpoch < 0 ? log.logStartOffset : Math.min(reply.endOffset, ours);
    partition.truncateTo(target);
    if (reply.leaderEpoch !== asked && log.epochs.latestEpoch >= 0 && log.epochs.latestEpoch !== reply.leaderEpoch) {
      return this.start(); // more than one epoch diverged: ask again for the one we now end in
    }
    this.truncated = true;
    this.sendFetch();
  }

  private sendFetch(): void {
    const partition = this.partition;
    const id = partition.host.nextRequestId();
    this.request = id;
    const request: FetchRequest = {
      type: "k.fetch", id, topic: partition.topic, partition: partition.partition, offset: partition.log.logEndOffset,
      replica: partition.host.ctx.nodeId, leaderEpoch: partition.leaderEpoch, waitUsMax: partition.host.config.fetchWaitUsMax,
    };
    if (partition.host.registrationRecovering()) request.recovering = true;
    partition.host.ctx.send(partition.state!.leader!, request);
  }

  onFetchReply(reply: FetchReply): void {
    const partition = this.partition;
    if (reply.id !== this.request || partition.role !== "follower") return; // superseded: legal
    this.request = null;
    if (reply.error === "offset-out-of-range") {
      if (partition.log.logEndOffset < reply.logStartOffset) partition.log.resetTo(reply.logStartOffset);
      else partition.truncateTo(reply.highWatermark); // beyond the leader's end: only a bug build gets here
      return this.sendFetch();
    }
    if (reply.error !== undefined) return this.retryLater();
    partition.appendReplicated(reply.records, reply.highWatermark);
    this.sendFetch();
  }

  /** The connection to the leader broke: what was in flight is lost; try again after a pause. */
  leaderUnreachable(): void {
    if (this.partition.role === "follower" && this.request !== null) {
      this.request = null;
      this.retryLater();
    }
  }

  private retryLater(): void {
    this.retryAtUs = this.partition.host.ctx.now() + RETRY_US;
  }
}
