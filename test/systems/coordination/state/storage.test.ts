import test from "ava";
import { TORN } from "../../../../sim/disk.ts";
import type { Disk, DiskRecord } from "../../../../sim/types.ts";
import { Storage } from "../../../../systems/coordination/state/storage.ts";
import type { LogEntry } from "../../../../systems/coordination/messages.ts";

class MemoryDisk implements Disk {
  private readonly contents = new Map<string, DiskRecord[]>();
  fsyncs: string[] = [];
  append(file: string, record: DiskRecord): void { this.contents.set(file, [...(this.contents.get(file) ?? []), record]); }
  replace(file: string, records: readonly DiskRecord[]): void { this.contents.set(file, [...records]); }
  truncate(file: string, length: number): void { this.contents.set(file, (this.contents.get(file) ?? []).slice(0, length)); }
  read(file: string): readonly DiskRecord[] { return this.contents.get(file) ?? []; }
  files(): string[] { return [...this.contents.keys()].sort(); }
  fsync(tag: string): void { this.fsyncs.push(tag); }
}

const entry = (zxid: number): LogEntry => ({ zxid, txn: { kind: "closeSession", session: "s", origin: null } });

test("storage: recovery drops a torn record and everything after it, and rewrites the log to match", (t) => {
  const disk = new MemoryDisk();
  disk.replace("log", [entry(1), entry(2), TORN, entry(4)]);
  const recovered = new Storage(disk, 1).recover();
  t.deepEqual(recovered.log.map((e) => e.zxid), [1, 2]);
  t.deepEqual((disk.read("log") as LogEntry[]).map((e) => e.zxid), [1, 2]);
  t.deepEqual(recovered.epochs, { acceptedEpoch: 0, currentEpoch: 0, currentLeader: null });
});

test("storage: recovery skips log entries a snapshot already covers", (t) => {
  const disk = new MemoryDisk();
  disk.replace("snapshot", [{ lastZxid: 2, nodes: [["/", "", { czxid: 0, mzxid: 0, pzxid: 0, version: 0, cversion: 0, ephemeralOwner: null, numChildren: 0 }]], sessions: [] }]);
  disk.replace("log", [entry(1), entry(2), entry(3)]);
  disk.replace("epoch", [{ acceptedEpoch: 3, currentEpoch: 2, currentLeader: "zk2" }]);
  const recovered = new Storage(disk, 1).recover();
  t.deepEqual(recovered.log.map((e) => e.zxid), [3]);
  t.is(recovered.snapshot?.lastZxid, 2);
  t.is(recovered.epochs.acceptedEpoch, 3);
});

test("storage: group commit: one fsync in flight, callbacks run once what they wrote is durable", (t) => {
  const disk = new MemoryDisk();
  const storage = new Storage(disk, 7);
  const done: string[] = [];
  storage.sync(() => done.push("a"));
  storage.sync(() => done.push("b"));
  storage.sync(() => done.push("c"));
  t.is(disk.fsyncs.length, 1);
  t.true(storage.fsynced(disk.fsyncs[0]!));
  t.deepEqual(done, ["a"]);
  t.is(disk.fsyncs.length, 2, "b and c share the next fsync");
  storage.fsynced(disk.fsyncs[1]!);
  t.deepEqual(done, ["a", "b", "c"]);
  t.true(storage.fsynced("zk-fsync.999.1"), "a previous life's fsync is ours to ignore");
  t.deepEqual(done, ["a", "b", "c"]);
});
