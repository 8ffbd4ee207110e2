// Faults as data: a schedule is a JSON array of these, sorted by `atUs` (true time, µs).
// The kernel applies them; scenarios generate them; people edit them by hand and replay.
import type { NodeId } from "./types.ts";

export type Fault =
  /** Replaces the current partition. Two listed nodes reach each other iff some group holds both;
   *  a node listed in no group is not affected. Overlapping groups express bridges and rings. */
  | { atUs: number; kind: "partition"; groups: NodeId[][]; durationUs?: number }
  /** One-way cut: messages from any of `from` to any of `to` are dropped; connections between them break. */
  | { atUs: number; kind: "cut"; from: NodeId[]; to: NodeId[]; durationUs?: number }
  /** Removes every partition and cut. */
  | { atUs: number; kind: "heal" }
  /** Process crash: the OS keeps the page cache, so unsynced writes survive. */
  | { atUs: number; kind: "crash"; nodeId: NodeId; restartAfterUs?: number }
  /** Power loss: unsynced writes are lost; the first unsynced append may survive torn. */
  | { atUs: number; kind: "power-loss"; nodeId: NodeId; restartAfterUs?: number }
  | { atUs: number; kind: "restart"; nodeId: NodeId }
  /** The node processes nothing (messages and timers wait) until resumed. */
  | { atUs: number; kind: "pause"; nodeId: NodeId; durationUs?: number }
  | { atUs: number; kind: "resume"; nodeId: NodeId }
  /** Sets the clock's offset from true time × rate (a step of the difference). */
  | { atUs: number; kind: "clock-offset"; nodeId: NodeId; offsetUs: number }
  /** Sets the clock's rate: +100000 ppm = +10 % = runs fast. */
  | { atUs: number; kind: "clock-drift"; nodeId: NodeId; driftPpm: number }
  /** Steps the clock by `deltaUs` (negative: backwards). */
  | { atUs: number; kind: "clock-jump"; nodeId: NodeId; deltaUs: number }
  /** Jumps forward and back by `amplitudeUs` every `periodUs` for `durationUs`. */
  | { atUs: number; kind: "clock-strobe"; nodeId: NodeId; amplitudeUs: number; periodUs: number; durationUs: number }
  /** Adds `extraUs` latency to messages between `nodes` (all nodes when absent). */
  | { atUs: number; kind: "latency-spike"; extraUs: number; durationUs: number; nodes?: NodeId[] }
  /** Datagram loss probability on links touching `nodes` (all when absent). Connections hide loss. */
  | { atUs: number; kind: "loss"; probability: number; durationUs: number; nodes?: NodeId[] }
  | { atUs: number; kind: "duplication"; probability: number; durationUs: number; nodes?: NodeId[] }
  | { atUs: number; kind: "reorder"; probability: number; durationUs: number; nodes?: NodeId[] };

export type FaultKind = Fault["kind"];
