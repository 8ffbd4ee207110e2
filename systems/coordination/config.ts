// The ensemble's configuration: who the servers are and the timing, in ticks as ZooKeeper counts it.
import type { NodeId } from "../../sim/types.ts";

export interface EnsembleConfig {
  servers: readonly NodeId[];
  /** ZooKeeper's tickTime: leader pings, session checks and the unit of the limits below. */
  tickUs: number;
  /** Ticks a new leader may take to be established, and a follower to be synced. */
  initLimitTicks: number;
  /** Ticks without hearing a quorum (leader) or the leader (follower) before going back to election. */
  syncLimitTicks: number;
  /** Negotiated session timeouts are clamped into [min, max]. */
  sessionTimeoutMsMin: number;
  sessionTimeoutMsMax: number;
  /** A snapshot is written every this many applied transactions; the log before it is dropped. */
  snapshotEvery: number;
  /** Wait after a quorum agrees on a vote, for a better vote to arrive (FastLeaderElection's finalizeWait). */
  electionFinalizeUs: number;
  /** While looking, notifications are sent again this often (peers may have come back). */
  electionResendUs: number;
  /** Bug switch names (see bugs.ts). */
  bugs: readonly string[];
}

export function ensembleConfig(servers: readonly NodeId[], overrides: Partial<EnsembleConfig> = {}): EnsembleConfig {
  const tickUs = overrides.tickUs ?? 20_000;
  return {
    servers,
    tickUs,
    initLimitTicks: 10,
    syncLimitTicks: 5,
    // ZooKeeper's defaults: 2 and 20 ticks.
    sessionTimeoutMsMin: (2 * tickUs) / 1000,
    sessionTimeoutMsMax: (20 * tickUs) / 1000,
    snapshotEvery: 1000,
    electionFinalizeUs: 2_000,
    electionResendUs: tickUs,
    bugs: [],
    ...overrides,
  };
}

export function quorumSize(config: EnsembleConfig): number {
  return Math.floor(config.servers.length / 2) + 1;
}
