// C3 poll-skip: within one assignment, a consumer that moves from offset a to b > a+1 in a partition must
// have received every offset in between that the log (its final drain) holds: gaps the log itself has
// (compaction, aborted writes) are legal. When the group's committed offset at the start of the assignment
// is known, the consumer is due to start there (a commit whose outcome is unknown may have moved it, so
// any such offset is also a legal start). And a consumer that commits offset X must have received, in
// that assignment, every drained offset from its start up to X: committing before processing lets a
// crash in between skip the batch for good (docs/histories.md).
import type { Operation } from "../history/index.ts";
import type { PropertyResult } from "../result.ts";
import type { Commit, Drain, LogHistory } from "./history.ts";
import type { Id } from "../history/index.ts";
import type { Finding } from "../findings.ts";
import { at, plural, verdictOf } from "../findings.ts";
import { assignmentStream, startOffsets, type StartOffset } from "./assignments.ts";
import { finalDrains, offsetsBetween } from "./drains.ts";

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
    let standing = startStanding(starts.get(key), stream.received[0]?.offset);
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
  findings.push(...commitsPastUnreceived(log, streams, starts, drains));
  const undecided = undrained > 0
    ? `${plural(undrained, "gap")} in polls of partitions never drained: cannot tell whether records were skipped`
    : undefined;
  return verdictOf(POLL_SKIP, findings,
    `${plural(records, "polled record")} in ${plural(streams.size, "assignment stream")} pass no drained offset unreceived`, undecided);
}

/** The legal start nearest below the first record received. Starting at or below the acknowledged
 *  committed offset is a re-read (records below it were processed); above it, a commit in flight may
 *  have moved the committed offset there. */
function startOf(start: StartOffset | undefined, firstReceived: number | undefined): number | undefined {
  if (!start) return undefined;
  if (firstReceived === undefined || firstReceived <= start.offset) return start.offset;
  const candidates = [start.offset, ...start.uncertain];
  const below = candidates.filter((candidate) => candidate <= firstReceived);
  return below.length === 0 ? undefined : Math.max(...below);
}

function startStanding(start: StartOffset | undefined, firstReceived: number | undefined): Standing | undefined {
  const offset = startOf(start, firstReceived);
  if (start === undefined || offset === undefined) return undefined;
  const via = offset === start.offset ? `${at(start.commit.ok)}` : "a commit whose outcome is unknown";
  return {
    offset: offset - 1,
    operations: [start.commit.ok, start.assign.ok],
    said: `was due to start at its group's committed offset ${offset} (${via}, assign ${at(start.assign.ok)}) but moved`,
  };
}

function skipOf(stream: Stream, standing: Standing, offset: number, op: Operation, drain: Drain): Finding | undefined {
  const missing = offsetsBetween(drain, standing.offset, offset).filter((between) => !stream.offsets.has(between));
  if (missing.length === 0) return undefined;
  return {
    anomaly: "poll-skip",
    detail: `consumer ${JSON.stringify(stream.consumer)} generation ${stream.generation} partition ${stream.partition} ` +
      `${standing.said} to offset ${offset} (${at(op)}), never receiving ${listed(missing)} held by the final drain (${at(drain.ok)})`,
    operations: [...standing.operations, op, drain.ok],
  };
}

/** Each acknowledged commit of a known consumer and generation covers only offsets that stream received. */
function commitsPastUnreceived(log: LogHistory, streams: Map<string, Stream>, starts: Map<string, StartOffset>, drains: Map<number, Drain>): Finding[] {
  const findings: Finding[] = [];
  for (const commit of log.commits) {
    if (commit.consumer === undefined || commit.generation === undefined) continue;
    const key = assignmentStream(commit.consumer, commit.generation, commit.partition);
    const stream = streams.get(key);
    const drain = drains.get(commit.partition);
    if (!drain) continue;
    // With nothing received, the most lenient legal start is the highest at or below the commit.
    const from = startOf(starts.get(key), stream?.received[0]?.offset ?? commit.offset) ?? stream?.received[0]?.offset;
    if (from === undefined || commit.offset <= from) continue;
    const missing = offsetsBetween(drain, from - 1, commit.offset).filter((offset) => !stream?.offsets.has(offset));
    if (missing.length > 0) findings.push(commitFinding(commit, from, missing, drain));
  }
  return findings;
}

function commitFinding(commit: Commit, from: number, missing: number[], drain: Drain): Finding {
  return {
    anomaly: "poll-skip",
    detail: `consumer ${JSON.stringify(commit.consumer)} generation ${commit.generation} committed offset ${commit.offset} ` +
      `for partition ${commit.partition} (${at(commit.ok)}), starting from ${from}, without ever receiving ${listed(missing)} held by the final drain (${at(drain.ok)})`,
    operations: [commit.ok, drain.ok],
  };
}

function listed(missing: number[]): string {
  const shown = missing.slice(0, MISSING_SHOWN_MAX).join(", ");
  return missing.length > MISSING_SHOWN_MAX ? `${shown} and ${missing.length - MISSING_SHOWN_MAX} more` : shown;
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
