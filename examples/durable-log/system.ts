// A user's own system, written the way anyone would: one server that appends each client value to a
// log on disk and acknowledges it once the log is fsynced. The bug switch `ack-before-fsync` acks at
// once, so a power loss can lose an acknowledged value.
import type { Actor, NodeContext, NodeId } from "faultline";

export type LogMessage =
  | { type: "append"; value: number }
  | { type: "appended"; value: number };

export class LogServer implements Actor<LogMessage> {
  private ctx!: NodeContext<LogMessage>;
  /** Appends waiting for the next fsync to complete, with who to answer. */
  private waiting: Array<{ client: NodeId; value: number }> = [];
  private flushing: Array<{ client: NodeId; value: number }> = [];

  constructor(private readonly ackBeforeFsync: boolean) {}

  start(ctx: NodeContext<LogMessage>): void {
    this.ctx = ctx;
  }

  receive(from: NodeId, message: LogMessage): void {
    if (message.type !== "append") return;
    this.ctx.disk.append("log", message.value);
    if (this.ackBeforeFsync) {
      this.ctx.send(from, { type: "appended", value: message.value });
      return;
    }
    this.waiting.push({ client: from, value: message.value });
    if (this.flushing.length === 0) this.flush();
  }

  timer(): void {}

  fsynced(): void {
    for (const { client, value } of this.flushing) this.ctx.send(client, { type: "appended", value });
    this.flushing = [];
    if (this.waiting.length > 0) this.flush();
  }

  /** What survived on disk: read by the harness after the run. */
  values(): number[] {
    return this.ctx.disk.read("log").filter((record): record is number => typeof record === "number");
  }

  private flush(): void {
    this.flushing = this.waiting;
    this.waiting = [];
    this.ctx.disk.fsync("log");
  }
}

/** Sends its values one at a time; gives up on a value (unknown outcome) when the connection breaks. */
export class LogClient implements Actor<LogMessage> {
  private ctx!: NodeContext<LogMessage>;
  private next = 0;

  constructor(
    private readonly server: NodeId,
    private readonly values: number[],
    private readonly record: { invoke(value: number): void; ok(value: number): void; info(value: number): void },
  ) {}

  start(ctx: NodeContext<LogMessage>): void {
    this.ctx = ctx;
    this.sendNext();
  }

  receive(_from: NodeId, message: LogMessage): void {
    if (message.type !== "appended" || message.value !== this.values[this.next]) return;
    this.record.ok(message.value);
    this.next++;
    this.sendNext();
  }

  timer(): void {
    this.sendNext();
  }

  connection(_peer: NodeId, state: "open" | "broken"): void {
    if (state !== "broken" || this.next >= this.values.length) return;
    this.record.info(this.values[this.next]!);
    this.next++;
    this.ctx.setTimer("retry", 50_000);
  }

  private sendNext(): void {
    const value = this.values[this.next];
    if (value === undefined) return;
    this.record.invoke(value);
    this.ctx.send(this.server, { type: "append", value });
  }
}
