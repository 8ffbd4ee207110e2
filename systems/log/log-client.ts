// What every log client actor (producer, consumer, drainer) shares: replies routed to their requests,
// broken connections failing what was in flight, and a tick that expires requests and drives retries.
import type { Actor, NodeContext, NodeId } from "../../sim/types.ts";
import type { BrokerId } from "./config.ts";
import type { LogReply } from "./messages.ts";
import { isLogMessage } from "./messages.ts";
import { MetadataView, RequestTracker } from "./client-requests.ts";

const TICK_US = 20_000;

export abstract class LogClient implements Actor {
  protected ctx!: NodeContext;
  protected requests!: RequestTracker;
  protected metadata!: MetadataView;
  /** One-shot timers by tag (a consumer's processing delay). */
  private readonly delayed = new Map<string, () => void>();

  constructor(private readonly brokerIds: readonly BrokerId[], private readonly tickTag: string) {}

  start(ctx: NodeContext): void {
    this.ctx = ctx;
    this.requests = new RequestTracker(ctx);
    this.metadata = new MetadataView(ctx, this.requests, this.brokerIds);
    ctx.setTimer(this.tickTag, TICK_US);
    this.started();
  }

  /** Called once the context, requests and metadata are set. */
  protected abstract started(): void;
  /** Called every tick, after expired requests were failed. */
  protected abstract tick(nowUs: number): void;

  receive(_from: NodeId, message: unknown): void {
    if (isLogMessage(message) && "id" in message && message.type.endsWith("-reply")) this.requests.reply(message as LogReply);
  }

  connection(peer: NodeId, state: "open" | "broken"): void {
    if (state === "broken") this.requests.broken(peer);
  }

  timer(tag: string): void {
    const then = this.delayed.get(tag);
    if (then !== undefined) {
      this.delayed.delete(tag);
      return then();
    }
    if (tag !== this.tickTag) return;
    this.ctx.setTimer(this.tickTag, TICK_US);
    this.requests.expire();
    this.tick(this.ctx.now());
  }

  /** Runs `then` after `delayUs` on this node's clock; `tag` must be unique among pending delays. */
  protected after(tag: string, delayUs: number, then: () => void): void {
    this.delayed.set(tag, then);
    this.ctx.setTimer(tag, delayUs);
  }
}
