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
import type { RoleFault, ScheduledFault } from "./role-faults.ts";

/** The generator's own names: the kernel's kinds, with "partition" split by shape. `heal`,
 *  `restart` and `resume` are never drawn: each fault ends itself (durationUs, restartAfterUs). */
export type FaultShape =
  | "isolate" | "majority-minority" | "bridge" | "majorities-ring" | "random-split"
  /** Correlated faults: one event hitting several nodes at the same instant (a rack losing power,
   *  an NTP correction stepping several clocks). Each becomes one fault per node. */
  | "power-loss-group" | "clock-jump-group"
  /** Aimed at the likely leader (FaultLimits.likelyLeaders), as Jepsen's nemeses aim at what matters:
   *  a pause longer than the followers' sync limit yet short enough that its clients stay; a crash
   *  of the leader while every other node loses power (a quorum without the leader's durable log);
   *  an isolation of the leader followed, soon after it heals, by a crash of its successor (two
   *  leader changes, so that clients move onto the server that came back). */
  | "leader-pause" | "leader-out-power-loss" | "leader-bounce"
  /** Aimed at a role resolved when the fault fires (scenarios/role-faults.ts), one of FaultLimits.roles. */
  | "role-crash" | "role-power-loss" | "role-pause" | "role-isolate"
  | Exclude<FaultKind, "partition" | "heal" | "restart" | "resume">;

/** Relative weight of each shape; 0 (or absent when a weights object is given) turns it off. */
export type FaultWeights = Partial<Record<FaultShape, number>>;

export interface FaultLimits {
  faultsMax: number;
  /** The nodes single-node faults (crash, pause, clock, isolate) pick from; default: all of them.
   *  Partitions still split every node given, so an isolated target is cut from all the others. */
  targets?: readonly NodeId[];
  /** The nodes most likely to lead, most likely first (fast leader election prefers the highest id):
   *  single-node faults pick one of these half the time, and the leader shapes always do.
   *  Default: the last two targets. */
  likelyLeaders?: readonly NodeId[];
  /** leader-pause lasts between these. */
  leaderPauseUsMin: number;
  leaderPauseUsMax: number;
  /** leader-out-power-loss: the leader stays down this long (the others come back sooner). */
  leaderOutUsMin: number;
  leaderOutUsMax: number;
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
  /** The roles the role-* shapes aim at (the scenario's `roles`); none: those shapes are off. */
  roles?: readonly string[];
  /** Each case draws from a random subset of the shapes (swarm testing). */
  swarm?: boolean;
}

export const FAULT_SHAPES: readonly FaultShape[] = [
  "isolate", "majority-minority", "bridge", "majorities-ring", "random-split", "cut",
  "crash", "power-loss", "pause",
  "clock-offset", "clock-drift", "clock-jump", "clock-strobe",
  "latency-spike", "loss", "duplication", "reorder",
  "power-loss-group", "clock-jump-group",
  "leader-pause", "leader-out-power-loss", "leader-bounce",
  "role-crash", "role-power-loss", "role-pause", "role-isolate",
];

export const DEFAULT_WEIGHTS: Readonly<Record<FaultShape, number>> = {
  "isolate": 3, "majority-minority": 3, "bridge": 1, "majorities-ring": 1, "random-split": 1, "cut": 1,
  "crash": 3, "power-loss": 3, "pause": 3,
  "clock-offset": 1, "clock-drift": 1, "clock-jump": 1, "clock-strobe": 1,
  "latency-spike": 1, "loss": 1, "duplication": 1, "reorder": 1,
  "power-loss-group": 1, "clock-jump-group": 1,
  "leader-pause": 0, "leader-out-power-loss": 0, "leader-bounce": 0,
  "role-crash": 0, "role-power-loss": 0, "role-pause": 0, "role-isolate": 0,
};

/** The role shapes' weight each, when a scenario's faults also aim at roles (FaultStyle.roles). */
const ROLE_SHAPE_WEIGHT = 2;

const ROLE_SHAPES = ["role-crash", "role-power-loss", "role-pause", "role-isolate"] as const;

/** `weights` plus the role-* shapes (all, or those given), when `on`; the caller gives the roles in FaultLimits.roles. */
export function withRoleShapes(weights: FaultWeights, on: boolean | undefined, shapes: readonly (typeof ROLE_SHAPES)[number][] = ROLE_SHAPES): FaultWeights {
  if (on !== true) return weights;
  return { ...weights, ...Object.fromEntries(shapes.map((shape) => [shape, ROLE_SHAPE_WEIGHT])) };
}

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
    leaderPauseUsMin: 100_000,
    leaderPauseUsMax: 300_000,
    leaderOutUsMin: 200_000,
    leaderOutUsMax: 600_000,
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
): fc.Arbitrary<ScheduledFault[]> {
  const bounds: FaultLimits = { ...defaultLimits(phases), ...limits };
  const chosen = weights ?? DEFAULT_WEIGHTS;
  const choices = FAULT_SHAPES
    .filter((shape) => (chosen[shape] ?? 0) > 0 && (!shape.startsWith("role-") || (bounds.roles ?? []).length > 0))
    .map((shape) => ({ weight: chosen[shape]!, arbitrary: faultsOfShape(shape, nodeIds, phases, bounds) }));
  if (choices.length === 0 || nodeIds.length === 0 || bounds.faultsMax === 0) return fc.constant([]);
  if (bounds.swarm !== true || choices.length < 2) {
    return fc.array(fc.oneof(...choices), { maxLength: bounds.faultsMax }).map((drawn) => sortByTime(drawn.flat()));
  }
  // Swarm testing (Groce et al.; TigerBeetle's VOPR): each case turns on a random subset of the
  // shapes, so rare combinations get the whole schedule. No .chain: the faults of shapes left off
  // are drawn and dropped (three times as many are drawn, so a schedule keeps about its length), and
  // the subset and the faults shrink on their own.
  const tagged = choices.map((choice, shape) => ({ weight: choice.weight, arbitrary: choice.arbitrary.map((faults) => ({ shape, faults })) }));
  return fc.tuple(
    fc.array(fc.boolean(), { minLength: choices.length, maxLength: choices.length }),
    fc.array(fc.oneof(...tagged), { maxLength: bounds.faultsMax * 3, size: "+1" }),
  ).map(([on, drawn]) => sortByTime(drawn.filter((entry) => on[entry.shape]).slice(0, bounds.faultsMax).flatMap((entry) => entry.faults)));
}

/** The arbitrary for one shape: one fault, or (for the group shapes) the faults of one event. */
export function faultsOfShape(shape: FaultShape, nodeIds: readonly NodeId[], phases: Phases, limits: FaultLimits): fc.Arbitrary<ScheduledFault | Fault[]> {
  if (shape.startsWith("role-")) return roleFault(shape, atUs(phases), limits);
  const targets = limits.targets ?? nodeIds;
  if (shape === "power-loss-group") return powerLossGroup(targets, atUs(phases), limits);
  if (shape === "clock-jump-group") return clockJumpGroup(targets, atUs(phases), limits);
  if (shape === "leader-out-power-loss") return leaderOutPowerLoss(nodeIds, atUs(phases), limits);
  if (shape === "leader-bounce") return leaderBounce(nodeIds, atUs(phases), limits);
  return faultOfShape(shape, nodeIds, phases, limits);
}

/**
 * Every clock's own rate from the start (real oscillators all drift, within a bound): a clock-drift
 * fault at time 0 for some of the nodes, each removable on its own when shrinking.
 */
export function driftBaseline(nodeIds: readonly NodeId[], driftPpmMax: number, lean?: -1 | 1): fc.Arbitrary<Fault[]> {
  if (nodeIds.length === 0 || driftPpmMax === 0) return fc.constant([]);
  // `lean`: every clock drifts, two in three the way given (slow: -1, fast: +1), within the bound;
  // shrinking then brings a drift toward 0 instead of dropping it.
  const driftPpm = lean === undefined ? symmetric(driftPpmMax)
    : fc.oneof({ weight: 2, arbitrary: range(0, driftPpmMax).map((ppm) => lean * ppm) }, { weight: 1, arbitrary: symmetric(driftPpmMax) });
  return fc.uniqueArray(fc.record({ nodeId: fc.constantFrom(...nodeIds), driftPpm }), {
    minLength: lean === undefined ? 0 : nodeIds.length, maxLength: nodeIds.length, selector: (drift) => drift.nodeId,
  }).map((drifts) => drifts.map(({ nodeId, driftPpm }): Fault => ({ atUs: 0, kind: "clock-drift", nodeId, driftPpm })));
}

/** The arbitrary for one single-fault shape (exported so tests and scenarios can force a shape). */
export function faultOfShape(shape: FaultShape, nodeIds: readonly NodeId[], phases: Phases, limits: FaultLimits): fc.Arbitrary<Fault> {
  const at = atUs(phases);
  const node = targetNode(nodeIds, limits);
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
    case "leader-pause":
      return fc.record({ atUs: at, kind: fc.constant("pause" as const), nodeId: leaderNode(nodeIds, limits), durationUs: range(limits.leaderPauseUsMin, limits.leaderPauseUsMax) });
    case "power-loss-group":
    case "clock-jump-group":
    case "leader-out-power-loss":
    case "leader-bounce":
      throw new Error(`faultOfShape: ${shape} makes several faults; use faultsOfShape`);
    default:
      return clockOrLinkFault(shape, nodeIds, at, limits);
  }
}

/** A single-node fault whose node is whoever holds a role when it fires. */
function roleFault(shape: FaultShape, at: fc.Arbitrary<number>, limits: FaultLimits): fc.Arbitrary<RoleFault> {
  const target = fc.constantFrom(...(limits.roles ?? []));
  switch (shape) {
    case "role-crash":
    case "role-power-loss":
      return fc.record({ atUs: at, kind: fc.constant(shape === "role-crash" ? "crash" as const : "power-loss" as const), target, restartAfterUs: range(limits.restartAfterUsMin, limits.restartAfterUsMax) });
    case "role-pause":
      return fc.record({ atUs: at, kind: fc.constant("pause" as const), target, durationUs: range(limits.pauseUsMin, limits.pauseUsMax) });
    case "role-isolate":
      return fc.record({ atUs: at, kind: fc.constant("isolate" as const), target, durationUs: range(limits.durationUsMin, limits.durationUsMax) });
    default:
      throw new Error(`roleFault: ${shape} is not a role shape`);
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

/** The likely leader crashes; at the same instant every other node loses power and comes back before it. */
function leaderOutPowerLoss(nodeIds: readonly NodeId[], at: fc.Arbitrary<number>, limits: FaultLimits): fc.Arbitrary<Fault[]> {
  const others = range(limits.restartAfterUsMin, Math.max(limits.restartAfterUsMin, Math.floor(limits.leaderOutUsMin / 2)));
  return fc.record({
    atUs: at,
    leader: leaderNode(nodeIds, limits),
    leaderOutUs: range(limits.leaderOutUsMin, limits.leaderOutUsMax),
    delays: fc.array(others, { minLength: nodeIds.length, maxLength: nodeIds.length }),
  }).map(({ atUs, leader, leaderOutUs, delays }) => [
    { atUs, kind: "crash", nodeId: leader, restartAfterUs: leaderOutUs } as Fault,
    ...nodeIds.filter((nodeId) => nodeId !== leader)
      .map((nodeId, index): Fault => ({ atUs, kind: "power-loss", nodeId, restartAfterUs: delays[index]! })),
  ]);
}

/** The likely leader is isolated; soon after that heals, the likely successor crashes. */
function leaderBounce(nodeIds: readonly NodeId[], at: fc.Arbitrary<number>, limits: FaultLimits): fc.Arbitrary<Fault[]> {
  const [first, second] = likelyLeadersOf(nodeIds, limits);
  return fc.record({
    swap: fc.boolean(),
    timing: fc.record({ atUs: at, durationUs: range(limits.leaderPauseUsMin, limits.leaderOutUsMax) }),
    gapUs: range(0, limits.durationUsMin * 2),
    restartAfterUs: range(limits.restartAfterUsMin, limits.restartAfterUsMax),
  }).map(({ swap, timing, gapUs, restartAfterUs }) => {
    const [leader, successor] = swap && second !== undefined ? [second, first!] : [first!, second ?? first!];
    return [
      isolate(nodeIds, leader, timing),
      { atUs: timing.atUs + timing.durationUs + gapUs, kind: "crash", nodeId: successor, restartAfterUs } as Fault,
    ];
  });
}

function likelyLeadersOf(nodeIds: readonly NodeId[], limits: FaultLimits): readonly NodeId[] {
  const targets = limits.targets ?? nodeIds;
  return limits.likelyLeaders && limits.likelyLeaders.length > 0 ? limits.likelyLeaders : targets.slice(-2).reverse();
}

/** One of the likely leaders, the first three times as often as the others. */
function leaderNode(nodeIds: readonly NodeId[], limits: FaultLimits): fc.Arbitrary<NodeId> {
  const [first, ...rest] = likelyLeadersOf(nodeIds, limits);
  if (rest.length === 0) return fc.constant(first!);
  return fc.oneof({ weight: 3, arbitrary: fc.constant(first!) }, { weight: 1, arbitrary: fc.constantFrom(...rest) });
}

/** A single-node fault's target: a likely leader half the time when the limits name them, else anyone. */
function targetNode(nodeIds: readonly NodeId[], limits: FaultLimits): fc.Arbitrary<NodeId> {
  const any = fc.constantFrom(...(limits.targets ?? nodeIds));
  if (!limits.likelyLeaders || limits.likelyLeaders.length === 0) return any;
  return fc.oneof(any, leaderNode(nodeIds, limits));
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
  const node = targetNode(nodeIds, limits);
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
  // Unbiased: fast-check's default bias puts many faults at the very start (before a leader exists)
  // or the very end (healed at once) of the phase, where they test nothing.
  return fc.noBias(fc.integer({ min: 0, max: Math.max(0, phases.faultsUs - 1) }));
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

function sortByTime(faults: ScheduledFault[]): ScheduledFault[] {
  return [...faults].sort((a, b) => a.atUs - b.atUs);
}
