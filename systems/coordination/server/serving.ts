// The client-facing side of a server: sessions connected here, their requests answered in FIFO order
// (writes and linearizable reads go through the leader; local reads wait behind the session's earlier
// requests; sync reads wait for the leader's sync reply), and the watches they registered here.
import type { NodeContext, NodeId } from "../../../sim/types.ts";
import type { Result, WatchEvent, Zxid } from "../client/api.ts";
import type { EnsembleConfig } from "../config.ts";
import type { Database } from "../state/database.ts";
import type { ClientMessage, LogEntry, ReadOp, ServerToClient, WatchSet, WriteOp } from "../messages.ts";
import type { Upstream } from "./roles.ts";
import type { ApplyOutcome } from "../state/tree.ts";
import { WatchManager } from "./watches.ts";

interface Pending {
  cxid: number;
  kind: "local" | "txn" | "sync";
  /** The read to run once this entry reaches the head (local, sync); null for a bare sync. */
  read: ReadOp | null;
  result: Result<unknown> | null;
  ready: boolean;
}

interface Conn {
  client: NodeId;
  session: string;
  queue: Pending[];
}

interface Connecting {
  client: NodeId;
  cxid: number;
  watches: WatchSet;
  lastZxidSeen: Zxid;
}

export class ClientService {
  private upstream: Upstream | null = null;
  private readonly byClient = new Map<NodeId, Conn>();
  private readonly bySession = new Map<string, Conn>();
  private readonly connecting = new Map<string, Connecting>();
  /** Forwarded transactions of our clients, by origin request id. */
  private readonly awaiting = new Map<string, { conn: Conn; entry: Pending }>();
  private readonly syncs = new Map<number, { conn: Conn; entry: Pending }>();
  private readonly watches = new WatchManager();
  private requestCount = 0;
  private syncCount = 0;

  constructor(
    private readonly ctx: NodeContext,
    private readonly config: EnsembleConfig,
    private readonly db: () => Database,
    private readonly bootId: number,
  ) {}

  get serving(): boolean {
    return this.upstream !== null;
  }

  get clientCount(): number {
    return this.byClient.size;
  }

  start(upstream: Upstream): void {
    this.upstream = upstream;
  }

  /** The server left broadcast: every client must fail over, as if its socket closed. */
  stop(): void {
    const disconnect: ServerToClient = { type: "c.disconnect" };
    const told = new Set<NodeId>();
    for (const conn of this.byClient.values()) told.add(conn.client);
    for (const pending of this.connecting.values()) told.add(pending.client);
    for (const client of told) this.ctx.send(client, disconnect);
    this.upstream = null;
    this.byClient.clear();
    this.bySession.clear();
    this.connecting.clear();
    this.awaiting.clear();
    this.syncs.clear();
    this.watches.clear();
  }

  receive(from: NodeId, message: ClientMessage): void {
    if (message.type === "c.connect") return this.onConnect(from, message);
    const conn = this.byClient.get(from);
    if (conn === undefined || this.upstream === null) return this.send(from, { type: "c.disconnect" });
    this.upstream.touch(conn.session);
    if (message.type === "c.ping") return this.send(from, { type: "c.pong", zxid: this.db().committedZxid });
    if (message.type === "c.close") {
      return this.forwardTxn(conn, message.cxid, null);
    }
    const op = message.op;
    if (op.op === "sync") return this.enqueueSync(conn, message.cxid, null);
    if (op.op === "getData" || op.op === "exists" || op.op === "getChildren") {
      const read: ReadOp = { op: op.op, path: op.path, watch: op.watch };
      if (op.mode === "linearizable") return this.forwardTxn(conn, message.cxid, read);
      if (op.mode === "sync") return this.enqueueSync(conn, message.cxid, read);
      conn.queue.push({ cxid: message.cxid, kind: "local", read, result: null, ready: true });
      return this.drain(conn);
    }
    this.forwardTxn(conn, message.cxid, op);
  }

  clientBroken(peer: NodeId): void {
    const conn = this.byClient.get(peer);
    if (conn) this.drop(conn);
  }

  /** Every transaction this server applies: watch triggers first, then the answer to its origin. */
  applied(entry: LogEntry, outcome: ApplyOutcome): void {
    // Guarded: iterating the shared frozen empty list (tree.ts) allocates an iterator; a list does not.
    if (outcome.triggers.length > 0) {
      for (const event of outcome.triggers) this.watches.fire(event, (session, fired) => this.notify(session, fired, entry.zxid));
    }
    const txn = entry.txn;
    const mine = txn.origin !== null && txn.origin.server === this.ctx.nodeId;
    if (txn.kind === "createSession") {
      const pending = mine ? this.connecting.get(txn.origin.request) : undefined;
      if (pending) {
        this.connecting.delete(txn.origin.request);
        this.establish(pending, txn.session);
      }
      return;
    }
    const waiting = mine ? this.awaiting.get(txn.origin!.request) : undefined;
    if (waiting) {
      this.awaiting.delete(txn.origin!.request);
      waiting.entry.result = outcome.result;
      waiting.entry.ready = true;
      if (txn.kind === "op" && waiting.entry.read && outcome.result.ok) this.watch(waiting.conn.session, waiting.entry.read);
      if (this.byClient.get(waiting.conn.client) === waiting.conn) this.drain(waiting.conn);
    }
    if (txn.kind === "closeSession") {
      const conn = this.bySession.get(txn.session);
      if (conn === undefined) return;
      if (!waiting) this.send(conn.client, { type: "c.expired" });
      this.drop(conn);
    }
  }

  syncDone(syncId: number): void {
    const waiting = this.syncs.get(syncId);
    if (!waiting) return;
    this.syncs.delete(syncId);
    waiting.entry.ready = true;
    if (this.byClient.get(waiting.conn.client) === waiting.conn) this.drain(waiting.conn);
  }

  revalidated(session: string, request: string, valid: boolean): void {
    const pending = this.connecting.get(request);
    if (!pending) return;
    this.connecting.delete(request);
    if (valid) this.establish(pending, session);
    else this.send(pending.client, { type: "c.expired" });
  }

  // ---- connecting ----

  private onConnect(from: NodeId, message: Extract<ClientMessage, { type: "c.connect" }>): void {
    if (this.upstream === null) return this.send(from, { type: "c.refused", cxid: message.cxid, why: "not-serving" });
    // A client never goes back in time: it only connects to a server at least as fresh as what it saw.
    if (message.lastZxidSeen > this.db().committedZxid) {
      return this.send(from, { type: "c.refused", cxid: message.cxid, why: "stale-server" });
    }
    const old = this.byClient.get(from);
    if (old) this.drop(old);
    const request = this.newRequestId();
    this.connecting.set(request, { client: from, cxid: message.cxid, watches: message.watches, lastZxidSeen: message.lastZxidSeen });
    const origin = { server: this.ctx.nodeId, request };
    if (message.session !== null) return this.upstream.revalidate(message.session, request);
    const { sessionTimeoutMsMin, sessionTimeoutMsMax } = this.config;
    const timeoutMs = Math.min(sessionTimeoutMsMax, Math.max(sessionTimeoutMsMin, message.timeoutMs));
    this.upstream.forward({ kind: "createSession", timeoutMs, origin });
  }

  private establish(pending: Connecting, session: string): void {
    const old = this.bySession.get(session) ?? this.byClient.get(pending.client);
    if (old) this.drop(old);
    const conn: Conn = { client: pending.client, session, queue: [] };
    this.byClient.set(pending.client, conn);
    this.bySession.set(session, conn);
    const tree = this.db().tree;
    const timeoutMs = tree.sessionTimeouts().get(session) ?? this.config.sessionTimeoutMsMin;
    this.send(pending.client, { type: "c.connected", session, timeoutMs, zxid: tree.lastZxid, cxid: pending.cxid });
    this.restoreWatches(conn, pending.watches, pending.lastZxidSeen);
    this.upstream?.touch(session);
  }

  /** ZooKeeper's setWatches: re-register, and fire at once what changed since the client last looked. */
  private restoreWatches(conn: Conn, watches: WatchSet, sinceZxid: Zxid): void {
    const tree = this.db().tree;
    const zxid = tree.lastZxid;
    const fire = (type: WatchEvent["type"], path: string) => this.send(conn.client, { type: "c.watch", event: { type, path }, zxid });
    for (const path of watches.data) {
      const stat = tree.statOf(path);
      if (!stat) fire("deleted", path);
      else if (stat.mzxid > sinceZxid) fire("changed", path);
      else this.watches.addData(path, conn.session);
    }
    for (const path of watches.exist) {
      if (tree.statOf(path)) fire("created", path);
      else this.watches.addData(path, conn.session);
    }
    for (const path of watches.child) {
      const stat = tree.statOf(path);
      if (!stat) fire("deleted", path);
      else if (stat.pzxid > sinceZxid) fire("children", path);
      else this.watches.addChild(path, conn.session);
    }
  }

  // ---- requests ----

  /** A write, a linearizable read, or (op null) the session's close: ordered through the leader. */
  private forwardTxn(conn: Conn, cxid: number, op: WriteOp | ReadOp | null): void {
    const entry: Pending = { cxid, kind: "txn", read: op !== null && isRead(op) ? op : null, result: null, ready: false };
    conn.queue.push(entry);
    const request = this.newRequestId();
    this.awaiting.set(request, { conn, entry });
    const origin = { server: this.ctx.nodeId, request };
    if (op === null) this.upstream!.forward({ kind: "closeSession", session: conn.session, origin });
    else this.upstream!.forward({ kind: "op", session: conn.session, origin, op });
  }

  private enqueueSync(conn: Conn, cxid: number, read: ReadOp | null): void {
    const entry: Pending = { cxid, kind: "sync", read, result: null, ready: false };
    conn.queue.push(entry);
    const syncId = ++this.syncCount;
    this.syncs.set(syncId, { conn, entry });
    this.upstream!.sync(syncId);
  }

  /** Answers, in order, every request at the head of the session's queue that is ready. */
  private drain(conn: Conn): void {
    const queue = conn.queue;
    // shift, not a splice at the end: a splice allocates the array it returns, and emptying the queue
    // with it frees the queue's store, which the next request then allocates again.
    while (queue.length > 0 && queue[0]!.ready) {
      const entry = queue.shift()!;
      let result = entry.result;
      if (result === null) {
        result = entry.read ? this.db().tree.read(entry.read) : { ok: true, value: {}, zxid: this.db().committedZxid };
        if (entry.read && result.ok) this.watch(conn.session, entry.read);
      }
      this.send(conn.client, { type: "c.reply", cxid: entry.cxid, result });
    }
  }

  private watch(session: string, read: ReadOp): void {
    if (!read.watch) return;
    if (read.op === "getChildren") this.watches.addChild(read.path, session);
    else this.watches.addData(read.path, session);
  }

  private notify(session: string, event: WatchEvent, zxid: Zxid): void {
    const conn = this.bySession.get(session);
    if (conn) this.send(conn.client, { type: "c.watch", event, zxid });
  }

  private drop(conn: Conn): void {
    if (this.byClient.get(conn.client) === conn) this.byClient.delete(conn.client);
    if (this.bySession.get(conn.session) === conn) {
      this.bySession.delete(conn.session);
      this.watches.removeSession(conn.session);
    }
  }

  private newRequestId(): string {
    return `${this.bootId}.${++this.requestCount}`;
  }

  private send(client: NodeId, message: ServerToClient): void {
    this.ctx.send(client, message);
  }
}

function isRead(op: { op: string }): op is ReadOp {
  return op.op === "getData" || op.op === "exists" || op.op === "getChildren";
}
