// Network delivery between nodes: connections (opening, FIFO delivery, breaks and the notices both
// ends get), datagrams, and the link faults that delay, drop or copy them. The rules are in
// network.ts's header and docs/kernel.md; this file is their bookkeeping.
import type { Random } from "./types.ts";
import { digest } from "./hash.ts";
import { Kind, SimEvent } from "./events.ts";
import type { KernelCore, SimNode } from "./node.ts";
import {
  Connection, ConnectionState, Reachability, linkFaultApplies, sampleLatencyUs, type LinkFault, type NetworkOptions,
} from "./network.ts";

function side(end: number, peer: number): 0 | 1 {
  return end < peer ? 0 : 1;
}

export class Transport {
  readonly reachability = new Reachability();
  linkFaults: LinkFault[] = [];
  /** Every connection made, by its ends (lower index first), in the order made: breakUnreachable walks them in that order. */
  private readonly made: Array<{ low: number; high: number; connection: Connection }> = [];
  /** The same connections by pair, both ways round: pairs[a][b] === pairs[b][a]. */
  private readonly pairs: Array<Array<Connection | undefined>> = [];
  private digestedLast: unknown = undefined;
  private digestLast = 0;

  constructor(private readonly core: KernelCore, readonly options: NetworkOptions, private readonly networkRng: Random) {}

  // ---- at delivery -----------------------------------------------------------------------------

  /** Whether a message event still rides the connection it was sent on (a break loses it). */
  carries(event: SimEvent): boolean {
    const connection = this.pairs[event.source]?.[event.target];
    return connection !== undefined && connection.state === ConnectionState.Open && connection.generation === event.stamp;
  }

  /** Whether a datagram met a partition or cut in flight. */
  datagramBlocked(event: SimEvent): boolean {
    return this.reachability.blockedSince(event.source, event.target, event.stamp);
  }

  /** An end is told when its actor hears the notice, not when it reaches a paused node. */
  brokenNoticeHeard(end: number, peer: number): void {
    this.connection(end, peer).noticePending[side(end, peer)] = 0;
  }

  // ---- sending -----------------------------------------------------------------------------------

  send(from: SimNode, to: number, message: unknown): void {
    const connection = this.connection(from.index, to);
    const nowUs = this.core.nowUs;
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
        connection.brokenUntilUs = nowUs + this.options.breakDetectionUs;
        this.notice(connection, from.index, to, connection.brokenUntilUs);
        return;
      }
      connection.state = ConnectionState.Open;
      connection.generation++;
      // A new connection does not queue behind messages that died with the old one.
      connection.lastDeliveryUs = [0, 0];
      extraUs = this.options.connectUs;
      // Nothing of the new connection reaches the peer before its "broken" notice of the old one.
      if (this.noticeOwed(connection, to, from.index)) {
        const noticeAtUs = connection.noticeAtUs[side(to, from.index)];
        connection.lastDeliveryUs = [noticeAtUs, noticeAtUs];
      }
      // A node booting at this instant gets its first incarnation number when it boots.
      const target = this.core.nodes[to]!;
      this.core.push(Math.max(nowUs + extraUs, connection.lastDeliveryUs[from.index < to ? 0 : 1]),
        new SimEvent(Kind.Notice, to, from.index, target.up ? target.incarnation : target.incarnation + 1, "open"));
    }
    const direction = from.index < to ? 0 : 1;
    const latencyUs = sampleLatencyUs(this.options, this.linkRng(connection, from.index, to)) + extraUs + this.latencySpikeUs(from.index, to);
    const deliveryUs = Math.max(nowUs + latencyUs, connection.lastDeliveryUs[direction]);
    connection.lastDeliveryUs[direction] = deliveryUs;
    this.core.pushMessage(deliveryUs, to, from.index, connection.generation, message, this.digestOf(message));
  }

  sendDatagram(from: SimNode, to: number, message: unknown): void {
    if (!this.reachability.canSend(from.index, to)) return;
    const rng = this.linkRng(this.connection(from.index, to), from.index, to);
    let copies = 1;
    let reorderUs = 0;
    for (const fault of this.activeLinkFaults()) {
      if (!linkFaultApplies(fault, from.index, to)) continue;
      if (fault.kind === "loss" && rng.chance(fault.amount)) return;
      if (fault.kind === "duplication" && rng.chance(fault.amount)) copies++;
      if (fault.kind === "reorder" && rng.chance(fault.amount)) {
        reorderUs += Math.floor(rng.exponential(this.options.latencyUsBase * 4));
      }
    }
    for (let copy = 0; copy < copies; copy++) {
      const latencyUs = sampleLatencyUs(this.options, rng) + this.latencySpikeUs(from.index, to) + reorderUs;
      this.core.push(this.core.nowUs + latencyUs, new SimEvent(Kind.Datagram, to, from.index, this.reachability.sendStamp, message));
    }
  }

  /** Messages are immutable, and a broadcast sends one object to every peer in a row: digest it once.
   *  Kept as an int32: a uint32 above 2^31 is no small integer, so the event's field would box a heap
   *  number per message; the trace fold XORs it as an int32 either way. */
  private digestOf(message: unknown): number {
    if (message !== this.digestedLast || message === null || typeof message !== "object") {
      this.digestedLast = message;
      this.digestLast = digest(message) | 0;
    }
    return this.digestLast;
  }

  /** The random stream of one direction of one link, made on first use. Each link draws from its
   *  own stream: a fault that changes the traffic on one link leaves every other link's latencies
   *  as they were, which is what lets shrinking work. */
  private linkRng(connection: Connection, from: number, to: number): Random {
    const direction = from < to ? 0 : 1;
    let rng = connection.rngs[direction];
    if (rng === undefined) {
      rng = this.networkRng.fork(`${this.core.nodes[from]!.id}>${this.core.nodes[to]!.id}`);
      connection.rngs[direction] = rng;
    }
    return rng;
  }

  // ---- connections ---------------------------------------------------------------------------------

  private connection(a: number, b: number): Connection {
    const connection = this.pairs[a]?.[b];
    return connection ?? this.connectionMade(a, b);
  }

  private connectionMade(a: number, b: number): Connection {
    const connection = new Connection();
    this.made.push({ low: Math.min(a, b), high: Math.max(a, b), connection });
    this.pairRow(a)[b] = connection;
    this.pairRow(b)[a] = connection;
    return connection;
  }

  /** pairs[end], long enough to index any node so far (filled, so it stays a packed array). */
  private pairRow(end: number): Array<Connection | undefined> {
    while (this.pairs.length <= end) this.pairs.push([]);
    const row = this.pairs[end]!;
    while (row.length < this.core.nodes.length) row.push(undefined);
    return row;
  }

  private connectable(a: number, b: number): boolean {
    const nodeA = this.core.nodes[a]!;
    const nodeB = this.core.nodes[b]!;
    return this.accepting(nodeA) && this.accepting(nodeB) && this.reachability.canConnect(a, b);
  }

  /** Up, or booting at this very instant (nodes added together may connect from their start). */
  private accepting(node: SimNode): boolean {
    return node.up || (node.starting && node.startAtUs <= this.core.nowUs);
  }

  /** Tells `end` (once) that its connection to `peer` broke, at `atUs`. */
  private notice(connection: Connection, end: number, peer: number, atUs: number): void {
    if (this.noticeOwed(connection, end, peer)) return;
    const node = this.core.nodes[end]!;
    if (!node.up) return;
    connection.noticePending[side(end, peer)] = node.incarnation;
    connection.noticeAtUs[side(end, peer)] = atUs;
    this.core.push(atUs, new SimEvent(Kind.Notice, end, peer, node.incarnation, "broken"));
  }

  /** Whether the live incarnation of `end` has a "broken" notice for this connection not yet delivered.
   *  A notice owed to an incarnation that crashed is void: the new one never knew the connection. */
  private noticeOwed(connection: Connection, end: number, peer: number): boolean {
    const node = this.core.nodes[end]!;
    return node.up && connection.noticePending[side(end, peer)] === node.incarnation;
  }

  breakConnection(a: number, b: number): void {
    const connection = this.pairs[a]?.[b];
    if (connection === undefined || connection.state !== ConnectionState.Open) return;
    connection.state = ConnectionState.Broken;
    connection.generation++; // what was in flight is lost
    connection.brokenUntilUs = this.core.nowUs + this.options.breakDetectionUs;
    this.notice(connection, a, b, connection.brokenUntilUs);
    this.notice(connection, b, a, connection.brokenUntilUs);
  }

  /** After the reachability changed: break every open connection that can no longer carry traffic. */
  breakUnreachable(): void {
    for (const { low, high, connection } of this.made) {
      if (connection.state !== ConnectionState.Open) continue;
      if (!this.reachability.canConnect(low, high)) this.breakConnection(low, high);
    }
  }

  // ---- link faults ---------------------------------------------------------------------------------

  private activeLinkFaults(): LinkFault[] {
    if (this.linkFaults.length > 0 && this.linkFaults.some((fault) => fault.untilUs <= this.core.nowUs)) {
      this.linkFaults = this.linkFaults.filter((fault) => fault.untilUs > this.core.nowUs);
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
}
