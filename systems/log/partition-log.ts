// One partition's log on the simulated disk: segments of records, a log start offset that retention
// moves, and the replica's high-watermark checkpoint. Writes go to the page cache; the broker fsyncs
// on an interval, so a power loss drops the unsynced tail (a legitimate loss when every replica
// holding a record loses power: KIP-966), while a process crash keeps it.
import type { Disk } from "../../sim/types.ts";
import { TORN } from "../../sim/disk.ts";
import type { StoredRecord } from "./messages.ts";
import { EpochCache } from "./epoch-cache.ts";

export interface LogLimits {
  segmentRecordsMax: number;
  retentionRecordsMax: number;
  /** 0 = no retention by age. */
  retentionUs: number;
}

interface Segment {
  baseOffset: number;
  file: string;
  records: StoredRecord[];
}

interface Checkpoint {
  logStartOffset: number;
  highWatermark: number;
}

export class PartitionLog {
  readonly epochs: EpochCache;
  private segments: Segment[] = [];
  private startOffset = 0;
  /** The high watermark last written to disk: what a restarted replica knows of its HW. */
  checkpointedHighWatermark = 0;

  constructor(private readonly disk: Disk, private readonly dir: string, private readonly limits: LogLimits) {
    this.epochs = new EpochCache(disk, `${dir}/leader-epochs`);
    this.recover();
  }

  get logStartOffset(): number {
    return this.startOffset;
  }

  get logEndOffset(): number {
    const last = this.segments[this.segments.length - 1];
    return last === undefined ? this.startOffset : last.baseOffset + last.records.length;
  }

  append(record: StoredRecord): void {
    if (record.offset !== this.logEndOffset) throw new Error(`${this.dir}: append at ${record.offset}, log ends at ${this.logEndOffset}`);
    let last = this.segments[this.segments.length - 1];
    if (last === undefined || last.records.length >= this.limits.segmentRecordsMax) {
      last = { baseOffset: record.offset, file: `${this.dir}/segment-${record.offset}`, records: [] };
      this.segments.push(last);
    }
    last.records.push(record);
    this.disk.append(last.file, record);
    this.epochs.assign(record.leaderEpoch, record.offset);
  }

  /** Records in [from, min(upTo, from + countMax)). */
  read(from: number, countMax: number, upTo: number = this.logEndOffset): StoredRecord[] {
    const end = Math.min(upTo, this.logEndOffset, from + countMax);
    const out: StoredRecord[] = [];
    if (from < this.startOffset) return out;
    for (const segment of this.segments) {
      const segmentEnd = segment.baseOffset + segment.records.length;
      if (segmentEnd <= from || segment.baseOffset >= end) continue;
      for (let offset = Math.max(from, segment.baseOffset); offset < Math.min(end, segmentEnd); offset++) {
        out.push(segment.records[offset - segment.baseOffset]!);
      }
    }
    return out;
  }

  /** Drops every record at `offset` and after. */
  truncateTo(offset: number): void {
    if (offset >= this.logEndOffset) {
      // No record to drop, but an epoch that began here and wrote nothing goes (else a follower
      // keeps asking the leader about an epoch only it knows).
      this.epochs.truncateFromEnd(offset);
      return;
    }
    if (offset <= this.startOffset) {
      this.resetTo(this.startOffset);
      return;
    }
    while (this.segments.length > 0) {
      const last = this.segments[this.segments.length - 1]!;
      if (last.baseOffset >= offset) {
        this.segments.pop();
        this.disk.replace(last.file, []);
        continue;
      }
      last.records.length = offset - last.baseOffset;
      this.disk.truncate(last.file, last.records.length);
      break;
    }
    this.epochs.truncateFromEnd(offset);
    this.checkpointedHighWatermark = Math.min(this.checkpointedHighWatermark, offset);
  }

  /** Empties the log and starts it at `offset` (a follower whose fetch fell below the leader's log start). */
  resetTo(offset: number): void {
    for (const segment of this.segments) this.disk.replace(segment.file, []);
    this.segments = [];
    this.startOffset = offset;
    this.epochs.clear();
    this.saveCheckpoint(offset);
  }

  /**
   * Deletes whole old segments while the log is over its size or age limits, never at or past
   * `deletableBelow` (the high watermark: what consumers may not have read yet stays). Returns
   * whether the log start moved.
   */
  applyRetention(nowUs: number, deletableBelow: number): boolean {
    let moved = false;
    while (this.segments.length > 1) {
      const oldest = this.segments[0]!;
      const oldestEnd = oldest.baseOffset + oldest.records.length;
      if (oldestEnd > deletableBelow) break;
      const overSize = this.logEndOffset - oldestEnd >= this.limits.retentionRecordsMax;
      const newest = oldest.records[oldest.records.length - 1];
      const overAge = this.limits.retentionUs > 0 && newest !== undefined && nowUs - newest.appendedUs > this.limits.retentionUs;
      if (!overSize && !overAge) break;
      this.segments.shift();
      this.disk.replace(oldest.file, []);
      this.startOffset = oldestEnd;
      moved = true;
    }
    if (moved) {
      this.epochs.truncateFromStart(this.startOffset);
      this.saveCheckpoint(this.checkpointedHighWatermark);
    }
    return moved;
  }

  /** Writes the log start and the high watermark (Kafka's replication-offset-checkpoint). */
  saveCheckpoint(highWatermark: number): void {
    const checkpoint: Checkpoint = { logStartOffset: this.startOffset, highWatermark };
    this.checkpointedHighWatermark = highWatermark;
    this.disk.replace(`${this.dir}/checkpoint`, [checkpoint]);
  }

  /** After a restart: the segments as the disk kept them, cut at the first torn or missing record.
   *  Retention deletes whole segments, so the log start is always a segment's first offset. */
  private recover(): void {
    const checkpoint = this.disk.read(`${this.dir}/checkpoint`)[0] as Checkpoint | undefined;
    this.startOffset = checkpoint?.logStartOffset ?? 0;
    const prefix = `${this.dir}/segment-`;
    const files = this.disk.files().filter((file) => file.startsWith(prefix))
      .map((file) => ({ file, baseOffset: Number(file.slice(prefix.length)) }))
      .filter(({ file, baseOffset }) => baseOffset >= this.startOffset && this.disk.read(file).length > 0)
      .sort((a, b) => a.baseOffset - b.baseOffset);
    let expected = this.startOffset;
    for (const { file, baseOffset } of files) {
      if (baseOffset !== expected) {
        this.disk.replace(file, []); // after a gap: unreachable, as Kafka's recovery deletes it
        continue;
      }
      const stored = this.disk.read(file);
      const records: StoredRecord[] = [];
      for (const raw of stored) {
        const record = raw as StoredRecord;
        if (record === TORN || record.offset !== expected) break;
        records.push(record);
        expected++;
      }
      if (records.length < stored.length) this.disk.truncate(file, records.length);
      if (records.length > 0) this.segments.push({ baseOffset, file, records: records.slice() });
    }
    this.epochs.truncateFromEnd(this.logEndOffset);
    this.checkpointedHighWatermark = Math.min(checkpoint?.highWatermark ?? 0, this.logEndOffset);
  }
}
