// The contract between the coordination client library (client.ts) and the code that uses it
// (recipes, workloads). Callbacks, not promises: everything runs inside one actor's handlers.
import type { NodeId } from "../../../sim/types.ts";

/** zxid = epoch × 2^32 + counter: a plain number orders them and stays exact below 2^53. */
export type Zxid = number;

export type ZkError =
  | "no-node" | "node-exists" | "bad-version" | "not-empty" | "no-children-for-ephemerals"
  | "session-expired"
  /** The reply was lost: the request may or may not have taken effect (history: `info`). */
  | "connection-loss";

export type CreateMode = "persistent" | "ephemeral" | "sequential" | "ephemeral-sequential";
/** local: the connected server answers from its own state (ZooKeeper's default);
 *  sync: sync, then read locally; linearizable: ordered through a leader that proved its quorum. */
export type ReadMode = "local" | "sync" | "linearizable";

export interface Stat {
  czxid: Zxid;
  mzxid: Zxid;
  pzxid: Zxid;
  version: number;
  cversion: number;
  ephemeralOwner: string | null;
  numChildren: number;
}

/** Every reply carries the zxid of the state it reflects. */
export type Result<T> = { ok: true; value: T; zxid: Zxid } | { ok: false; error: ZkError; zxid?: Zxid };

export type MultiOp =
  | { op: "check"; path: string; version: number }
  | { op: "create"; path: string; data: string; mode: CreateMode }
  | { op: "delete"; path: string; version: number }
  | { op: "set"; path: string; data: string; version: number };

export type WatchEvent = { type: "created" | "deleted" | "changed" | "children"; path: string };
export type SessionState = "connected" | "disconnected" | "expired";

export interface ClientOptions {
  servers: NodeId[];
  sessionTimeoutMs: number;
  /** A request not answered within this time (on the client's clock) completes as connection-loss. */
  requestTimeoutMs: number;
  readMode: ReadMode;
  /**
   * Which of its host's clients this is, from 1 (default). A host that replaces a closed client shares
   * its connection with it, so replies to the old client's requests still arrive; each incarnation
   * numbers its requests from its own range, or the new one would take an old connect's answer for its
   * own, and a session the server did not bind to the connection (kafka-log seed 701117).
   */
  incarnation?: number;
}

export interface ZkClientApi {
  /** null until the session is established. */
  readonly sessionId: string | null;
  readonly state: SessionState | "connecting";
  create(path: string, data: string, mode: CreateMode, done: (r: Result<{ path: string }>) => void): void;
  delete(path: string, version: number, done: (r: Result<{}>) => void): void;
  setData(path: string, data: string, version: number, done: (r: Result<Stat>) => void): void;
  getData(path: string, options: { watch?: boolean; mode?: ReadMode }, done: (r: Result<{ data: string; stat: Stat }>) => void): void;
  exists(path: string, options: { watch?: boolean; mode?: ReadMode }, done: (r: Result<Stat | null>) => void): void;
  getChildren(path: string, options: { watch?: boolean; mode?: ReadMode }, done: (r: Result<string[]>) => void): void;
  sync(path: string, done: (r: Result<{}>) => void): void;
  multi(ops: MultiOp[], done: (r: Result<Array<{ path?: string; stat?: Stat }>>) => void): void;
  /** Called for each watch event, before any later reply that reflects a newer state of that znode. */
  onWatch: (event: WatchEvent) => void;
  onSessionState: (state: SessionState) => void;
  close(): void;
  /** Routing from the hosting actor: each returns true when the event was the client's. */
  receive(from: NodeId, message: unknown): boolean;
  timer(tag: string): boolean;
  connection(peer: NodeId, state: "open" | "broken"): boolean;
}
