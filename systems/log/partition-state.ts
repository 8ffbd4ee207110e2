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
}

export function encodeState(state: PartitionState): string {
  const stored: StoredState = { leader: state.leader, leaderEpoch: state.leaderEpoch, isr: state.isr, controllerEpoch: state.controllerEpoch };
  return JSON.stringify(stored);
}

export function decodeState(topic: string, partition: number, replicas: BrokerId[], data: string, zkVersion: number): PartitionState {
  const stored = JSON.parse(data) as StoredState;
  return { topic, partition, replicas, zkVersion, leader: stored.leader, leaderEpoch: stored.leaderEpoch, isr: stored.isr, controllerEpoch: stored.controllerEpoch };
}

/**
 * A new leader for a partition whose leader is gone (or absent): the first live ISR member in
 * replica order; with unclean election allowed and no ISR member alive, the first live replica,
 * which becomes the whole ISR. With no candidate the partition goes offline (leader null), its ISR
 * kept so that the last in-sync replica is the one elected when it returns.
 */
export function electLeader(state: PartitionState, live: ReadonlySet<BrokerId>, unclean: boolean, controllerEpoch: number): PartitionState {
  const liveIsr = state.replicas.filter((replica) => state.isr.includes(replica) && live.has(replica));
  let leader: BrokerId | null = liveIsr[0] ?? null;
  let isr = liveIsr.length > 0 ? liveIsr : state.isr;
  if (leader === null && unclean) {
    const anyLive = state.replicas.find((replica) => live.has(replica));
    if (anyLive !== undefined) {
      leader = anyLive;
      isr = [anyLive];
    }
  }
  return { ...state, leader, isr, leaderEpoch: state.leaderEpoch + 1, controllerEpoch };
}

/** Whether a partition needs a new leader given the live brokers. */
export function needsLeader(state: PartitionState, live: ReadonlySet<BrokerId>, unclean: boolean): boolean {
  if (state.leader !== null) return !live.has(state.leader);
  return state.replicas.some((replica) => live.has(replica) && (unclean || state.isr.includes(replica)));
}

/** ISR members that died, removed (never the last one: it marks who may lead when it returns). */
export function withoutDead(state: PartitionState, live: ReadonlySet<BrokerId>): BrokerId[] {
  const alive = state.isr.filter((replica) => live.has(replica));
  return alive.length > 0 ? alive : state.isr;
}
