// Builds tiny log, consumer and master histories for the tests: each call returns the index of the
// operation a test will name in its assertions.
import type { Operation, OperationType } from "../../../properties/history/operation.ts";

export class HistoryBuilder {
  readonly ops: Operation[] = [];
  private timeUs = 0;

  add(process: number, type: OperationType, f: string, value: unknown, error?: string): number {
    this.timeUs += 10;
    const op: Operation = { process, type, f, value, time: this.timeUs, index: this.ops.length };
    if (error !== undefined) op.error = error;
    this.ops.push(op);
    return op.index;
  }

  /** An invoke followed at once by its ok; returns the ok's index. */
  call(process: number, f: string, invokeValue: unknown, okValue: unknown): number {
    this.add(process, "invoke", f, invokeValue);
    return this.add(process, "ok", f, okValue);
  }

  send(process: number, producer: string, partition: number, value: unknown, offset: number): number {
    return this.call(process, "send", { producer, partition, value }, { partition, offset, value });
  }

  poll(process: number, consumer: string, generation: number, records: [number, number, unknown][]): number {
    const polled = records.map(([partition, offset, value]) => ({ partition, offset, value }));
    return this.call(process, "poll", { consumer }, { generation, records: polled });
  }

  commit(process: number, group: string, partition: number, offset: number, generation = 1): number {
    const value = { group, partition, offset, generation };
    return this.call(process, "commit", value, value);
  }

  assign(process: number, consumer: string, generation: number, partitions: number[]): number {
    return this.call(process, "assign", { consumer }, { generation, partitions });
  }

  drain(process: number, partition: number, records: [number, unknown][]): number {
    return this.call(process, "drain", { partition }, { records: records.map(([offset, value]) => ({ offset, value })) });
  }

  master(node: string, token: number, startUs: number, endUs: number): number {
    return this.add(0, "ok", "master", { node, token, startUs, endUs });
  }

  write(node: string, token: number, accepted: boolean): number {
    return this.add(0, "ok", "resource-write", { node, token, accepted });
  }
}

/** The indices of a result's evidence operations, finding by finding. */
export function evidenceIndices(evidence: unknown): number[][] {
  return (evidence as { operations: Operation[] }[]).map((finding) => finding.operations.map((op) => op.index));
}
