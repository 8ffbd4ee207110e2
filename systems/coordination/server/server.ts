// One ensemble server as an actor: election, then leader or follower role, plus the client-facing side.
// Everything it knows after a restart comes from its disk (storage.ts); nothing is shared with peers.
import type { Actor, NodeContext, NodeId } from "../../../sim/types.ts";
import { serverBugs, type ServerBugs } from "../bugs.ts";
import type { EnsembleConfig } from "../config.ts";
import { Database } from "../state/database.ts";
import { Election } from "./election.ts";
import { FollowerRole } from "./follower.ts";
import { LeaderRole } from "./leader.ts";
import type { ClientMessage, FollowerMessage, LeaderMessage, LogEntry, Notification, PeerState, Vote } from "../messages.ts";
import type { ServerHost, SyncStats, Upstream } from "./roles.ts";
import { ClientService } from "./serving.ts";
import { Storage, type EpochRecord } from "../state/storage.ts";
import type { ApplyOutcome } from "../state/tree.ts";

const TICK_TIMER = "zk.tick";

export class ZkServer implements Actor, ServerHost {
  ctx!: NodeContext;
  readonly bugs: ServerBugs;
  storage!: Storage;
  db!: Database;
  epochs!: EpochRecord;
  serving!: ClientService;
  role: PeerState = "looking";
  leaderRole: LeaderRole | null = null;
  followerRole: FollowerRole | null = null;
  private election!: Election;
  readonly syncsServed: SyncStats = { diff: 0, trunc: 0, snap: 0 };
  readonly syncsReceived: SyncStats = { diff: 0, trunc: 0, snap: 0 };
  /** Why this server last went looking (for tests and logs). */
  lastLookingReason = "";
  electionsStarted = 0;
  private readonly earlyInfos = new Map<NodeId, FollowerMessage>();

  constructor(readonly config: EnsembleConfig) {
    this.bugs = serverBugs(config.bugs);
  }

  start(ctx: NodeContext): void {
    this.ctx = ctx;
    const bootId = ctx.rng.int(1, 2 ** 30);
    this.storage = new Storage(ctx.disk, bootId);
    const recovered = this.storage.recover();
    this.epochs = recovered.epochs;
    this.db = new Database(ctx, this.storage, this.bugs, this.config.snapshotEvery, recovered);
    this.db.onApply = (entry, outcome) => this.onApply(entry, outcome);
    this.serving = new ClientService(ctx, this.config, () => this.db, bootId);
    this.election = new Election(this);
    ctx.setTimer(TICK_TIMER, this.config.tickUs);
    this.goLooking("boot");
  }

  receive(from: NodeId, message: unknown): void {
    const type = (message as { type?: unknown }).type;
    if (typeof type !== "string") return;
    switch (type.charCodeAt(0)) {
      case 101: return this.election.receive(from, message as Notification); // "e."
      case 108: return this.followerRole?.receive(from, message as LeaderMessage); // "l."
      case 102: return this.receiveFromFollower(from, message as FollowerMessage); // "f."
      case 99: return this.serving.receive(from, message as ClientMessage); // "c."
    }
  }

  timer(tag: string): void {
    if (tag === TICK_TIMER) {
      this.ctx.setTimer(TICK_TIMER, this.config.tickUs);
      this.leaderRole?.tick();
      this.followerRole?.tick();
      return;
    }
    this.election.timer(tag);
  }

  connection(peer: NodeId, state: "open" | "broken"): void {
    if (state !== "broken") return;
    this.serving.clientBroken(peer);
    this.leaderRole?.learnerBroken(peer);
    this.followerRole?.connectionBroken(peer);
  }

  fsynced(tag: string): void {
    this.storage.fsynced(tag);
  }

  // ---- ServerHost ----

  persistEpochs(update: Partial<EpochRecord>, then: () => void): void {
    this.epochs = { ...this.epochs, ...update };
    this.storage.writeEpochs(this.epochs);
    this.storage.sync(then);
  }

  goLooking(reason: string): void {
    this.lastLookingReason = reason;
    this.ctx.log(`looking: ${reason}`);
    this.leaderRole?.stop();
    this.followerRole?.stop();
    this.leaderRole = null;
    this.followerRole = null;
    this.serving.stop();
    this.role = "looking";
    this.electionsStarted++;
    this.election.start();
  }

  startServing(upstream: Upstream): void {
    this.serving.start(upstream);
  }

  syncDone(syncId: number): void {
    this.serving.syncDone(syncId);
  }

  revalidated(session: string, request: string, valid: boolean): void {
    this.serving.revalidated(session, request, valid);
  }

  // ---- ElectionHost ----

  selfVote(): Vote {
    return { leader: this.ctx.nodeId, zxid: this.db.lastLoggedZxid, epoch: this.epochs.currentEpoch };
  }

  peerState(): PeerState {
    return this.role;
  }

  decided(leader: NodeId): void {
    const earlyInfos = [...this.earlyInfos];
    this.earlyInfos.clear();
    this.ctx.log(`election round ${this.election.round}: ${leader} leads`);
    if (leader === this.ctx.nodeId) {
      this.role = "leading";
      this.leaderRole = new LeaderRole(this);
      this.leaderRole.start();
      for (const [from, info] of earlyInfos) this.leaderRole?.receive(from, info);
    } else {
      this.role = "following";
      this.followerRole = new FollowerRole(this, leader);
      this.followerRole.start();
    }
  }

  // ---- inspection (tests and harness) ----

  /** The leader this server follows or is, or null while looking. */
  get leaderId(): NodeId | null {
    if (this.leaderRole) return this.ctx.nodeId;
    return this.followerRole?.leader ?? null;
  }

  /** True once it leads an established epoch or follows in broadcast: it serves clients. */
  get isServing(): boolean {
    return this.serving.serving;
  }

  /** A follower may decide before we do: keep its FOLLOWERINFO, as a listening socket's backlog would. */
  private receiveFromFollower(from: NodeId, message: FollowerMessage): void {
    if (this.leaderRole) return this.leaderRole.receive(from, message);
    if (this.role === "looking" && message.type === "f.info") this.earlyInfos.set(from, message);
  }

  private onApply(entry: LogEntry, outcome: ApplyOutcome): void {
    this.leaderRole?.applied(entry.txn);
    this.serving.applied(entry, outcome);
  }
}
