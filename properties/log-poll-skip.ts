// C3 poll-skip: within one assignment, a consumer that moves from offset a to b > a+1 in a partition must
// have received every offset in between that the log (its final drain) holds: gaps the log itself has
// (compaction, aborted writes) are legal. When the group's committed offset at the start of the assignment
// is known, the consumer is due to start there (commit-then-process crashes skip records: SEMANTICS.md).
import type { Operation } from "./history.ts";
import type { PropertyResult } from "./result.ts";
import type { Drain, LogHistory } from "./log-history.ts";
import type { Id } from "./log-fields.ts";
import type { Finding } from "./log-findings.ts";
import { at, plural, verdictOf } from "./log-findings.ts";
import { assignmentStream, startOffsets } from "./log-assignments.ts";
import { finalDrains, offsetsBetween } from "./log-drains.ts";

export const POLL_SKIP = "C3 poll-skip";
const MISSING_SHOWN_MAX = 10;

interface Stream {
  consumer: Id;
  generation: number;
  partition: number;
  received: { offset: number; op: Operation }[];
  offsets: Set<number>;
}

/** Where the consumer stood before its next record: the last offset received, or one before its start. */
interface Standing {
  offset: number;
  operations: Operation[];
  said: string;
}

export function checkPollSkips(log: LogHistory): PropertyResult {
  const starts = startOffsets(log);
  const drains = finalDrains(log.drains);
  const findings: Finding[] = [];
  let records = 0;
  let undrained = 0;
  const streams = streamsOf(log);
  for (const [key, stream] of streams) {
    const drain = drains.get(stream.partition);
    const start = starts.get(key);
    let standing: Standing | undefined = start && {
      offset: start.offset - 1,
      operations: [start.commit.ok, start.assign.ok],
      said: `was due to start at its group's committed offset ${start.offset} (${at(start.commit.ok)}, assign ${at(start.assign.ok)}) but moved`,
    };
    for (const { offset, op } of stream.received) {
      records++;
      if (standing && offset > standing.offset + 1) {
        if (!drain) undrained++;
        else {
          const finding = skipOf(stream, standing, offset, op, drain);
          if (finding) findings.push(finding);
        }
      }
      if (!standing || offset > standing.offset) {
        standing = { offset, operations: [op], said: `moved from offset ${offset} (${at(op)})` };
      }
    }
  }
  const undecided = undrained > 0
    ? `${plural(undrained, "gap")} in polls of partitions never drained: cannot tell whether records were skipped`
    : undefined;
  return verdictOf(POLL_SKIP, findings,
    `${plural(records, "polled record")} in ${plural(streams.size, "assignment stream")} pass no drained offset unreceived`, undecided);
}

function skipOf(stream: Stream, standing: Standing, offset: number, op: Operation, drain: Drain): Finding | undefined {
  const missing = offsetsBetween(drain, standing.offset, offset).filter((between) => !stream.offsets.has(between));
  if (missing.length === 0) return undefined;
  const shown = missing.slice(0, MISSING_SHOWN_MAX).join(", ");
  const more = missing.length > MISSING_SHOWN_MAX ? ` and ${missing.length - MISSING_SHOWN_MAX} more` : "";
  return {
    anomaly: "poll-skip",
    detail: `consumer ${JSON.stringify(stream.consumer)} generation ${stream.generation} partition ${stream.partition} ` +
      `${standing.said} to offset ${offset} (${at(op)}), never receiving ${shown}${more} held by the final drain (${at(drain.ok)})`,
    operations: [...standing.operations, op, drain.ok],
  };
}

function streamsOf(log: LogHistory): Map<string, Stream> {
  const streams = new Map<string, Stream>();
  for (const poll of log.polls) {
    for (const record of poll.records) {
      const key = assignmentStream(poll.consumer, poll.generation, record.partition);
      let stream = streams.get(key);
      if (!stream) {
        stream = { consumer: poll.consumer, generation: poll.generation, partition: record.partition, received: [], offsets: new Set() };
        streams.set(key, stream);
      }
      stream.received.push({ offset: record.offset, op: poll.ok });
      stream.offsets.add(record.offset);
    }
  }
  return streams;
}
