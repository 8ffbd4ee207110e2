// What a server keeps on its simulated disk, and the durability barrier over it.
// Files: "epoch" (one record: acceptedEpoch, currentEpoch and who led it), "log" (LogEntry records),
// "snapshot" (one record: a serialized tree). Nothing else survives a crash.
import type { Disk, NodeId } from "../../../sim/types.ts";
import { TORN } from "../../../sim/disk.ts";
import type { LogEntry } from "../messages.ts";
import type { SerializedTree } from "./tree.ts";

export interface EpochRecord {
  acceptedEpoch: number;
  currentEpoch: number;
  /** The leader whose NEWLEADER made currentEpoch current: one leader per epoch, even across restarts. */
  currentLeader: NodeId | null;
}

export interface Recovered {
  epochs: EpochRecord;
  snapshot: SerializedTree | null;
  /** Log entries after the snapshot, up to the first torn or out-of-order record. */
  log: LogEntry[];
}

const EPOCH_FILE = "epoch";
const LOG_FILE = "log";
const SNAPSHOT_FILE = "snapshot";

export class Storage {
  private fsyncsIssued = 0;
  private fsyncInFlight = false;
  /** Callbacks waiting for the fsync in flight, and those that need the next one. */
  private waitingInFlight: Array<() => void> = [];
  private waitingNext: Array<() => void> = [];
  /**
   * An empty list for the next waitingNext. Lists are recycled, not made anew per fsync: a fresh array
   * reserves 17 slots at its first push, a few hundred bytes per fsync on every server.
   */
  private waitingSpare: Array<() => void> = [];
  private readonly tagPrefix: string;

  constructor(private readonly disk: Disk, bootId: number) {
    // A restarted process must not take an fsync of its previous life for its own.
    this.tagPrefix = `zk-fsync.${bootId}.`;
  }

  recover(): Recovered {
    const epochRecords = this.disk.read(EPOCH_FILE);
    const lastEpoch = epochRecords[epochRecords.length - 1];
    const epochs: EpochRecord = lastEpoch && lastEpoch !== TORN
      ? (lastEpoch as EpochRecord)
      : { acceptedEpoch: 0, currentEpoch: 0, currentLeader: null };
    const snapshotRecords = this.disk.read(SNAPSHOT_FILE);
    const snapshotRecord = snapshotRecords[0];
    const snapshot = snapshotRecord && snapshotRecord !== TORN ? (snapshotRecord as SerializedTree) : null;
    const snapshotZxid = snapshot?.lastZxid ?? 0;
    const log: LogEntry[] = [];
    const records = this.disk.read(LOG_FILE);
    let clean = true;
    for (const record of records) {
      if (record === TORN) { clean = false; break; } // a torn record and everything after it: as a bad checksum
      const entry = record as LogEntry;
      if (entry.zxid <= snapshotZxid) { clean = false; continue; } // the snapshot already holds it
      if (log.length > 0 && entry.zxid <= log[log.length - 1]!.zxid) { clean = false; break; }
      log.push(entry);
    }
    // Keep the file identical to memory, so truncation by count stays exact.
    if (!clean || log.length !== records.length) this.replaceLog(log);
    return { epochs, snapshot, log };
  }

  writeEpochs(record: EpochRecord): void {
    this.disk.replace(EPOCH_FILE, [record]);
  }

  append(entry: LogEntry): void {
    this.disk.append(LOG_FILE, entry);
  }

  /** Keeps the first `count` entries of the log. */
  truncateLog(count: number): void {
    this.disk.truncate(LOG_FILE, count);
  }

  replaceLog(entries: readonly LogEntry[]): void {
    // A copy: the disk may hold the array until an fsync, and the caller keeps appending to its own.
    this.disk.replace(LOG_FILE, entries.slice());
  }

  writeSnapshot(snapshot: SerializedTree): void {
    this.disk.replace(SNAPSHOT_FILE, [snapshot]);
  }

  /**
   * Calls `done` once everything written so far is durable. Group commit: one fsync in flight at a
   * time; writes made meanwhile wait for the next one, which covers them all.
   */
  sync(done: () => void): void {
    if (!this.fsyncInFlight) {
      this.waitingInFlight.push(done);
      this.issue();
    } else this.waitingNext.push(done);
  }

  /** Routes ctx.fsynced; false when the tag is not this storage's. */
  fsynced(tag: string): boolean {
    if (!tag.startsWith(this.tagPrefix)) return tag.startsWith("zk-fsync.");
    const done = this.waitingInFlight;
    this.fsyncInFlight = false;
    this.waitingInFlight = this.waitingNext;
    this.waitingNext = this.waitingSpare;
    if (this.waitingInFlight.length > 0) this.issue();
    // Emptied by shift (which keeps the array's store, where length = 0 frees it) to be the next spare;
    // callbacks that sync again only ever reach the two lists above.
    while (done.length > 0) done.shift()!();
    this.waitingSpare = done;
    return true;
  }

  private issue(): void {
    this.fsyncInFlight = true;
    this.fsyncsIssued++;
    this.disk.fsync(this.tagPrefix + this.fsyncsIssued);
  }
}
