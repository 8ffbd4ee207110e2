// The client library (ZkClientApi) running inside a hosting actor, which routes receive/timer/connection
// to it. One server at a time; fails over on connection loss and keeps its session if a server accepts
// it within the timeout. A request whose reply may be lost completes as connection-loss, never guessed.
import type { NodeContext, NodeId } from "../../../sim/types.ts";
import type {
  ClientOptions, CreateMode, MultiOp, ReadMode, Result, SessionState, Stat, WatchEvent, ZkClientApi, ZkError, Zxid,
} from "./api.ts";
import type { ClientMessage, ClientOp, ServerToClient } from "../messages.ts";

export interface ZkClientOptions extends ClientOptions {
  /** Prefix of this client's timer tags, when one actor hosts several clients. */
  timerPrefix?: string;
}

/** Request numbers each incarnation of a host's client may use before the next one's range. */
const CXIDS_PER_INCARNATION = 1_000_000_000;

interface Request {
  cxid: number;
  op: ClientOp;
  done: (result: Result<unknown>) => void;
  deadlineUs: number;
}

export class ZkClient implements ZkClientApi {
  sessionId: string | null = null;
  state: SessionState | "connecting" = "connecting";
  onWatch: (event: WatchEvent) => void = () => {};
  onSessionState: (state: SessionState) => void = () => {};
  /** The zxid of the newest state this client has seen: it never connects to an older server. */
  lastZxidSeen: Zxid = 0;
  /** The server it talks to (connecting or connected), for tests. */
  server: NodeId | null = null;
  /** How many times it established a connection (the first one included). */
  connections = 0;

  private connected = false;
  private dead = false;
  private readonly order: NodeId[];
  private nextServer = 0;
  private attemptsSinceConnected = 0;
  private connectCxid = -1;
  private waitingToConnect = false;
  private cxid = 0;
  private timeoutMs: number;
  /** Sent and unanswered, in send order (the server answers in the same order). */
  private sent: Request[] = [];
  /** Not sent yet: issued while no server was connected. */
  private queued: Request[] = [];
  private requestTimerArmed = false;
  private lastHeardUs = 0;
  private lastSentUs = 0;
  private readonly watches = { data: new Set<string>(), exist: new Set<string>(), child: new Set<string>() };
  private readonly tags: { ping: string; connect: string; request: string; prefix: string };
  private readonly servers: ReadonlySet<NodeId>;

  constructor(private readonly ctx: NodeContext, private readonly options: ZkClientOptions) {
    this.cxid = ((options.incarnation ?? 1) - 1) * CXIDS_PER_INCARNATION;
    const prefix = options.timerPrefix ?? "zkc.";
    this.tags = { prefix, ping: `${prefix}ping`, connect: `${prefix}connect`, request: `${prefix}request` };
    this.servers = new Set(options.servers);
    this.order = ctx.rng.shuffle(options.servers);
    this.timeoutMs = options.sessionTimeoutMs;
    this.connect();
    ctx.setTimer(this.tags.ping, this.pingIntervalUs());
  }

  // ---- ZkClientApi ----

  create(path: string, data: string, mode: CreateMode, done: (r: Result<{ path: string }>) => void): void {
    this.request({ op: "create", path, data, mode }, done);
  }

  delete(path: string, version: number, done: (r: Result<{}>) => void): void {
    this.request({ op: "delete", path, version }, done);
  }

  setData(path: string, data: string, version: number, done: (r: Result<Stat>) => void): void {
    this.request({ op: "setData", path, data, version }, done);
  }

  getData(path: string, options: { watch?: boolean; mode?: ReadMode }, done: (r: Result<{ data: string; stat: Stat }>) => void): void {
    this.request({ op: "getData", path, watch: options.watch ?? false, mode: options.mode ?? this.options.readMode }, done);
  }

  exists(path: string, options: { watch?: boolean; mode?: ReadMode }, done: (r: Result<Stat | null>) => void): void {
    this.request({ op: "exists", path, watch: options.watch ?? false, mode: options.mode ?? this.options.readMode }, done);
  }

  getChildren(path: string, options: { watch?: boolean; mode?: ReadMode }, done: (r: Result<string[]>) => void): void {
    this.request({ op: "getChildren", path, watch: options.watch ?? false, mode: options.mode ?? this.options.readMode }, done);
  }

  sync(path: string, done: (r: Result<{}>) => void): void {
    this.request({ op: "sync", path }, done);
  }

  multi(ops: MultiOp[], done: (r: Result<Array<{ path?: string; stat?: Stat }>>) => void): void {
    this.request({ op: "multi", ops }, done);
  }

  close(): void {
    if (this.dead) return;
    if (this.connected && this.server !== null) this.send({ type: "c.close", cxid: ++this.cxid });
    this.kill("connection-loss");
    this.state = "expired"; // closed: no callback, the owner asked for it
  }

  // ---- routing from the hosting actor ----

  receive(from: NodeId, message: unknown): boolean {
    const type = (message as { type?: unknown } | null)?.type;
    if (!this.servers.has(from) || typeof type !== "string" || !type.startsWith("c.")) return false;
    if (this.dead || from !== this.server) return true; // a server we left: whatever it says is stale
    this.lastHeardUs = this.ctx.now();
    const reply = message as ServerToClient;
    switch (reply.type) {
      case "c.connected": this.onConnected(reply); break;
      case "c.refused": if (reply.cxid === this.connectCxid) this.tryNextServer(); break;
      case "c.expired": this.expire(); break;
      case "c.reply": this.onReply(reply.cxid, reply.result); break;
      case "c.watch": this.onWatchEvent(reply.event, reply.zxid); break;
      case "c.pong": this.seen(reply.zxid); break;
      case "c.disconnect": this.connectionLost(); break;
    }
    return true;
  }

  timer(tag: string): boolean {
    if (!tag.startsWith(this.tags.prefix)) return false;
    if (this.dead) return true;
    if (tag === this.tags.ping) this.onPingTimer();
    else if (tag === this.tags.connect) this.onConnectTimer();
    else if (tag === this.tags.request) this.onRequestTimer();
    return true;
  }

  connection(peer: NodeId, state: "open" | "broken"): boolean {
    if (!this.servers.has(peer)) return false;
    if (state === "broken" && peer === this.server && !this.dead) {
      if (this.connected) this.connectionLost();
      else this.tryNextServer();
    }
    return true;
  }

  // ---- connecting ----

  private connect(): void {
    this.waitingToConnect = false;
    this.server = this.order[this.nextServer % this.order.length]!;
    this.nextServer++;
    this.attemptsSinceConnected++;
    this.connectCxid = ++this.cxid;
    const watches = { data: [...this.watches.data], exist: [...this.watches.exist], child: [...this.watches.child] };
    this.send({ type: "c.connect", session: this.sessionId, timeoutMs: this.timeoutMs, lastZxidSeen: this.lastZxidSeen, watches, cxid: this.connectCxid });
    // ZooKeeper's connect timeout: the session timeout shared among the servers.
    this.ctx.setTimer(this.tags.connect, Math.max(1_000, (this.timeoutMs * 1000) / this.order.length));
  }

  private tryNextServer(): void {
    this.connected = false;
    this.server = null;
    if (this.attemptsSinceConnected % this.order.length === 0) {
      // A whole round refused us: wait a little before the next one rather than spin.
      this.waitingToConnect = true;
      this.ctx.setTimer(this.tags.connect, Math.max(1_000, (this.timeoutMs * 1000) / 10));
    } else this.connect();
  }

  private onConnectTimer(): void {
    if (this.waitingToConnect) return this.connect();
    if (!this.connected) this.tryNextServer();
  }

  private onConnected(reply: Extract<ServerToClient, { type: "c.connected" }>): void {
    if (reply.cxid !== this.connectCxid || this.connected) return;
    this.ctx.cancelTimer(this.tags.connect);
    this.connected = true;
    this.connections++;
    this.attemptsSinceConnected = 0;
    this.sessionId = reply.session;
    this.timeoutMs = reply.timeoutMs;
    this.seen(reply.zxid);
    this.setState("connected");
    const queued = this.queued;
    this.queued = [];
    for (const request of queued) this.transmit(request);
  }

  /** The connection to our server is gone: what was sent may or may not have happened. */
  private connectionLost(): void {
    this.connected = false;
    this.server = null;
    this.ctx.cancelTimer(this.tags.connect);
    const sent = this.sent;
    this.sent = [];
    if (this.state === "connected") this.setState("disconnected");
    for (const request of sent) request.done({ ok: false, error: "connection-loss" });
    if (!this.dead && this.server === null) this.connect();
  }

  private expire(): void {
    this.setState("expired");
    this.kill("connection-loss");
  }

  /** The handle is dead: sent requests have an unknown outcome; queued ones never left. */
  private kill(sentError: ZkError): void {
    this.dead = true;
    this.connected = false;
    for (const tag of [this.tags.ping, this.tags.connect, this.tags.request]) this.ctx.cancelTimer(tag);
    const sent = this.sent;
    const queued = this.queued;
    this.sent = [];
    this.queued = [];
    for (const request of sent) request.done({ ok: false, error: sentError });
    for (const request of queued) request.done({ ok: false, error: "session-expired" });
  }

  private setState(state: SessionState): void {
    if (this.state === state) return;
    this.state = state;
    this.onSessionState(state);
  }

  // ---- requests ----

  private request<T>(op: ClientOp, done: (result: Result<T>) => void): void {
    const callback = done as (result: Result<unknown>) => void;
    if (this.dead) return callback({ ok: false, error: "session-expired" });
    const request: Request = { cxid: ++this.cxid, op, done: callback, deadlineUs: this.ctx.now() + this.options.requestTimeoutMs * 1000 };
    if (this.connected) this.transmit(request);
    else this.queued.push(request);
    if (!this.requestTimerArmed) {
      this.requestTimerArmed = true;
      this.ctx.setTimer(this.tags.request, this.options.requestTimeoutMs * 1000);
    }
  }

  private transmit(request: Request): void {
    this.sent.push(request);
    this.send({ type: "c.request", cxid: request.cxid, op: request.op });
  }

  private onReply(cxid: number, result: Result<unknown>): void {
    const index = this.sent.findIndex((request) => request.cxid === cxid);
    if (index < 0) return;
    // Servers answer in order, so it is nearly always the oldest: shift keeps the array's store, where
    // a splice allocates the array it returns and, emptying `sent`, frees the store the next send needs.
    const request = index === 0 ? this.sent.shift() : this.sent.splice(index, 1)[0];
    if (result.zxid !== undefined) this.seen(result.zxid);
    if (result.ok) this.rememberWatch(request!.op, result.value);
    request!.done(result);
  }

  private onRequestTimer(): void {
    this.requestTimerArmed = false;
    const nowUs = this.ctx.now();
    const overdueQueued = this.queued.filter((request) => request.deadlineUs <= nowUs);
    if (overdueQueued.length > 0) {
      this.queued = this.queued.filter((request) => request.deadlineUs > nowUs);
      for (const request of overdueQueued) request.done({ ok: false, error: "connection-loss" });
    }
    // The server is stuck (partitioned from its leader, say): give up on it, as ZooKeeper's read timeout does.
    if (!this.dead && this.sent.some((request) => request.deadlineUs <= nowUs)) this.connectionLost();
    const next = Math.min(...this.sent.map((r) => r.deadlineUs), ...this.queued.map((r) => r.deadlineUs));
    if (!this.dead && Number.isFinite(next)) {
      this.requestTimerArmed = true;
      this.ctx.setTimer(this.tags.request, Math.max(1, next - nowUs));
    }
  }

  // ---- liveness ----

  private pingIntervalUs(): number {
    return Math.max(1_000, Math.floor((this.timeoutMs * 1000) / 3));
  }

  private onPingTimer(): void {
    this.ctx.setTimer(this.tags.ping, this.pingIntervalUs());
    if (!this.connected) return;
    const nowUs = this.ctx.now();
    // ZooKeeper's read timeout: two thirds of the session timeout without a word from the server.
    if (nowUs - this.lastHeardUs > (this.timeoutMs * 2000) / 3) return this.connectionLost();
    if (nowUs - this.lastSentUs >= this.pingIntervalUs() / 2) this.send({ type: "c.ping" });
  }

  // ---- watches ----

  private rememberWatch(op: ClientOp, value: unknown): void {
    if (!("watch" in op) || !op.watch) return;
    if (op.op === "getChildren") this.watches.child.add(op.path);
    else if (op.op === "exists" && value === null) this.watches.exist.add(op.path);
    else this.watches.data.add(op.path);
  }

  private onWatchEvent(event: WatchEvent, zxid: Zxid): void {
    this.seen(zxid);
    if (event.type !== "children") {
      this.watches.data.delete(event.path);
      this.watches.exist.delete(event.path);
    }
    if (event.type === "children" || event.type === "deleted") this.watches.child.delete(event.path);
    this.onWatch(event);
  }

  private seen(zxid: Zxid): void {
    if (zxid > this.lastZxidSeen) this.lastZxidSeen = zxid;
  }

  private send(message: ClientMessage): void {
    this.lastSentUs = this.ctx.now();
    this.ctx.send(this.server!, message);
  }
}
