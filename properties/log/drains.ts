// The final drain of each partition is the checks' picture of the log after the heal.
import type { Drain } from "./values.ts";

/** The last successful drain of each partition, in history order: earlier drains may predate late writes. */
export function finalDrains(drains: readonly Drain[]): Map<number, Drain> {
  const byPartition = new Map<number, Drain>();
  for (const drain of drains) {
    const seen = byPartition.get(drain.partition);
    if (!seen || seen.order < drain.order) byPartition.set(drain.partition, drain);
  }
  return byPartition;
}

/** The drained offsets in (after, before), ascending, found by binary search in the sorted offsets. */
export function offsetsBetween(drain: Drain, after: number, before: number): number[] {
  let low = 0;
  let high = drain.offsets.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (drain.offsets[middle]! <= after) low = middle + 1;
    else high = middle;
  }
  const between: number[] = [];
  for (let i = low; i < drain.offsets.length && drain.offsets[i]! < before; i++) between.push(drain.offsets[i]!);
  return between;
}
