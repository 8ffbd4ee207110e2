// Partition shapes as fault data (sim/faults.ts): the nemeses Jepsen found worth having.
// Each returns a `partition` fault whose `groups` may overlap: two nodes reach each other
// iff some group holds both. Each carries its own durationUs, so a shrunk schedule that lost
// its heal never leaves the cluster split for good.
import type { Fault } from "./faults.ts";
import type { NodeId } from "./types.ts";

export type PartitionFault = Extract<Fault, { kind: "partition" }>;

export interface PartitionTiming {
  atUs: number;
  durationUs: number;
}

/** One node alone; the rest still see each other. */
export function isolate(nodeIds: readonly NodeId[], nodeId: NodeId, timing: PartitionTiming): PartitionFault {
  const rest = nodeIds.filter((other) => other !== nodeId);
  return { kind: "partition", atUs: timing.atUs, durationUs: timing.durationUs, groups: [[nodeId], rest] };
}

/**
 * The nodes listed in `minority` (fewer than half) on one side, everyone else on the other.
 * `minority` is trimmed to strictly less than half, so the other side always holds a quorum.
 */
export function majorityMinority(nodeIds: readonly NodeId[], minority: readonly NodeId[], timing: PartitionTiming): PartitionFault {
  const minoritySizeMax = Math.ceil(nodeIds.length / 2) - 1;
  const small = unique(minority).filter((nodeId) => nodeIds.includes(nodeId)).slice(0, Math.max(1, minoritySizeMax));
  const large = nodeIds.filter((nodeId) => !small.includes(nodeId));
  return { kind: "partition", atUs: timing.atUs, durationUs: timing.durationUs, groups: [small, large] };
}

/**
 * Two halves that cannot see each other, except through `bridge`, which sees both
 * (Jepsen's "bridge": each half plus the bridge is a majority, so a leader on either side can win).
 */
export function bridge(nodeIds: readonly NodeId[], bridgeNode: NodeId, timing: PartitionTiming): PartitionFault {
  const others = nodeIds.filter((nodeId) => nodeId !== bridgeNode);
  const halfSize = Math.floor(others.length / 2);
  const left = [...others.slice(0, halfSize), bridgeNode];
  const right = [bridgeNode, ...others.slice(halfSize)];
  return { kind: "partition", atUs: timing.atUs, durationUs: timing.durationUs, groups: [left, right] };
}

/**
 * Every node sees a majority, but no two nodes see the same majority (Jepsen's "majorities ring"):
 * nodes on a ring (in the order given) reach the `reach` nearest neighbours on each side.
 */
export function majoritiesRing(nodeIds: readonly NodeId[], timing: PartitionTiming): PartitionFault {
  const count = nodeIds.length;
  const othersNeeded = Math.floor(count / 2);
  const reach = Math.max(1, Math.ceil(othersNeeded / 2));
  const groups: NodeId[][] = [];
  for (let index = 0; index < count; index++) {
    for (let step = 1; step <= reach; step++) {
      const neighbour = nodeIds[(index + step) % count]!;
      if (neighbour !== nodeIds[index]) groups.push([nodeIds[index]!, neighbour]);
    }
  }
  return { kind: "partition", atUs: timing.atUs, durationUs: timing.durationUs, groups: dedupePairs(groups) };
}

/** Whether `a` and `b` can reach each other under `groups` (a node in no group is unaffected). */
export function reachable(groups: readonly (readonly NodeId[])[], a: NodeId, b: NodeId): boolean {
  if (a === b) return true;
  const listed = (nodeId: NodeId) => groups.some((group) => group.includes(nodeId));
  if (!listed(a) || !listed(b)) return true;
  return groups.some((group) => group.includes(a) && group.includes(b));
}

function unique(nodeIds: readonly NodeId[]): NodeId[] {
  return [...new Set(nodeIds)];
}

function dedupePairs(pairs: NodeId[][]): NodeId[][] {
  const seen = new Set<string>();
  return pairs.filter((pair) => {
    const key = [...pair].sort().join("\u0000");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
