// A node's disk. Writes land in the page cache (volatile) and become durable when an fsync that
// covers them completes. A process crash keeps the page cache (the OS flushes it); power loss drops
// it, and the first unsynced append may survive torn, as a half-written sector would.
import type { DiskRecord } from "./types.ts";

/** The record a torn write leaves behind; readers must treat it like a failed checksum. */
export const TORN: DiskRecord = Object.freeze({ torn: true });

type DiskOp =
  | { kind: "append"; file: string; record: DiskRecord }
  | { kind: "replace"; file: string; records: readonly DiskRecord[] }
  | { kind: "truncate"; file: string; length: number };

type Files = Map<string, DiskRecord[]>;

function applyOp(files: Files, op: DiskOp): void {
  switch (op.kind) {
    case "append": {
      let records = files.get(op.file);
      if (records === undefined) files.set(op.file, (records = []));
      records.push(op.record);
      return;
    }
    case "replace":
      files.set(op.file, op.records.slice());
      return;
    case "truncate": {
      const records = files.get(op.file);
      if (records !== undefined && records.length > op.length) records.length = op.length;
      return;
    }
  }
}

function copyFiles(files: Files): Files {
  const copy: Files = new Map();
  for (const [name, records] of files) copy.set(name, records.slice());
  return copy;
}

/** Survives crashes: the durable image, plus the page cache while the machine has power. */
export class DiskStore {
  private durable: Files = new Map();
  private view: Files = new Map();
  /** Writes not yet durable, oldest first. */
  private pending: DiskOp[] = [];
  /** Absolute counts, so an fsync's mark stays right when an earlier fsync completes first. */
  private opsWritten = 0;
  private opsSettled = 0;
  fsyncsDone = 0;

  write(op: DiskOp): void {
    applyOp(this.view, op);
    this.pending.push(op);
    this.opsWritten++;
  }

  /** A copy: a reader holding it must not see later writes (nor change the file through it). */
  read(file: string): readonly DiskRecord[] {
    return this.view.get(file)?.slice() ?? [];
  }

  files(): string[] {
    return [...this.view.keys()].sort();
  }

  /** What an fsync issued now covers: every write made so far. */
  fsyncMark(): number {
    return this.opsWritten;
  }

  /** An fsync with this mark completed: the writes it covers become durable. */
  makeDurable(mark: number): void {
    const count = Math.max(0, mark - this.opsSettled);
    for (const op of this.pending.splice(0, count)) applyOp(this.durable, op);
    this.opsSettled += count;
    this.fsyncsDone++;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  processCrash(): void {
    for (const op of this.pending) applyOp(this.durable, op);
    this.settle();
  }

  powerLoss(tear: boolean): void {
    const first = this.pending[0];
    if (tear && first !== undefined && first.kind === "append") applyOp(this.durable, { ...first, record: TORN });
    this.settle();
  }

  private settle(): void {
    this.pending = [];
    this.opsSettled = this.opsWritten;
    this.view = copyFiles(this.durable);
  }

  /** The durable image only (for tests and inspection). */
  durableFile(file: string): readonly DiskRecord[] {
    return this.durable.get(file)?.slice() ?? [];
  }
}
