import test from "ava";
import { Simulation } from "../../sim/simulation.ts";
import type { Actor, NodeContext, NodeId } from "../../sim/types.ts";
import { SeededRandom } from "../../sim/random.ts";
import { DETECT_US, World, connectionViolations, pair } from "./probe.ts";
import { randomSchedule } from "./random-schedule.ts";


const numbers = (world: World, node: NodeId) => world.last(node).of("received").map((entry) => entry.k);
const noticeTimes = (world: World, node: NodeId, kind: "open" | "broken") => world.last(node).of(kind).map((entry) => entry.trueUs);

test("connections: messages in flight on a broken connection are lost; both ends hear it after the detection delay", (t) => {
  const { sim, world, sendAt } = pair();
  sendAt(1_000, "a", "b"); // k0 arrives at 7 000 (handshake + latency)
  sendAt(10_000, "a", "b"); // k1 and k2 are in flight when the partition starts
  sendAt(11_000, "a", "b");
  sim.addFaults([{ atUs: 12_000, kind: "partition", groups: [["a"], ["b"]] }, { atUs: 13_000, kind: "heal" }]);
  sendAt(20_000, "a", "b"); // k3: healed, but the old connection is not yet known dead: dropped
  sendAt(70_000, "a", "b"); // k4: a new connection
  sim.run({ untilUs: 200_000 });
  t.deepEqual(numbers(world, "b"), [0, 4]);
  t.deepEqual(noticeTimes(world, "a", "broken"), [12_000 + DETECT_US]);
  t.deepEqual(noticeTimes(world, "b", "broken"), [12_000 + DETECT_US]);
  t.deepEqual(noticeTimes(world, "b", "open"), [1_000 + 1_000, 70_000 + 1_000]);
  t.deepEqual(connectionViolations(world), []);
});

test("connections: a send at the very instant the break is detected cannot slip onto a new connection", (t) => {
  const { sim, world, sendAt } = pair();
  sendAt(1_000, "a", "b");
  // Queued before the break exists, so it runs at 62 000 before a's own "broken" notice does.
  sendAt(12_000 + DETECT_US, "a", "b");
  sim.addFaults([{ atUs: 12_000, kind: "partition", groups: [["a"], ["b"]], durationUs: 1_000 }]);
  sendAt(80_000, "a", "b");
  sim.run({ untilUs: 200_000 });
  const a = world.last("a");
  const sentAtDetection = a.of("sent")[1]!;
  t.is(sentAtDetection.epoch, 0, "a had not heard of the break when it sent");
  t.false(numbers(world, "b").includes(1), "a message sent before its sender heard of the break arrived after the receiver did");
  t.deepEqual(numbers(world, "b"), [0, 2]);
  t.deepEqual(connectionViolations(world), []);
});

test("connections: a paused end hears of the break before anything of a new connection, in both directions", (t) => {
  const sim = new Simulation({ seed: 1, network: { latencyUsBase: 5_000, latencyUsJitterMean: 0, breakDetectionUs: DETECT_US, connectUs: 1_000 } });
  const world = new World(sim);
  world.add("a");
  world.add("b", { onTimer: (probe) => probe.send("a") });
  const sendAt = (atUs: number, from: NodeId, to: NodeId) => sim.at(atUs, () => world.probe(from).send(to));
  sendAt(1_000, "a", "b");
  sendAt(2_000, "b", "a");
  // b's timer comes due while it is paused. It was set before the break, so when b resumes it is
  // served before b's held "broken" notice: b speaks once more, unaware, and that must not reach a.
  sim.at(5_000, () => world.probe("b").ctx.setTimer("late", 145_000));
  sim.addFaults([
    { atUs: 10_000, kind: "pause", nodeId: "b", durationUs: 190_000 },
    { atUs: 12_000, kind: "partition", groups: [["a"], ["b"]], durationUs: 1_000 },
  ]);
  // a has heard of the break; b (paused) has not. a may open a new connection, but its messages
  // reach b only after b's "broken" notice, whatever b does first on resuming.
  sendAt(70_000, "a", "b");
  sendAt(150_000, "a", "b");
  sendAt(260_000, "a", "b");
  sendAt(261_000, "b", "a");
  sim.run({ untilUs: 400_000 });
  const b = world.last("b");
  const kinds = b.entries.map((entry) => entry.kind);
  t.true(kinds.indexOf("timer") < kinds.indexOf("broken"), "the scenario did not happen: b's timer came after its notice");
  t.is(b.of("sent")[1]!.epoch, 0);
  t.deepEqual(numbers(world, "a"), [0, 2], "b's message sent before it heard of the break reached a");
  t.deepEqual(numbers(world, "b"), [0, 1, 2, 3]);
  const brokenAtB = b.entries.findIndex((entry) => entry.kind === "broken");
  const firstNewAtB = b.entries.findIndex((entry) => entry.kind === "received" && entry.k > 0);
  t.true(firstNewAtB > brokenAtB, "b got a message of the new connection before its broken notice");
  t.deepEqual(connectionViolations(world), []);
});

test("connections: FIFO holds across a latency spike that starts and ends mid-stream, with nothing lost", (t) => {
  const sim = new Simulation({ seed: 9, network: { latencyUsJitterMean: 300 } });
  const world = new World(sim);
  world.add("a", { peers: ["b"], sendEveryUsMean: 100 });
  world.add("b");
  world.add("c", { peers: ["b"], sendEveryUsMean: 100 });
  sim.addFaults([{ atUs: 30_000, kind: "latency-spike", extraUs: 20_000, durationUs: 30_000, nodes: ["a"] }]);
  sim.at(100_000, () => { world.sending = false; });
  sim.run({ untilUs: 200_000 });
  const fromA = world.last("b").of("received").filter((entry) => entry.peer === "a");
  t.true(fromA.length > 500, `only ${fromA.length} messages`);
  t.deepEqual(fromA.map((entry) => entry.k), fromA.map((_, index) => index), "a→b lost or reordered a message");
  const sentA = world.last("a").of("sent");
  const during = sentA.find((entry) => entry.trueUs >= 40_000)!;
  const arrival = fromA.find((entry) => entry.k === during.k)!;
  t.true(arrival.trueUs - during.trueUs >= 20_000, "the spike added no latency");
  const after = sentA.find((entry) => entry.trueUs >= 61_000)!;
  t.true(fromA.find((entry) => entry.k === after.k)!.trueUs >= 60_000, "a message overtook the spiked ones");
  // The spike was on a's links only: c→b kept its normal latency.
  const fromC = world.last("b").of("received").filter((entry) => entry.peer === "c");
  const sentC = world.last("c").of("sent").find((entry) => entry.trueUs >= 40_000)!;
  t.true(fromC.find((entry) => entry.k === sentC.k)!.trueUs - sentC.trueUs < 10_000);
  t.deepEqual(connectionViolations(world), []);
});

test("connections: the accepting end hears 'open' even when the connection was opened while it was booting", (t) => {
  const opened: string[] = [];
  class Greeter implements Actor {
    constructor(private readonly peer: NodeId | null) {}
    start(ctx: NodeContext): void { if (this.peer !== null) ctx.send(this.peer, "hello"); }
    receive(): void {}
    timer(): void {}
    connection(peer: NodeId, state: "open" | "broken"): void { opened.push(`${peer}:${state}`); }
  }
  const sim = new Simulation({ seed: 1 });
  sim.addNode("a", () => new Greeter("b")); // boots first and connects to b before b has booted
  sim.addNode("b", () => new Greeter(null));
  sim.run({ untilUs: 100_000 });
  t.deepEqual(opened, ["a:open"]);
});

test("connections: the contract holds under random schedules of every fault kind, and each seed replays", (t) => {
  const nodes = ["n0", "n1", "n2", "n3"];
  const runSeed = (seed: number) => {
    const sim = new Simulation({ seed, network: { breakDetectionUs: 20_000 } });
    const world = new World(sim);
    for (const id of nodes) world.add(id, { peers: nodes.filter((peer) => peer !== id), sendEveryUsMean: 1_500 });
    sim.addFaults(randomSchedule(new SeededRandom(`connections/${seed}`), nodes, 250_000, 30));
    sim.run({ untilUs: 300_000 });
    world.sending = false;
    sim.healAll();
    const stats = sim.run({ untilUs: 500_000 });
    return { world, stats };
  };
  let delivered = 0;
  for (let seed = 0; seed < 60; seed++) {
    const { world, stats } = runSeed(seed);
    const violations = connectionViolations(world);
    t.deepEqual(violations.slice(0, 3), [], `seed ${seed}`);
    t.is(runSeed(seed).stats.traceHash, stats.traceHash, `seed ${seed} did not replay`);
    delivered += world.all().reduce((sum, incarnation) => sum + incarnation.of("received").length, 0);
  }
  t.true(delivered > 60 * 200, `only ${delivered} deliveries`);
});

test("connections: a new connection does not queue behind messages that died with the old one", (t) => {
  const { sim, world, sendAt } = pair();
  sendAt(1_000, "a", "b");
  sim.addFaults([
    { atUs: 10_000, kind: "latency-spike", extraUs: 2_000_000, durationUs: 3_000_000 },
    { atUs: 30_000, kind: "partition", groups: [["a"], ["b"]] },
  ]);
  sendAt(20_000, "a", "b"); // due at 2 s, lost with the connection at 30 ms
  sim.run({ untilUs: 40_000 });
  sim.healAll(); // ends the spike and the partition
  sendAt(100_000, "a", "b");
  sim.run({ untilUs: 3_000_000 });
  const arrivals = world.last("b").of("received");
  t.deepEqual(arrivals.map((entry) => entry.k), [0, 2]);
  t.is(arrivals[1]!.trueUs, 100_000 + 1_000 + 5_000, "the new connection waited for the dead one's backlog");
  t.deepEqual(connectionViolations(world), []);
});

test("connections: two peers that keep sending reconnect after a break, even when one heard of it late", (t) => {
  const received: number[] = [];
  class Chatty implements Actor<{ n: number }> {
    ctx!: NodeContext<{ n: number }>;
    n = 0;
    constructor(private readonly peer: NodeId, private readonly offsetUs: number, private readonly log: number[] | null) {}
    start(ctx: NodeContext<{ n: number }>): void { this.ctx = ctx; ctx.setTimer("tick", this.offsetUs); }
    receive(_from: NodeId, message: { n: number }): void { this.log?.push(message.n); }
    timer(): void { this.ctx.send(this.peer, { n: this.n++ }); this.ctx.setTimer("tick", 20_000); }
  }
  const sim = new Simulation({ seed: 3 });
  sim.addNode("a", () => new Chatty("b", 10_000, null));
  sim.addNode("b", () => new Chatty("a", 15_000, received));
  sim.addFaults([
    { atUs: 100_000, kind: "partition", groups: [["a"], ["b"]], durationUs: 1_000 },
    { atUs: 120_000, kind: "pause", nodeId: "b", durationUs: 80_000 },
  ]);
  sim.run({ untilUs: 1_000_000 });
  const late = received.filter((n) => n >= 15); // sent after 310 ms: 35 of them
  t.true(late.length >= 30, `b received only ${late.length} of a's messages after the break`);
});
