// Small actors for kernel tests: nothing here knows any real system.
import type { Actor, NodeContext, NodeId } from "../../sim/types.ts";

/** Sends `count` numbered pings to `peer` one after another; echoes what it receives. */
export class PingPong implements Actor<{ n: number }> {
  ctx!: NodeContext<{ n: number }>;
  received: Array<{ from: NodeId; n: number; localUs: number }> = [];
  broken: NodeId[] = [];
  constructor(private readonly peer: NodeId | null, private readonly count = 0) {}
  start(ctx: NodeContext<{ n: number }>): void {
    this.ctx = ctx;
    if (this.peer !== null && this.count > 0) ctx.send(this.peer, { n: 0 });
  }
  receive(from: NodeId, message: { n: number }): void {
    this.received.push({ from, n: message.n, localUs: this.ctx.now() });
    if (this.peer === null) this.ctx.send(from, message);
    else if (message.n + 1 < this.count) this.ctx.send(this.peer, { n: message.n + 1 });
  }
  timer(): void {}
  connection(peer: NodeId, state: "open" | "broken"): void {
    if (state === "broken") this.broken.push(peer);
  }
}

/** Uses every kernel facility: timers, connections, datagrams, disk writes and fsyncs. */
export class Chatter implements Actor<{ from: NodeId; n: number }> {
  ctx!: NodeContext<{ from: NodeId; n: number }>;
  sent = 0;
  constructor(private readonly peers: NodeId[]) {}
  start(ctx: NodeContext<{ from: NodeId; n: number }>): void {
    this.ctx = ctx;
    this.sent = ctx.disk.read("log").length;
    ctx.setTimer("tick", ctx.rng.int(1_000, 20_000));
  }
  receive(from: NodeId, message: { from: NodeId; n: number }): void {
    this.ctx.disk.append("log", [from, message.n]);
    if (this.ctx.rng.chance(0.3)) this.ctx.disk.fsync("received");
  }
  timer(tag: string): void {
    const peer = this.ctx.rng.pick(this.peers);
    const message = { from: this.ctx.nodeId, n: this.sent++ };
    if (this.ctx.rng.chance(0.2)) this.ctx.sendDatagram(peer, message);
    else this.ctx.send(peer, message);
    this.ctx.setTimer(tag, this.ctx.rng.int(1_000, 20_000));
  }
  connection(): void {}
  fsynced(): void {
    this.ctx.disk.append("synced", this.ctx.now());
  }
}
