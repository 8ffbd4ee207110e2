import test from "ava";
import { Simulation } from "../../sim/simulation.ts";
import { InvariantError } from "../../sim/errors.ts";
import type { Fault } from "../../sim/faults.ts";
import type { Actor, NodeContext, NodeId } from "../../sim/types.ts";
import { World, connectionViolations } from "./probe.ts";

/** One probe "n" with a timer "t" set at true 0 for local 100 000, under the given faults. */
function timerUnder(faults: Fault[], untilUs = 1_000_000) {
  const sim = new Simulation({ seed: 7 });
  const world = new World(sim);
  world.add("n");
  sim.at(0, () => world.probe("n").ctx.setTimer("t", 100_000));
  sim.addFaults(faults);
  sim.run({ untilUs });
  return { sim, firings: world.last("n").of("timer") };
}

const pause = (atUs: number, durationUs: number): Fault => ({ atUs, kind: "pause", nodeId: "n", durationUs });
const jump = (atUs: number, deltaUs: number): Fault => ({ atUs, kind: "clock-jump", nodeId: "n", deltaUs });

test("pause: a timer that came due while paused, then had its deadline pushed back by a backward jump, fires once, when the clock reaches it", (t) => {
  // Due at 100 000 (held); at 150 000 the clock steps back 300 000, so local 100 000 comes at true 400 000.
  const late = timerUnder([pause(50_000, 250_000), jump(150_000, -300_000)]);
  t.deepEqual(late.firings.map((firing) => [firing.trueUs, firing.localUs]), [[400_000, 100_000]]);
  // Stepped back only 100 000: local 100 000 comes at true 200 000, still paused, so it fires at the resume.
  const atResume = timerUnder([pause(50_000, 250_000), jump(150_000, -100_000)]);
  t.deepEqual(atResume.firings.map((firing) => firing.trueUs), [300_000]);
  // Forward while paused: overdue, fires once at the resume.
  const forward = timerUnder([pause(10_000, 90_000), jump(20_000, 500_000)]);
  t.deepEqual(forward.firings.map((firing) => firing.trueUs), [100_000]);
});

test("pause: a strobe while paused makes a timer due, not due, due again; it fires exactly once, at the resume", (t) => {
  const { firings } = timerUnder([
    pause(5_000, 195_000),
    { atUs: 10_000, kind: "clock-strobe", nodeId: "n", amplitudeUs: 95_000, periodUs: 10_000, durationUs: 40_000 },
  ]);
  t.deepEqual(firings.map((firing) => firing.trueUs), [200_000]);
});

test("strobe: the clock alternates between true time and one step ahead, fires timers early, and ends where it was", (t) => {
  const sim = new Simulation({ seed: 7 });
  const world = new World(sim);
  world.add("n");
  sim.at(0, () => world.probe("n").ctx.setTimer("t", 100_000));
  sim.addFaults([{ atUs: 10_000, kind: "clock-strobe", nodeId: "n", amplitudeUs: 95_000, periodUs: 3_000, durationUs: 30_000 }]);
  const skews = new Set<number>();
  for (let atUs = 0; atUs <= 60_000; atUs += 500) sim.at(atUs, () => skews.add(sim.clockOf("n").localAt(sim.nowUs) - sim.nowUs));
  sim.run({ untilUs: 300_000 });
  t.deepEqual(skews, new Set([0, 95_000]));
  t.is(sim.clockOf("n").localAt(sim.nowUs), sim.nowUs);
  t.deepEqual(world.last("n").of("timer").map((firing) => firing.trueUs), [10_000], "the forward step did not fire the timer");
});

test("pause: at the resume, held messages come before one that arrives at that same instant", (t) => {
  const sim = new Simulation({ seed: 1, network: { latencyUsBase: 5_000, latencyUsJitterMean: 0, connectUs: 1_000 } });
  const world = new World(sim);
  world.add("a");
  world.add("b");
  // The resume is queued first; a message sent at 95 000 arrives at exactly 100 000, queued after it.
  sim.addFaults([{ atUs: 10_000, kind: "pause", nodeId: "b", durationUs: 90_000 }]);
  for (const atUs of [1_000, 20_000, 30_000, 95_000]) sim.at(atUs, () => world.probe("a").send("b"));
  sim.run({ untilUs: 200_000 });
  const arrivals = world.last("b").of("received");
  t.deepEqual(arrivals.map((entry) => entry.trueUs), [7_000, 100_000, 100_000, 100_000]);
  t.deepEqual(arrivals.map((entry) => entry.k), [0, 1, 2, 3]);
  t.deepEqual(connectionViolations(world), []);
});

test("pause: a paused node hears nothing, and resuming twice or resuming a running node changes nothing", (t) => {
  const sim = new Simulation({ seed: 2 });
  const world = new World(sim);
  world.add("a", { peers: ["b"], sendEveryUsMean: 1_000 });
  world.add("b", { peers: ["a"], sendEveryUsMean: 1_000 });
  sim.addFaults([
    { atUs: 0, kind: "resume", nodeId: "b" },
    { atUs: 50_000, kind: "pause", nodeId: "b" },
    { atUs: 50_000, kind: "pause", nodeId: "b" },
    { atUs: 150_000, kind: "resume", nodeId: "b" },
    { atUs: 150_000, kind: "resume", nodeId: "b" },
  ]);
  sim.at(250_000, () => { world.sending = false; });
  sim.run({ untilUs: 400_000 });
  const b = world.last("b");
  t.deepEqual(b.entries.filter((entry) => entry.trueUs > 50_000 && entry.trueUs < 150_000), []);
  t.true(b.of("received").filter((entry) => entry.trueUs === 150_000).length > 50);
  t.deepEqual(connectionViolations(world), []);
});

test("timers: a NaN delay stops the run with an invariant error naming seed and node, instead of poisoning time", (t) => {
  class Broken implements Actor {
    start(ctx: NodeContext): void { ctx.setTimer("oops", Number.NaN); }
    receive(): void {}
    timer(): void {}
  }
  const sim = new Simulation({ seed: 77 });
  sim.addNode("n", () => new Broken());
  const error = t.throws(() => sim.run({ untilUs: 1_000 }), { instanceOf: InvariantError });
  t.regex(error!.message, /seed=77.*node=n/);
});

test("clock: drift, offsets, jumps and strobes on several nodes replay to the same hash; one fault more changes it", (t) => {
  const nodes: NodeId[] = ["a", "b", "c"];
  const faults: Fault[] = [
    { atUs: 0, kind: "clock-drift", nodeId: "a", driftPpm: 150_000 },
    { atUs: 5_000, kind: "clock-offset", nodeId: "b", offsetUs: -40_000 },
    { atUs: 20_000, kind: "pause", nodeId: "c", durationUs: 30_000 },
    { atUs: 25_000, kind: "clock-jump", nodeId: "c", deltaUs: -60_000 },
    { atUs: 30_000, kind: "clock-strobe", nodeId: "a", amplitudeUs: 7_000, periodUs: 1_000, durationUs: 20_000 },
    { atUs: 40_000, kind: "latency-spike", extraUs: 9_000, durationUs: 20_000, nodes: ["b"] },
  ];
  const run = (extra: Fault[]) => {
    const sim = new Simulation({ seed: 12 });
    const world = new World(sim);
    for (const id of nodes) world.add(id, { peers: nodes.filter((peer) => peer !== id), sendEveryUsMean: 700 });
    sim.at(0, () => { for (const id of nodes) world.probe(id).ctx.setTimer("tick", 3_000); });
    sim.addFaults([...faults, ...extra]);
    return sim.run({ untilUs: 150_000 }).traceHash;
  };
  t.is(run([]), run([]));
  t.not(run([]), run([{ atUs: 60_000, kind: "clock-jump", nodeId: "b", deltaUs: 1 }]));
});
