import test from "ava";
import * as fc from "fast-check";
import { Simulation } from "../../sim/simulation.ts";
import type { Actor, NodeContext } from "../../sim/types.ts";
import type { Fault } from "../../sim/faults.ts";
import { FAULT_KINDS } from "../../sim/fault-catalogue.ts";
import { DEFAULT_WEIGHTS, faultSchedule, FAULT_SHAPES, faultsOfShape, defaultLimits, driftBaseline } from "../../scenarios/fault-arbitrary.ts";
import { bridge, isolate, majoritiesRing, majorityMinority, reachable } from "../../sim/partitions.ts";

const nodeIds = ["n0", "n1", "n2", "n3", "n4"];
const phases = { faultsUs: 2_000_000, quietUs: 1_000_000 };

/** Pings every peer on a timer: enough traffic for faults to matter. */
class Pinger implements Actor {
  private ctx!: NodeContext;
  start(ctx: NodeContext): void {
    this.ctx = ctx;
    ctx.setTimer("tick", 10_000);
  }
  receive(): void {}
  timer(): void {
    for (const peer of nodeIds) if (peer !== this.ctx.nodeId) this.ctx.send(peer, { ping: true });
    this.ctx.sendDatagram(nodeIds[0]!, { datagram: true });
    this.ctx.setTimer("tick", 10_000);
  }
}

function sampleSchedules(count: number, seed: number): Fault[][] {
  return fc.sample(plain(nodeIds, phases), { numRuns: count, seed });
}

/** Without roles the generator draws only the kernel's own faults. */
function plain(...args: Parameters<typeof faultSchedule>): fc.Arbitrary<Fault[]> {
  return faultSchedule(...args) as fc.Arbitrary<Fault[]>;
}

test("fault arbitrary: schedules are sorted, inside the faults phase, and the kernel accepts and runs them", (t) => {
  for (const [index, schedule] of sampleSchedules(60, 7).entries()) {
    const sorted = schedule.every((fault, position) => position === 0 || schedule[position - 1]!.atUs <= fault.atUs);
    t.true(sorted, `schedule ${index} not sorted`);
    t.true(schedule.every((fault) => fault.atUs < phases.faultsUs));
    t.deepEqual(JSON.parse(JSON.stringify(schedule)), schedule, "schedules are plain JSON");
    const sim = new Simulation({ seed: index });
    for (const id of nodeIds) sim.addNode(id, () => new Pinger());
    sim.addFaults(schedule);
    sim.run({ untilUs: phases.faultsUs });
    sim.healAll();
    sim.run({ untilUs: phases.faultsUs + phases.quietUs });
    t.true(nodeIds.every((id) => sim.isUp(id)), "every node is up after the heal");
  }
});

test("fault arbitrary: covers every kernel fault kind a generator should draw, and every shape", (t) => {
  const kinds = new Set<string>();
  const shapes = new Set<string>();
  for (const schedule of sampleSchedules(300, 11)) for (const fault of schedule) kinds.add(fault.kind);
  const drawn = FAULT_KINDS.map((info) => info.kind).filter((kind) => !["heal", "restart", "resume"].includes(kind));
  t.deepEqual([...kinds].sort(), [...drawn].sort());
  for (const shape of FAULT_SHAPES) {
    const [drawn] = fc.sample(faultsOfShape(shape, nodeIds, phases, { ...defaultLimits(phases), roles: ["leader"] }), { numRuns: 1, seed: 3 });
    const faults = [drawn ?? []].flat();
    if (faults.length > 0) shapes.add(shape);
  }
  t.is(shapes.size, FAULT_SHAPES.length);
});

test("fault arbitrary: weights turn shapes off and limits bound pauses and drift", (t) => {
  const arbitrary = plain(nodeIds, phases, { pause: 1, "clock-drift": 1 }, { pauseUsMin: 3_000_000, pauseUsMax: 4_000_000, driftPpmMax: 20_000 });
  for (const schedule of fc.sample(arbitrary, { numRuns: 100, seed: 5 })) {
    for (const fault of schedule) {
      t.true(fault.kind === "pause" || fault.kind === "clock-drift");
      if (fault.kind === "pause") t.true(fault.durationUs! >= 3_000_000 && fault.durationUs! <= 4_000_000);
      if (fault.kind === "clock-drift") t.true(Math.abs(fault.driftPpm) <= 20_000);
    }
  }
  t.deepEqual(fc.sample(faultSchedule(nodeIds, phases, {}), { numRuns: 3, seed: 1 }), [[], [], []]);
});

test("fault arbitrary: a failing schedule shrinks fault by fault", (t) => {
  // A property that fails whenever some power loss hits n2 must shrink to that single fault.
  const weights = { ...DEFAULT_WEIGHTS, "power-loss-group": 0 };
  const result = fc.check(fc.property(plain(nodeIds, phases, weights), (schedule) =>
    !schedule.some((fault) => fault.kind === "power-loss" && fault.nodeId === "n2")), { seed: 9, numRuns: 500 });
  t.true(result.failed);
  const shrunk = result.counterexample![0];
  t.is(shrunk.length, 1);
  t.like(shrunk[0], { kind: "power-loss", nodeId: "n2", atUs: 0 });
});

test("fault arbitrary: group shapes hit several nodes at one instant; targets narrow single-node faults", (t) => {
  const groups = plain(nodeIds, phases, { "power-loss-group": 1, "clock-jump-group": 1 });
  for (const schedule of fc.sample(groups, { numRuns: 50, seed: 2 })) {
    const byTime = new Map<number, Fault[]>();
    for (const fault of schedule) byTime.set(fault.atUs, [...(byTime.get(fault.atUs) ?? []), fault]);
    for (const faults of byTime.values()) t.true(faults.length >= 2);
  }
  const aimed = plain(nodeIds, phases, { pause: 1, isolate: 1, "clock-drift": 1 }, { targets: ["n4"] });
  for (const schedule of fc.sample(aimed, { numRuns: 50, seed: 4 })) {
    for (const fault of schedule) {
      if (fault.kind === "partition") t.deepEqual(fault.groups, [["n4"], ["n0", "n1", "n2", "n3"]]);
      else t.is((fault as { nodeId: string }).nodeId, "n4");
    }
  }
  for (const drifts of fc.sample(driftBaseline(nodeIds, 1_000), { numRuns: 30, seed: 6 })) {
    t.true(drifts.every((fault) => fault.atUs === 0 && fault.kind === "clock-drift" && Math.abs(fault.driftPpm) <= 1_000));
    t.is(new Set(drifts.map((fault) => (fault as { nodeId: string }).nodeId)).size, drifts.length, "one rate per clock");
  }
});

test("partition shapes: isolate, majority/minority, bridge and majorities ring", (t) => {
  const timing = { atUs: 0, durationUs: 1 };
  const alone = isolate(nodeIds, "n3", timing).groups;
  t.false(reachable(alone, "n3", "n0"));
  t.true(reachable(alone, "n0", "n4"));
  const split = majorityMinority(nodeIds, ["n0", "n1", "n2"], timing).groups;
  t.deepEqual(split, [["n0", "n1"], ["n2", "n3", "n4"]], "a minority is trimmed below half");
  const bridged = bridge(nodeIds, "n2", timing).groups;
  t.true(reachable(bridged, "n2", "n0") && reachable(bridged, "n2", "n4"));
  t.false(reachable(bridged, "n0", "n4"));
  const ring = majoritiesRing(nodeIds, timing).groups;
  for (const a of nodeIds) {
    const seen = nodeIds.filter((b) => reachable(ring, a, b));
    t.is(seen.length, 3, `${a} sees a bare majority`);
  }
  t.false(reachable(ring, "n0", "n2"));
});

test("fault arbitrary: swarm testing gives each schedule a subset of the shapes, and leaves the uniform mix as it was", (t) => {
  const kinds = (schedule: Fault[]) => new Set(schedule.map((fault) => fault.kind)).size;
  const weights = { pause: 1, crash: 1, "clock-drift": 1, "clock-jump": 1, loss: 1, reorder: 1 };
  const uniform = fc.sample(plain(nodeIds, phases, weights, { faultsMax: 8 }), { numRuns: 200, seed: 3 });
  const swarm = fc.sample(plain(nodeIds, phases, weights, { faultsMax: 8, swarm: true }), { numRuns: 200, seed: 3 });
  const mean = (schedules: Fault[][]) => schedules.reduce((sum, s) => sum + kinds(s), 0) / schedules.length;
  const meanLength = (schedules: Fault[][]) => schedules.reduce((sum, s) => sum + s.length, 0) / schedules.length;
  t.true(mean(swarm) < mean(uniform) * 0.8, `kinds per schedule: swarm ${mean(swarm)}, uniform ${mean(uniform)}`);
  t.true(meanLength(swarm) > meanLength(uniform) * 0.6, `faults per schedule: swarm ${meanLength(swarm)}, uniform ${meanLength(uniform)}`);
  t.true(swarm.every((schedule) => schedule.length <= 8));
  t.deepEqual(fc.sample(plain(nodeIds, phases, weights, { faultsMax: 8, swarm: false }), { numRuns: 20, seed: 3 }), uniform.slice(0, 20));
});
