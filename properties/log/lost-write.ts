// K1 lost-write: a send the log acknowledged must be in the final drain of its partition.
import type { PropertyResult } from "../result.ts";
import type { LogHistory } from "./history.ts";
import type { Finding } from "../findings.ts";
import { at, plural, verdictOf } from "../findings.ts";
import { finalDrains } from "./drains.ts";

export const LOST_WRITE = "K1 lost-write";

export function checkLostWrites(log: LogHistory): PropertyResult {
  const drains = finalDrains(log.drains);
  const findings: Finding[] = [];
  let judged = 0;
  let undrained = 0;
  let late = 0;
  for (const send of log.sends) {
    const drain = drains.get(send.partition);
    if (!drain) {
      undrained++;
      continue;
    }
    // Acked after the drain began: the drain may legally have read the log before the record arrived.
    if (send.order > drain.invokeOrder) {
      late++;
      continue;
    }
    judged++;
    if (drain.valueKeys.has(send.valueKey)) continue;
    findings.push({
      anomaly: "lost-write",
      detail: `${send.valueKey} acked at partition ${send.partition} offset ${send.offset} (${at(send.ok)}) is not in its final drain (${at(drain.ok)})`,
      operations: [send.ok, drain.ok],
    });
  }
  const lateNote = late > 0 ? `; ${plural(late, "send")} acked after the drain began, not judged` : "";
  const undecided = undrained > 0
    ? `${plural(undrained, "acked send")} to partitions never drained: cannot tell whether they were lost`
    : undefined;
  return verdictOf(LOST_WRITE, findings, `all ${plural(judged, "acked send")} are in the final drains${lateNote}`, undecided);
}
