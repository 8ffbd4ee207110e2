// fast-check arbitraries for fault schedules over every fault kind of the kernel (sim/faults.ts).
// Small combinators and no .chain, so fast-check shrinks well: each fault is an independent array
// element (removable on its own) and every lasting fault carries its own durationUs, so dropping
// one fault never strands another. The value is the kernel's JSON schedule: it is the replay file.
import * as fc from "fast-check";
import type { Fault, FaultKind } from "../sim/faults.ts";
import type { NodeId } from "../sim/types.ts";
import { bridge, isolate, majoritiesRing, majorityMinority } from "../sim/partitions.ts";
import type { PartitionTiming } from "../sim/partitions.ts";
import type { Phases } from "./types.ts";

/** The generator's own names: the kernel's kinds, with "partition" split by shape. `heal`,
 *  `restart` and `resume` are never drawn: each fault ends itself (durationUs, restartAfterUs). */
export type FaultShape =
  | "isolate" | "majority-minority" | "bridge" | "majorities-ring" | "random-split"
  /** Correlated faults: one event hitting several nodes at the same instant (a rack losing power,
   *  an NTP correction stepping several clocks). Each becomes one fault per node. */
  | "power-loss-group" | "clock-jump-group"
  | Exclude<FaultKind, "partition" | "heal" | "restart" | "resume">;

/** Relative weight of each shape; 0 (or absent when a weights object is given) turns it off. */
export type FaultWeights = Partial<Record<FaultShape, number>>;

export interface FaultLimits {
  faultsMax: number;
  /** The nodes single-node faults (crash, pause, clock, isolate) pick from; default: all of them.
   *  Partitions still split every node given, so an isolated target is cut from all the others. */
  targets?: readonly NodeId[];
  /** Partitions, cuts and link faults last between these. */
  durationUsMin: number;
  durationUsMax: number;
  /** Pauses: make the maximum longer than the session timeout to exercise expiry. */
  pauseUsMin: number;
  pauseUsMax: number;
  restartAfterUsMin: number;
  restartAfterUsMax: number;
  /** |drift| ≤ this; the master recipe's lease margin is computed from the same figure. */
  driftPpmMax: number;
  clockOffsetUsMax: number;
  clockJumpUsMax: number;
  latencyExtraUsMax: number;
  probabilityMax: number;
}

export const FAULT_SHAPES: readonly FaultShape[] = [
  "isolate", "majority-minority", "bridge", "majorities-ring", "random-split", "cut",
  "crash", "power-loss", "pause",
  "clock-offset", "clock-drift", "clock-jump", "clock-strobe",
  "latency-spike", "loss", "duplication", "reorder",
  "power-loss-group", "clock-jump-group",
];

export const DEFAULT_WEIGHTS: Readonly<Record<FaultShape, number>> = {
  "isolate": 3, "majority-minority": 3, "bridge": 1, "majorities-ring": 1, "random-split": 1, "cut": 1,
  "crash": 3, "power-loss": 3, "pause": 3,
  "clock-offset": 1, "clock-drift": 1, "clock-jump": 1, "clock-strobe": 1,
  "latency-spike": 1, "loss": 1, "duplication": 1, "reorder": 1,
  "power-loss-group": 1, "clock-jump-group": 1,
};

export function defaultLimits(phases: Phases): FaultLimits {
  return {
    faultsMax: 8,
    durationUsMin: 10_000,
    durationUsMax: Math.max(10_000, Math.floor(phases.faultsUs / 2)),
    pauseUsMin: 1_000,
    pauseUsMax: 2_000_000,
    restartAfterUsMin: 0,
    restartAfterUsMax: 2_000_000,
    driftPpmMax: 100_000,
    clockOffsetUsMax: 1_000_000,
    clockJumpUsMax: 1_000_000,
    latencyExtraUsMax: 50_000,
    probabilityMax: 0.5,
  };
}

/**
 * A sorted JSON schedule of faults for `nodeIds`, each starting in [0, phases.faultsUs).
 * `weights` replaces DEFAULT_WEIGHTS wholesale when given (shapes it leaves out are off).
 */
export function faultSchedule(
  nodeIds: readonly NodeId[],
  phases: Phases,
  weights?: FaultWeights,
  limits?: Partial<FaultLimits>,
): fc.Arbitrary<Fault[]> {
  const bounds: FaultLimits = { ...defaultLimits(phases), ...limits };
  const chosen = weights ?? DEFAULT_WEIGHTS;
  const choices = FAULT_SHAPES
    .filter((shape) => (chosen[shape] ?? 0) > 0)
    .map((shape) => ({ weight: chosen[shape]!, arbitrary: faultsOfShape(shape, nodeIds, phases, bounds) }));
  if (choices.length === 0 || nodeIds.length === 0 || bounds.faultsMax === 0) return fc.constant([]);
  return fc.array(fc.oneof(...choices), { maxLength: bounds.faultsMax }).map((drawn) => sortByTime(drawn.flat()));
}

/** The arbitrary for one shape: one fault, or (for the group shapes) the faults of one event. */
export function faultsOfShape(shape: FaultShape, nodeIds: readonly NodeId[], phases: Phases, limits: FaultLimits): fc.Arbitrary<Fault | Fault[]> {
  const targets = limits.targets ?? nodeIds;
  if (shape === "power-loss-group") return powerLossGroup(targets, atUs(phases), limits);
  if (shape === "clock-jump-group") return clockJumpGroup(targets, atUs(phases), limits);
  return faultOfShape(shape, nodeIds, phases, limits);
}

/**
 * Every clock's own rate from the start (real oscillators all drift, within a bound): a clock-drift
 * fault at time 0 for some of the nodes, each removable on its own when shrinking.
 */
export function driftBaseline(nodeIds: readonly NodeId[], driftPpmMax: number): fc.Arbitrary<Fault[]> {
  if (nodeIds.length === 0 || driftPpmMax === 0) return fc.constant([]);
  return fc.uniqueArray(fc.record({ nodeId: fc.constantFrom(...nodeIds), driftPpm: symmetric(driftPpmMax) }), {
    maxLength: nodeIds.length, selector: (drift) => drift.nodeId,
  }).map((drifts) => drifts.map(({ nodeId, driftPpm }): Fault => ({ atUs: 0, kind: "clock-drift", nodeId, driftPpm })));
}

/** The arbitrary for one single-fault shape (exported so tests and scenarios can force a shape). */
export function faultOfShape(shape: FaultShape, nodeIds: readonly NodeId[], phases: Phases, limits: FaultLimits): fc.Arbitrary<Fault> {
  const at = atUs(phases);
  const node = fc.constantFrom(...(limits.targets ?? nodeIds));
  const timing = partitionTiming(at, limits);
  switch (shape) {
    case "isolate":
      return fc.record({ nodeId: node, timing }).map(({ nodeId, timing }) => isolate(nodeIds, nodeId, timing));
    case "majority-minority":
      return fc.record({ minority: minorityOf(nodeIds), timing })
        .map(({ minority, timing }) => majorityMinority(nodeIds, minority, timing));
    case "bridge":
      return fc.record({ order: fc.shuffledSubarray([...nodeIds], { minLength: nodeIds.length }), timing })
        .map(({ order, timing }) => bridge(order, order[0]!, timing));
    case "majorities-ring":
      return fc.record({ order: fc.shuffledSubarray([...nodeIds], { minLength: nodeIds.length }), timing })
        .map(({ order, timing }) => majoritiesRing(order, timing));
    case "random-split":
      return fc.record({ side: fc.subarray([...nodeIds], { minLength: 1 }), timing })
        .map(({ side, timing }) => randomSplit(nodeIds, side, timing));
    case "cut":
      return cut(nodeIds, at, limits);
    case "crash":
    case "power-loss":
      return fc.record({ atUs: at, kind: fc.constant(shape), nodeId: node, restartAfterUs: range(limits.restartAfterUsMin, limits.restartAfterUsMax) });
    case "pause":
      return fc.record({ atUs: at, kind: fc.constant(shape), nodeId: node, durationUs: range(limits.pauseUsMin, limits.pauseUsMax) });
    case "power-loss-group":
    case "clock-jump-group":
      throw new Error(`faultOfShape: ${shape} makes several faults; use faultsOfShape`);
    default:
      return clockOrLinkFault(shape, nodeIds, at, limits);
  }
}

/** Several nodes lose power at one instant; each comes back after its own delay. */
function powerLossGroup(nodeIds: readonly NodeId[], at: fc.Arbitrary<number>, limits: FaultLimits): fc.Arbitrary<Fault[]> {
  const restart = range(limits.restartAfterUsMin, limits.restartAfterUsMax);
  return fc.record({
    atUs: at,
    hit: fc.subarray([...nodeIds], { minLength: Math.min(2, nodeIds.length) }),
    // One delay per possible node (not per hit node): no .chain, so both lists shrink on their own.
    delays: fc.array(restart, { minLength: nodeIds.length, maxLength: nodeIds.length }),
  }).map(({ atUs, hit, delays }) =>
    hit.map((nodeId, index): Fault => ({ atUs, kind: "power-loss", nodeId, restartAfterUs: delays[index]! })));
}

/** Several clocks step by the same amount at one instant. */
function clockJumpGroup(nodeIds: readonly NodeId[], at: fc.Arbitrary<number>, limits: FaultLimits): fc.Arbitrary<Fault[]> {
  return fc.record({
    atUs: at,
    hit: fc.subarray([...nodeIds], { minLength: Math.min(2, nodeIds.length) }),
    deltaUs: symmetric(limits.clockJumpUsMax),
  }).map(({ atUs, hit, deltaUs }) => hit.map((nodeId): Fault => ({ atUs, kind: "clock-jump", nodeId, deltaUs })));
}

function clockOrLinkFault(shape: FaultShape, nodeIds: readonly NodeId[], at: fc.Arbitrary<number>, limits: FaultLimits): fc.Arbitrary<Fault> {
  const node = fc.constantFrom(...(limits.targets ?? nodeIds));
  const duration = range(limits.durationUsMin, limits.durationUsMax);
  const probability = fc.integer({ min: 1, max: 100 }).map((percent) => (percent / 100) * limits.probabilityMax);
  const nodes = fc.option(fc.subarray([...nodeIds], { minLength: 1 }), { nil: undefined });
  switch (shape) {
    case "clock-offset":
      return fc.record({ atUs: at, kind: fc.constant(shape), nodeId: node, offsetUs: symmetric(limits.clockOffsetUsMax) });
    case "clock-drift":
      return fc.record({ atUs: at, kind: fc.constant(shape), nodeId: node, driftPpm: symmetric(limits.driftPpmMax) });
    case "clock-jump":
      return fc.record({ atUs: at, kind: fc.constant(shape), nodeId: node, deltaUs: symmetric(limits.clockJumpUsMax) });
    case "clock-strobe":
      return fc.record({
        atUs: at, kind: fc.constant(shape), nodeId: node,
        amplitudeUs: range(1, Math.max(1, limits.clockJumpUsMax)), periodUs: range(1_000, 100_000), durationUs: duration,
      });
    case "latency-spike":
      return fc.record({ atUs: at, kind: fc.constant(shape), extraUs: range(1, limits.latencyExtraUsMax), durationUs: duration, nodes }, { requiredKeys: ["atUs", "kind", "extraUs", "durationUs"] })
        .map(dropUndefined);
    case "loss":
    case "duplication":
    case "reorder":
      return fc.record({ atUs: at, kind: fc.constant(shape), probability, durationUs: duration, nodes }, { requiredKeys: ["atUs", "kind", "probability", "durationUs"] })
        .map(dropUndefined);
    default:
      throw new Error(`faultOfShape: unhandled shape ${shape}`);
  }
}

function cut(nodeIds: readonly NodeId[], at: fc.Arbitrary<number>, limits: FaultLimits): fc.Arbitrary<Fault> {
  return fc.record({
    atUs: at,
    kind: fc.constant("cut" as const),
    from: fc.subarray([...nodeIds], { minLength: 1 }),
    to: fc.subarray([...nodeIds], { minLength: 1 }),
    durationUs: range(limits.durationUsMin, limits.durationUsMax),
  }).map((fault) => {
    // A node cut from itself means nothing; keep `to` disjoint from `from` (it may end up empty: a no-op).
    const to = fault.to.filter((nodeId) => !fault.from.includes(nodeId));
    return { ...fault, to };
  });
}

function randomSplit(nodeIds: readonly NodeId[], side: NodeId[], timing: PartitionTiming): Fault {
  const other = nodeIds.filter((nodeId) => !side.includes(nodeId));
  const groups = other.length === 0 ? [side] : [side, other];
  return { kind: "partition", atUs: timing.atUs, durationUs: timing.durationUs, groups };
}

function minorityOf(nodeIds: readonly NodeId[]): fc.Arbitrary<NodeId[]> {
  const minoritySizeMax = Math.max(1, Math.ceil(nodeIds.length / 2) - 1);
  return fc.subarray([...nodeIds], { minLength: 1, maxLength: minoritySizeMax });
}

function partitionTiming(at: fc.Arbitrary<number>, limits: FaultLimits): fc.Arbitrary<PartitionTiming> {
  return fc.record({ atUs: at, durationUs: range(limits.durationUsMin, limits.durationUsMax) });
}

function atUs(phases: Phases): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: Math.max(0, phases.faultsUs - 1) });
}

function range(min: number, max: number): fc.Arbitrary<number> {
  return fc.integer({ min, max: Math.max(min, max) });
}

function symmetric(magnitudeMax: number): fc.Arbitrary<number> {
  return fc.integer({ min: -magnitudeMax, max: magnitudeMax });
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

function sortByTime(faults: Fault[]): Fault[] {
  return [...faults].sort((a, b) => a.atUs - b.atUs);
}
