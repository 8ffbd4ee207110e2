// The master-election recipe (ZooKeeper's documented leader-election recipe): each candidate creates an ephemeral-sequential znode
// under /election; the lowest is master; every other candidate watches only its predecessor.
// The master's fencing token is its znode's czxid, which grows with every new master (a successor's
// znode is created after ours, or ours was deleted before it became lowest). The master writes to
// the protected resource only while its lease (lease.ts) holds on its own clock, and does
// each write as check-then-work-then-send, so a pause in the middle sends a stale write: exactly
// the race fencing exists for.
import type { Actor, NodeContext, NodeId } from "../../../sim/types.ts";
import type { ClientOptions, ZkClientApi, SessionState, WatchEvent, Result } from "../client/api.ts";
import { Lease } from "./lease.ts";
import { standing } from "./order.ts";
import { isResourceReply, type ResourceWrite } from "./resource.ts";
import { LEASE_IGNORES_DRIFT } from "./bugs.ts";

export interface CandidateConfig {
  servers: NodeId[];
  resource: NodeId;
  electionPath: string;
  sessionTimeoutMs: number;
  requestTimeoutMs: number;
  /** The bound on clock drift the deployment promises; the lease margin is derived from it. */
  driftPpmMax: number;
  heartbeatIntervalUs: number;
  /** A master checks its lease and starts one unit of work this often. */
  workIntervalUs: number;
  /** The work between the lease check and the write it leads to. */
  workUs: number;
  /** Waiting candidates re-read the children this often, in case a watch was lost with a connection. */
  recheckIntervalUs: number;
  bugs: readonly string[];
}

/** Harness hook: each lease check of a master (the harness turns these into true-time intervals). */
export interface MasterObserver {
  masterCheck(node: NodeId, token: number, acting: boolean): void;
}

export type ClientFactory = (ctx: NodeContext<unknown>, options: ClientOptions) => ZkClientApi;

type Role = "joining" | "waiting" | "master";

const TIMER = { work: "recipe:work", workDone: "recipe:work-done", heartbeat: "recipe:heartbeat", recheck: "recipe:recheck" } as const;

export class ElectionCandidate implements Actor<unknown> {
  private ctx!: NodeContext<unknown>;
  private client: ZkClientApi | undefined;
  /** Bumped with every new client, so callbacks of an abandoned session are ignored. */
  private sessionGeneration = 0;
  private role: Role = "joining";
  /** Name prefixes of the znodes this session created (a create whose reply was lost may still exist). */
  private tags: string[] = [];
  private mine: string | undefined;
  private watched: string | undefined;
  private token: number | undefined;
  private lease!: Lease;
  private acting = false;
  private working = false;
  /** A join or check request is outstanding: the recheck timer leaves it alone. */
  private busy = false;
  private writeSeq = 0;

  constructor(
    private readonly config: CandidateConfig,
    private readonly makeClient: ClientFactory,
    private readonly observer?: MasterObserver,
  ) {}

  /** For tests and the harness: who this candidate believes it is. */
  get state(): { role: Role; token: number | undefined; acting: boolean; mine: string | undefined } {
    return { role: this.role, token: this.token, acting: this.acting, mine: this.mine };
  }

  start(ctx: NodeContext<unknown>): void {
    this.ctx = ctx;
    this.lease = new Lease({
      sessionTimeoutUs: this.config.sessionTimeoutMs * 1_000,
      driftPpmMax: this.config.driftPpmMax,
      ignoresDrift: this.config.bugs.includes(LEASE_IGNORES_DRIFT),
    });
    ctx.setTimer(TIMER.work, this.config.workIntervalUs);
    ctx.setTimer(TIMER.heartbeat, this.config.heartbeatIntervalUs);
    ctx.setTimer(TIMER.recheck, this.config.recheckIntervalUs);
    this.newSession();
  }

  receive(from: NodeId, message: unknown): void {
    if (this.client?.receive(from, message)) return;
    if (isResourceReply(message)) this.onResourceReply(message.accepted, message.tokenHighest);
  }

  connection(peer: NodeId, state: "open" | "broken"): void {
    this.client?.connection(peer, state);
  }

  timer(tag: string): void {
    if (this.client?.timer(tag)) return;
    if (tag === TIMER.work) this.onWorkTick();
    else if (tag === TIMER.workDone) this.onWorkDone();
    else if (tag === TIMER.heartbeat) this.onHeartbeatTick();
    else if (tag === TIMER.recheck) this.onRecheckTick();
  }

  // ---- joining ----------------------------------------------------------------------------

  private newSession(): void {
    this.stopActing();
    // Bump first: closing fails the old session's requests at once, and their callbacks must see it gone.
    const generation = ++this.sessionGeneration;
    this.client?.close();
    this.role = "joining";
    this.tags = [];
    this.mine = undefined;
    this.watched = undefined;
    this.token = undefined;
    this.busy = false;
    this.lease.clear();
    const client = this.makeClient(this.ctx, {
      servers: this.config.servers,
      sessionTimeoutMs: this.config.sessionTimeoutMs,
      requestTimeoutMs: this.config.requestTimeoutMs,
      readMode: "linearizable",
      incarnation: generation,
    });
    this.client = client;
    client.onSessionState = (state) => { if (generation === this.sessionGeneration) this.onSessionState(state); };
    client.onWatch = (event) => { if (generation === this.sessionGeneration) this.onWatch(event); };
  }

  /** Wraps a callback so that it runs only if its session is still ours, and clears `busy`. */
  private guarded<T>(done: (result: Result<T>) => void): (result: Result<T>) => void {
    const generation = this.sessionGeneration;
    return (result) => {
      if (generation !== this.sessionGeneration) return;
      this.busy = false;
      if (!result.ok && result.error === "session-expired") this.newSession();
      else done(result);
    };
  }

  private onSessionState(state: SessionState): void {
    if (state === "expired") this.newSession();
    else if (state === "connected" && this.role === "joining" && !this.busy && this.mine === undefined) this.step();
  }

  /** The next join step from where we are. */
  private step(): void {
    if (this.client?.sessionId === null) return; // the "connected" event will call us
    if (this.mine === undefined && this.tags.length === 0) this.ensureParent();
    else this.check();
  }

  private ensureParent(): void {
    this.busy = true;
    this.client!.create(this.config.electionPath, "", "persistent", this.guarded((result) => {
      if (result.ok || result.error === "node-exists") this.createMine();
      // otherwise the recheck timer tries again
    }));
  }

  private createMine(): void {
    const tag = `c-${this.ctx.nodeId}-${this.ctx.rng.int(0, 0xffffff).toString(16)}-`;
    this.tags.push(tag);
    this.busy = true;
    this.client!.create(`${this.config.electionPath}/${tag}`, this.ctx.nodeId, "ephemeral-sequential", this.guarded((result) => {
      if (result.ok || result.error === "connection-loss") this.check();
      else if (result.error === "no-node") this.tags.pop(); // parent missing: the recheck starts over
    }));
  }

  /** Reads the candidates and decides: master, or watch the predecessor. */
  private check(): void {
    this.busy = true;
    this.client!.getChildren(this.config.electionPath, { mode: "linearizable" }, this.guarded((result) => {
      if (!result.ok) return; // the recheck timer tries again
      const seen = standing(result.value, (name) => this.tags.some((tag) => name.startsWith(tag)));
      for (const extra of seen.extras) this.client!.delete(this.childPath(extra), -1, () => {});
      if (seen.mine === undefined) {
        if (this.mine !== undefined) this.newSession(); // our znode is gone: our session ended
        else this.createMine();
        return;
      }
      this.mine = seen.mine;
      if (seen.predecessor === undefined) this.claimMaster();
      else this.watchPredecessor(seen.predecessor);
    }));
  }

  private watchPredecessor(predecessor: string): void {
    this.stopActing();
    this.role = "waiting";
    this.watched = predecessor;
    this.busy = true;
    this.client!.exists(this.childPath(predecessor), { watch: true, mode: "linearizable" }, this.guarded((result) => {
      if (result.ok && result.value === null) this.check(); // it went before our watch was set
    }));
  }

  private onWatch(event: WatchEvent): void {
    if (this.role === "waiting" && event.path === this.childPath(this.watched ?? "")) this.check();
  }

  private onRecheckTick(): void {
    this.ctx.setTimer(TIMER.recheck, this.config.recheckIntervalUs);
    if (this.role !== "master" && !this.busy) this.step();
  }

  // ---- master -----------------------------------------------------------------------------

  /** Lowest: read our znode's czxid (the token); the read's success also anchors the lease. */
  private claimMaster(): void {
    const sentLocalUs = this.ctx.now();
    this.busy = true;
    this.client!.exists(this.childPath(this.mine!), { mode: "linearizable" }, this.guarded((result) => {
      if (!result.ok) return;
      if (result.value === null) { this.newSession(); return; }
      this.ctx.assert(this.token === undefined || this.token === result.value.czxid,
        () => `recipe: token changed from ${this.token} to ${result.value!.czxid} within one session`);
      this.token = result.value.czxid;
      this.lease.extend(sentLocalUs);
      this.role = "master";
      this.onWorkTick();
    }));
  }

  private onHeartbeatTick(): void {
    this.ctx.setTimer(TIMER.heartbeat, this.config.heartbeatIntervalUs);
    if (this.role !== "master") return;
    const sentLocalUs = this.ctx.now();
    const token = this.token;
    this.client!.exists(this.childPath(this.mine!), { mode: "linearizable" }, this.guarded((result) => {
      if (!result.ok || this.role !== "master") return;
      if (result.value === null || result.value.czxid !== token) this.newSession(); // our znode expired with our session
      else this.lease.extend(sentLocalUs);
    }));
  }

  private onWorkTick(): void {
    this.ctx.setTimer(TIMER.work, this.config.workIntervalUs);
    if (this.role !== "master" || this.working) return;
    const acting = this.lease.validAt(this.ctx.now());
    if (acting || this.acting) this.observer?.masterCheck(this.ctx.nodeId, this.token!, acting);
    this.acting = acting;
    if (!acting) return;
    this.working = true;
    this.ctx.setTimer(TIMER.workDone, this.config.workUs);
  }

  /** Sends without looking at the lease again: a pause since the check makes this write stale. */
  private onWorkDone(): void {
    this.working = false;
    if (this.token === undefined) return;
    this.writeSeq++;
    const write: ResourceWrite = { type: "resource-write", token: this.token, seq: this.writeSeq, data: `${this.ctx.nodeId}:${this.writeSeq}` };
    this.ctx.send(this.config.resource, write);
  }

  private onResourceReply(accepted: boolean, tokenHighest: number): void {
    if (accepted || this.token === undefined || tokenHighest <= this.token) return;
    // Fenced: a newer master wrote. Our znode must be gone; step down and look again.
    this.stopActing();
    this.role = "joining";
    if (!this.busy) this.check();
  }

  private stopActing(): void {
    if (this.acting && this.token !== undefined) this.observer?.masterCheck(this.ctx.nodeId, this.token, false);
    this.acting = false;
    if (this.role === "master") this.role = "joining";
  }

  private childPath(name: string): string {
    return `${this.config.electionPath}/${name}`;
  }
}
