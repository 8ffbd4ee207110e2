import test from "ava";
import { Simulation } from "../../sim/simulation.ts";
import type { Fault } from "../../sim/faults.ts";
import { World, connectionViolations } from "./probe.ts";

const NODES = ["a", "b", "c"];

function chatty(seed = 4) {
  const sim = new Simulation({ seed, network: { breakDetectionUs: 10_000 } });
  const world = new World(sim);
  for (const id of NODES) world.add(id, { peers: NODES.filter((peer) => peer !== id), sendEveryUsMean: 1_000 });
  return { sim, world };
}

test("healAll: drops queued faults, internal ones (restarts, resumes, partition ends) included", (t) => {
  const { sim, world } = chatty();
  sim.addFaults([
    { atUs: 10_000, kind: "crash", nodeId: "a", restartAfterUs: 200_000 },
    { atUs: 10_000, kind: "pause", nodeId: "b", durationUs: 200_000 },
    { atUs: 10_000, kind: "partition", groups: [["a", "b"], ["c"]], durationUs: 200_000 },
    { atUs: 100_000, kind: "crash", nodeId: "c" },
    { atUs: 100_000, kind: "latency-spike", extraUs: 1_000_000, durationUs: 100_000 },
  ]);
  sim.run({ untilUs: 50_000 });
  t.false(sim.isUp("a"));
  t.true(sim.isPaused("b"));
  sim.healAll();
  t.true(sim.isUp("a"), "a crashed node was not restarted");
  t.false(sim.isPaused("b"), "a paused node was not resumed");
  t.true(world.last("a").restarted);
  sim.at(300_000, () => { world.sending = false; });
  sim.run({ untilUs: 400_000 });
  t.true(sim.isUp("c"), "a crash queued before healAll still happened");
  t.is(world.incarnations.get("a")!.length, 2, "the restart queued before healAll still ran");
  t.is(world.incarnations.get("c")!.length, 1);
  t.false(sim.isPaused("b"));
  // Partition and spike are gone: every pair talks again, promptly.
  for (const id of NODES) {
    const late = world.last(id).of("received").filter((entry) => entry.trueUs > 100_000);
    t.deepEqual([...new Set(late.map((entry) => entry.peer))].sort(), NODES.filter((peer) => peer !== id), `${id} is still cut off`);
  }
  t.deepEqual(connectionViolations(world), []);
});

test("healAll: faults added after it are applied", (t) => {
  const { sim } = chatty();
  sim.addFaults([{ atUs: 10_000, kind: "crash", nodeId: "a" }]);
  sim.run({ untilUs: 5_000 });
  sim.healAll();
  sim.addFaults([{ atUs: 20_000, kind: "crash", nodeId: "b" }]);
  sim.run({ untilUs: 30_000 });
  t.true(sim.isUp("a"));
  t.false(sim.isUp("b"));
});

test("healAll: a node restarted after power loss sees only what was fsynced", (t) => {
  const sim = new Simulation({ seed: 9, disk: { fsyncUsMin: 1_000, fsyncUsMax: 1_000 } });
  const world = new World(sim);
  world.add("n");
  sim.at(1_000, () => { const ctx = world.probe("n").ctx; ctx.disk.append("log", 1); ctx.disk.fsync("one"); });
  sim.at(3_000, () => { world.probe("n").ctx.disk.append("log", 2); });
  sim.addFaults([{ atUs: 4_000, kind: "power-loss", nodeId: "n" }]);
  sim.run({ untilUs: 5_000 });
  sim.healAll();
  t.deepEqual(sim.diskOf("n").read("log").filter((record) => typeof record === "number"), [1]);
  t.true(world.last("n").restarted);
});

test("healAll: the same schedule, healed at the same moment, replays to the same hash", (t) => {
  const faults: Fault[] = [
    { atUs: 5_000, kind: "partition", groups: [["a"], ["b", "c"]], durationUs: 80_000 },
    { atUs: 8_000, kind: "power-loss", nodeId: "b", restartAfterUs: 90_000 },
    { atUs: 9_000, kind: "pause", nodeId: "c", durationUs: 90_000 },
    { atUs: 12_000, kind: "clock-strobe", nodeId: "a", amplitudeUs: 4_000, periodUs: 1_000, durationUs: 60_000 },
    { atUs: 15_000, kind: "duplication", probability: 0.5, durationUs: 90_000 },
  ];
  const run = () => {
    const { sim } = chatty(21);
    sim.addFaults(faults);
    sim.run({ untilUs: 40_000 });
    sim.healAll();
    return sim.run({ untilUs: 120_000 }).traceHash;
  };
  t.is(run(), run());
});

test("pause: the end of a timed pause does not end a later pause", (t) => {
  const sim = new Simulation({ seed: 9 });
  sim.addNode("n", () => ({ start() {}, receive() {}, timer() {} }));
  sim.addFaults([
    { atUs: 0, kind: "pause", nodeId: "n", durationUs: 100_000 },
    { atUs: 50_000, kind: "resume", nodeId: "n" },
    { atUs: 60_000, kind: "pause", nodeId: "n" },
  ]);
  sim.run({ untilUs: 150_000 });
  t.true(sim.isPaused("n"));
});

test("healAll: during a strobe's forward step, it ends the strobe and leaves the clock where the strobe found it", (t) => {
  const sim = new Simulation({ seed: 7 });
  const world = new World(sim);
  world.add("n");
  sim.at(0, () => world.probe("n").ctx.setTimer("t", 200_000));
  sim.addFaults([
    { atUs: 1_000, kind: "clock-offset", nodeId: "n", offsetUs: 3_000 },
    { atUs: 10_000, kind: "clock-strobe", nodeId: "n", amplitudeUs: 95_000, periodUs: 10_000, durationUs: 40_000 },
  ]);
  sim.run({ untilUs: 15_000 });
  t.is(sim.clockOf("n").localAt(sim.nowUs) - sim.nowUs, 98_000, "not in the forward step");
  sim.healAll();
  t.is(sim.clockOf("n").localAt(sim.nowUs) - sim.nowUs, 3_000, "the strobe's step outlived the heal");
  sim.run({ untilUs: 300_000 });
  t.is(sim.clockOf("n").localAt(sim.nowUs) - sim.nowUs, 3_000);
  // The timer moved back with the clock: it fires when the local clock reads 200 000.
  t.deepEqual(world.last("n").of("timer").map((firing) => firing.localUs), [200_000]);
});

test("strobe: a clock-offset set mid-strobe is where the clock ends after the strobe", (t) => {
  const sim = new Simulation({ seed: 7 });
  sim.addNode("n", () => ({ start() {}, receive() {}, timer() {} }));
  sim.addFaults([
    { atUs: 10_000, kind: "clock-strobe", nodeId: "n", amplitudeUs: 95_000, periodUs: 10_000, durationUs: 40_000 },
    { atUs: 15_000, kind: "clock-offset", nodeId: "n", offsetUs: 7_000 },
  ]);
  sim.run({ untilUs: 100_000 });
  t.is(sim.clockOf("n").localAt(sim.nowUs) - sim.nowUs, 7_000);
});
