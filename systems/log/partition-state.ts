// Partition state in the coordination service, and the controller's pure decisions over it.
import type { BrokerId } from "./config.ts";
import type { PartitionState } from "./messages.ts";

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

/**
 * The state a partition needs given who is up, or undefined when it needs nothing. `usable` are the
 * live brokers still trusted as in sync: a broker that restarted (a new registration, KIP-380's
 * broker epoch) may have lost its unflushed tail to a power loss, so it leaves every ISR and rejoins
 * when its leader sees it caught up. A new leader is the first usable ISR member in replica order.
 * Failing that, when every ISR member is back but each restarted (any may have lost its tail), the one
 * whose log reaches furthest; while an ISR member that may hold more is still away, nobody (KIP-966
 * waits for its eligible replicas too). With unclean election allowed, any live replica. With no
 * candidate the partition goes offline (leader null), its ISR kept and its restarted members marked
 * as suspects, so that the replica elected when they return is the right one.
 */
export function nextState(state: PartitionState, live: ReadonlySet<BrokerId>, usable: ReadonlySet<BrokerId>, unclean: boolean, controllerEpoch: number,
  logEndOf: (broker: BrokerId) => LogEnd | undefined = () => undefined, minIsr = 1): PartitionState | undefined {
  const inSync = state.replicas.filter((replica) => state.isr.includes(replica));
  const earlier = state.suspects ?? [];
  // Members that are away (not restarted: they lost nothing) stay while the ISR would fall below
  // min.insync.replicas, as KIP-966's eligible leader replicas do: nothing is committed without them,
  // so they hold every committed record and may lead when back (kafka-log seed 900842: a member whose
  // session expired was dropped, and a restarted replica that had lost its tail was later the only one).
  const kept = inSync.filter((replica) => usable.has(replica) && !earlier.includes(replica));
  const away = inSync.filter((replica) => !live.has(replica) && !earlier.includes(replica));
  const usableIsr = kept.length >= minIsr ? kept : [...kept, ...away.slice(0, minIsr - kept.length)];
  if (state.leader !== null && usable.has(state.leader) && state.zkVersion >= 0) {
    return usableIsr.length === state.isr.length ? undefined : { ...state, isr: usableIsr, controllerEpoch };
  }
  const allBack = inSync.every((replica) => live.has(replica));
  let leader: BrokerId | null = kept[0] ?? (allBack ? longestLog(inSync, logEndOf) : undefined) ?? null;
  let isr = kept.length > 0 ? usableIsr : leader !== null ? [leader] : state.isr;
  if (leader === null && unclean) {
    leader = state.replicas.find((replica) => live.has(replica)) ?? null;
    if (leader !== null) isr = [leader];
  }
  const suspects = leader !== null ? [] : inSync.filter((replica) => earlier.includes(replica) || (live.has(replica) && !usable.has(replica)));
  const next: PartitionState = { ...state, leader, isr, controllerEpoch };
  if (suspects.length > 0) next.suspects = suspects;
  else delete next.suspects;
  if (leader === null && state.leader === null && state.zkVersion >= 0) {
    // Still offline: only a new suspect is worth a write.
    return suspects.length === earlier.length ? undefined : next;
  }
  return { ...next, leaderEpoch: state.leaderEpoch + 1 };
}

/** Where a replica's log ended when it registered: its last leader epoch and its log end offset. */
export interface LogEnd {
  epoch: number;
  offset: number;
}

/**
 * Of in-sync replicas that all restarted (any may have lost its unflushed tail), the one whose log
 * reaches furthest (KIP-966's unclean recovery asks each replica; here each says it when it
 * registers); replica order breaks ties. A replica that did not say counts as empty.
 */
function longestLog(candidates: readonly BrokerId[], logEndOf: (broker: BrokerId) => LogEnd | undefined): BrokerId | undefined {
  let best: BrokerId | undefined;
  let bestEnd: LogEnd = { epoch: -2, offset: -1 };
  for (const candidate of candidates) {
    const end = logEndOf(candidate) ?? { epoch: -1, offset: 0 };
    if (end.epoch > bestEnd.epoch || (end.epoch === bestEnd.epoch && end.offset > bestEnd.offset)) {
      best = candidate;
      bestEnd = end;
    }
  }
  return best;
}
