// One partition replica on one broker: the leader's side (appends, follower positions, the high
// watermark, ISR shrink and expand, acks) and the follower's appends and truncation, whose fetch loop
// is follower-fetch.ts. The broker routes requests here; the controller's LeaderAndIsr decides the role.
import type { NodeContext, NodeId } from "../../sim/types.ts";
import type { BrokerId, LogClusterConfig } from "./config.ts";
import type { LogBugFlags } from "./bugs.ts";
import type {
  EpochEndReply, FetchReply, FetchRequest, LogError, PartitionState, ProduceRequest, StoredRecord,
} from "./messages.ts";
import { PartitionLog } from "./partition-log.ts";
import { ProducerStateTable } from "./producer-state.ts";
import { FollowerFetch, type FetchingReplica } from "./follower-fetch.ts";
import { ParkedFetches } from "./parked-fetches.ts";

/** What a partition needs from its broker. */
export interface PartitionHost {
  readonly ctx: NodeContext;
  readonly config: LogClusterConfig;
  readonly bugs: LogBugFlags;
  nextRequestId(): number;
  /** Asks the controller to change the ISR; `done` gets the state it wrote, or nothing. */
  alterIsr(partition: Partition, isr: BrokerId[], done: (state: PartitionState | undefined) => void): void;
  /** The harness's eye on leadership changes (asserts one leader per epoch across brokers). */
  becameLeader(partition: Partition): void;
  /** This broker's registration still says it restarted uncleanly (see Broker.registrationRecovering). */
  registrationRecovering(): boolean;
}

interface FollowerPosition {
  /** The follower's log end as its last fetch told (-1: not fetched in this epoch yet). */
  logEndOffset: number;
  lastCaughtUpUs: number;
  /** The leader's log end when it answered the follower's previous fetch (Kafka's caught-up rule). */
  leaderEndAtLastFetch: number;
  lastFetchUs: number;
}

interface PendingAck {
  offset: number;
  deadlineUs: number;
  done: (error?: LogError) => void;
}

export type Role = FetchingReplica["role"];

export class Partition {
  readonly name: string;
  readonly log: PartitionLog;
  state: PartitionState | undefined;
  role: Role = "none";
  highWatermark: number;
  private producers: ProducerStateTable;
  private readonly followers = new Map<BrokerId, FollowerPosition>();
  private pendingAcks: PendingAck[] = [];
  private readonly parked: ParkedFetches;
  private isrChangeInFlight = false;
  /** The ISR last proposed to the controller and not yet confirmed or replaced. Until then the high
   *  watermark counts its members too (KIP-497's maximal ISR): the controller may already hold them
   *  in sync, and elect one. */
  private proposedIsr: BrokerId[] | undefined;
  /** Members of earlier proposals that went unanswered: the controller may have written any of them,
   *  so they count until it confirms a state (its writes are version-checked: a confirmed state follows
   *  every earlier write that could still succeed). Without this, a shrink proposed after an unanswered
   *  expand stopped counting the member the controller may already have put in the ISR, and elect. */
  private unsettledIsr: readonly BrokerId[] = [];
  private readonly follower: FollowerFetch;

  constructor(readonly host: PartitionHost, readonly topic: string, readonly partition: number) {
    this.name = `${topic}-${partition}`;
    this.parked = new ParkedFetches({
      ctx: host.ctx, lingerUs: host.config.fetchLingerUs,
      limitFor: (request) => this.limitFor(request), answer: (from, request) => this.answerFetch(from, request),
    }, `linger:${this.name}`);
    this.log = new PartitionLog(host.ctx.disk, `log/${this.name}`, host.config);
    this.highWatermark = this.log.checkpointedHighWatermark;
    this.producers = ProducerStateTable.rebuild(this.log.read(this.log.logStartOffset, Number.MAX_SAFE_INTEGER));
    this.follower = new FollowerFetch(this);
  }

  /** The timer tag of the fetch linger (the broker routes it to `lingered()`). */
  get lingerTag(): string {
    return this.parked.lingerTag;
  }

  get leaderEpoch(): number {
    return this.state?.leaderEpoch ?? -1;
  }

  get isr(): readonly BrokerId[] {
    return this.state?.isr ?? [];
  }

  private get me(): BrokerId {
    return this.host.ctx.nodeId;
  }

  private assert(ok: boolean, what: () => string): asserts ok {
    this.host.ctx.assert(ok, () => `${this.name}: ${what()}`);
  }

  // ---- role changes -----------------------------------------------------------------------

  /** A LeaderAndIsr entry the broker accepted for this partition. */
  applyState(state: PartitionState): void {
    const previous = this.state;
    // A restarted replica never resumes leading an epoch its log already has: it cannot know what it
    // acknowledged in it before the restart (its unflushed tail may be gone). Every election bumps
    // the epoch, so such an order is stale; the controller's next one names a new epoch.
    if (previous === undefined && state.leader === this.me && state.leaderEpoch <= this.log.epochs.latestEpoch) return;
    // A new leader within one epoch comes only from an unfenced, deposed controller (the
    // stale-controller switch); follow it as a new epoch rather than keep a role the state denies.
    const newEpoch = previous === undefined || state.leaderEpoch > previous.leaderEpoch || state.leader !== previous.leader;
    this.state = state;
    if (!newEpoch) {
      // An ISR or version refresh within the epoch: the controller's word.
      this.proposedIsr = undefined;
      this.unsettledIsr = [];
      return;
    }
    if (state.leader === this.me) this.becomeLeader();
    else this.becomeFollower();
  }

  private becomeLeader(): void {
    this.failPending("not-leader");
    this.role = "leader";
    this.followers.clear();
    const nowUs = this.host.ctx.now();
    for (const replica of this.state!.replicas) {
      if (replica !== this.me) this.followers.set(replica, { logEndOffset: -1, lastCaughtUpUs: nowUs, leaderEndAtLastFetch: 0, lastFetchUs: nowUs });
    }
    this.isrChangeInFlight = false;
    this.proposedIsr = undefined;
    this.unsettledIsr = [];
    this.follower.stop();
    this.log.epochs.assign(this.leaderEpoch, this.log.logEndOffset);
    this.host.becameLeader(this);
  }

  private becomeFollower(): void {
    this.failPending("not-leader");
    this.role = this.state!.leader === null ? "none" : "follower";
    this.followers.clear();
    this.follower.reset();
    if (this.role === "follower") this.follower.start();
  }

  private failPending(error: LogError): void {
    const acks = this.pendingAcks;
    this.pendingAcks = [];
    for (const ack of acks) ack.done(error);
    for (const fetch of this.parked.takeAll()) this.host.ctx.send(fetch.from, this.fetchError(fetch.request, error));
  }

  // ---- leader: writes ---------------------------------------------------------------------

  /** A produce from a client; `reply` is called once, with the offset or an error. */
  produce(request: ProduceRequest, reply: (offset: number | undefined, error?: LogError) => void): void {
    if (this.role !== "leader") return reply(undefined, "not-leader");
    if (request.acks === -1 && this.isr.length < this.host.config.minInsyncReplicas) return reply(undefined, "not-enough-replicas");
    let offset: number;
    if (request.producerId !== undefined && request.sequence !== undefined) {
      const check = this.producers.check(request.producerId, request.sequence);
      if (check.kind === "out-of-order") return reply(undefined, "out-of-order-sequence");
      offset = check.kind === "duplicate" ? check.offset : this.append(request.value, request.producerId, request.sequence);
    } else {
      offset = this.append(request.value);
    }
    if (request.acks !== -1) return reply(offset);
    this.awaitCommit(offset, (error) => reply(error === undefined ? offset : undefined, error));
  }

  /** Appends as leader (the group coordinator writes its records here too). */
  append(value: unknown, producerId?: number, sequence?: number): number {
    this.assert(this.role === "leader", () => "append while not the leader");
    const record: StoredRecord = { offset: this.log.logEndOffset, leaderEpoch: this.leaderEpoch, value, appendedUs: this.host.ctx.now() };
    if (producerId !== undefined) {
      record.producerId = producerId;
      record.sequence = sequence;
    }
    this.log.append(record);
    this.producers.apply(record);
    this.maybeAdvanceHighWatermark();
    this.parked.recordsAppended();
    return record.offset;
  }

  /** Calls `done` once the record at `offset` is below the high watermark (replicated to the ISR). */
  awaitCommit(offset: number, done: (error?: LogError) => void): void {
    if (offset < this.highWatermark) return done(this.isr.length >= this.host.config.minInsyncReplicas ? undefined : "not-enough-replicas-after-append");
    this.pendingAcks.push({ offset, deadlineUs: this.host.ctx.now() + this.host.config.produceTimeoutUs, done });
  }

  // ---- leader: fetches --------------------------------------------------------------------

  fetch(from: NodeId, request: FetchRequest): void {
    const error = this.fetchCheck(request);
    if (error !== undefined) return this.host.ctx.send(from, this.fetchError(request, error));
    if (request.replica !== undefined) this.followerFetched(request.replica, request.offset, request.recovering === true);
    const limit = this.limitFor(request);
    if (request.offset < this.log.logStartOffset || request.offset > limit) {
      return this.host.ctx.send(from, this.fetchError(request, "offset-out-of-range"));
    }
    if (request.offset === limit && request.waitUsMax > 0) return this.parked.park(from, request);
    this.answerFetch(from, request);
  }

  private fetchCheck(request: FetchRequest): LogError | undefined {
    if (this.role !== "leader") return "not-leader";
    if (request.leaderEpoch !== undefined && request.leaderEpoch < this.leaderEpoch) return "fenced-leader-epoch";
    if (request.leaderEpoch !== undefined && request.leaderEpoch > this.leaderEpoch) return "unknown-leader-epoch";
    return undefined;
  }

  /** A follower reads up to the log end, a consumer up to the high watermark. */
  private limitFor(request: FetchRequest): number {
    return request.replica !== undefined ? this.log.logEndOffset : this.highWatermark;
  }

  private answerFetch(from: NodeId, request: FetchRequest): void {
    const records = this.log.read(request.offset, this.host.config.fetchRecordsMax, this.limitFor(request));
    if (request.replica !== undefined) {
      const follower = this.followers.get(request.replica);
      if (follower) follower.leaderEndAtLastFetch = this.log.logEndOffset;
    }
    const reply: FetchReply = {
      type: "k.fetch-reply", id: request.id, topic: this.topic, partition: this.partition, records,
      highWatermark: this.highWatermark, logStartOffset: this.log.logStartOffset, leaderEpoch: this.leaderEpoch,
    };
    this.host.ctx.send(from, reply);
  }

  private fetchError(request: FetchRequest, error: LogError): FetchReply {
    return {
      type: "k.fetch-reply", id: request.id, topic: this.topic, partition: this.partition, records: [], error,
      highWatermark: this.highWatermark, logStartOffset: this.log.logStartOffset, leaderEpoch: this.leaderEpoch,
    };
  }

  /** A follower's fetch at `offset` says it holds everything below it (it truncated by epoch first). */
  private followerFetched(replica: BrokerId, offset: number, recovering: boolean): void {
    const follower = this.followers.get(replica);
    if (follower === undefined) return;
    const nowUs = this.host.ctx.now();
    follower.logEndOffset = Math.min(offset, this.log.logEndOffset);
    // Kafka's rule: caught up if it reached our end, or the end we had when it fetched last time.
    if (offset >= this.log.logEndOffset || offset >= follower.leaderEndAtLastFetch) follower.lastCaughtUpUs = nowUs;
    follower.lastFetchUs = nowUs;
    this.maybeAdvanceHighWatermark();
    if (!recovering) this.maybeExpandIsr(replica, follower);
  }

  epochEnd(leaderEpoch: number, currentLeaderEpoch: number, id: number): EpochEndReply {
    if (this.role !== "leader") return { type: "k.epoch-end-reply", id, leaderEpoch: -1, endOffset: -1, error: "not-leader" };
    if (currentLeaderEpoch < this.leaderEpoch) return { type: "k.epoch-end-reply", id, leaderEpoch: -1, endOffset: -1, error: "fenced-leader-epoch" };
    const end = this.log.epochs.endOf(leaderEpoch, this.log.logEndOffset);
    return { type: "k.epoch-end-reply", id, leaderEpoch: end.epoch, endOffset: end.endOffset };
  }

  // ---- leader: high watermark and ISR -------------------------------------------------------

  /** The ISR and any member a pending or unanswered proposal adds. */
  private get maximalIsr(): readonly BrokerId[] {
    const proposed = this.proposedIsr;
    if (proposed === undefined && this.unsettledIsr.length === 0) return this.isr;
    return union(union(this.isr, proposed ?? []), this.unsettledIsr);
  }

  private maybeAdvanceHighWatermark(): void {
    if (this.role !== "leader") return;
    let low = this.log.logEndOffset;
    for (const replica of this.maximalIsr) {
      if (replica === this.me) continue;
      const follower = this.followers.get(replica);
      low = Math.min(low, follower === undefined ? -1 : follower.logEndOffset);
    }
    if (low <= this.highWatermark) return;
    this.highWatermark = low;
    this.assertHighWatermark();
    this.completeAcks();
    this.parked.wake();
  }

  private assertHighWatermark(): void {
    for (const replica of this.maximalIsr) {
      const leo = replica === this.me ? this.log.logEndOffset : this.followers.get(replica)?.logEndOffset ?? -1;
      this.assert(this.highWatermark <= leo, () => `high watermark ${this.highWatermark} passes ISR member ${replica}'s log end ${leo}`);
    }
  }

  private completeAcks(): void {
    if (this.pendingAcks.length === 0) return;
    const enough = this.isr.length >= this.host.config.minInsyncReplicas;
    const still: PendingAck[] = [];
    for (const ack of this.pendingAcks) {
      if (ack.offset < this.highWatermark) ack.done(enough ? undefined : "not-enough-replicas-after-append");
      else still.push(ack);
    }
    this.pendingAcks = still;
  }

  private maybeExpandIsr(replica: BrokerId, follower: FollowerPosition): void {
    if (this.maximalIsr.includes(replica) || this.isrChangeInFlight) return;
    const epochStart = this.log.epochs.endOf(this.leaderEpoch - 1, this.log.logEndOffset).endOffset;
    if (follower.logEndOffset < this.highWatermark || follower.logEndOffset < Math.max(0, epochStart)) return;
    this.proposeIsr([...this.maximalIsr, replica]);
  }

  /** Periodic duties: ISR shrink, expired acks and parked fetches, retention, follower retries. */
  tick(): void {
    const nowUs = this.host.ctx.now();
    if (this.role === "leader") {
      const maximal = this.maximalIsr;
      const caughtUp = (replica: BrokerId) => this.followers.get(replica)?.lastCaughtUpUs ?? 0;
      const lagging = maximal.filter((replica) => replica !== this.me && nowUs - caughtUp(replica) > this.host.config.replicaLagTimeMaxUs);
      // The ISR never shrinks below min.insync.replicas (a simpler form of KIP-966's eligible leader
      // replicas): below it nothing more is committed, so the members kept hold every committed record,
      // and a leader that then loses power is not the only one left to elect (kafka-log seed 701162:
      // a leader back from a pause dropped both followers, lost power, and was elected again).
      const keep = Math.max(0, this.host.config.minInsyncReplicas - (maximal.length - lagging.length));
      const dropped = lagging.sort((a, b) => caughtUp(b) - caughtUp(a)).slice(keep);
      if (dropped.length > 0 && !this.isrChangeInFlight) this.proposeIsr(maximal.filter((replica) => !dropped.includes(replica)));
      if (this.pendingAcks.some((ack) => ack.deadlineUs <= nowUs)) {
        const expired = this.pendingAcks.filter((ack) => ack.deadlineUs <= nowUs);
        this.pendingAcks = this.pendingAcks.filter((ack) => ack.deadlineUs > nowUs);
        for (const ack of expired) ack.done("request-timeout");
      }
      this.parked.expire(nowUs);
    } else if (this.role === "follower") {
      this.follower.tick(nowUs);
    }
    if (this.log.applyRetention(nowUs, this.highWatermark)) this.producers = ProducerStateTable.rebuild(this.log.read(this.log.logStartOffset, Number.MAX_SAFE_INTEGER));
  }

  private proposeIsr(isr: BrokerId[]): void {
    this.isrChangeInFlight = true;
    this.proposedIsr = isr;
    const epoch = this.leaderEpoch;
    this.host.alterIsr(this, isr, (state) => {
      this.isrChangeInFlight = false;
      if (this.role !== "leader" || this.leaderEpoch !== epoch) return;
      // No answer: the write may have happened, so its members count until the controller confirms a state.
      if (state === undefined) {
        this.unsettledIsr = union(this.unsettledIsr, isr);
        return;
      }
      if (state.leaderEpoch !== epoch) return;
      this.state = state;
      this.proposedIsr = undefined;
      this.unsettledIsr = [];
      this.maybeAdvanceHighWatermark();
      this.completeAcks();
    });
  }

  /** The linger timer fired (the broker routes `lingerTag` here). */
  lingered(): void {
    this.parked.lingered();
  }

  // ---- follower (the fetch loop is follower-fetch.ts) --------------------------------------

  onEpochEnd(reply: EpochEndReply): void {
    this.follower.onEpochEnd(reply);
  }

  onFetchReply(reply: FetchReply): void {
    this.follower.onFetchReply(reply);
  }

  leaderUnreachable(): void {
    this.follower.leaderUnreachable();
  }

  /** Drops every record at `offset` and after (a follower's truncation). */
  truncateTo(offset: number): void {
    const dropsRecords = offset < this.log.logEndOffset;
    this.log.truncateTo(offset);
    if (!dropsRecords) return;
    this.highWatermark = Math.min(this.highWatermark, this.log.logEndOffset);
    this.producers = ProducerStateTable.rebuild(this.log.read(this.log.logStartOffset, Number.MAX_SAFE_INTEGER));
  }

  /** A follower appends what the leader sent and learns its high watermark. */
  appendReplicated(records: readonly StoredRecord[], leaderHighWatermark: number): void {
    if (records.length > 0) {
      this.assert(records[0]!.offset === this.log.logEndOffset,
        () => `fetched batch starts at ${records[0]!.offset}, log ends at ${this.log.logEndOffset}`);
      for (const record of records) {
        this.log.append(record);
        this.producers.apply(record);
      }
    }
    const highWatermark = Math.min(leaderHighWatermark, this.log.logEndOffset);
    if (highWatermark > this.highWatermark) this.highWatermark = highWatermark;
  }

  /** Writes the high watermark to disk (the flush makes it durable). */
  checkpoint(): void {
    if (this.log.checkpointedHighWatermark !== this.highWatermark) this.log.saveCheckpoint(this.highWatermark);
  }
}

function union(a: readonly BrokerId[], b: readonly BrokerId[]): readonly BrokerId[] {
  const extra = b.filter((member) => !a.includes(member));
  return extra.length === 0 ? a : [...a, ...extra];
}
