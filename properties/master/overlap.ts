// M1 single master: the intervals [startUs, endUs) during which nodes acted as master, judged in true time,
// never overlap across nodes. Touching endpoints do not overlap: one master's end is the next one's start.
import type { PropertyResult } from "../result.ts";
import type { MasterHistory, MasterInterval } from "./history.ts";
import type { Finding } from "../findings.ts";
import { at, plural, verdictOf } from "../findings.ts";

export const SINGLE_MASTER = "M1 single-master";

export function checkSingleMaster(masters: MasterHistory): PropertyResult {
  // Sweep by start time, keeping the intervals still open: each new one overlaps exactly those of other nodes.
  const byStart = masters.intervals.filter((interval) => interval.startUs < interval.endUs)
    .sort((a, b) => a.startUs - b.startUs || a.order - b.order);
  const findings: Finding[] = [];
  let open: MasterInterval[] = [];
  for (const interval of byStart) {
    open = open.filter((earlier) => earlier.endUs > interval.startUs);
    for (const earlier of open) if (earlier.node !== interval.node) findings.push(overlapOf(earlier, interval));
    open.push(interval);
  }
  return verdictOf(SINGLE_MASTER, findings,
    `${plural(masters.intervals.length, "master interval")} never overlap across nodes`);
}

function overlapOf(earlier: MasterInterval, later: MasterInterval): Finding {
  const overlapUs = Math.min(earlier.endUs, later.endUs) - later.startUs;
  return {
    anomaly: "overlapping-masters",
    detail: `${describe(earlier)} and ${describe(later)} were both master for ${overlapUs} us`,
    operations: [earlier.op, later.op],
  };
}

function describe(interval: MasterInterval): string {
  return `${JSON.stringify(interval.node)} [${interval.startUs}, ${interval.endUs}) token ${interval.token} (${at(interval.op)})`;
}
