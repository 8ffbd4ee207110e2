// The harness's pen: client actors call it to record invoke/ok/fail/info in TRUE time.
// It reads the simulation's true clock, which nodes never see; the actors only hand it
// what happened. One pending operation per process; a process that got `info` is retired
// and its client goes on under a fresh process id (Jepsen's rule, docs/histories.md).
import type { Operation } from "../properties/history/index.ts";

/** What the recorder needs from the simulation: its true time. */
export interface TrueClock {
  readonly nowUs: number;
}

export class HistoryRecorder {
  private readonly ops: Operation[] = [];
  /** Each process's pending invoke. */
  private readonly pending = new Map<number, Operation>();
  private readonly retired = new Set<number>();
  private processNext = 0;

  constructor(private readonly clock: TrueClock) {}

  /** A fresh process id, never used before. */
  newProcess(): number {
    return this.processNext++;
  }

  /** A client's view: it renews its process id by itself after an `info`. */
  client(): ClientRecorder {
    return new ClientRecorder(this);
  }

  invoke(process: number, f: string, value: unknown): void {
    if (this.retired.has(process)) throw new Error(`history: process ${process} invoked after an info`);
    if (this.pending.has(process)) throw new Error(`history: process ${process} invoked ${f} with ${this.pending.get(process)!.f} pending`);
    this.pending.set(process, this.push(process, "invoke", f, value, undefined));
  }

  ok(process: number, value: unknown): void {
    this.complete(process, "ok", value);
  }

  fail(process: number, error: string, value?: unknown): void {
    this.complete(process, "fail", value, error);
  }

  /** Unknown outcome: the process is retired for good. */
  info(process: number, error: string, value?: unknown): void {
    this.complete(process, "info", value, error);
    this.retired.add(process);
  }

  /** A completed fact recorded by the harness itself (master intervals, resource writes): `ok` only. */
  event(process: number, f: string, value: unknown): void {
    this.push(process, "ok", f, value, undefined);
  }

  isPending(process: number): boolean {
    return this.pending.has(process);
  }

  /** Closes every pending operation as `info` (the run ended before it did): its outcome is unknown. */
  closePending(error = "pending-at-end"): void {
    for (const process of [...this.pending.keys()].sort((a, b) => a - b)) this.info(process, error);
  }

  get nowUs(): number {
    return this.clock.nowUs;
  }

  operations(): Operation[] {
    return this.ops.slice();
  }

  private complete(process: number, type: "ok" | "fail" | "info", value: unknown, error?: string): void {
    const started = this.pending.get(process);
    if (started === undefined) throw new Error(`history: process ${process} completed (${type}) with nothing pending`);
    this.pending.delete(process);
    this.push(process, type, started.f, value === undefined ? started.value : value, error);
  }

  // Fields as arguments rather than an object: one object per operation, the one the history keeps.
  private push(process: number, type: Operation["type"], f: string, value: unknown, error: string | undefined): Operation {
    const time = this.clock.nowUs;
    const last = this.ops[this.ops.length - 1];
    if (last !== undefined && time < last.time) throw new Error(`history: time went back from ${last.time} to ${time}`);
    // Built field by field (not spread): one object shape for every operation keeps this cheap.
    const entry: Operation = { process, type, f, value, time, index: this.ops.length };
    if (error !== undefined) entry.error = error;
    this.ops.push(entry);
    return entry;
  }
}

/** One single-threaded client's handle; it holds the current process id and renews it after `info`. */
export class ClientRecorder {
  private processCurrent: number;
  /** Every process id this client has used, in order. */
  readonly processes: number[] = [];

  constructor(private readonly history: HistoryRecorder) {
    this.processCurrent = history.newProcess();
    this.processes.push(this.processCurrent);
  }

  get process(): number {
    return this.processCurrent;
  }

  invoke(f: string, value: unknown): void {
    this.history.invoke(this.processCurrent, f, value);
  }

  ok(value: unknown): void {
    this.history.ok(this.processCurrent, value);
  }

  fail(error: string, value?: unknown): void {
    this.history.fail(this.processCurrent, error, value);
  }

  info(error: string): void {
    this.history.info(this.processCurrent, error);
    this.processCurrent = this.history.newProcess();
    this.processes.push(this.processCurrent);
  }

  get pending(): boolean {
    return this.history.isPending(this.processCurrent);
  }
}
