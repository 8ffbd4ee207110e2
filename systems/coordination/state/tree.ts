// The znode tree as a deterministic state machine: apply(txn, zxid) gives the same result and the same
// watch triggers on every server, because the log carries requests and results are computed here.
// Pure: no ctx, no clock. Sessions live here too, so a new leader learns them from its own state.
import type { MultiOp, Result, Stat, WatchEvent, Zxid } from "../client/api.ts";
import type { ReadOp, Txn, WriteOp } from "../messages.ts";

interface ZNode {
  data: string;
  stat: Stat;
  children: Set<string>;
}

export interface ApplyOutcome {
  result: Result<unknown>;
  /** Watch triggers, in order, as WatchEvents: the watch manager decides who hears them. */
  triggers: readonly WatchEvent[];
}

/** A write that succeeded, as the outcome of a transaction of that write alone. */
type Applied<Value> = { result: { ok: true; value: Value; zxid: Zxid }; triggers: readonly WatchEvent[] };

function applied<Value>(value: Value, zxid: Zxid, triggers: readonly WatchEvent[]): Applied<Value> {
  return { result: { ok: true, value, zxid }, triggers };
}

// Most transactions fire nothing (reads, sessions) or one or two triggers: outcomes share this empty
// list, and writes build theirs as literals of the right length, since an array grown by push reserves
// 17 slots, the bulk of what a setData allocated.
const NO_TRIGGERS: readonly WatchEvent[] = Object.freeze([]);

/** Snapshot format: plain data, shared immutably in SNAP messages and written to disk. */
export interface SerializedTree {
  lastZxid: Zxid;
  nodes: ReadonlyArray<readonly [string, string, Stat]>;
  sessions: ReadonlyArray<readonly [string, number]>;
}

type Failure = { ok: false; error: import("../client/api.ts").ZkError };

export function parentOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash <= 0 ? "/" : path.slice(0, slash);
}

function nameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function rootNode(): ZNode {
  const stat: Stat = { czxid: 0, mzxid: 0, pzxid: 0, version: 0, cversion: 0, ephemeralOwner: null, numChildren: 0 };
  return { data: "", stat, children: new Set() };
}

export class ZnodeTree {
  private readonly nodes = new Map<string, ZNode>([["/", rootNode()]]);
  /** sessionId → negotiated timeout (ms). */
  private readonly sessions = new Map<string, number>();
  private readonly ephemerals = new Map<string, Set<string>>();
  /** Copy-on-write journal while a multi runs: the nodes as they were before it. */
  private journal: Map<string, ZNode | undefined> | null = null;
  lastZxid: Zxid = 0;

  constructor(private readonly ephemeralLeak = false) {}

  // ---- reads (also used by servers to answer local reads) ----

  getData(path: string): Result<{ data: string; stat: Stat }> {
    const node = this.nodes.get(path);
    if (!node) return { ok: false, error: "no-node", zxid: this.lastZxid };
    return { ok: true, value: { data: node.data, stat: node.stat }, zxid: this.lastZxid };
  }

  exists(path: string): Result<Stat | null> {
    return { ok: true, value: this.nodes.get(path)?.stat ?? null, zxid: this.lastZxid };
  }

  getChildren(path: string): Result<string[]> {
    const node = this.nodes.get(path);
    if (!node) return { ok: false, error: "no-node", zxid: this.lastZxid };
    return { ok: true, value: [...node.children].sort(), zxid: this.lastZxid };
  }

  read(op: ReadOp): Result<unknown> {
    if (op.op === "getData") return this.getData(op.path);
    if (op.op === "exists") return this.exists(op.path);
    return this.getChildren(op.path);
  }

  has(path: string): boolean {
    return this.nodes.has(path);
  }

  statOf(path: string): Stat | undefined {
    return this.nodes.get(path)?.stat;
  }

  hasSession(session: string): boolean {
    return this.sessions.has(session);
  }

  sessionTimeouts(): ReadonlyMap<string, number> {
    return this.sessions;
  }

  ephemeralsOf(session: string): string[] {
    return [...(this.ephemerals.get(session) ?? [])];
  }

  // ---- the state machine ----

  apply(txn: Txn, zxid: Zxid): ApplyOutcome {
    this.lastZxid = zxid;
    if (txn.kind === "createSession") {
      this.sessions.set(txn.session, txn.timeoutMs);
      return { result: { ok: true, value: { session: txn.session }, zxid }, triggers: NO_TRIGGERS };
    }
    if (txn.kind === "closeSession") {
      const triggers: WatchEvent[] = [];
      this.closeSession(txn.session, zxid, triggers);
      return { result: { ok: true, value: {}, zxid }, triggers };
    }
    if (!this.sessions.has(txn.session)) return { result: { ok: false, error: "session-expired", zxid }, triggers: NO_TRIGGERS };
    const op = txn.op;
    if (op.op === "getData" || op.op === "exists" || op.op === "getChildren") return { result: this.read(op), triggers: NO_TRIGGERS };
    return this.applyWrite(op, txn.session, zxid);
  }

  private applyWrite(op: WriteOp, session: string, zxid: Zxid): ApplyOutcome {
    if (op.op !== "multi") {
      const outcome = this.applyOne(op, session, zxid);
      if ("error" in outcome) return { result: { ok: false, error: outcome.error, zxid }, triggers: NO_TRIGGERS };
      return outcome;
    }
    this.journal = new Map();
    const triggers: WatchEvent[] = [];
    const values: Array<{ path?: string; stat?: Stat }> = [];
    for (const multiOp of op.ops) {
      const outcome = this.applyOne(toWriteOp(multiOp), session, zxid);
      if ("error" in outcome) {
        this.rollback();
        return { result: { ok: false, error: outcome.error, zxid }, triggers: NO_TRIGGERS };
      }
      // setData answers with the Stat itself; inside a multi, as { stat }.
      const value = outcome.result.value;
      values.push(multiOp.op === "set" ? { stat: value as Stat } : value as { path?: string });
      triggers.push(...outcome.triggers);
    }
    this.journal = null;
    return { result: { ok: true, value: values, zxid }, triggers };
  }

  private applyOne(op: WriteOp | { op: "check"; path: string; version: number }, session: string,
    zxid: Zxid): Applied<{ path?: string } | Stat> | Failure {
    switch (op.op) {
      case "check": return this.check(op.path, op.version, zxid);
      case "create": return this.create(op.path, op.data, op.mode, session, zxid);
      case "delete": return this.remove(op.path, op.version, zxid);
      case "setData": return this.setData(op.path, op.data, op.version, zxid);
      case "multi": return { ok: false, error: "bad-version" }; // a nested multi: refused
    }
  }

  private check(path: string, version: number, zxid: Zxid): Applied<{ path: string }> | Failure {
    const node = this.nodes.get(path);
    if (!node) return { ok: false, error: "no-node" };
    if (version !== -1 && node.stat.version !== version) return { ok: false, error: "bad-version" };
    return applied({ path }, zxid, NO_TRIGGERS);
  }

  private create(path: string, data: string, mode: string, session: string, zxid: Zxid): Applied<{ path: string }> | Failure {
    if (path === "/") return { ok: false, error: "node-exists" };
    const parentPath = parentOf(path);
    const parent = this.nodes.get(parentPath);
    if (!parent) return { ok: false, error: "no-node" };
    if (parent.stat.ephemeralOwner !== null) return { ok: false, error: "no-children-for-ephemerals" };
    const sequential = mode === "sequential" || mode === "ephemeral-sequential";
    const ephemeral = mode === "ephemeral" || mode === "ephemeral-sequential";
    const actualPath = sequential ? path + String(parent.stat.cversion).padStart(10, "0") : path;
    if (this.nodes.has(actualPath)) return { ok: false, error: "node-exists" };
    const owner = ephemeral ? session : null;
    const stat: Stat = { czxid: zxid, mzxid: zxid, pzxid: zxid, version: 0, cversion: 0, ephemeralOwner: owner, numChildren: 0 };
    this.remember(actualPath);
    this.nodes.set(actualPath, { data, stat, children: new Set() });
    this.changeChildren(parentPath, parent, nameOf(actualPath), true, zxid);
    if (owner !== null) this.indexEphemeral(owner, actualPath, true);
    return applied({ path: actualPath }, zxid, [{ type: "created", path: actualPath }, { type: "children", path: parentPath }]);
  }

  private remove(path: string, version: number, zxid: Zxid): Applied<{}> | Failure {
    const node = this.nodes.get(path);
    if (!node || path === "/") return { ok: false, error: "no-node" };
    if (version !== -1 && node.stat.version !== version) return { ok: false, error: "bad-version" };
    if (node.children.size > 0) return { ok: false, error: "not-empty" };
    return applied({}, zxid, this.deleteNode(path, node, zxid));
  }

  /** Returns the watch triggers it fires. */
  private deleteNode(path: string, node: ZNode, zxid: Zxid): WatchEvent[] {
    const parentPath = parentOf(path);
    this.remember(path);
    this.nodes.delete(path);
    this.changeChildren(parentPath, this.nodes.get(parentPath)!, nameOf(path), false, zxid);
    if (node.stat.ephemeralOwner !== null) this.indexEphemeral(node.stat.ephemeralOwner, path, false);
    return [{ type: "deleted", path }, { type: "children", path: parentPath }];
  }

  private setData(path: string, data: string, version: number, zxid: Zxid): Applied<Stat> | Failure {
    const node = this.nodes.get(path);
    if (!node) return { ok: false, error: "no-node" };
    if (version !== -1 && node.stat.version !== version) return { ok: false, error: "bad-version" };
    this.remember(path);
    const stat: Stat = { ...node.stat, mzxid: zxid, version: node.stat.version + 1 };
    // In place, unless a multi's journal holds this node as it was. (Stats are never changed in place:
    // results, snapshots and messages share them.)
    if (this.journal) this.nodes.set(path, { data, stat, children: node.children });
    else {
      node.data = data;
      node.stat = stat;
    }
    return applied(stat, zxid, [{ type: "changed", path }]);
  }

  private changeChildren(parentPath: string, parent: ZNode, name: string, added: boolean, zxid: Zxid): void {
    this.remember(parentPath);
    const children = this.journal ? new Set(parent.children) : parent.children;
    if (added) children.add(name);
    else children.delete(name);
    const stat: Stat = { ...parent.stat, cversion: parent.stat.cversion + 1, pzxid: zxid, numChildren: children.size };
    this.nodes.set(parentPath, { data: parent.data, stat, children });
  }

  private closeSession(session: string, zxid: Zxid, triggers: WatchEvent[]): void {
    if (!this.ephemeralLeak) {
      for (const path of this.ephemeralsOf(session)) {
        const node = this.nodes.get(path);
        // An ephemeral cannot have children, so deleting them in any order is safe.
        if (node) triggers.push(...this.deleteNode(path, node, zxid));
      }
      this.ephemerals.delete(session);
    }
    this.sessions.delete(session);
  }

  private indexEphemeral(session: string, path: string, added: boolean): void {
    let paths = this.ephemerals.get(session);
    if (!paths) this.ephemerals.set(session, (paths = new Set()));
    if (added) paths.add(path);
    else paths.delete(path);
  }

  private remember(path: string): void {
    if (this.journal && !this.journal.has(path)) this.journal.set(path, this.nodes.get(path));
  }

  private rollback(): void {
    const journal = this.journal!;
    this.journal = null;
    for (const [path, before] of journal) {
      const now = this.nodes.get(path);
      if (now?.stat.ephemeralOwner) this.indexEphemeral(now.stat.ephemeralOwner, path, false);
      if (before) {
        this.nodes.set(path, before);
        if (before.stat.ephemeralOwner) this.indexEphemeral(before.stat.ephemeralOwner, path, true);
      } else this.nodes.delete(path);
    }
  }

  // ---- snapshots and digests ----

  serialize(): SerializedTree {
    const nodes: Array<readonly [string, string, Stat]> = [];
    for (const [path, node] of this.nodes) nodes.push([path, node.data, node.stat]);
    return { lastZxid: this.lastZxid, nodes, sessions: [...this.sessions] };
  }

  static deserialize(snapshot: SerializedTree, ephemeralLeak = false): ZnodeTree {
    const tree = new ZnodeTree(ephemeralLeak);
    tree.nodes.clear();
    for (const [path, data, stat] of snapshot.nodes) tree.nodes.set(path, { data, stat, children: new Set() });
    for (const [path, , stat] of snapshot.nodes) {
      if (path !== "/") tree.nodes.get(parentOf(path))!.children.add(nameOf(path));
      if (stat.ephemeralOwner !== null) tree.indexEphemeral(stat.ephemeralOwner, path, true);
    }
    for (const [session, timeoutMs] of snapshot.sessions) tree.sessions.set(session, timeoutMs);
    tree.lastZxid = snapshot.lastZxid;
    return tree;
  }

  /** FNV-1a over every znode (sorted) and session: equal digests mean equal trees, for tests. */
  digest(): string {
    let hash = 0x811c9dc5;
    const fold = (text: string) => {
      for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
    };
    for (const path of [...this.nodes.keys()].sort()) {
      const { data, stat } = this.nodes.get(path)!;
      fold(`${path}\u0000${data}\u0000${stat.version}\u0000${stat.czxid}\u0000${stat.ephemeralOwner ?? ""}\u0001`);
    }
    for (const session of [...this.sessions.keys()].sort()) fold(`session ${session}\u0001`);
    return hash.toString(16).padStart(8, "0");
  }

  get size(): number {
    return this.nodes.size;
  }
}

function toWriteOp(op: MultiOp): WriteOp | { op: "check"; path: string; version: number } {
  if (op.op === "set") return { op: "setData", path: op.path, data: op.data, version: op.version };
  return op;
}
