// The leader-epoch cache (KIP-101): for each leader epoch, the first offset written in it. A replica
// that comes back asks the leader where its last epoch ended and truncates there; truncating to its
// own high watermark instead lost acked records or left two replicas with different records at one
// offset (KAFKA-1211, KAFKA-6361). Kept on disk beside the log, rewritten whole on every change.
import type { Disk } from "../../sim/types.ts";

export interface EpochEntry {
  epoch: number;
  startOffset: number;
}

export class EpochCache {
  private entries: EpochEntry[];

  constructor(private readonly disk: Disk, private readonly file: string) {
    this.entries = (disk.read(file) as EpochEntry[]).filter((entry) => typeof entry?.epoch === "number").map((entry) => ({ ...entry }));
  }

  get latestEpoch(): number {
    return this.entries.length === 0 ? -1 : this.entries[this.entries.length - 1]!.epoch;
  }

  list(): readonly EpochEntry[] {
    return this.entries;
  }

  /** Records that `epoch` starts at `startOffset`; epochs and their offsets only grow. */
  assign(epoch: number, startOffset: number): void {
    const latest = this.entries[this.entries.length - 1];
    if (latest !== undefined && latest.epoch >= epoch) return;
    // An epoch that wrote nothing is superseded by the next one starting at the same offset.
    while (this.entries.length > 0 && this.entries[this.entries.length - 1]!.startOffset >= startOffset) this.entries.pop();
    this.entries.push({ epoch, startOffset });
    this.save();
  }

  /**
   * The largest epoch ≤ `epoch` this log knows, and where it ended: the start of the next epoch, or the
   * log end when it is the latest. Epoch -1 and offset -1 when the log knows no epoch that old.
   */
  endOf(epoch: number, logEndOffset: number): { epoch: number; endOffset: number } {
    let found = -1;
    for (let i = 0; i < this.entries.length; i++) if (this.entries[i]!.epoch <= epoch) found = i;
    if (found === -1) return { epoch: -1, endOffset: -1 };
    const next = this.entries[found + 1];
    return { epoch: this.entries[found]!.epoch, endOffset: next === undefined ? logEndOffset : next.startOffset };
  }

  /** The log was truncated to `offset`: epochs that started at or after it are gone. */
  truncateFromEnd(offset: number): void {
    const before = this.entries.length;
    this.entries = this.entries.filter((entry) => entry.startOffset < offset);
    if (this.entries.length !== before) this.save();
  }

  /** Retention moved the log start: the epoch covering it now starts there. */
  truncateFromStart(offset: number): void {
    let changed = false;
    while (this.entries.length > 1 && this.entries[1]!.startOffset <= offset) {
      this.entries.shift();
      changed = true;
    }
    const first = this.entries[0];
    if (first !== undefined && first.startOffset < offset) {
      this.entries[0] = { epoch: first.epoch, startOffset: offset };
      changed = true;
    }
    if (changed) this.save();
  }

  clear(): void {
    this.entries = [];
    this.save();
  }

  private save(): void {
    this.disk.replace(this.file, this.entries.map((entry) => ({ ...entry })));
  }
}
