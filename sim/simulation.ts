// The discrete-event simulator: one seeded, single-threaded loop over an event queue ordered by
// (true time, insertion sequence). Nodes are actors; they see only their own clock, disk, rng and
// the network. Everything delivered is folded into the trace hash, so a seed is a replay.
import type { Actor, ActorFactory, NodeId, Random } from "./types.ts";
import type { Fault } from "./faults.ts";
import { EventQueue } from "./event-queue.ts";
import { SeededRandom } from "./random.ts";
import { TraceHash, digest } from "./hash.ts";
import { NodeClock } from "./clock.ts";
import { DiskStore } from "./disk.ts";
import { NodeContextImpl } from "./context.ts";
import { validateFaults } from "./fault-validation.ts";
import {
  Connection, ConnectionState, NETWORK_DEFAULTS, Reachability, linkFaultApplies, sampleLatencyUs,
  type LinkFault, type NetworkOptions,
} from "./network.ts";

export interface DiskOptions {
  fsyncUsMin: number;
  fsyncUsMax: number;
}

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

const enum Kind {
  Start = 1,
  Message = 2,
  Datagram = 3,
  Timer = 4,
  Fsync = 5,
  Notice = 6,
  Fault = 7,
  Harness = 8,
}
const KIND_NAMES = ["", "start", "message", "datagram", "timer", "fsync", "connection", "fault", "harness"];

/** One class for every event keeps the dispatch loop monomorphic. */
class SimEvent {
  time = 0;
  seq = 0;
  constructor(
    public kind: Kind,
    public target: number,
    public source: number,
    /** Target incarnation for timers, fsyncs and notices; connection generation for messages; fault generation for faults. */
    public stamp: number,
    public payload: unknown,
    public token = 0,
  ) {}
}

interface TimerRecord {
  deadlineUs: number;
  token: number;
}

/** Faults the kernel schedules for itself (ends of durations, strobe steps). */
type InternalFault =
  | { kind: "end-partition"; partitionToken: number }
  /** Ends the cut whose token the event carries (not in the payload, so the trace hash is as before). */
  | { kind: "end-cut"; from: NodeId[]; to: NodeId[] }
  | { kind: "strobe-step"; nodeId: NodeId; deltaUs: number }
  /** Ends the timed pause that `pauseToken` names, not a later one. */
  | { kind: "end-pause"; nodeId: NodeId; pauseToken: number };

export class SimNode {
  actor: Actor | undefined;
  ctx: NodeContextImpl | undefined;
  incarnation = 0;
  up = false;
  /** Added but not started yet: others may already connect (it accepts once it boots). */
  starting = false;
  /** When a starting node boots: before then it is as unreachable as a crashed one. */
  startAtUs = 0;
  /** Fsync latencies and torn writes of this node's disk. */
  diskRng!: Random;
  paused = false;
  /** Counts pauses, so a timed pause's end never ends a later pause. */
  pauseToken = 0;
  held: SimEvent[] = [];
  readonly clock = new NodeClock();
  readonly disk = new DiskStore();
  timers = new Map<string, TimerRecord>();
  constructor(readonly index: number, readonly id: NodeId, readonly factory: ActorFactory) {}
}

export class Simulation {
  readonly seed: number;
  readonly rng: SeededRandom;
  readonly network: NetworkOptions;
  readonly diskOptions: DiskOptions;
  private readonly networkRng: Random;
  private readonly diskRng: Random;
  private readonly queue = new EventQueue<SimEvent>();
  private readonly hash = new TraceHash();
  private readonly nodes: SimNode[] = [];
  private readonly nodeIndex = new Map<NodeId, number>();
  private readonly connections = new Map<number, Connection>();
  private readonly reachability = new Reachability();
  private linkFaults: LinkFault[] = [];
  private partitionToken = 0;
  private faultGeneration = 0;
  private timerToken = 0;
  private readonly fsyncDoneUs: number[] = [];
  private readonly timeUsMax: number;
  private readonly eventsMax: number;
  readonly logging: boolean;
  readonly logLines: TraceLine[] = [];
  private digestedLast: unknown = undefined;
  private digestLast = 0;
  nowUs = 0;
  eventCount = 0;
  messageCount = 0;

  constructor(options: SimulationOptions) {
    this.seed = options.seed >>> 0;
    this.rng = SeededRandom.fromSeed(this.seed);
    this.networkRng = this.rng.fork("network");
    this.diskRng = this.rng.fork("disk");
    // Each link and each disk draws from its own stream: a fault that changes the traffic on one
    // link leaves every other link's latencies as they were, which is what lets shrinking work.
    this.network = { ...NETWORK_DEFAULTS, ...options.network };
    this.diskOptions = { fsyncUsMin: 500, fsyncUsMax: 2_000, ...options.disk };
    this.timeUsMax = options.timeUsMax ?? Number.MAX_SAFE_INTEGER;
    this.eventsMax = options.eventsMax ?? Number.MAX_SAFE_INTEGER;
    this.logging = options.log ?? false;
  }

  // ---- set-up -------------------------------------------------------------------------------

  addNode(id: NodeId, factory: ActorFactory, options: { startAtUs?: number } = {}): void {
    if (this.nodeIndex.has(id)) throw new Error(`node ${id} added twice`);
    const node = new SimNode(this.nodes.length, id, factory);
    this.nodes.push(node);
    this.nodeIndex.set(id, node.index);
    this.fsyncDoneUs.push(0);
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
    for (const fault of faults) {
      this.push(Math.max(fault.atUs, this.nowUs), new SimEvent(Kind.Fault, -1, -1, this.faultGeneration, fault));
    }
  }

  /** A harness callback at a true time; nodes never see it. */
  at(trueTimeUs: number, callback: () => void): void {
    this.push(Math.max(trueTimeUs, this.nowUs), new SimEvent(Kind.Harness, -1, -1, 0, callback));
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

  private indexOf(id: NodeId): number {
    const index = this.nodeIndex.get(id);
    if (index === undefined) throw new Error(`no node named ${id}`);
    return index;
  }

  // ---- the loop -----------------------------------------------------------------------------

  run(options: { untilUs?: number } = {}): RunStats {
    const untilUs = Math.min(options.untilUs ?? Number.MAX_SAFE_INTEGER, this.timeUsMax);
    let stopReason: StopReason = "idle";
    for (;;) {
      const next = this.queue.peek();
      if (next === undefined) {
        if (options.untilUs !== undefined) this.nowUs = Math.max(this.nowUs, untilUs);
        break;
      }
      if (next.time > untilUs) {
        this.nowUs = Math.max(this.nowUs, untilUs);
        stopReason = "time-limit";
        break;
      }
      if (this.eventCount >= this.eventsMax) {
        stopReason = "event-limit";
        break;
      }
      this.queue.pop();
      this.nowUs = next.time;
      this.dispatch(next);
    }
    return {
      stopReason, traceHash: this.hash.hex(), events: this.eventCount, messages: this.messageCount, timeUs: this.nowUs,
    };
  }

  private push(time: number, event: SimEvent): void {
    event.time = time;
    this.queue.push(event);
  }

  private dispatch(event: SimEvent): void {
    switch (event.kind) {
      case Kind.Message: {
        const connection = this.connections.get(connectionKey(event.source, event.target));
        if (connection === undefined || connection.state !== ConnectionState.Open || connection.generation !== event.stamp) return;
        const node = this.nodes[event.target]!;
        if (!node.up) return;
        if (node.paused) { node.held.push(event); return; }
        this.messageCount++;
        this.deliver(event, node);
        node.actor!.receive(this.nodes[event.source]!.id, event.payload);
        return;
      }
      case Kind.Datagram: {
        const node = this.nodes[event.target]!;
        if (!node.up) return;
        // token 1 = it reached the node's host earlier and was held there: no longer in the network.
        if (event.token === 0 && this.reachability.blockedSince(event.source, event.target, event.stamp)) return;
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
        // An end is told when its actor hears it, not when the notice reaches a paused node.
        if (state === "broken") this.connection(event.target, event.source).noticePending[side(event.target, event.source)] = 0;
        this.deliver(event, node);
        node.actor!.connection?.(this.nodes[event.source]!.id, state);
        return;
      }
      case Kind.Start: {
        const node = this.nodes[event.target]!;
        this.deliver(event, node);
        this.boot(node, false);
        return;
      }
      case Kind.Fault: {
        if (event.stamp !== this.faultGeneration) return;
        this.eventCount++;
        this.hash.fold(this.nowUs, Kind.Fault, 0, 0, digest(event.payload));
        if (this.logging) this.logLines.push({ timeUs: this.nowUs, kind: "fault", node: "*", detail: event.payload });
        this.applyFault(event.payload as Fault | InternalFault, event.token);
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

  // ---- node lifecycle -----------------------------------------------------------------------

  private boot(node: SimNode, restarted: boolean): void {
    node.incarnation++;
    node.up = true;
    node.starting = false;
    node.paused = false;
    node.held = [];
    node.timers = new Map();
    const rng = this.rng.fork(`node:${node.id}#${node.incarnation}`);
    node.ctx = new NodeContextImpl(this, node, rng);
    node.actor = node.factory(node.id);
    node.actor.start(node.ctx, restarted);
  }

  private crash(node: SimNode, powerLoss: boolean): void {
    if (!node.up) return;
    node.up = false;
    node.paused = false;
    node.held = [];
    node.timers = new Map();
    node.actor = undefined;
    node.ctx = undefined;
    if (powerLoss) node.disk.powerLoss(node.diskRng.chance(0.5));
    else node.disk.processCrash();
    for (const other of this.nodes) if (other !== node) this.breakConnection(node.index, other.index);
  }

  // ---- used by NodeContextImpl ---------------------------------------------------------------

  localNow(node: SimNode): number {
    return node.clock.localAt(this.nowUs);
  }

  setTimer(node: SimNode, tag: string, afterUs: number): void {
    const deadlineUs = node.clock.localAt(this.nowUs) + Math.max(0, Math.floor(afterUs));
    const token = ++this.timerToken;
    node.timers.set(tag, { deadlineUs, token });
    this.push(node.clock.trueTimeOf(deadlineUs, this.nowUs), new SimEvent(Kind.Timer, node.index, node.index, node.incarnation, tag, token));
  }

  /** After a clock change every pending timer moves to the true time its local deadline now maps to. */
  private rescheduleTimers(node: SimNode): void {
    for (const [tag, record] of node.timers) {
      record.token = ++this.timerToken;
      this.push(node.clock.trueTimeOf(record.deadlineUs, this.nowUs),
        new SimEvent(Kind.Timer, node.index, node.index, node.incarnation, tag, record.token));
    }
  }

  fsync(node: SimNode, tag: string): void {
    const latencyUs = node.diskRng.int(this.diskOptions.fsyncUsMin, this.diskOptions.fsyncUsMax);
    // A disk completes flushes in order.
    const doneUs = Math.max(this.nowUs + latencyUs, this.fsyncDoneUs[node.index]!);
    this.fsyncDoneUs[node.index] = doneUs;
    this.push(doneUs, new SimEvent(Kind.Fsync, node.index, node.index, node.incarnation, [tag, node.disk.fsyncMark()]));
  }

  send(from: SimNode, toId: NodeId, message: unknown): void {
    const to = this.nodeIndex.get(toId);
    if (to === undefined) throw new Error(`${from.id} sends to unknown node ${toId}`);
    const connection = this.connection(from.index, to);
    const nowUs = this.nowUs;
    let extraUs = 0;
    // A sender still owed a "broken" notice talks on the connection it has not yet heard die, even
    // if its peer has since opened a new one: the message is lost with the old connection.
    if (this.noticeOwed(connection, from.index, to)) return;
    if (connection.state === ConnectionState.Broken) {
      // A sender that has not heard of the break yet is still talking on the old connection: its
      // message dies with it, and its "broken" notice is (or is now) on its way.
      if (nowUs < connection.brokenUntilUs || this.noticeOwed(connection, from.index, to)) {
        this.notice(connection, from.index, to, Math.max(connection.brokenUntilUs, nowUs));
        return;
      }
      // The sender knows. If the peer has yet to hear (a paused peer holds its notice), the new
      // connection may open now: its traffic is queued behind the peer's notice (see below). Waiting
      // for both ends instead livelocks two peers that keep re-arming each other's notices.
      connection.state = ConnectionState.Closed;
    }
    if (connection.state === ConnectionState.Closed) {
      if (!this.connectable(from.index, to)) {
        connection.state = ConnectionState.Broken;
        connection.brokenUntilUs = nowUs + this.network.breakDetectionUs;
        this.notice(connection, from.index, to, connection.brokenUntilUs);
        return;
      }
      connection.state = ConnectionState.Open;
      connection.generation++;
      // A new connection does not queue behind messages that died with the old one.
      connection.lastDeliveryUs = [0, 0];
      extraUs = this.network.connectUs;
      // Nothing of the new connection reaches the peer before its "broken" notice of the old one.
      if (this.noticeOwed(connection, to, from.index)) {
        const noticeAtUs = connection.noticeAtUs[side(to, from.index)];
        connection.lastDeliveryUs = [noticeAtUs, noticeAtUs];
      }
      // A node booting at this instant gets its first incarnation number when it boots.
      const target = this.nodes[to]!;
      this.push(Math.max(nowUs + extraUs, connection.lastDeliveryUs[from.index < to ? 0 : 1]),
        new SimEvent(Kind.Notice, to, from.index, target.up ? target.incarnation : target.incarnation + 1, "open"));
    }
    const direction = from.index < to ? 0 : 1;
    const latencyUs = sampleLatencyUs(this.network, this.linkRng(connection, from.index, to)) + extraUs + this.latencySpikeUs(from.index, to);
    const deliveryUs = Math.max(nowUs + latencyUs, connection.lastDeliveryUs[direction]);
    connection.lastDeliveryUs[direction] = deliveryUs;
    this.push(deliveryUs, new SimEvent(Kind.Message, to, from.index, connection.generation, message, this.digestOf(message)));
  }

  sendDatagram(from: SimNode, toId: NodeId, message: unknown): void {
    const to = this.nodeIndex.get(toId);
    if (to === undefined) throw new Error(`${from.id} sends to unknown node ${toId}`);
    if (!this.reachability.canSend(from.index, to)) return;
    const rng = this.linkRng(this.connection(from.index, to), from.index, to);
    let copies = 1;
    let reorderUs = 0;
    for (const fault of this.activeLinkFaults()) {
      if (!linkFaultApplies(fault, from.index, to)) continue;
      if (fault.kind === "loss" && rng.chance(fault.amount)) return;
      if (fault.kind === "duplication" && rng.chance(fault.amount)) copies++;
      if (fault.kind === "reorder" && rng.chance(fault.amount)) {
        reorderUs += Math.floor(rng.exponential(this.network.latencyUsBase * 4));
      }
    }
    for (let copy = 0; copy < copies; copy++) {
      const latencyUs = sampleLatencyUs(this.network, rng) + this.latencySpikeUs(from.index, to) + reorderUs;
      this.push(this.nowUs + latencyUs, new SimEvent(Kind.Datagram, to, from.index, this.reachability.sendStamp, message));
    }
  }

  /** Messages are immutable, and a broadcast sends one object to every peer in a row: digest it once. */
  private digestOf(message: unknown): number {
    if (message !== this.digestedLast || message === null || typeof message !== "object") {
      this.digestedLast = message;
      this.digestLast = digest(message);
    }
    return this.digestLast;
  }

  /** The random stream of one direction of one link, made on first use. */
  private linkRng(connection: Connection, from: number, to: number): Random {
    const direction = from < to ? 0 : 1;
    let rng = connection.rngs[direction];
    if (rng === undefined) {
      rng = this.networkRng.fork(`${this.nodes[from]!.id}>${this.nodes[to]!.id}`);
      connection.rngs[direction] = rng;
    }
    return rng;
  }


  log(node: SimNode, line: string): void {
    if (this.logging) this.logLines.push({ timeUs: this.nowUs, kind: "log", node: node.id, detail: line });
  }

  // ---- connections ----------------------------------------------------------------------------

  private connection(a: number, b: number): Connection {
    const key = connectionKey(a, b);
    let connection = this.connections.get(key);
    if (connection === undefined) this.connections.set(key, (connection = new Connection()));
    return connection;
  }

  private connectable(a: number, b: number): boolean {
    const nodeA = this.nodes[a]!;
    const nodeB = this.nodes[b]!;
    return this.accepting(nodeA) && this.accepting(nodeB) && this.reachability.canConnect(a, b);
  }

  /** Up, or booting at this very instant (nodes added together may connect from their start). */
  private accepting(node: SimNode): boolean {
    return node.up || (node.starting && node.startAtUs <= this.nowUs);
  }

  /** Tells `end` (once) that its connection to `peer` broke, at `atUs`. */
  private notice(connection: Connection, end: number, peer: number, atUs: number): void {
    if (this.noticeOwed(connection, end, peer)) return;
    const node = this.nodes[end]!;
    if (!node.up) return;
    connection.noticePending[side(end, peer)] = node.incarnation;
    connection.noticeAtUs[side(end, peer)] = atUs;
    this.push(atUs, new SimEvent(Kind.Notice, end, peer, node.incarnation, "broken"));
  }

  /** Whether the live incarnation of `end` has a "broken" notice for this connection not yet delivered.
   *  A notice owed to an incarnation that crashed is void: the new one never knew the connection. */
  private noticeOwed(connection: Connection, end: number, peer: number): boolean {
    const node = this.nodes[end]!;
    return node.up && connection.noticePending[side(end, peer)] === node.incarnation;
  }

  private breakConnection(a: number, b: number): void {
    const connection = this.connections.get(connectionKey(a, b));
    if (connection === undefined || connection.state !== ConnectionState.Open) return;
    connection.state = ConnectionState.Broken;
    connection.generation++; // what was in flight is lost
    connection.brokenUntilUs = this.nowUs + this.network.breakDetectionUs;
    this.notice(connection, a, b, connection.brokenUntilUs);
    this.notice(connection, b, a, connection.brokenUntilUs);
  }

  /** After the reachability changed: break every open connection that can no longer carry traffic. */
  private breakUnreachable(): void {
    for (const [key, connection] of this.connections) {
      if (connection.state !== ConnectionState.Open) continue;
      const a = Math.floor(key / CONNECTION_KEY_BASE);
      const b = key % CONNECTION_KEY_BASE;
      if (!this.reachability.canConnect(a, b)) this.breakConnection(a, b);
    }
  }

  private activeLinkFaults(): LinkFault[] {
    if (this.linkFaults.length > 0 && this.linkFaults.some((fault) => fault.untilUs <= this.nowUs)) {
      this.linkFaults = this.linkFaults.filter((fault) => fault.untilUs > this.nowUs);
    }
    return this.linkFaults;
  }

  private latencySpikeUs(from: number, to: number): number {
    if (this.linkFaults.length === 0) return 0;
    let extraUs = 0;
    for (const fault of this.activeLinkFaults()) {
      if (fault.kind === "latency-spike" && linkFaultApplies(fault, from, to)) extraUs += fault.amount;
    }
    return extraUs;
  }

  // ---- faults ---------------------------------------------------------------------------------

  /** Applies one fault now (its `atUs` is ignored). */
  apply(fault: Fault): void {
    validateFaults([{ ...fault, atUs: 0 }], this.nodeIds());
    this.applyFault(fault);
  }

  /** Ends every fault: heals the network, resumes paused nodes, restarts crashed ones, ends link
   *  faults, and drops faults still queued. Clocks are left as they are. */
  healAll(): void {
    this.faultGeneration++;
    this.reachability.heal();
    this.partitionToken++;
    this.linkFaults = [];
    for (const node of this.nodes) {
      // A strobe cut short would leave its step in the clock for good.
      if (node.clock.endStrobes(this.nowUs)) this.rescheduleTimers(node);
      if (node.paused) this.resume(node);
      if (!node.up && node.incarnation > 0) this.boot(node, true);
    }
  }

  /** `token` is what the kernel attached to its own follow-up faults (a cut's token, for its end). */
  private applyFault(fault: Fault | InternalFault, token = 0): void {
    const nowUs = this.nowUs;
    switch (fault.kind) {
      case "partition":
        this.reachability.setPartition(fault.groups.map((group) => group.map((id) => this.indexOf(id))));
        this.partitionToken++;
        if (fault.durationUs !== undefined) this.internal(nowUs + fault.durationUs, { kind: "end-partition", partitionToken: this.partitionToken });
        this.reachability.markBlocked(this.nodes.length);
        this.breakUnreachable();
        return;
      case "end-partition":
        if (fault.partitionToken === this.partitionToken) this.reachability.setPartition([]);
        return;
      case "cut": {
        const cutToken = this.reachability.addCut(fault.from.map((id) => this.indexOf(id)), fault.to.map((id) => this.indexOf(id)));
        if (fault.durationUs !== undefined) this.internal(nowUs + fault.durationUs, { kind: "end-cut", from: fault.from, to: fault.to }, cutToken);
        this.reachability.markBlocked(this.nodes.length);
        this.breakUnreachable();
        return;
      }
      case "end-cut":
        this.reachability.removeCut(token);
        return;
      case "heal":
        this.reachability.heal();
        this.partitionToken++;
        return;
      case "crash":
      case "power-loss": {
        const node = this.nodes[this.indexOf(fault.nodeId)]!;
        this.crash(node, fault.kind === "power-loss");
        if (fault.restartAfterUs !== undefined) this.internal(nowUs + fault.restartAfterUs, { atUs: 0, kind: "restart", nodeId: fault.nodeId });
        return;
      }
      case "restart": {
        const node = this.nodes[this.indexOf(fault.nodeId)]!;
        // A node that has not booted yet is not crashed: its own start event boots it.
        if (!node.up && !node.starting) this.boot(node, true);
        return;
      }
      case "pause": {
        const node = this.nodes[this.indexOf(fault.nodeId)]!;
        if (node.up) node.paused = true;
        node.pauseToken++;
        if (fault.durationUs !== undefined) this.internal(nowUs + fault.durationUs, { kind: "end-pause", nodeId: fault.nodeId, pauseToken: node.pauseToken });
        return;
      }
      case "end-pause": {
        const node = this.nodes[this.indexOf(fault.nodeId)]!;
        if (node.pauseToken === fault.pauseToken) this.resume(node);
        return;
      }
      case "resume":
        this.resume(this.nodes[this.indexOf(fault.nodeId)]!);
        return;
      case "clock-offset":
      case "clock-drift":
      case "clock-jump":
      case "strobe-step": {
        const node = this.nodes[this.indexOf(fault.nodeId)]!;
        if (fault.kind === "clock-offset") node.clock.setOffset(nowUs, fault.offsetUs);
        else if (fault.kind === "clock-drift") node.clock.setDrift(nowUs, fault.driftPpm);
        else if (fault.kind === "clock-jump") node.clock.jump(nowUs, fault.deltaUs);
        else node.clock.strobeStep(nowUs, fault.deltaUs);
        this.rescheduleTimers(node);
        return;
      }
      case "clock-strobe": {
        // Forward, back, forward, back…: an even number of steps leaves the clock where it was.
        const steps = Math.max(2, 2 * Math.floor(fault.durationUs / fault.periodUs / 2));
        for (let step = 0; step < steps; step++) {
          const deltaUs = step % 2 === 0 ? fault.amplitudeUs : -fault.amplitudeUs;
          this.internal(nowUs + step * fault.periodUs, { kind: "strobe-step", nodeId: fault.nodeId, deltaUs });
        }
        return;
      }
      case "latency-spike":
      case "loss":
      case "duplication":
      case "reorder":
        this.linkFaults.push({
          kind: fault.kind,
          nodes: fault.nodes === undefined ? null : new Set(fault.nodes.map((id) => this.indexOf(id))),
          amount: fault.kind === "latency-spike" ? fault.extraUs : fault.probability,
          untilUs: nowUs + fault.durationUs,
        });
        return;
    }
  }

  private internal(atUs: number, fault: Fault | InternalFault, token = 0): void {
    this.push(atUs, new SimEvent(Kind.Fault, -1, -1, this.faultGeneration, fault, token));
  }

  private resume(node: SimNode): void {
    if (!node.paused) return;
    node.paused = false;
    const held = node.held;
    node.held = [];
    // Held events fire now, each keeping its original sequence number: an event that reaches the
    // node at this same instant but was queued later (the next message on a connection, a message of
    // a new connection after a "broken" notice) must not overtake them.
    for (const event of held) {
      event.time = this.nowUs;
      this.queue.reinsert(event);
    }
  }
}

const CONNECTION_KEY_BASE = 65536;

function connectionKey(a: number, b: number): number {
  return a < b ? a * CONNECTION_KEY_BASE + b : b * CONNECTION_KEY_BASE + a;
}

function side(end: number, peer: number): 0 | 1 {
  return end < peer ? 0 : 1;
}
