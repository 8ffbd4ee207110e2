// Which broker power losses the kafka-log fault mix keeps. Two brokers that both lose power before
// either flushed the same acked records lose them: Kafka's design (durability is replication, not
// fsync; SEMANTICS, KIP-966), not a bug, so the suite leaves it out as it leaves out power-loss groups.
import type { ScheduledFault } from "./role-faults.ts";

/**
 * A broker's power loss at t2 after another's at t1 is coincident when the later broker ran for
 * less than `spacingUs` in between: the records the first one lost were on the second before t1,
 * and a broker that runs that long after t1 has flushed them. Running time leaves out what keeps a
 * broker from flushing: a pause (its timers wait), and a backward clock step (they fire that much
 * later). Independent fault lists can draw such pairs: kafka-log seed 2042063 --swarm (b1 and b3 lost
 * power 1 ms apart, b2 down), or a broker paused across the other's power loss that loses power
 * while still paused. The later loss becomes a crash, which keeps the page cache. `faults` is sorted
 * by time.
 */
export function spacePowerLosses(faults: ScheduledFault[], brokers: readonly string[], spacingUs: number): ScheduledFault[] {
  const losses: Array<{ atUs: number; nodeId: string }> = [];
  return faults.map((fault) => {
    if (fault.kind !== "power-loss" || !("nodeId" in fault) || !brokers.includes(fault.nodeId)) return fault;
    const { nodeId, atUs } = fault;
    if (losses.some((loss) => loss.nodeId !== nodeId && runningUs(faults, nodeId, loss.atUs, atUs) < spacingUs)) return { ...fault, kind: "crash" };
    losses.push({ atUs, nodeId });
    return fault;
  });
}

/** Time in [fromUs, toUs] that `nodeId` spent able to flush, by the faults' own durations. */
export function runningUs(faults: readonly ScheduledFault[], nodeId: string, fromUs: number, toUs: number): number {
  const dark = faults.flatMap((fault) => (fault.atUs > toUs ? [] : darkInterval(fault, nodeId)))
    .map(([start, end]): [number, number] => [Math.max(start, fromUs), Math.min(end, toUs)])
    .filter(([start, end]) => start < end)
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let reached = fromUs;
  for (const [start, end] of dark) {
    if (end <= reached) continue;
    covered += end - Math.max(start, reached);
    reached = end;
  }
  return toUs - fromUs - covered;
}

/**
 * When a fault may keep `nodeId` from flushing. A fault aimed at a role may land on any node. A
 * clock offset's step is the difference from the last offset, which this does not track, so it
 * counts as a step back of its whole size; a strobe steps back by its amplitude all through.
 */
function darkInterval(fault: ScheduledFault, nodeId: string): Array<[number, number]> {
  const aimedHere = "target" in fault || ("nodeId" in fault && fault.nodeId === nodeId);
  if (!aimedHere) return [];
  const at = fault.atUs;
  switch (fault.kind) {
    case "pause": return [[at, at + (fault.durationUs ?? Infinity)]];
    case "clock-jump": return fault.deltaUs !== undefined && fault.deltaUs < 0 ? [[at, at - fault.deltaUs]] : [];
    case "clock-offset": return [[at, at + Math.abs(fault.offsetUs)]];
    case "clock-strobe": return [[at, at + fault.durationUs + fault.amplitudeUs]];
    default: return [];
  }
}
