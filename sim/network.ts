// Who can reach whom, and how long a message takes. Connections (TCP-like) are FIFO and lossless
// while they last; a partition, a cut in either direction or a crash breaks them. Datagrams see the
// link faults (loss, duplication, reordering) that connections hide. A partition or cut that begins
// while a datagram is in flight drops it, as it drops what is in flight on a connection: a datagram
// is delivered only if its direction stayed open from send to arrival.
import type { Random } from "./types.ts";

export interface NetworkOptions {
  latencyUsBase: number;
  /** Mean of the exponential tail added to the base latency. */
  latencyUsJitterMean: number;
  /** How long both ends take to learn that a connection broke. */
  breakDetectionUs: number;
  /** Extra delay of the first message of a new connection (the handshake). */
  connectUs: number;
}

export const NETWORK_DEFAULTS: NetworkOptions = {
  latencyUsBase: 500,
  latencyUsJitterMean: 200,
  breakDetectionUs: 50_000,
  connectUs: 1_000,
};

export interface LinkFault {
  kind: "latency-spike" | "loss" | "duplication" | "reorder";
  /** Node indexes it applies to; null = every link. */
  nodes: Set<number> | null;
  amount: number; // extra µs for latency-spike, probability otherwise
  untilUs: number;
}

export const enum ConnectionState {
  Closed = 0,
  Open = 1,
  /** Broken; no new connection until both ends have been told (at `brokenUntilUs`, or later if paused). */
  Broken = 2,
}

export class Connection {
  state = ConnectionState.Closed;
  generation = 0;
  brokenUntilUs = 0;
  /** Last delivery time per direction (0: low → high index, 1: high → low): FIFO. */
  lastDeliveryUs: [number, number] = [0, 0];
  /** The incarnation of each end (0: low, 1: high) that is owed a "broken" notice not yet delivered; 0 = none. */
  /** One random stream per direction, made on first use (see Simulation.linkRng). */
  rngs: [Random | undefined, Random | undefined] = [undefined, undefined];
  noticePending: [number, number] = [0, 0];
  /** When that notice is due (valid while it is pending). */
  noticeAtUs: [number, number] = [0, 0];
}

export class Reachability {
  /** groupsOf[node] = ids of the partition groups holding it; undefined = not in the partition. */
  private groupsOf: Array<Set<number> | undefined> = [];
  private partitioned = false;
  /** cuts[from] = targets that `from` cannot send to, each with the number of cuts that say so:
   *  a cut that ends lifts only its own share, so a pair another cut still holds stays cut. */
  private cuts = new Map<number, Map<number, number>>();
  /** The pairs (from, to, from, to, …) of each cut still in force, by the token addCut returned. */
  private cutPairs = new Map<number, number[]>();
  private cutTokenLast = 0;
  /** Counts the moments at which links may have been blocked; a datagram carries the count at send. */
  private blockCount = 0;
  /** from * PAIR_BASE + to → the block count when that direction was last blocked. */
  private blockedAt = new Map<number, number>();

  setPartition(groups: number[][]): void {
    this.groupsOf = [];
    groups.forEach((group, groupIndex) => {
      for (const node of group) (this.groupsOf[node] ??= new Set()).add(groupIndex);
    });
    this.partitioned = groups.length > 0;
  }

  /** Returns the cut's token, which `removeCut` takes. */
  addCut(from: number[], to: number[]): number {
    const pairs: number[] = [];
    for (const source of from) {
      let targets = this.cuts.get(source);
      if (targets === undefined) this.cuts.set(source, (targets = new Map()));
      for (const target of new Set(to)) {
        if (target === source) continue;
        targets.set(target, (targets.get(target) ?? 0) + 1);
        pairs.push(source, target);
      }
    }
    this.cutPairs.set(++this.cutTokenLast, pairs);
    return this.cutTokenLast;
  }

  /** Ends one cut; a cut already removed by a heal is a no-op (it must not lift a newer cut). */
  removeCut(token: number): void {
    const pairs = this.cutPairs.get(token);
    if (pairs === undefined) return;
    this.cutPairs.delete(token);
    for (let index = 0; index < pairs.length; index += 2) {
      const targets = this.cuts.get(pairs[index]!)!;
      const target = pairs[index + 1]!;
      const count = targets.get(target)! - 1;
      if (count === 0) targets.delete(target);
      else targets.set(target, count);
    }
  }

  heal(): void {
    this.groupsOf = [];
    this.partitioned = false;
    this.cuts.clear();
    this.cutPairs.clear();
  }

  /** After a partition or cut began: stamps every direction it blocks among the first `nodeCount`
   *  nodes, so datagrams already in flight on them are dropped when they come up. */
  markBlocked(nodeCount: number): void {
    this.blockCount++;
    for (let from = 0; from < nodeCount; from++) {
      for (let to = 0; to < nodeCount; to++) {
        if (from !== to && !this.canSend(from, to)) this.blockedAt.set(from * PAIR_BASE + to, this.blockCount);
      }
    }
  }

  /** What a datagram sent now carries, for `blockedSince`. */
  get sendStamp(): number {
    return this.blockCount;
  }

  /** Whether the direction was blocked at some moment after a datagram with `stamp` was sent. */
  blockedSince(from: number, to: number, stamp: number): boolean {
    return (this.blockedAt.get(from * PAIR_BASE + to) ?? 0) > stamp;
  }

  /** One direction, as a datagram sees it. */
  canSend(from: number, to: number): boolean {
    if (this.partitioned) {
      const a = this.groupsOf[from];
      const b = this.groupsOf[to];
      if (a !== undefined && b !== undefined) {
        let shared = false;
        for (const group of a) if (b.has(group)) { shared = true; break; }
        if (!shared) return false;
      }
    }
    return !(this.cuts.get(from)?.has(to) ?? false);
  }

  /** Both directions: a connection needs replies (acks) to flow too. */
  canConnect(a: number, b: number): boolean {
    return this.canSend(a, b) && this.canSend(b, a);
  }
}

const PAIR_BASE = 65536;

export function linkFaultApplies(fault: LinkFault, from: number, to: number): boolean {
  return fault.nodes === null || fault.nodes.has(from) || fault.nodes.has(to);
}

export function sampleLatencyUs(options: NetworkOptions, rng: Random): number {
  return options.latencyUsBase + Math.floor(rng.exponential(options.latencyUsJitterMean));
}
