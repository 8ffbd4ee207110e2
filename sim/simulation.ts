// The discrete-event simulator: one seeded, single-threaded loop over an event queue ordered by
// (true time, insertion sequence). Nodes are actors; they see only their own clock, disk, rng and
// the network. Everything delivered is folded into the trace hash, so a seed is a replay.
//
// The parts, one concern each: node lifecycle (lifecycle.ts), network delivery (transport.ts), faults
// (fault-injector.ts). This file is the event loop: it owns the queue, true time and the trace hash,
// and dispatches each event to the node it is for.
import type { Actor, ActorFactory, NodeId, Random } from "./types.ts";
import type { Fault } from "./faults.ts";
import { EventQueue } from "./event-queue.ts";
import { SeededRandom } from "./random.ts";
import { TraceHash, digest } from "./hash.ts";
import type { NodeClock } from "./clock.ts";
import type { DiskStore } from "./disk.ts";
import { validateFaults } from "./fault-validation.ts";
import { NETWORK_DEFAULTS, type NetworkOptions } from "./network.ts";
import { KIND_NAMES, Kind, SimEvent } from "./events.ts";
import { SimNode, type KernelCore } from "./node.ts";
import type { NodeKernel } from "./context.ts";
import { NodeLifecycle, type DiskOptions } from "./lifecycle.ts";
import { Transport } from "./transport.ts";
import { FaultInjector, type InternalFault } from "./fault-injector.ts";

export type { DiskOptions } from "./lifecycle.ts";
export { SimNode } from "./node.ts";

export interface SimulationOptions {
  seed: number;
  network?: Partial<NetworkOptions>;
  disk?: Partial<DiskOptions>;
  /** The run never goes past this true time. */
  timeUsMax?: number;
  /** The run never delivers more events than this. */
  eventsMax?: number;
  /** Keep ctx.log lines and a record of delivered events (for --trace). */
  log?: boolean;
}

export type StopReason = "time-limit" | "event-limit" | "idle";

export interface RunStats {
  stopReason: StopReason;
  traceHash: string;
  events: number;
  messages: number;
  timeUs: number;
}

export interface TraceLine {
  timeUs: number;
  kind: string;
  node: NodeId;
  from?: NodeId;
  detail?: unknown;
}


/** Spare message events kept at most: enough for a burst of replies, not a partition's worth of dropped messages. */
const SPARE_EVENTS_MAX = 1024;

export class Simulation implements KernelCore, NodeKernel {
  readonly seed: number;
  readonly rng: SeededRandom;
  readonly network: NetworkOptions;
  readonly diskOptions: DiskOptions;
  readonly nodes: SimNode[] = [];
  private readonly diskRng: Random;
  private readonly queue = new EventQueue<SimEvent>();
  /** Message events done with, for reuse (see release). */
  private readonly spare: SimEvent[] = [];
  private readonly hash = new TraceHash();
  private readonly nodeIndex = new Map<NodeId, number>();
  private readonly transport: Transport;
  private readonly lifecycle: NodeLifecycle;
  private readonly faults: FaultInjector;
  private readonly timeUsMax: number;
  private readonly eventsMax: number;
  readonly logging: boolean;
  readonly logLines: TraceLine[] = [];
  nowUs = 0;
  eventCount = 0;
  messageCount = 0;

  constructor(options: SimulationOptions) {
    this.seed = options.seed >>> 0;
    this.rng = SeededRandom.fromSeed(this.seed);
    // Each link and each disk draws from its own stream (forked from these by name).
    const networkRng = this.rng.fork("network");
    this.diskRng = this.rng.fork("disk");
    this.network = { ...NETWORK_DEFAULTS, ...options.network };
    this.diskOptions = { fsyncUsMin: 500, fsyncUsMax: 2_000, ...options.disk };
    this.timeUsMax = options.timeUsMax ?? Number.MAX_SAFE_INTEGER;
    this.eventsMax = options.eventsMax ?? Number.MAX_SAFE_INTEGER;
    this.logging = options.log ?? false;
    this.transport = new Transport(this, this.network, networkRng);
    this.lifecycle = new NodeLifecycle(this, this, this.transport, this.rng, this.diskOptions);
    this.faults = new FaultInjector(this, this.transport, this.lifecycle);
  }

  // ---- set-up -------------------------------------------------------------------------------

  addNode(id: NodeId, factory: ActorFactory, options: { startAtUs?: number } = {}): void {
    if (this.nodeIndex.has(id)) throw new Error(`node ${id} added twice`);
    const node = new SimNode(this.nodes.length, id, factory);
    this.nodes.push(node);
    this.nodeIndex.set(id, node.index);
    node.starting = true;
    node.diskRng = this.diskRng.fork(id);
    node.startAtUs = Math.max(this.nowUs, options.startAtUs ?? this.nowUs);
    this.push(node.startAtUs, new SimEvent(Kind.Start, node.index, node.index, 0, null));
  }

  nodeIds(): NodeId[] {
    return this.nodes.map((node) => node.id);
  }

  /** Validates the schedule (throws UserError) and queues each fault at its time. */
  addFaults(faults: readonly Fault[]): void {
    validateFaults(faults, this.nodeIds());
    for (const fault of faults) this.faults.schedule(Math.max(fault.atUs, this.nowUs), fault);
  }

  /** A harness callback at a true time; nodes never see it. */
  at(trueTimeUs: number, callback: () => void): void {
    this.push(Math.max(trueTimeUs, this.nowUs), new SimEvent(Kind.Harness, -1, -1, 0, callback));
  }

  /** Applies one fault now (its `atUs` is ignored). */
  apply(fault: Fault): void {
    validateFaults([{ ...fault, atUs: 0 }], this.nodeIds());
    this.faults.apply(fault);
  }

  /** Ends every fault: heals the network, resumes paused nodes, restarts crashed ones, ends link
   *  faults and strobes, and drops faults still queued. Clock offsets and drifts stay as they are. */
  healAll(): void {
    this.faults.healAll();
  }

  // ---- inspection (harness and tests only) ---------------------------------------------------

  actorOf<T = Actor>(id: NodeId): T | undefined {
    const node = this.nodes[this.indexOf(id)]!;
    return node.up ? (node.actor as T) : undefined;
  }

  isUp(id: NodeId): boolean {
    return this.nodes[this.indexOf(id)]!.up;
  }

  isPaused(id: NodeId): boolean {
    return this.nodes[this.indexOf(id)]!.paused;
  }

  diskOf(id: NodeId): DiskStore {
    return this.nodes[this.indexOf(id)]!.disk;
  }

  clockOf(id: NodeId): NodeClock {
    return this.nodes[this.indexOf(id)]!.clock;
  }

  get traceHash(): string {
    return this.hash.hex();
  }

  indexOf(id: NodeId): number {
    const index = this.nodeIndex.get(id);
    if (index === undefined) throw new Error(`no node named ${id}`);
    return index;
  }

  // ---- the loop -----------------------------------------------------------------------------

  run(options: { untilUs?: number } = {}): RunStats {
    const untilUs = Math.min(options.untilUs ?? Number.MAX_SAFE_INTEGER, this.timeUsMax);
    let stopReason: StopReason = "idle";
    const queue = this.queue;
    for (;;) {
      if (queue.size === 0) {
        if (options.untilUs !== undefined) this.nowUs = Math.max(this.nowUs, untilUs);
        break;
      }
      const time = queue.peekTime();
      if (time > untilUs) {
        this.nowUs = Math.max(this.nowUs, untilUs);
        stopReason = "time-limit";
        break;
      }
      if (this.eventCount >= this.eventsMax) {
        stopReason = "event-limit";
        break;
      }
      const next = queue.pop();
      this.nowUs = time;
      this.dispatch(next);
    }
    return {
      stopReason, traceHash: this.hash.hex(), events: this.eventCount, messages: this.messageCount, timeUs: this.nowUs,
    };
  }

  push(time: number, event: SimEvent): void {
    event.time = time;
    event.seq = this.queue.push(time, event);
  }

  pushMessage(time: number, target: number, source: number, generation: number, payload: unknown, payloadDigest: number): void {
    const event = this.spare.pop();
    if (event === undefined) {
      this.push(time, new SimEvent(Kind.Message, target, source, generation, payload, payloadDigest));
      return;
    }
    event.target = target;
    event.source = source;
    event.stamp = generation;
    event.payload = payload;
    event.token = payloadDigest;
    this.push(time, event);
  }

  /** A message event nothing refers to any more (neither the queue nor a paused node's held list):
   *  the reply its receiver sends next reuses it, rather than a fresh allocation per message. */
  private release(event: SimEvent): void {
    event.payload = null; // a spare event must not keep a delivered message alive
    if (this.spare.length < SPARE_EVENTS_MAX) this.spare.push(event);
  }

  reinsert(event: SimEvent): void {
    this.queue.insert(event.time, event.seq, event);
  }

  private dispatch(event: SimEvent): void {
    switch (event.kind) {
      case Kind.Message: {
        const node = this.nodes[event.target]!;
        if (!this.transport.carries(event) || !node.up) { this.release(event); return; }
        if (node.paused) { node.held.push(event); return; }
        this.messageCount++;
        this.deliver(event, node);
        const from = this.nodes[event.source]!.id;
        const payload = event.payload;
        this.release(event);
        node.actor!.receive(from, payload);
        return;
      }
      case Kind.Datagram: {
        const node = this.nodes[event.target]!;
        if (!node.up) return;
        // token 1 = it reached the node's host earlier and was held there: no longer in the network.
        if (event.token === 0 && this.transport.datagramBlocked(event)) return;
        if (node.paused) { event.token = 1; node.held.push(event); return; }
        this.messageCount++;
        this.deliver(event, node);
        node.actor!.receive(this.nodes[event.source]!.id, event.payload);
        return;
      }
      case Kind.Timer: {
        const node = this.nodes[event.target]!;
        if (!node.up || node.incarnation !== event.stamp) return;
        const tag = event.payload as string;
        const record = node.timers.get(tag);
        if (record === undefined || record.token !== event.token) return;
        if (node.paused) { node.held.push(event); return; }
        node.timers.delete(tag);
        this.deliver(event, node);
        node.actor!.timer(tag);
        return;
      }
      case Kind.Fsync: {
        const node = this.nodes[event.target]!;
        if (!node.up || node.incarnation !== event.stamp) return;
        const [tag, mark] = event.payload as [string, number];
        // The disk finishes the flush even if the process is frozen; only the callback waits.
        // token 1 = already made durable (the event was held).
        if (event.token === 0) { node.disk.makeDurable(mark); event.token = 1; }
        if (node.paused) { node.held.push(event); return; }
        this.deliver(event, node);
        node.actor!.fsynced?.(tag);
        return;
      }
      case Kind.Notice: {
        const node = this.nodes[event.target]!;
        const state = event.payload as "open" | "broken";
        if (!node.up || node.incarnation !== event.stamp) return;
        if (node.paused) { node.held.push(event); return; }
        if (state === "broken") this.transport.brokenNoticeHeard(event.target, event.source);
        this.deliver(event, node);
        node.actor!.connection?.(this.nodes[event.source]!.id, state);
        return;
      }
      case Kind.Start: {
        const node = this.nodes[event.target]!;
        this.deliver(event, node);
        this.lifecycle.boot(node, false);
        return;
      }
      case Kind.Fault: {
        if (event.stamp !== this.faults.generation) return;
        this.eventCount++;
        this.hash.fold(this.nowUs, Kind.Fault, 0, 0, digest(event.payload));
        if (this.logging) this.logLines.push({ timeUs: this.nowUs, kind: "fault", node: "*", detail: event.payload });
        this.faults.apply(event.payload as Fault | InternalFault, event.token);
        return;
      }
      case Kind.Harness:
        (event.payload as () => void)();
        return;
    }
  }

  /** Counts and hashes one delivered event. */
  private deliver(event: SimEvent, node: SimNode): void {
    this.eventCount++;
    const payloadDigest = event.kind === Kind.Message ? event.token
      : event.kind === Kind.Fsync ? digest((event.payload as [string, number])[0]) : digest(event.payload);
    this.hash.fold(this.nowUs, event.kind, event.source + 1, node.index + 1, payloadDigest);
    if (this.logging) {
      this.logLines.push({
        timeUs: this.nowUs, kind: KIND_NAMES[event.kind]!, node: node.id,
        from: event.source >= 0 ? this.nodes[event.source]!.id : undefined, detail: event.payload,
      });
    }
  }

  // ---- what a node's context asks (NodeKernel) ------------------------------------------------

  localNow(node: SimNode): number {
    return node.clock.localAt(this.nowUs);
  }

  setTimer(node: SimNode, tag: string, afterUs: number): void {
    this.lifecycle.setTimer(node, tag, afterUs);
  }

  fsync(node: SimNode, tag: string): void {
    this.lifecycle.fsync(node, tag);
  }

  send(from: SimNode, toId: NodeId, message: unknown): void {
    this.transport.send(from, this.destination(from, toId), message);
  }

  sendDatagram(from: SimNode, toId: NodeId, message: unknown): void {
    this.transport.sendDatagram(from, this.destination(from, toId), message);
  }

  /** The index of the node a sender names. A node most often sends again to whom it sent last (a
   *  reply to the sender, a stream to its leader): that one is kept on the sender, saving the lookup. */
  private destination(from: SimNode, toId: NodeId): number {
    if (toId === from.sentToId) return from.sentToIndex;
    const to = this.nodeIndex.get(toId);
    if (to === undefined) throw new Error(`${from.id} sends to unknown node ${toId}`);
    from.sentToId = toId;
    from.sentToIndex = to;
    return to;
  }

  log(node: SimNode, line: string): void {
    if (this.logging) this.logLines.push({ timeUs: this.nowUs, kind: "log", node: node.id, detail: line });
  }
}
