import test from "ava";
import { Simulation } from "../../sim/simulation.ts";
import { TORN } from "../../sim/disk.ts";
import type { Actor, DiskRecord, NodeContext, NodeId } from "../../sim/types.ts";
import { DETECT_US, World, connectionViolations, pair } from "./probe.ts";


const received = (world: World, node: NodeId) => world.last(node).of("received").map((entry) => `${entry.inc}:${entry.k}`);

test("crash: a restart before the peer's break notice; nothing crosses, and both sides are told", (t) => {
  const { sim, world, sendAt } = pair();
  sendAt(1_000, "a", "b");
  sendAt(10_000, "a", "b"); // in flight at the crash: lost
  sim.addFaults([{ atUs: 12_000, kind: "crash", nodeId: "b", restartAfterUs: 8_000 }]);
  sendAt(30_000, "b", "a"); // the new b, before a has heard: refused, and b is told
  sendAt(40_000, "a", "b"); // a, before it has heard: refused
  sendAt(70_000, "b", "a");
  sendAt(71_000, "a", "b");
  sim.run({ untilUs: 200_000 });
  const [oldB, newB] = world.incarnations.get("b")!;
  t.deepEqual(oldB!.of("received").map((entry) => entry.k), [0]);
  t.true(newB!.restarted);
  t.deepEqual(received(world, "b"), ["0:3"], "the new b got something of the old connection");
  t.deepEqual(received(world, "a"), ["1:1"]);
  t.deepEqual(world.last("a").of("broken").map((entry) => entry.trueUs), [12_000 + DETECT_US]);
  t.deepEqual(newB!.of("broken").map((entry) => entry.trueUs), [12_000 + DETECT_US]);
  t.deepEqual(connectionViolations(world), []);
});

test("crash: a node that restarts while a break notice was owed to its old self still hears of refused sends", (t) => {
  const { sim, world, sendAt } = pair();
  sendAt(1_000, "a", "b");
  sim.addFaults([
    { atUs: 10_000, kind: "partition", groups: [["a"], ["b"]], durationUs: 1_000 }, // notices owed to a and b
    { atUs: 12_000, kind: "crash", nodeId: "b", restartAfterUs: 1_000 }, // b's notice dies with it
  ]);
  sendAt(20_000, "b", "a"); // refused: the old connection is not yet known dead at a
  sendAt(100_000, "b", "a");
  sim.run({ untilUs: 200_000 });
  const newB = world.last("b");
  t.is(newB.inc, 1);
  t.true(newB.of("broken").length >= 1, "the new b's message vanished and it was never told");
  t.deepEqual(received(world, "a"), ["1:1"]);
  t.deepEqual(connectionViolations(world), []);
});

test("crash: during a pause, held messages and timers die with the process; the old resume is harmless", (t) => {
  const { sim, world, sendAt } = pair();
  sim.at(5_000, () => world.probe("b").ctx.setTimer("old", 25_000));
  sim.addFaults([
    { atUs: 10_000, kind: "pause", nodeId: "b", durationUs: 100_000 },
    { atUs: 50_000, kind: "crash", nodeId: "b", restartAfterUs: 10_000 },
  ]);
  sendAt(20_000, "a", "b");
  sendAt(120_000, "a", "b");
  sim.run({ untilUs: 300_000 });
  const [oldB, newB] = world.incarnations.get("b")!;
  t.deepEqual(oldB!.entries.filter((entry) => entry.trueUs >= 10_000), [], "the paused b acted");
  t.deepEqual(newB!.of("timer"), [], "a timer crossed the crash");
  t.deepEqual(received(world, "b"), ["0:1"]);
  t.false(sim.isPaused("b"));
  t.deepEqual(world.last("a").of("broken").map((entry) => entry.trueUs), [50_000 + DETECT_US]);
  t.deepEqual(connectionViolations(world), []);
});

test("crash: calls on a dead incarnation's context do nothing", (t) => {
  const { sim, world } = pair();
  let oldCtx: NodeContext | undefined;
  sim.at(1_000, () => { oldCtx = world.probe("b").ctx as NodeContext; });
  sim.addFaults([{ atUs: 2_000, kind: "crash", nodeId: "b", restartAfterUs: 1_000 }]);
  sim.at(5_000, () => {
    oldCtx!.send("a", { inc: 9, k: 9, epoch: 9 });
    oldCtx!.setTimer("ghost", 1_000);
    oldCtx!.disk.append("log", "ghost");
    oldCtx!.disk.fsync("ghost");
  });
  sim.run({ untilUs: 200_000 });
  t.deepEqual(received(world, "a"), []);
  t.deepEqual(world.last("b").entries, []);
  t.deepEqual(sim.diskOf("b").read("log"), []);
});

/** Appends r1 and fsyncs; when that fsync completes, appends r2, r3, fsyncs, then appends r4. */
class Journal implements Actor {
  ctx!: NodeContext;
  seenAtStart: DiskRecord[] = [];
  fsynced_: string[] = [];
  start(ctx: NodeContext, restarted: boolean): void {
    this.ctx = ctx;
    this.seenAtStart = ctx.disk.read("log").slice();
    if (restarted) return;
    ctx.disk.append("log", "r1");
    ctx.disk.fsync("f1");
  }
  receive(): void {}
  timer(): void {}
  fsynced(tag: string): void {
    this.fsynced_.push(tag);
    if (tag !== "f1") return;
    this.ctx.disk.append("log", "r2");
    this.ctx.disk.append("log", "r3");
    this.ctx.disk.fsync("f2");
    this.ctx.disk.append("log", "r4");
  }
}

function journal(seed: number, faults: Parameters<Simulation["addFaults"]>[0], untilUs = 20_000) {
  const sim = new Simulation({ seed, disk: { fsyncUsMin: 1_000, fsyncUsMax: 1_000 } });
  sim.addNode("n", () => new Journal());
  sim.addFaults(faults);
  sim.run({ untilUs });
  return sim;
}

test("disk: power loss with an fsync in flight keeps what completed fsyncs covered, and no more", (t) => {
  const tornSeen = new Set<boolean>();
  for (let seed = 0; seed < 16; seed++) {
    // f1 completes at 1 000; f2 (covering r2, r3) would complete at 2 000.
    const inFlight = journal(seed, [{ atUs: 1_500, kind: "power-loss", nodeId: "n", restartAfterUs: 100 }]);
    const seen = inFlight.actorOf<Journal>("n")!.seenAtStart;
    t.true(seen.length === 1 || (seen.length === 2 && seen[1] === TORN), JSON.stringify(seen));
    t.is(seen[0], "r1");
    tornSeen.add(seen.length > 1);
    const afterF2 = journal(seed, [{ atUs: 2_500, kind: "power-loss", nodeId: "n", restartAfterUs: 100 }]);
    const survived = afterF2.actorOf<Journal>("n")!.seenAtStart;
    t.deepEqual(survived.slice(0, 3), ["r1", "r2", "r3"]);
    t.true(survived.length === 3 || (survived.length === 4 && survived[3] === TORN), JSON.stringify(survived));
  }
  t.deepEqual(tornSeen, new Set([true, false]), "power loss never (or always) tore the first unsynced append");
  const processCrash = journal(1, [{ atUs: 1_500, kind: "crash", nodeId: "n", restartAfterUs: 100 }]);
  t.deepEqual(processCrash.actorOf<Journal>("n")!.seenAtStart, ["r1", "r2", "r3", "r4"]);
});

test("disk: an fsync that completes while the process is paused is durable; its callback waits for the resume", (t) => {
  for (let seed = 0; seed < 8; seed++) {
    // Paused at 500, before f1 completes at 1 000; power fails at 5 000, still paused.
    const sim = journal(seed, [
      { atUs: 500, kind: "pause", nodeId: "n", durationUs: 10_000 },
      { atUs: 5_000, kind: "power-loss", nodeId: "n", restartAfterUs: 100 },
    ]);
    t.deepEqual(sim.actorOf<Journal>("n")!.seenAtStart, ["r1"], `seed ${seed}: a completed fsync was undone`);
  }
  const sim = new Simulation({ seed: 3, disk: { fsyncUsMin: 1_000, fsyncUsMax: 1_000 } });
  sim.addNode("n", () => new Journal());
  sim.addFaults([{ atUs: 500, kind: "pause", nodeId: "n", durationUs: 2_000 }]);
  let durableWhilePaused: readonly DiskRecord[] = [];
  let callbacksWhilePaused: string[] = [];
  sim.at(1_500, () => {
    durableWhilePaused = sim.diskOf("n").durableFile("log").slice();
    callbacksWhilePaused = sim.actorOf<Journal>("n")!.fsynced_.slice();
  });
  sim.run({ untilUs: 20_000 });
  t.deepEqual(durableWhilePaused, ["r1"]);
  t.deepEqual(callbacksWhilePaused, []);
  t.deepEqual(sim.actorOf<Journal>("n")!.fsynced_, ["f1", "f2"], "each fsync called back exactly once");
  t.is(sim.diskOf("n").fsyncsDone, 2);
  t.deepEqual(sim.diskOf("n").durableFile("log"), ["r1", "r2", "r3"]);
});

test("start: a node that boots later is unreachable until then; its peer is told, not left hanging", (t) => {
  const sim = new Simulation({ seed: 1, network: { breakDetectionUs: DETECT_US } });
  const world = new World(sim);
  world.add("a");
  world.add("late", {}, 50_000);
  sim.at(10_000, () => world.probe("a").send("late"));
  sim.at(100_000, () => world.probe("a").send("late"));
  sim.run({ untilUs: 200_000 });
  t.deepEqual(world.last("late").of("received").map((entry) => entry.k), [1]);
  t.deepEqual(world.last("a").of("broken").map((entry) => entry.trueUs), [10_000 + DETECT_US]);
  t.deepEqual(world.last("late").of("open").map((entry) => entry.peer), ["a"]);
  t.deepEqual(connectionViolations(world), []);
});

test("start: a restart (or crash) aimed at a node that has not booted yet does not boot it twice", (t) => {
  const sim = new Simulation({ seed: 1 });
  const world = new World(sim);
  world.add("a");
  world.add("late", {}, 50_000);
  sim.addFaults([
    { atUs: 10_000, kind: "crash", nodeId: "late", restartAfterUs: 5_000 },
    { atUs: 20_000, kind: "restart", nodeId: "late" },
  ]);
  sim.run({ untilUs: 100_000 });
  const incarnations = world.incarnations.get("late")!;
  t.is(incarnations.length, 1);
  t.false(incarnations[0]!.restarted);
  t.true(sim.isUp("late"));
});
