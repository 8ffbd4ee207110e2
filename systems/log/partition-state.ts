// Partition state in the coordination service, and the controller's pure decisions over it.
import type { BrokerId } from "./config.ts";
import type { LogEnd, PartitionState } from "./messages.ts";

export type { LogEnd };

export function statePath(topic: string, partition: number): string {
  return `/brokers/topics/${topic}/partitions/${partition}/state`;
}

/** The znodes above a state znode, outermost first (each created once, persistent). */
export function stateParents(topic: string, partition: number): string[] {
  return ["/brokers/topics", `/brokers/topics/${topic}`, `/brokers/topics/${topic}/partitions`, `/brokers/topics/${topic}/partitions/${partition}`];
}

interface StoredState {
  leader: BrokerId | null;
  leaderEpoch: number;
  isr: BrokerId[];
  controllerEpoch: number;
  suspects?: BrokerId[];
}

export function encodeState(state: PartitionState): string {
  const stored: StoredState = { leader: state.leader, leaderEpoch: state.leaderEpoch, isr: state.isr, controllerEpoch: state.controllerEpoch };
  if (state.suspects !== undefined && state.suspects.length > 0) stored.suspects = state.suspects;
  return JSON.stringify(stored);
}

export function decodeState(topic: string, partition: number, replicas: BrokerId[], data: string, zkVersion: number): PartitionState {
  const stored = JSON.parse(data) as StoredState;
  const state: PartitionState = { topic, partition, replicas, zkVersion, leader: stored.leader, leaderEpoch: stored.leaderEpoch, isr: stored.isr, controllerEpoch: stored.controllerEpoch };
  if (stored.suspects !== undefined) state.suspects = stored.suspects;
  return state;
}

/** Who a partition's members are, given who is up (see nextState). */
function membersOf(state: PartitionState, live: ReadonlySet<BrokerId>, usable: ReadonlySet<BrokerId>) {
  const inSync = state.replicas.filter((replica) => state.isr.includes(replica));
  const earlier = state.suspects ?? [];
  const kept = inSync.filter((replica) => usable.has(replica) && !earlier.includes(replica));
  const restarted = inSync.filter((replica) => live.has(replica) && !usable.has(replica));
  // Dropped outright, a restarted member was forgotten: when the leader left in the ISR lost power in
  // turn, it was elected alone, its tail gone, while the dropped one held the records (kafka-log seeds
  // 2002110 and 2003665 --swarm).
  const suspected = state.replicas.filter((replica) => earlier.includes(replica) || restarted.includes(replica));
  const candidates = state.replicas.filter((replica) => inSync.includes(replica) || earlier.includes(replica));
  const keepsLeader = state.leader !== null && usable.has(state.leader) && state.zkVersion >= 0;
  return { inSync, earlier, kept, suspected, candidates, keepsLeader };
}

/**
 * The replicas a partition's next leader must be chosen from by how far their logs reach, when no
 * trusted member is left and every candidate is back; otherwise undefined. The controller asks them
 * where their logs end now (KIP-966's GetReplicaLogInfo) before calling nextState.
 */
export function recoveryCandidates(state: PartitionState, live: ReadonlySet<BrokerId>, usable: ReadonlySet<BrokerId>): BrokerId[] | undefined {
  const { kept, candidates, keepsLeader } = membersOf(state, live, usable);
  if (keepsLeader || kept.length > 0 || !candidates.every((replica) => live.has(replica))) return undefined;
  return candidates;
}

/**
 * The state a partition needs given who is up, or undefined when it needs nothing. `usable` are the
 * live brokers still trusted as in sync: a broker that restarted (a new registration, KIP-380's
 * broker epoch) may have lost its unflushed tail to a power loss, so it leaves every ISR and rejoins
 * when its leader sees it caught up. Until then it stays a suspect: it may still hold records the
 * members left lose later (it may only have crashed, its log intact). A new leader is the first usable
 * ISR member in replica order. Failing that, when every ISR member and every suspect is back (any may
 * have lost its tail), the one whose log reaches furthest as `logEndOf` says; while one that may hold
 * more is still away or has not said, nobody (KIP-966's unclean recovery waits for its candidates too).
 * With unclean election allowed, any live replica. With no candidate the partition goes offline (leader
 * null), its ISR kept and its restarted members marked as suspects, so that the replica elected when
 * they return is the right one.
 */
export function nextState(state: PartitionState, live: ReadonlySet<BrokerId>, usable: ReadonlySet<BrokerId>, unclean: boolean, controllerEpoch: number,
  logEndOf: (broker: BrokerId) => LogEnd | undefined = () => undefined, minIsr = 1): PartitionState | undefined {
  const { inSync, earlier, kept, suspected, keepsLeader } = membersOf(state, live, usable);
  // Members that are away (not restarted: they lost nothing) stay while the ISR would fall below
  // min.insync.replicas, as KIP-966's eligible leader replicas do: nothing is committed without them,
  // so they hold every committed record and may lead when back (kafka-log seed 900842: a member whose
  // session expired was dropped, and a restarted replica that had lost its tail was later the only one).
  const away = inSync.filter((replica) => !live.has(replica) && !earlier.includes(replica));
  const usableIsr = kept.length >= minIsr ? kept : [...kept, ...away.slice(0, minIsr - kept.length)];
  if (keepsLeader) {
    return usableIsr.length === state.isr.length ? undefined : withSuspects({ ...state, isr: usableIsr, controllerEpoch }, suspected);
  }
  const recovery = recoveryCandidates(state, live, usable);
  let leader: BrokerId | null = kept[0] ?? (recovery !== undefined ? longestLog(recovery, logEndOf) : undefined) ?? null;
  let isr = kept.length > 0 ? usableIsr : leader !== null ? [leader] : state.isr;
  if (leader === null && unclean) {
    leader = state.replicas.find((replica) => live.has(replica)) ?? null;
    if (leader !== null) isr = [leader];
  }
  // Offline, the ISR is kept and its suspects with it; with a leader, a suspect in the new ISR is cleared.
  const next = withSuspects({ ...state, leader, isr, controllerEpoch }, leader === null ? suspected : suspected.filter((replica) => !isr.includes(replica)));
  if (leader === null && state.leader === null && state.zkVersion >= 0) {
    // Still offline: only a new suspect is worth a write.
    return suspected.length === earlier.length ? undefined : next;
  }
  return { ...next, leaderEpoch: state.leaderEpoch + 1 };
}

/** The state with these suspects (none: the field is left out). */
export function withSuspects(state: PartitionState, suspects: readonly BrokerId[]): PartitionState {
  const next: PartitionState = { ...state };
  if (suspects.length > 0) next.suspects = [...suspects];
  else delete next.suspects;
  return next;
}

/**
 * Of candidates that all restarted (any may have lost its unflushed tail), the one whose log reaches
 * furthest: the latest leader epoch, then the log end offset; replica order breaks ties. Undefined
 * while any has not said (it may hold the most).
 */
function longestLog(candidates: readonly BrokerId[], logEndOf: (broker: BrokerId) => LogEnd | undefined): BrokerId | undefined {
  let best: BrokerId | undefined;
  let bestEnd: LogEnd = { epoch: -2, offset: -1 };
  for (const candidate of candidates) {
    const end = logEndOf(candidate);
    if (end === undefined) return undefined;
    if (end.epoch > bestEnd.epoch || (end.epoch === bestEnd.epoch && end.offset > bestEnd.offset)) {
      best = candidate;
      bestEnd = end;
    }
  }
  return best;
}
