// C1 nonmonotonic-poll: within one assignment (consumer, generation) a consumer's position in a partition
// only moves forward, so the offsets it polls there strictly increase. A new generation may start lower.
import type { Operation } from "../history/index.ts";
import type { PropertyResult } from "../result.ts";
import type { LogHistory } from "./history.ts";
import type { Finding } from "../findings.ts";
import { at, plural, verdictOf } from "../findings.ts";
import { assignmentStream } from "./assignments.ts";

export const NONMONOTONIC_POLL = "C1 nonmonotonic-poll";

export function checkPollOrder(log: LogHistory): PropertyResult {
  const last = new Map<string, { offset: number; op: Operation }>();
  const findings: Finding[] = [];
  let records = 0;
  for (const poll of log.polls) {
    for (const record of poll.records) {
      records++;
      const stream = assignmentStream(poll.consumer, poll.generation, record.partition);
      const previous = last.get(stream);
      if (previous && record.offset <= previous.offset) {
        findings.push({
          anomaly: "nonmonotonic-poll",
          detail: `consumer ${JSON.stringify(poll.consumer)} generation ${poll.generation} partition ${record.partition} ` +
            `polled offset ${record.offset} (${at(poll.ok)}) after offset ${previous.offset} (${at(previous.op)})`,
          operations: previous.op === poll.ok ? [poll.ok] : [previous.op, poll.ok],
        });
      }
      last.set(stream, { offset: record.offset, op: poll.ok });
    }
  }
  return verdictOf(NONMONOTONIC_POLL, findings,
    `${plural(records, "polled record")} in ${plural(last.size, "assignment stream")} have strictly increasing offsets`);
}
