// The leader's side of ZAB: discovery (choose a new epoch from a quorum's acceptedEpoch), synchronisation
// of each follower (DIFF, TRUNC or SNAP, then NEWLEADER), then broadcast (propose, count durable ACKs,
// commit on a quorum, itself included after its own fsync). Steps down when it stops hearing a quorum.
import type { NodeId } from "../../../sim/types.ts";
import type { Zxid } from "../client/api.ts";
import { quorumSize } from "../config.ts";
import type { FollowerMessage, LeaderMessage, LogEntry, SyncMode, Txn, TxnRequest } from "../messages.ts";
import type { ServerHost, Upstream } from "./roles.ts";
import { SessionTracker } from "./sessions.ts";
import { formatZxid, makeZxid } from "../state/zxid.ts";

interface Learner {
  id: NodeId;
  acceptedEpoch: number;
  /** Filled by ACKEPOCH. */
  ackedEpoch: boolean;
  currentEpoch: number;
  lastZxid: Zxid;
  /** Sent its sync: receives every later proposal and commit. */
  forwarding: boolean;
  /** ACKed NEWLEADER: counts towards commit quorums. */
  synced: boolean;
  /** The highest zxid it has durably logged (from its ACKs). */
  ackedZxid: Zxid;
  /** The leader's tick count when it last heard from this learner. */
  lastHeardTick: number;
}

type Phase = "discovery" | "sync" | "broadcast";

export class LeaderRole implements Upstream {
  alive = true;
  phase: Phase = "discovery";
  /** The new epoch, once chosen (0 before). */
  epoch = 0;
  readonly sessions: SessionTracker;
  private epochPersisted = false;
  /** Its own NEWLEADER ack: currentEpoch persisted. */
  private selfSynced = false;
  private selfDurableZxid: Zxid = 0;
  private counter = 0;
  private readonly learners = new Map<NodeId, Learner>();
  private pendingSyncs: Array<{ zxid: Zxid; peer: NodeId | null; syncId: number }> = [];
  /**
   * Limits count the leader's own ticks, as ZooKeeper's leader does: a leader that was paused (a GC pause,
   * a frozen VM) has counted no ticks meanwhile, so it goes on believing it leads for a while after it wakes.
   */
  private tickCount = 0;
  private readonly ackScratch: Zxid[] = [];
  private readonly quorum: number;

  constructor(private readonly host: ServerHost) {
    this.sessions = new SessionTracker(() => host.ctx.now());
    this.quorum = quorumSize(host.config);
  }

  start(): void {
    this.maybeChooseEpoch();
  }

  stop(): void {
    this.alive = false;
  }

  get established(): boolean {
    return this.phase === "broadcast";
  }

  receive(from: NodeId, message: FollowerMessage): void {
    if (message.type === "f.info") return this.onInfo(from, message.acceptedEpoch);
    const learner = this.learners.get(from);
    if (learner === undefined || message.epoch !== this.epoch) return; // a superseded handshake: legal
    learner.lastHeardTick = this.tickCount;
    switch (message.type) {
      case "f.ackepoch": return this.onAckEpoch(learner, message.currentEpoch, message.lastZxid);
      case "f.ack-newleader": return this.onAckNewLeader(learner, message.zxid);
      case "f.ack":
        if (message.zxid > learner.ackedZxid) learner.ackedZxid = message.zxid;
        return this.recomputeCommit();
      case "f.ping-reply":
        for (const session of message.touched) this.sessions.touch(session);
        return;
      case "f.request": return this.forward(message.request);
      case "f.sync": return this.syncFor(from, message.syncId);
      case "f.revalidate": {
        const { valid, timeoutMs } = this.checkSession(message.session);
        return this.send(from, { type: "l.revalidate-reply", epoch: this.epoch, session: message.session, request: message.request, valid, timeoutMs });
      }
    }
  }

  learnerBroken(peer: NodeId): void {
    // Its stream lost messages: it must go through discovery and sync again.
    this.learners.delete(peer);
  }

  tick(): void {
    this.tickCount++;
    const { initLimitTicks, syncLimitTicks } = this.host.config;
    if (this.phase !== "broadcast") {
      if (this.tickCount > initLimitTicks) this.host.goLooking("not established within initLimit");
      return;
    }
    let heard = 1;
    for (const learner of this.learners.values()) {
      if (learner.synced && this.tickCount - learner.lastHeardTick <= syncLimitTicks) heard++;
    }
    if (heard < this.quorum) return this.host.goLooking("lost contact with a quorum");
    const ping: LeaderMessage = { type: "l.ping", epoch: this.epoch, commitZxid: this.host.db.committedZxid };
    for (const learner of this.learners.values()) if (learner.forwarding) this.send(learner.id, ping);
    for (const session of this.sessions.takeExpired()) this.propose({ kind: "closeSession", session, origin: null });
  }

  /** Called by the server for every applied transaction while this role leads. */
  applied(txn: Txn): void {
    if (txn.kind === "createSession") this.sessions.add(txn.session, txn.timeoutMs);
    else if (txn.kind === "closeSession") this.sessions.remove(txn.session);
  }

  // ---- Upstream, for this server's own clients ----

  forward(request: TxnRequest): void {
    if (request.kind === "op") this.sessions.touch(request.session);
    if (request.kind === "closeSession") this.sessions.markClosing(request.session);
    this.propose(request);
  }

  sync(syncId: number): void {
    this.syncFor(null, syncId);
  }

  revalidate(session: string, request: string): void {
    const { valid, timeoutMs } = this.checkSession(session);
    this.host.revalidated(session, request, valid, timeoutMs);
  }

  touch(session: string): void {
    this.sessions.touch(session);
  }

  // ---- discovery ----

  private onInfo(from: NodeId, acceptedEpoch: number): void {
    this.learners.set(from, {
      id: from, acceptedEpoch, ackedEpoch: false, currentEpoch: 0, lastZxid: 0,
      forwarding: false, synced: false, ackedZxid: 0, lastHeardTick: this.tickCount,
    });
    if (this.epochPersisted) this.send(from, { type: "l.leaderinfo", epoch: this.epoch });
    else this.maybeChooseEpoch();
  }

  private maybeChooseEpoch(): void {
    if (this.epoch !== 0 || 1 + this.learners.size < this.quorum) return;
    let highest = this.host.epochs.acceptedEpoch;
    for (const learner of this.learners.values()) highest = Math.max(highest, learner.acceptedEpoch);
    this.epoch = highest + 1;
    this.host.ctx.assert(this.epoch > this.host.epochs.currentEpoch, () => `new epoch ${this.epoch} is not above the current one`);
    this.host.persistEpochs({ acceptedEpoch: this.epoch }, () => {
      if (!this.alive) return;
      this.epochPersisted = true;
      for (const learner of this.learners.values()) this.send(learner.id, { type: "l.leaderinfo", epoch: this.epoch });
      this.maybeFinishDiscovery();
    });
  }

  private onAckEpoch(learner: Learner, currentEpoch: number, lastZxid: Zxid): void {
    const self = this.host.epochs.currentEpoch;
    const selfZxid = this.host.db.lastLoggedZxid;
    if (currentEpoch > self || (currentEpoch === self && lastZxid > selfZxid)) {
      // The election picked a server behind a follower: its history would lose that follower's entries.
      return this.host.goLooking(`follower ${learner.id} is ahead (epoch ${currentEpoch}, ${formatZxid(lastZxid)})`);
    }
    if (learner.ackedEpoch) return; // a repeated handshake
    learner.ackedEpoch = true;
    learner.currentEpoch = currentEpoch;
    learner.lastZxid = lastZxid;
    if (this.phase === "discovery") this.maybeFinishDiscovery();
    else this.syncLearner(learner);
  }

  private maybeFinishDiscovery(): void {
    if (this.phase !== "discovery" || !this.epochPersisted) return;
    let acked = 1;
    for (const learner of this.learners.values()) if (learner.ackedEpoch) acked++;
    if (acked < this.quorum) return;
    this.phase = "sync";
    const me = this.host.ctx.nodeId;
    this.host.persistEpochs({ currentEpoch: this.epoch, currentLeader: me }, () => {
      if (!this.alive) return;
      // No proposals during sync: the whole log is covered by this fsync.
      this.selfSynced = true;
      this.selfDurableZxid = this.host.db.lastLoggedZxid;
      this.maybeEstablish();
    });
    for (const learner of this.learners.values()) if (learner.ackedEpoch) this.syncLearner(learner);
  }

  // ---- synchronisation ----

  private syncLearner(learner: Learner): void {
    const db = this.host.db;
    const followerZxid = learner.lastZxid;
    let mode: SyncMode;
    let truncZxid = 0;
    let snapshot: unknown = null;
    let snapshotZxid = 0;
    let entries: LogEntry[];
    if (followerZxid >= db.logStartZxid) {
      // Where its history meets ours: everything it has beyond that was never committed.
      const meet = db.floorZxid(followerZxid);
      mode = meet === followerZxid || this.host.bugs.skipTrunc ? "diff" : "trunc";
      truncZxid = meet;
      entries = db.entriesAfter(meet);
    } else {
      mode = "snap";
      snapshot = db.serializeCommitted();
      snapshotZxid = db.committedZxid;
      entries = db.entriesAfter(snapshotZxid);
    }
    this.host.syncsServed[mode]++;
    learner.forwarding = true;
    this.send(learner.id, { type: "l.newleader", epoch: this.epoch, mode, truncZxid, snapshot, snapshotZxid, entries });
  }

  private onAckNewLeader(learner: Learner, zxid: Zxid): void {
    learner.synced = true;
    learner.ackedZxid = Math.max(learner.ackedZxid, zxid);
    if (this.phase === "sync") return this.maybeEstablish();
    if (this.phase === "broadcast") {
      this.send(learner.id, { type: "l.uptodate", epoch: this.epoch, commitZxid: this.host.db.committedZxid });
      this.recomputeCommit();
    }
  }

  private maybeEstablish(): void {
    if (this.phase !== "sync" || !this.selfSynced) return;
    let synced = 1;
    for (const learner of this.learners.values()) if (learner.synced) synced++;
    if (synced < this.quorum) return;
    this.phase = "broadcast";
    this.host.ctx.log(`leader of epoch ${this.epoch} established`);
    this.recomputeCommit(); // the whole initial history is now committed by this quorum
    const uptodate: LeaderMessage = { type: "l.uptodate", epoch: this.epoch, commitZxid: this.host.db.committedZxid };
    for (const learner of this.learners.values()) if (learner.synced) this.send(learner.id, uptodate);
    this.sessions.reset(this.host.db.tree.sessionTimeouts());
    this.host.startServing(this);
  }

  // ---- broadcast ----

  private propose(request: TxnRequest): void {
    if (this.phase !== "broadcast") return; // the origin's client times out: unknown outcome
    const zxid = makeZxid(this.epoch, ++this.counter);
    const txn: Txn = request.kind === "createSession"
      ? { kind: "createSession", session: `s${zxid.toString(16)}`, timeoutMs: request.timeoutMs, origin: request.origin }
      : request;
    const entry: LogEntry = { zxid, txn };
    this.host.db.append(entry);
    const proposal: LeaderMessage = { type: "l.proposal", epoch: this.epoch, entry };
    for (const learner of this.learners.values()) if (learner.forwarding) this.send(learner.id, proposal);
    this.host.storage.sync(() => {
      if (!this.alive) return;
      if (zxid > this.selfDurableZxid) this.selfDurableZxid = zxid;
      this.recomputeCommit();
    });
  }

  /** Commit point: the highest zxid durably logged by a quorum (the leader itself included). */
  private recomputeCommit(): void {
    if (this.phase !== "broadcast") return;
    const db = this.host.db;
    const committed = db.committedZxid;
    // The quorum-th largest acknowledged zxid, by insertion into a small reused array (hot path). Its
    // first `count` slots are this call's; it is never emptied, since V8 frees the store of an array
    // whose length drops to 0 and the next push would allocate another.
    let count = this.insertAck(this.selfDurableZxid, 0);
    for (const learner of this.learners.values()) {
      if (learner.synced && learner.ackedZxid > committed) count = this.insertAck(learner.ackedZxid, count);
    }
    if (count < this.quorum) return;
    const commitZxid = Math.min(this.ackScratch[this.quorum - 1]!, db.lastLoggedZxid);
    if (commitZxid <= committed) return;
    db.commitTo(commitZxid);
    if (!this.alive) return;
    const commit: LeaderMessage = { type: "l.commit", epoch: this.epoch, zxid: commitZxid };
    for (const learner of this.learners.values()) if (learner.forwarding) this.send(learner.id, commit);
    this.flushSyncs();
  }

  /** Keeps ackScratch[0 .. count) sorted in decreasing order; returns the new count. */
  private insertAck(zxid: Zxid, count: number): number {
    const top = this.ackScratch;
    let index = count;
    while (index > 0 && top[index - 1]! < zxid) {
      top[index] = top[index - 1]!;
      index--;
    }
    top[index] = zxid;
    return count + 1;
  }

  private syncFor(peer: NodeId | null, syncId: number): void {
    this.pendingSyncs.push({ zxid: this.host.db.lastLoggedZxid, peer, syncId });
    this.flushSyncs();
  }

  /** A sync is answered after every proposal made before it is committed (behind those COMMITs). */
  private flushSyncs(): void {
    const committed = this.host.db.committedZxid;
    let done = 0;
    while (done < this.pendingSyncs.length && this.pendingSyncs[done]!.zxid <= committed) {
      const { peer, syncId } = this.pendingSyncs[done]!;
      if (peer === null) this.host.syncDone(syncId);
      else this.send(peer, { type: "l.sync-reply", epoch: this.epoch, syncId });
      done++;
    }
    if (done > 0) this.pendingSyncs = this.pendingSyncs.slice(done);
  }

  private checkSession(session: string): { valid: boolean; timeoutMs: number } {
    const timeoutMs = this.host.db.tree.sessionTimeouts().get(session) ?? 0;
    const valid = this.phase === "broadcast" && timeoutMs > 0 && this.sessions.isLive(session);
    if (valid) this.sessions.touch(session);
    return { valid, timeoutMs };
  }

  private send(peer: NodeId, message: LeaderMessage): void {
    this.host.ctx.send(peer, message);
  }
}
