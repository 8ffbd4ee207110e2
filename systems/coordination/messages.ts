// Every message the ensemble sends, as plain immutable data with a `type` field.
// Prefixes route them: "e." election, "l." leader→follower, "f." follower→leader, "c." client↔server.
import type { NodeId } from "../../sim/types.ts";
import type { CreateMode, MultiOp, ReadMode, Result, WatchEvent, Zxid } from "./client/api.ts";

// ---- the replicated state machine's input ----

export type ReadOp =
  | { op: "getData"; path: string; watch: boolean }
  | { op: "exists"; path: string; watch: boolean }
  | { op: "getChildren"; path: string; watch: boolean };

export type WriteOp =
  | { op: "create"; path: string; data: string; mode: CreateMode }
  | { op: "delete"; path: string; version: number }
  | { op: "setData"; path: string; data: string; version: number }
  | { op: "multi"; ops: readonly MultiOp[] };

/** What a client asks its server. Reads carry their mode; `sync` is its own request. */
export type ClientOp = WriteOp | (ReadOp & { mode: ReadMode }) | { op: "sync"; path: string };

/** Who to answer once a transaction is applied: the server the client talks to, and the request there. */
export interface Origin {
  server: NodeId;
  /** Unique on that server across restarts (boot id and counter). */
  request: string;
}

/** A log entry's payload. Results are computed at apply time, identically on every server. */
export type Txn =
  | { kind: "op"; session: string; origin: Origin; op: WriteOp | ReadOp }
  | { kind: "createSession"; session: string; timeoutMs: number; origin: Origin }
  | { kind: "closeSession"; session: string; origin: Origin | null };

export interface LogEntry {
  zxid: Zxid;
  txn: Txn;
}

/** A request forwarded to the leader, before it has a zxid (the session id comes from the zxid). */
export type TxnRequest =
  | { kind: "op"; session: string; origin: Origin; op: WriteOp | ReadOp }
  | { kind: "createSession"; timeoutMs: number; origin: Origin }
  | { kind: "closeSession"; session: string; origin: Origin | null };

// ---- election ----

export type PeerState = "looking" | "following" | "leading";

export interface Vote {
  leader: NodeId;
  zxid: Zxid;
  /** The proposed leader's currentEpoch: votes order by (epoch, zxid, server). */
  epoch: number;
}

export interface Notification {
  type: "e.vote";
  round: number;
  vote: Vote;
  state: PeerState;
}

// ---- discovery, synchronisation, broadcast ----

export type SyncMode = "diff" | "trunc" | "snap";

export type LeaderMessage =
  | { type: "l.leaderinfo"; epoch: number }
  | {
      type: "l.newleader";
      epoch: number;
      mode: SyncMode;
      /** trunc: keep the log up to this zxid. */
      truncZxid: Zxid;
      /** snap: the serialized tree, applied up to snapshotZxid. */
      snapshot: unknown;
      snapshotZxid: Zxid;
      /** Proposals after the sync point (diff) or after the snapshot (snap), committed or not. */
      entries: readonly LogEntry[];
    }
  | { type: "l.uptodate"; epoch: number; commitZxid: Zxid }
  | { type: "l.proposal"; epoch: number; entry: LogEntry }
  | { type: "l.commit"; epoch: number; zxid: Zxid }
  | { type: "l.ping"; epoch: number; commitZxid: Zxid }
  | { type: "l.sync-reply"; epoch: number; syncId: number }
  | { type: "l.revalidate-reply"; epoch: number; session: string; request: string; valid: boolean; timeoutMs: number };

export type FollowerMessage =
  | { type: "f.info"; acceptedEpoch: number }
  | { type: "f.ackepoch"; epoch: number; currentEpoch: number; lastZxid: Zxid }
  | { type: "f.ack-newleader"; epoch: number; zxid: Zxid }
  | { type: "f.ack"; epoch: number; zxid: Zxid }
  | { type: "f.ping-reply"; epoch: number; touched: readonly string[] }
  | { type: "f.request"; epoch: number; request: TxnRequest }
  | { type: "f.sync"; epoch: number; syncId: number }
  | { type: "f.revalidate"; epoch: number; session: string; request: string };

// ---- client ↔ server ----

export interface WatchSet {
  data: readonly string[];
  exist: readonly string[];
  child: readonly string[];
}

export type ClientMessage =
  | { type: "c.connect"; session: string | null; timeoutMs: number; lastZxidSeen: Zxid; watches: WatchSet; cxid: number }
  | { type: "c.request"; cxid: number; op: ClientOp }
  | { type: "c.ping" }
  | { type: "c.close"; cxid: number };

export type ServerToClient =
  | { type: "c.connected"; session: string; timeoutMs: number; zxid: Zxid; cxid: number }
  | { type: "c.refused"; cxid: number; why: "not-serving" | "stale-server" }
  | { type: "c.expired" }
  | { type: "c.reply"; cxid: number; result: Result<unknown> }
  | { type: "c.watch"; event: WatchEvent; zxid: Zxid }
  | { type: "c.pong"; zxid: Zxid }
  /** The server left the broadcast phase: the client must fail over (as a closed socket would say). */
  | { type: "c.disconnect" };

export type ServerMessage = Notification | LeaderMessage | FollowerMessage | ClientMessage;
