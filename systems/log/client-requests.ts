// What every log client shares: requests matched to replies by id, failed as "lost" when their
// connection breaks or their deadline passes (the outcome is then unknown), and a metadata view that
// knows each partition's leader from any broker's answer.
import type { NodeContext, NodeId } from "../../sim/types.ts";
import type { BrokerId } from "./config.ts";
import type { LogReply, MetadataReply, PartitionState } from "./messages.ts";

type Pending = { to: NodeId; deadlineUs: number; done: (reply: LogReply | "lost") => void };

export class RequestTracker {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly ctx: NodeContext) {}

  /** Sends `build(id)` to `to`; `done` gets the reply, or "lost" (broken connection, deadline). */
  request(to: NodeId, build: (id: number) => object, timeoutUs: number, done: (reply: LogReply | "lost") => void): void {
    const id = ++this.nextId;
    this.pending.set(id, { to, deadlineUs: this.ctx.now() + timeoutUs, done });
    this.ctx.send(to, build(id));
  }

  /** Returns true when the message answered one of ours. */
  reply(message: LogReply): boolean {
    const pending = this.pending.get(message.id);
    if (pending === undefined) return false;
    this.pending.delete(message.id);
    pending.done(message);
    return true;
  }

  broken(peer: NodeId): void {
    for (const [id, pending] of [...this.pending]) {
      if (pending.to !== peer) continue;
      this.pending.delete(id);
      pending.done("lost");
    }
  }

  expire(): void {
    const nowUs = this.ctx.now();
    for (const [id, pending] of [...this.pending]) {
      if (pending.deadlineUs > nowUs) continue;
      this.pending.delete(id);
      pending.done("lost");
    }
  }
}

export class MetadataView {
  private readonly leaders = new Map<string, PartitionState>();
  controller: BrokerId | null = null;
  private refreshing = false;

  constructor(private readonly ctx: NodeContext, private readonly requests: RequestTracker, private readonly brokers: readonly BrokerId[]) {}

  leaderOf(topic: string, partition: number): BrokerId | null {
    return this.leaders.get(`${topic}-${partition}`)?.leader ?? null;
  }

  /**
   * Asks a random broker, or every broker; `done` once all asked answered (or not). Asking every
   * broker keeps a deposed leader that has not heard of its successor from passing for the leader:
   * the highest leader epoch any of them knows wins.
   */
  refresh(done: () => void = () => {}, ask: "one broker" | "every broker" = "one broker"): void {
    if (this.refreshing) return done();
    this.refreshing = true;
    const asked = ask === "every broker" ? this.brokers : [this.ctx.rng.pick(this.brokers)];
    let left = asked.length;
    for (const broker of asked) {
      this.requests.request(broker, (id) => ({ type: "k.metadata", id }), 100_000, (reply) => {
        if (reply !== "lost" && reply.type === "k.metadata-reply") this.learn(reply);
        if (--left > 0) return;
        this.refreshing = false;
        done();
      });
    }
  }

  private learn(reply: MetadataReply): void {
    for (const state of reply.partitions) {
      const name = `${state.topic}-${state.partition}`;
      const known = this.leaders.get(name);
      if (known === undefined || state.leaderEpoch >= known.leaderEpoch) this.leaders.set(name, state);
    }
    if (reply.controller !== null) this.controller = reply.controller;
  }
}
