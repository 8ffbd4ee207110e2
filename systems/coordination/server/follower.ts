// The follower's side of ZAB: report its acceptedEpoch, persist the new epoch before acknowledging it,
// apply the leader's sync (DIFF, TRUNC or SNAP), persist currentEpoch before acknowledging NEWLEADER,
// then log every proposal and ACK it only once fsynced; apply commits in zxid order.
import type { NodeId } from "../../../sim/types.ts";
import type { FollowerMessage, LeaderMessage, LogEntry, TxnRequest } from "../messages.ts";
import type { ServerHost, Upstream } from "./roles.ts";
import type { SerializedTree } from "../state/tree.ts";
import { epochOf, formatZxid } from "../state/zxid.ts";

type Phase = "discovery" | "syncing" | "synced" | "broadcast";

export class FollowerRole implements Upstream {
  alive = true;
  phase: Phase = "discovery";
  /** The leader's epoch, once LEADERINFO told it. */
  epoch = 0;
  private lastHeardUs: number;
  private readonly startedUs: number;
  /** Sessions whose clients showed signs of life since the last ping reply. */
  private touched = new Set<string>();
  private epochAckPending = false;

  constructor(private readonly host: ServerHost, readonly leader: NodeId) {
    this.startedUs = this.lastHeardUs = host.ctx.now();
  }

  start(): void {
    this.send({ type: "f.info", acceptedEpoch: this.host.epochs.acceptedEpoch });
  }

  stop(): void {
    this.alive = false;
  }

  receive(from: NodeId, message: LeaderMessage): void {
    if (from !== this.leader || (message.type !== "l.leaderinfo" && message.epoch !== this.epoch)) {
      return this.receiveStale(from, message);
    }
    this.lastHeardUs = this.host.ctx.now();
    switch (message.type) {
      case "l.leaderinfo": return this.onLeaderInfo(message.epoch);
      case "l.newleader": return this.onNewLeader(message);
      case "l.uptodate":
        if (this.phase !== "synced") return;
        this.host.db.commitTo(message.commitZxid);
        this.phase = "broadcast";
        return this.host.startServing(this);
      case "l.proposal": return this.onProposal(message.entry);
      case "l.commit":
        if (this.phase === "synced" || this.phase === "broadcast") this.host.db.commitTo(message.zxid);
        return;
      case "l.ping":
        this.send({ type: "f.ping-reply", epoch: this.epoch, touched: [...this.touched] });
        this.touched.clear();
        return;
      case "l.sync-reply": return this.host.syncDone(message.syncId);
      case "l.revalidate-reply":
        return this.host.revalidated(message.session, message.request, message.valid, message.timeoutMs);
    }
  }

  /** A message from a server that is not our leader, or of another epoch: a deposed leader's, legally. */
  private receiveStale(from: NodeId, message: LeaderMessage): void {
    if (!this.host.bugs.noEpochCheck) return;
    // Bug: we answer whoever claims to lead, so a deposed leader still finds its quorum.
    if (message.type === "l.proposal") this.host.ctx.send(from, { type: "f.ack", epoch: message.epoch, zxid: message.entry.zxid });
    else if (message.type === "l.ping") this.host.ctx.send(from, { type: "f.ping-reply", epoch: message.epoch, touched: [] });
  }

  connectionBroken(peer: NodeId): void {
    if (peer === this.leader) this.host.goLooking(`lost the connection to leader ${peer}`);
  }

  tick(): void {
    if (this.host.bugs.ackBeforeFsync) this.host.storage.sync(() => {}); // the bug's lazy flush
    const nowUs = this.host.ctx.now();
    const { tickUs, initLimitTicks, syncLimitTicks } = this.host.config;
    if (this.phase !== "broadcast" && nowUs - this.startedUs > initLimitTicks * tickUs) {
      return this.host.goLooking("not synced within initLimit");
    }
    // The leader may not have been listening yet (still finishing its election): ask again.
    if (this.phase === "discovery" && !this.epochAckPending) this.start();
    if (nowUs - this.lastHeardUs > syncLimitTicks * tickUs) this.host.goLooking(`nothing from leader ${this.leader} for syncLimit`);
  }

  // ---- Upstream: everything goes to the leader over our one FIFO connection ----

  forward(request: TxnRequest): void {
    this.send({ type: "f.request", epoch: this.epoch, request });
  }

  sync(syncId: number): void {
    this.send({ type: "f.sync", epoch: this.epoch, syncId });
  }

  revalidate(session: string, request: string): void {
    this.send({ type: "f.revalidate", epoch: this.epoch, session, request });
  }

  touch(session: string): void {
    this.touched.add(session);
  }

  // ---- discovery and sync ----

  private onLeaderInfo(epoch: number): void {
    const accepted = this.host.epochs.acceptedEpoch;
    if (this.phase !== "discovery" || this.epochAckPending) return;
    // Bug no-epoch-check: we follow a leader of an older epoch than one we already accepted.
    if (epoch < accepted && !this.host.bugs.noEpochCheck) {
      return this.host.goLooking(`leader ${this.leader} offers epoch ${epoch} < accepted ${accepted}`);
    }
    this.epoch = epoch;
    this.epochAckPending = true;
    const ack = () => {
      if (!this.alive) return;
      const { currentEpoch } = this.host.epochs;
      this.send({ type: "f.ackepoch", epoch, currentEpoch, lastZxid: this.host.db.lastLoggedZxid });
      this.phase = "syncing";
    };
    // Once acceptedEpoch is durable we never listen to an older leader again.
    if (epoch > accepted) this.host.persistEpochs({ acceptedEpoch: epoch }, ack);
    else ack();
  }

  private onNewLeader(message: Extract<LeaderMessage, { type: "l.newleader" }>): void {
    if (this.phase !== "syncing") return;
    const { db, epochs, bugs } = this.host;
    this.host.ctx.assert(bugs.noEpochCheck || !(epochs.currentEpoch === message.epoch && epochs.currentLeader !== null && epochs.currentLeader !== this.leader),
      () => `two leaders for epoch ${message.epoch}: ${epochs.currentLeader} and ${this.leader}`);
    this.host.syncsReceived[message.mode]++;
    if (message.mode === "snap") {
      db.installSnapshot(message.snapshot as SerializedTree, message.entries);
    } else {
      if (message.mode === "trunc") db.truncateAfter(message.truncZxid);
      for (const entry of message.entries) {
        // Only skip-trunc leaves entries of ours beyond the leader's history; drop overlaps then.
        if (entry.zxid <= db.lastLoggedZxid && bugs.skipTrunc) continue;
        db.append(entry);
      }
    }
    this.phase = "synced";
    const syncedZxid = db.lastLoggedZxid;
    this.host.persistEpochs({ currentEpoch: message.epoch, currentLeader: this.leader }, () => {
      if (this.alive) this.send({ type: "f.ack-newleader", epoch: message.epoch, zxid: syncedZxid });
    });
  }

  private onProposal(entry: LogEntry): void {
    if (this.phase !== "synced" && this.phase !== "broadcast") return;
    const zxid = entry.zxid;
    this.host.ctx.assert(epochOf(zxid) === this.epoch, () => `proposal ${formatZxid(zxid)} in epoch ${this.epoch}`);
    this.host.db.append(entry);
    // Bug: the ACK leaves at once; the log is flushed only once a tick (tick()), so a power loss
    // within a tick of the ACK loses a proposal the leader may have committed.
    if (this.host.bugs.ackBeforeFsync) return this.send({ type: "f.ack", epoch: this.epoch, zxid });
    this.host.storage.sync(() => {
      if (this.alive) this.send({ type: "f.ack", epoch: this.epoch, zxid });
    });
  }

  private send(message: FollowerMessage): void {
    this.host.ctx.send(this.leader, message);
  }
}
