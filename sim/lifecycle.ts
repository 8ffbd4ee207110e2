// A node's life: boot (a fresh actor and context, seeing only its disk), crash (the actor, its timers
// and held events gone, its connections broken), pause and resume, and the timers and fsyncs it
// starts. A crash keeps nothing but the disk's image and the clock, which are the machine's.
import type { Random } from "./types.ts";
import { Kind, SimEvent } from "./events.ts";
import { NodeContextImpl, type NodeKernel } from "./context.ts";
import type { KernelCore, SimNode } from "./node.ts";
import type { Transport } from "./transport.ts";

export interface DiskOptions {
  fsyncUsMin: number;
  fsyncUsMax: number;
}

export class NodeLifecycle {
  private timerToken = 0;

  constructor(
    private readonly core: KernelCore,
    private readonly kernel: NodeKernel,
    private readonly transport: Transport,
    private readonly rng: Random,
    private readonly diskOptions: DiskOptions,
  ) {}

  boot(node: SimNode, restarted: boolean): void {
    node.incarnation++;
    node.up = true;
    node.starting = false;
    node.paused = false;
    node.held = [];
    node.timers = new Map();
    const rng = this.rng.fork(`node:${node.id}#${node.incarnation}`);
    node.ctx = new NodeContextImpl(this.kernel, node, rng);
    node.actor = node.factory(node.id);
    node.actor.start(node.ctx, restarted);
  }

  crash(node: SimNode, powerLoss: boolean): void {
    if (!node.up) return;
    node.up = false;
    node.paused = false;
    node.held = [];
    node.timers = new Map();
    node.actor = undefined;
    node.ctx = undefined;
    if (powerLoss) node.disk.powerLoss(node.diskRng.chance(0.5));
    else node.disk.processCrash();
    for (const other of this.core.nodes) if (other !== node) this.transport.breakConnection(node.index, other.index);
  }

  resume(node: SimNode): void {
    if (!node.paused) return;
    node.paused = false;
    const held = node.held;
    node.held = [];
    // Held events fire now, each keeping its original sequence number: an event that reaches the
    // node at this same instant but was queued later (the next message on a connection, a message of
    // a new connection after a "broken" notice) must not overtake them.
    for (const event of held) {
      event.time = this.core.nowUs;
      this.core.reinsert(event);
    }
  }

  setTimer(node: SimNode, tag: string, afterUs: number): void {
    const nowUs = this.core.nowUs;
    const deadlineUs = node.clock.localAt(nowUs) + Math.max(0, Math.floor(afterUs));
    const token = ++this.timerToken;
    node.timers.set(tag, { deadlineUs, token });
    this.core.push(node.clock.trueTimeOf(deadlineUs, nowUs), new SimEvent(Kind.Timer, node.index, node.index, node.incarnation, tag, token));
  }

  /** After a clock change every pending timer moves to the true time its local deadline now maps to. */
  rescheduleTimers(node: SimNode): void {
    for (const [tag, record] of node.timers) {
      record.token = ++this.timerToken;
      this.core.push(node.clock.trueTimeOf(record.deadlineUs, this.core.nowUs),
        new SimEvent(Kind.Timer, node.index, node.index, node.incarnation, tag, record.token));
    }
  }

  fsync(node: SimNode, tag: string): void {
    const latencyUs = node.diskRng.int(this.diskOptions.fsyncUsMin, this.diskOptions.fsyncUsMax);
    // A disk completes flushes in order.
    const doneUs = Math.max(this.core.nowUs + latencyUs, node.fsyncDoneUs);
    node.fsyncDoneUs = doneUs;
    this.core.push(doneUs, new SimEvent(Kind.Fsync, node.index, node.index, node.incarnation, [tag, node.disk.fsyncMark()]));
  }
}
