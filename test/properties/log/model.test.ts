// Histories made by a correct model of a partitioned log with a consumer group are valid on every log
// property; dropping one acked record from its final drain is found as that send's lost write, and dropping
// a polled record between two others of its assignment is found as a poll-skip.
import test from "ava";
import fc from "fast-check";
import { checkLog } from "../../../properties/log/checks.ts";
import type { Operation } from "../../../properties/history/operation.ts";
import { HistoryBuilder } from "./builder.ts";

const PARTITIONS = 3;
const CONSUMERS = 3;

type Step =
  | { kind: "send"; producer: number; partition: number; outcome: "ok" | "fail" | "info-lost" | "info-written" }
  | { kind: "poll"; consumer: number; recordsMax: number }
  | { kind: "commit"; consumer: number; partition: number }
  | { kind: "rebalance"; owners: number[] };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({
    kind: fc.constant("send" as const), producer: fc.integer({ min: 0, max: 2 }), partition: fc.integer({ min: 0, max: PARTITIONS - 1 }),
    outcome: fc.constantFrom("ok" as const, "ok" as const, "fail" as const, "info-lost" as const, "info-written" as const) }) },
  { weight: 3, arbitrary: fc.record({
    kind: fc.constant("poll" as const), consumer: fc.integer({ min: 0, max: CONSUMERS - 1 }), recordsMax: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({
    kind: fc.constant("commit" as const), consumer: fc.integer({ min: 0, max: CONSUMERS - 1 }), partition: fc.integer({ min: 0, max: PARTITIONS - 1 }) }) },
  { weight: 1, arbitrary: fc.record({
    kind: fc.constant("rebalance" as const), owners: fc.array(fc.integer({ min: 0, max: CONSUMERS - 1 }), { minLength: PARTITIONS, maxLength: PARTITIONS }) }) },
);

/** The model: an append-only log per partition; a group whose members read from the committed offset. */
class LogModel {
  readonly history = new HistoryBuilder();
  private readonly logs: string[][] = Array.from({ length: PARTITIONS }, () => []);
  private readonly committed: number[] = Array.from({ length: PARTITIONS }, () => 0);
  private owners: number[] = Array.from({ length: PARTITIONS }, (_, partition) => partition % CONSUMERS);
  private positions = new Map<number, number>();
  private generation = 0;
  private valuesSent = 0;
  // A producer whose send ended in info never invokes again under that process id (Jepsen's rule).
  private readonly producerProcesses = [10, 11, 12];
  private processesUsed = 100;

  constructor() {
    this.rebalance(this.owners);
  }

  apply(s: Step): void {
    if (s.kind === "send") this.send(s.producer, s.partition, s.outcome);
    else if (s.kind === "poll") this.poll(s.consumer, s.recordsMax);
    else if (s.kind === "commit") this.commit(s.consumer, s.partition);
    else this.rebalance(s.owners);
  }

  finish(): Operation[] {
    this.logs.forEach((log, partition) => this.history.drain(99, partition, log.map((value, offset) => [offset, value])));
    return this.history.ops;
  }

  private send(producer: number, partition: number, outcome: Extract<Step, { kind: "send" }>["outcome"]): void {
    const process = this.producerProcesses[producer]!;
    const value = `v${this.valuesSent++}`;
    if (outcome === "ok") {
      this.history.send(process, `p${producer}`, partition, value, this.logs[partition]!.push(value) - 1);
      return;
    }
    this.history.add(process, "invoke", "send", { producer: `p${producer}`, partition, value });
    if (outcome === "info-written") this.logs[partition]!.push(value);
    if (outcome === "fail") this.history.add(process, "fail", "send", null, "not-leader");
    else {
      this.history.add(process, "info", "send", null, "timeout");
      this.producerProcesses[producer] = this.processesUsed++;
    }
  }

  private poll(consumer: number, recordsMax: number): void {
    const records: [number, number, unknown][] = [];
    this.owners.forEach((owner, partition) => {
      if (owner !== consumer) return;
      const from = this.positions.get(partition)!;
      const taken = this.logs[partition]!.slice(from, from + recordsMax);
      taken.forEach((value, i) => records.push([partition, from + i, value]));
      this.positions.set(partition, from + taken.length);
    });
    this.history.poll(consumer, `c${consumer}`, this.generation, records);
  }

  private commit(consumer: number, partition: number): void {
    if (this.owners[partition] !== consumer) return;
    this.committed[partition] = this.positions.get(partition)!;
    this.history.commit(consumer, "g", partition, this.committed[partition]!, this.generation);
  }

  private rebalance(owners: number[]): void {
    this.generation++;
    this.owners = owners;
    this.positions = new Map(owners.map((_, partition) => [partition, this.committed[partition]!]));
    for (let consumer = 0; consumer < CONSUMERS; consumer++) {
      const partitions = owners.flatMap((owner, partition) => (owner === consumer ? [partition] : []));
      this.history.assign(consumer, `c${consumer}`, this.generation, partitions);
    }
  }
}

function historyOf(steps: Step[]): Operation[] {
  const model = new LogModel();
  for (const s of steps) model.apply(s);
  return model.finish();
}

test("histories from a correct log model are valid on K1-K3 and C1-C3", (t) => {
  fc.assert(fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
    for (const result of checkLog(historyOf(steps))) {
      if (result.valid !== true) throw new Error(`${result.name}: ${result.summary}`);
    }
  }), { seed: 42, numRuns: 200 });
  t.pass();
});

test("dropping one acked record from its final drain is a lost write naming that send", (t) => {
  fc.assert(fc.property(fc.array(step, { maxLength: 80 }), fc.nat(), (steps, pick) => {
    const history = historyOf(steps);
    const acked = history.filter((op) => op.f === "send" && op.type === "ok");
    fc.pre(acked.length > 0);
    const lost = acked[pick % acked.length]!;
    const { partition, value } = lost.value as { partition: number; value: string };
    const drainInvoke = history.find((op) => op.f === "drain" && (op.value as { partition: number }).partition === partition)!;
    const drain = history[drainInvoke.index + 1]!;
    const records = (drain.value as { records: { value: string }[] }).records.filter((record) => record.value !== value);
    history[drain.index] = { ...drain, value: { records } };
    const [k1, ...others] = checkLog(history);
    if (k1!.valid !== false) throw new Error(`K1 missed the loss of ${value}: ${k1!.summary}`);
    const named = (k1!.evidence as { operations: Operation[] }[]).map((finding) => finding.operations[0]!.index);
    if (named.join() !== String(lost.index)) throw new Error(`K1 named ${named.join()} instead of ${lost.index}`);
    for (const other of others) if (other.valid !== true) throw new Error(`${other.name}: ${other.summary}`);
  }), { seed: 7, numRuns: 200 });
  t.pass();
});

type Polled = { partition: number; offset: number; value: string };

test("dropping a polled record between two others of its assignment is a poll-skip", (t) => {
  fc.assert(fc.property(fc.array(step, { minLength: 20, maxLength: 80 }), fc.nat(), (steps, pick) => {
    const history = historyOf(steps);
    // Every polled record that has a neighbour on both sides in its (consumer, generation, partition) stream.
    const streams = new Map<string, { op: Operation; record: Polled }[]>();
    for (const op of history) {
      if (op.f !== "poll" || op.type !== "ok") continue;
      const { generation, records } = op.value as { generation: number; records: Polled[] };
      for (const record of records) {
        const key = `${op.process}/${generation}/${record.partition}`;
        streams.set(key, [...(streams.get(key) ?? []), { op, record }]);
      }
    }
    const inner = [...streams.values()].flatMap((stream) => stream.slice(1, -1));
    fc.pre(inner.length > 0);
    const { op, record } = inner[pick % inner.length]!;
    const { generation, records } = op.value as { generation: number; records: Polled[] };
    history[op.index] = { ...op, value: { generation, records: records.filter((r) => r !== record) } };
    const c3 = checkLog(history).find((result) => result.name === "C3 poll-skip")!;
    if (c3.valid !== false) throw new Error(`C3 missed the skip of ${record.value}: ${c3.summary}`);
    if (!c3.summary.includes(`never receiving ${record.offset} held`)) throw new Error(c3.summary);
  }), { seed: 11, numRuns: 200 });
  t.pass();
});
