// The log views: per partition, the offsets the final drain holds against the acknowledged sends (lost
// and duplicated records marked); per consumer group, its committed offsets over time. Read straight
// from the history (docs/histories.md's log format), so `check --model log --html` draws them too.
import type { Operation } from "../properties/history/index.ts";

/** Offset statuses, drawn as run-length strips: [offsetStart, count, status]. */
export const OFFSET = { drained: 0, acked: 1, lost: 2, duplicate: 3, conflict: 4, unacked: 5 } as const;

export interface PartitionView {
  partition: number;
  acked: number;
  drained: number;
  /** [offsetStart, count, status]: every offset from 0 to the highest acked or drained. */
  strip: Array<[number, number, number]>;
  lost: Array<{ offset: number; value: string; index: number }>;
  duplicated: Array<{ value: string; offsets: number[] }>;
  /** Offsets the drain holds a different value at than the one acked there. */
  conflicts: Array<{ offset: number; acked: string; drained: string; index: number }>;
  /** The final drain's completion index, or null when the partition was never drained. */
  drainIndex: number | null;
}

export interface CommitSeries {
  group: string;
  partition: number;
  /** [true time, offset, history index] of each acknowledged commit. */
  points: Array<[number, number, number]>;
}

export interface LogView {
  partitions: PartitionView[];
  commits: CommitSeries[];
}

const LISTED_MAX = 200;
const POINTS_MAX = 2_000;

type Fields = Record<string, unknown>;
const fields = (value: unknown): Fields => (typeof value === "object" && value !== null ? value as Fields : {});
const key = (value: unknown) => JSON.stringify(value) ?? "null";

export function logView(history: readonly Operation[]): LogView | undefined {
  const sends = new Map<number, Array<{ offset: number; value: string; index: number }>>();
  const drains = new Map<number, { records: Array<{ offset: number; value: string }>; index: number }>();
  const invoked = new Map<number, Operation>();
  const commits = new Map<string, CommitSeries>();
  for (const op of history) {
    if (op.type === "invoke") { invoked.set(op.process, op); continue; }
    const invoke = invoked.get(op.process);
    invoked.delete(op.process);
    if (op.type !== "ok") continue;
    const value = fields(op.value);
    if (op.f === "send" && typeof value.offset === "number") {
      const partition = Number(value.partition ?? 0);
      (sends.get(partition) ?? sends.set(partition, []).get(partition)!).push({ offset: value.offset, value: key(value.value), index: op.index });
    } else if (op.f === "drain") {
      const partition = Number(fields(invoke?.value).partition ?? value.partition ?? 0);
      const records = (Array.isArray(value.records) ? value.records : []).map((record) => fields(record))
        .map((record) => ({ offset: Number(record.offset), value: key(record.value) }));
      drains.set(partition, { records, index: op.index }); // the last drain is the final one
    } else if (op.f === "commit" && typeof value.offset === "number") {
      const group = String(value.group ?? "");
      const partition = Number(value.partition ?? 0);
      const seriesKey = key([group, partition]);
      const series = commits.get(seriesKey) ?? commits.set(seriesKey, { group, partition, points: [] }).get(seriesKey)!;
      if (series.points.length < POINTS_MAX) series.points.push([op.time, value.offset, op.index]);
    }
  }
  if (sends.size === 0 && drains.size === 0 && commits.size === 0) return undefined;
  const partitions = [...new Set([...sends.keys(), ...drains.keys()])].sort((a, b) => a - b)
    .map((partition) => partitionView(partition, sends.get(partition) ?? [], drains.get(partition)));
  const series = [...commits.values()].sort((a, b) => a.group.localeCompare(b.group) || a.partition - b.partition);
  return { partitions, commits: series };
}

function partitionView(partition: number, sends: Array<{ offset: number; value: string; index: number }>,
  drain: { records: Array<{ offset: number; value: string }>; index: number } | undefined): PartitionView {
  const drained = new Map<number, string>();
  const drainedValues = new Map<string, number[]>();
  for (const record of drain?.records ?? []) {
    drained.set(record.offset, record.value);
    (drainedValues.get(record.value) ?? drainedValues.set(record.value, []).get(record.value)!).push(record.offset);
  }
  const lost: PartitionView["lost"] = [];
  const conflicts: PartitionView["conflicts"] = [];
  const status = new Map<number, number>();
  for (const send of sends) {
    const there = drained.get(send.offset);
    if (drain === undefined) { status.set(send.offset, OFFSET.acked); continue; }
    if (!drainedValues.has(send.value)) {
      lost.push({ offset: send.offset, value: send.value, index: send.index });
      status.set(send.offset, OFFSET.lost);
    } else if (there !== undefined && there !== send.value) {
      conflicts.push({ offset: send.offset, acked: send.value, drained: there, index: send.index });
      status.set(send.offset, OFFSET.conflict);
    }
  }
  const duplicated = [...drainedValues].filter(([, offsets]) => offsets.length > 1).map(([value, offsets]) => ({ value, offsets }));
  for (const { offsets } of duplicated) for (const offset of offsets) status.set(offset, OFFSET.duplicate);
  // A drained record no send acknowledged (its ack was lost, or it was sent with acks unknown).
  const ackedValues = new Set(sends.map((send) => send.value));
  for (const [offset, value] of drained) if (!status.has(offset)) status.set(offset, ackedValues.has(value) ? OFFSET.drained : OFFSET.unacked);
  let highest = -1;
  for (const offset of status.keys()) if (offset > highest) highest = offset;
  const strip: PartitionView["strip"] = [];
  for (let offset = 0; offset <= highest; offset++) {
    const code = status.get(offset) ?? -1; // -1: no record known at this offset
    const last = strip.at(-1);
    if (last && last[2] === code && last[0] + last[1] === offset) last[1]++;
    else strip.push([offset, 1, code]);
  }
  return {
    partition, acked: sends.length, drained: drain?.records.length ?? 0, strip, lost: lost.slice(0, LISTED_MAX),
    duplicated: duplicated.slice(0, LISTED_MAX), conflicts: conflicts.slice(0, LISTED_MAX), drainIndex: drain?.index ?? null,
  };
}
