// One simulated node as the kernel keeps it, and what the kernel's parts (lifecycle, transport,
// faults) share of the simulation. The actor is rebuilt on every boot; clock and disk stay.
import type { Actor, ActorFactory, NodeContext, NodeId, Random } from "./types.ts";
import type { SimEvent } from "./events.ts";
import { NodeClock } from "./clock.ts";
import { DiskStore } from "./disk.ts";

export interface TimerRecord {
  deadlineUs: number;
  token: number;
}

export class SimNode {
  actor: Actor | undefined;
  ctx: NodeContext | undefined;
  incarnation = 0;
  up = false;
  /** Added but not started yet: others may already connect (it accepts once it boots). */
  starting = false;
  /** When a starting node boots: before then it is as unreachable as a crashed one. */
  startAtUs = 0;
  /** Fsync latencies and torn writes of this node's disk. */
  diskRng!: Random;
  /** When this disk's last flush completes: a disk completes flushes in order. */
  fsyncDoneUs = 0;
  paused = false;
  /** Counts pauses, so a timed pause's end never ends a later pause. */
  pauseToken = 0;
  held: SimEvent[] = [];
  readonly clock = new NodeClock();
  readonly disk = new DiskStore();
  timers = new Map<string, TimerRecord>();
  /** The node this one last sent to, by id and index (Simulation.destination). */
  sentToId: NodeId | undefined = undefined;
  sentToIndex = -1;
  constructor(readonly index: number, readonly id: NodeId, readonly factory: ActorFactory) {}
}

/** The simulation as its parts see it: the nodes, true time, and the queue. */
export interface KernelCore {
  readonly nodes: readonly SimNode[];
  readonly nowUs: number;
  push(time: number, event: SimEvent): void;
  /** Queues a connection message (Kind.Message), on a spare event when there is one. */
  pushMessage(time: number, target: number, source: number, generation: number, payload: unknown, payloadDigest: number): void;
  /** Puts back an event that keeps its sequence number (held events at a resume). */
  reinsert(event: SimEvent): void;
  indexOf(id: NodeId): number;
}
