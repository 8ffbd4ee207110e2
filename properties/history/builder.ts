// Turns records read from a file into validated operations, one at a time, so a reader stops at the first
// bad record (a 50 MB file of noise fails on its first line, not after parsing all of it).
// Checks: field types; a completion needs a pending invoke of its process, with the same f; a process
// never has two pending invokes; time never goes backwards. Messages are one line and name the record.
import { HistoryError } from "./error.ts";
import type { Operation, OperationType } from "./operation.ts";

const TYPES: ReadonlySet<string> = new Set(["invoke", "ok", "fail", "info"]);

export interface BuilderOptions {
  /**
   * Where `time` comes from: the record's own field (JSON), its position among the records (EDN, as Knossos
   * orders by position: some files' `:time` is not monotone), or its line (Porcupine's logs, one a line).
   */
  time: "field" | "position" | "line";
  /** false for master histories: the harness records `ok` intervals with no invoke (docs/histories.md). */
  pairing?: boolean;
}

/** What a reader's caller may ask for. */
export interface ReadOptions {
  /** false: do not require completions to match invokes (master histories). Default true. */
  pairing?: boolean;
}

export class HistoryBuilder {
  readonly operations: Operation[] = [];
  private readonly pending = new Map<number, Operation>();
  private records = 0;
  private timed: boolean | null = null;
  private lastTime = -Infinity;
  private lastIndex = -1;

  constructor(private readonly options: BuilderOptions) {}

  /** Validates one record; `line` (1-based) names it in errors when the reader knows it. */
  add(record: unknown, line?: number): void {
    const position = this.records++;
    const at = line === undefined ? `record ${position}` : `line ${line}`;
    const fail = (what: string) => new HistoryError(`${at}: ${what}`);
    if (typeof record !== "object" || record === null || Array.isArray(record)) {
      throw fail(`expected an operation object, got ${describe(record)}`);
    }
    const fields = record as Record<string, unknown>;
    if (fields.process === "nemesis") return; // Jepsen's fault injector: not a client operation
    const op = this.operationOf(fields, this.options.time === "line" && line !== undefined ? line : position, fail);
    this.checkOrder(op, fail);
    this.operations.push(op);
  }

  /** The operations; invokes still pending at the end stay pending (the checker treats them as info). */
  finish(): Operation[] {
    return this.operations;
  }

  private operationOf(fields: Record<string, unknown>, position: number, fail: (what: string) => HistoryError): Operation {
    const { process, type, f } = fields;
    if (!Number.isSafeInteger(process) || (process as number) < 0) {
      throw fail(`"process" must be a non-negative integer, got ${describe(process)}`);
    }
    if (typeof type !== "string" || !TYPES.has(type)) throw fail(`"type" must be invoke, ok, fail or info, got ${describe(type)}`);
    if (typeof f !== "string" || f === "") throw fail(`"f" must be a non-empty string, got ${describe(f)}`);
    const op: Operation = {
      process: process as number,
      type: type as OperationType,
      f,
      value: fields.value === undefined ? null : fields.value,
      time: this.timeOf(fields.time, position, fail),
      index: this.indexOf(fields.index, fail),
    };
    if (fields.error !== undefined && fields.error !== null) {
      op.error = typeof fields.error === "string" ? fields.error : JSON.stringify(fields.error);
    }
    return op;
  }

  private timeOf(time: unknown, position: number, fail: (what: string) => HistoryError): number {
    if (this.options.time !== "field") return position;
    const timed = time !== undefined && time !== null;
    if (this.timed === null) this.timed = timed;
    if (timed !== this.timed) throw fail(this.timed ? `"time" is missing (earlier operations have one)` : `"time" appears, but earlier operations have none`);
    if (!timed) return position;
    if (typeof time !== "number" || !Number.isFinite(time)) throw fail(`"time" must be a number, got ${describe(time)}`);
    if (time < this.lastTime) throw fail(`time goes backwards: ${time} after ${this.lastTime}`);
    this.lastTime = time;
    return time;
  }

  private indexOf(index: unknown, fail: (what: string) => HistoryError): number {
    if (index === undefined || index === null) return ++this.lastIndex;
    if (!Number.isSafeInteger(index)) throw fail(`"index" must be an integer, got ${describe(index)}`);
    if ((index as number) <= this.lastIndex) throw fail(`"index" ${index} does not increase (previous ${this.lastIndex})`);
    this.lastIndex = index as number;
    return index as number;
  }

  private checkOrder(op: Operation, fail: (what: string) => HistoryError): void {
    if (this.options.pairing === false) return;
    const open = this.pending.get(op.process);
    if (op.type === "invoke") {
      if (open) throw fail(`process ${op.process} invokes ${op.f} while its ${open.f} (index ${open.index}) is still pending`);
      this.pending.set(op.process, op);
      return;
    }
    if (!open) throw fail(`${op.type} ${op.f} of process ${op.process} completes no pending invoke`);
    if (open.f !== op.f) throw fail(`process ${op.process} completes ${op.f}, but it invoked ${open.f} (index ${open.index})`);
    this.pending.delete(op.process);
  }
}

/** A short, one-line, printable rendering of a bad value for messages. */
export function describe(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? "nothing" : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return printable(text, 40);
}

export function printable(text: string, lengthMax: number): string {
  const clean = text.replace(/[^\x20-\x7e]/g, "?");
  return clean.length > lengthMax ? `${clean.slice(0, lengthMax - 3)}...` : clean;
}
