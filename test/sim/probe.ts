// A recording actor for adversarial kernel tests. It numbers what it sends to each peer, tags each
// message with how many "broken" notices it had heard from that peer (its epoch), and logs every
// delivery, notice, timer and fsync with the true time. The log lives outside the actor (in the
// World), so it survives crashes; the actor itself is rebuilt on every restart as the kernel demands.
import { Simulation } from "../../sim/simulation.ts";
import type { Actor, NodeContext, NodeId } from "../../sim/types.ts";

export interface Wire {
  inc: number;
  k: number;
  epoch: number;
}

export type Entry =
  | { kind: "sent"; peer: NodeId; k: number; epoch: number; trueUs: number }
  | { kind: "received"; peer: NodeId; inc: number; k: number; epoch: number; trueUs: number }
  | { kind: "open"; peer: NodeId; trueUs: number }
  | { kind: "broken"; peer: NodeId; trueUs: number }
  | { kind: "timer"; tag: string; trueUs: number; localUs: number }
  | { kind: "fsynced"; tag: string; trueUs: number };

export class Incarnation {
  readonly entries: Entry[] = [];
  constructor(readonly node: NodeId, readonly inc: number, readonly restarted: boolean) {}
  of<K extends Entry["kind"]>(kind: K): Array<Extract<Entry, { kind: K }>> {
    return this.entries.filter((entry): entry is Extract<Entry, { kind: K }> => entry.kind === kind);
  }
}

export interface ProbeOptions {
  /** Peers it sends to on its own; none: it sends only when a test calls `send`. */
  peers?: NodeId[];
  /** Mean µs between autonomous sends (drawn from the node's rng). */
  sendEveryUsMean?: number;
  /** Extra behaviour when a timer fires (after it is logged). */
  onTimer?: (probe: Probe, tag: string) => void;
}

export class World {
  readonly incarnations = new Map<NodeId, Incarnation[]>();
  /** Harness switch: autonomous senders stop when false (so nothing is in flight at the end). */
  sending = true;
  constructor(readonly sim: Simulation) {}

  add(id: NodeId, options: ProbeOptions = {}, startAtUs?: number): void {
    this.sim.addNode(id, () => {
      const list = this.incarnations.get(id) ?? [];
      this.incarnations.set(id, list);
      const incarnation = new Incarnation(id, list.length, list.length > 0);
      list.push(incarnation);
      return new Probe(this, incarnation, options);
    }, startAtUs === undefined ? {} : { startAtUs });
  }

  probe(id: NodeId): Probe {
    const probe = this.sim.actorOf<Probe>(id);
    if (probe === undefined) throw new Error(`${id} is down`);
    return probe;
  }

  last(id: NodeId): Incarnation {
    return this.incarnations.get(id)!.at(-1)!;
  }

  all(): Incarnation[] {
    return [...this.incarnations.values()].flat();
  }
}

export class Probe implements Actor<Wire> {
  ctx!: NodeContext<Wire>;
  private readonly nextK = new Map<NodeId, number>();
  private readonly brokenCount = new Map<NodeId, number>();
  constructor(readonly world: World, readonly log: Incarnation, private readonly options: ProbeOptions) {}

  private get trueUs(): number {
    return this.world.sim.nowUs;
  }

  start(ctx: NodeContext<Wire>): void {
    this.ctx = ctx;
    if (this.options.peers !== undefined) ctx.setTimer("send", this.nextGapUs());
  }

  send(peer: NodeId): void {
    const k = this.nextK.get(peer) ?? 0;
    this.nextK.set(peer, k + 1);
    const epoch = this.brokenCount.get(peer) ?? 0;
    this.log.entries.push({ kind: "sent", peer, k, epoch, trueUs: this.trueUs });
    this.ctx.send(peer, { inc: this.log.inc, k, epoch });
  }

  receive(from: NodeId, message: Wire): void {
    this.log.entries.push({ kind: "received", peer: from, ...message, trueUs: this.trueUs });
  }

  timer(tag: string): void {
    this.log.entries.push({ kind: "timer", tag, trueUs: this.trueUs, localUs: this.ctx.now() });
    this.options.onTimer?.(this, tag);
    if (tag !== "send" || this.options.peers === undefined) return;
    if (this.world.sending) this.send(this.ctx.rng.pick(this.options.peers));
    this.ctx.setTimer("send", this.nextGapUs());
  }

  connection(peer: NodeId, state: "open" | "broken"): void {
    if (state === "broken") this.brokenCount.set(peer, (this.brokenCount.get(peer) ?? 0) + 1);
    this.log.entries.push({ kind: state, peer, trueUs: this.trueUs });
  }

  fsynced(tag: string): void {
    this.log.entries.push({ kind: "fsynced", tag, trueUs: this.trueUs });
  }

  private nextGapUs(): number {
    return 1 + Math.floor(this.ctx.rng.exponential(this.options.sendEveryUsMean ?? 2_000));
  }
}

/**
 * The connection contract, read off the logs. Returns one line per violation.
 * - FIFO, no duplicates: per sender incarnation, a receiver sees strictly increasing numbers.
 * - A gap (numbers skipped) is only legal across a "broken" notice at the receiver.
 * - Both ends learn: if the receiver heard "broken" between two messages, the sender heard it
 *   between sending them (its epoch grew), so it never spoke on a new connection unaware.
 * - No silent loss: a message never delivered left its sender (if that incarnation lived to the
 *   end) a "broken" notice after it was sent. Call only once nothing is in flight.
 */
export function connectionViolations(world: World): string[] {
  const violations: string[] = [];
  const delivered = new Set<string>();
  for (const receiver of world.all()) {
    const lastFrom = new Map<string, { k: number; epoch: number; brokenSince: boolean }>();
    for (const entry of receiver.entries) {
      if (entry.kind === "broken") {
        for (const [key, last] of lastFrom) if (key.startsWith(`${entry.peer}#`)) last.brokenSince = true;
        continue;
      }
      if (entry.kind !== "received") continue;
      const key = `${entry.peer}#${entry.inc}`;
      const id = `${key}→${receiver.node}:${entry.k}`;
      if (delivered.has(id)) violations.push(`${id} delivered twice`);
      delivered.add(id);
      const last = lastFrom.get(key);
      const where = `${key}→${receiver.node}#${receiver.inc} at ${entry.trueUs}us`;
      if (last !== undefined) {
        if (entry.k <= last.k) violations.push(`${where}: ${entry.k} after ${last.k} (FIFO)`);
        if (entry.k > last.k + 1 && !last.brokenSince) violations.push(`${where}: ${last.k + 1}..${entry.k - 1} lost with no broken notice at the receiver`);
        if (last.brokenSince && entry.epoch <= last.epoch) violations.push(`${where}: ${entry.k} crossed a break the sender had not heard of (epoch ${entry.epoch})`);
      }
      lastFrom.set(key, { k: entry.k, epoch: entry.epoch, brokenSince: false });
    }
  }
  for (const [node, incarnations] of world.incarnations) {
    const sender = incarnations.at(-1)!;
    sender.entries.forEach((entry, index) => {
      if (entry.kind !== "sent") return;
      if (delivered.has(`${node}#${sender.inc}→${entry.peer}:${entry.k}`)) return;
      const told = sender.entries.slice(index + 1).some((later) => later.kind === "broken" && later.peer === entry.peer);
      if (!told) violations.push(`${node}#${sender.inc}→${entry.peer}:${entry.k} sent at ${entry.trueUs}us was lost and the sender never heard "broken"`);
    });
  }
  return violations;
}

export const DETECT_US = 50_000;

/** Two silent probes on a slow, jitter-free network: the test sends at exact times. */
export function pair(seed = 1) {
  const sim = new Simulation({ seed, network: { latencyUsBase: 5_000, latencyUsJitterMean: 0, breakDetectionUs: DETECT_US, connectUs: 1_000 } });
  const world = new World(sim);
  world.add("a");
  world.add("b");
  const sendAt = (atUs: number, from: NodeId, to: NodeId) => sim.at(atUs, () => world.probe(from).send(to));
  return { sim, world, sendAt };
}
