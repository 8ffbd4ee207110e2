// Who can reach whom, and how long a message takes. Connections (TCP-like) are FIFO and lossless
// while they last; a partition, a cut in either direction or a crash breaks them. Datagrams see the
// link faults (loss, duplication, reordering) that connections hide.
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
  /** cuts[from] = set of targets that `from` cannot send to. */
  private cuts = new Map<number, Set<number>>();

  setPartition(groups: number[][]): void {
    this.groupsOf = [];
    groups.forEach((group, groupIndex) => {
      for (const node of group) (this.groupsOf[node] ??= new Set()).add(groupIndex);
    });
    this.partitioned = groups.length > 0;
  }

  addCut(from: number[], to: number[]): void {
    for (const source of from) {
      let targets = this.cuts.get(source);
      if (targets === undefined) this.cuts.set(source, (targets = new Set()));
      for (const target of to) if (target !== source) targets.add(target);
    }
  }

  removeCut(from: number[], to: number[]): void {
    for (const source of from) for (const target of to) this.cuts.get(source)?.delete(target);
  }

  heal(): void {
    this.groupsOf = [];
    this.partitioned = false;
    this.cuts.clear();
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

export function linkFaultApplies(fault: LinkFault, from: number, to: number): boolean {
  return fault.nodes === null || fault.nodes.has(from) || fault.nodes.has(to);
}

export function sampleLatencyUs(options: NetworkOptions, rng: Random): number {
  return options.latencyUsBase + Math.floor(rng.exponential(options.latencyUsJitterMean));
}
