// What the leader and follower roles see of their server, and what the client-facing side sees of
// whichever role is current (its way to the leader).
import type { NodeContext } from "../../../sim/types.ts";
import type { ServerBugs } from "../bugs.ts";
import type { EnsembleConfig } from "../config.ts";
import type { Database } from "../state/database.ts";
import type { TxnRequest, SyncMode } from "../messages.ts";
import type { EpochRecord, Storage } from "../state/storage.ts";

/** The way from a serving server to the leader (the leader itself short-cuts it). */
export interface Upstream {
  forward(request: TxnRequest): void;
  /** Answered by ClientService.syncDone(syncId) once everything proposed before it is committed here. */
  sync(syncId: number): void;
  /** Answered by ClientService.revalidated(...). */
  revalidate(session: string, request: string): void;
  /** A client of `session` showed signs of life on this server. */
  touch(session: string): void;
}

export type SyncStats = Record<SyncMode, number>;

export interface ServerHost {
  readonly ctx: NodeContext;
  readonly config: EnsembleConfig;
  readonly bugs: ServerBugs;
  readonly storage: Storage;
  readonly db: Database;
  readonly epochs: EpochRecord;
  /** Writes the epoch file and calls `then` once it is durable. */
  persistEpochs(update: Partial<EpochRecord>, then: () => void): void;
  /** Leaves the current role and starts an election. Call last: the role is dead afterwards. */
  goLooking(reason: string): void;
  /** The role reached broadcast: clients may connect. */
  startServing(upstream: Upstream): void;
  syncDone(syncId: number): void;
  revalidated(session: string, request: string, valid: boolean, timeoutMs: number): void;
  /** Counters tests read: syncs this server served as leader and received as follower. */
  readonly syncsServed: SyncStats;
  readonly syncsReceived: SyncStats;
}
