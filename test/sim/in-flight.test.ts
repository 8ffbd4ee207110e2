import test from "ava";
import { Simulation } from "../../sim/simulation.ts";
import type { Fault } from "../../sim/faults.ts";
import type { Actor, NodeContext, NodeId } from "../../sim/types.ts";

/** Sends datagrams only when the test says so; records what arrives, with the true time. */
class Datagrams implements Actor<string> {
  ctx!: NodeContext<string>;
  received: Array<{ from: NodeId; message: string; trueUs: number }> = [];
  constructor(private readonly sim: Simulation) {}
  start(ctx: NodeContext<string>): void { this.ctx = ctx; }
  receive(from: NodeId, message: string): void { this.received.push({ from, message, trueUs: this.sim.nowUs }); }
  timer(): void {}
}

/** a, b, c on a slow, jitter-free network: a datagram takes 10 ms. */
function slow(faults: Fault[], sends: Array<[atUs: number, from: NodeId, to: NodeId, message: string]>) {
  const sim = new Simulation({ seed: 3, network: { latencyUsBase: 10_000, latencyUsJitterMean: 0 } });
  for (const id of ["a", "b", "c"]) sim.addNode(id, () => new Datagrams(sim));
  for (const [atUs, from, to, message] of sends) sim.at(atUs, () => sim.actorOf<Datagrams>(from)!.ctx.sendDatagram(to, message));
  sim.addFaults(faults);
  sim.run({ untilUs: 200_000 });
  return (id: NodeId) => sim.actorOf<Datagrams>(id)!.received.map((entry) => entry.message);
}

test("datagrams: one in flight when a partition starts is dropped, even if the partition ends before it would arrive", (t) => {
  const received = slow(
    [{ atUs: 5_000, kind: "partition", groups: [["a"], ["b", "c"]], durationUs: 1_000 }],
    [[1_000, "a", "b", "across"], [1_000, "b", "c", "inside"], [1_000, "b", "a", "back"], [20_000, "a", "b", "after"]],
  );
  t.deepEqual(received("b"), ["after"]);
  t.deepEqual(received("c"), ["inside"], "the partition dropped a datagram between nodes on one side");
  t.deepEqual(received("a"), [], "a datagram the other way was not dropped");
});

test("datagrams: a one-way cut drops those in flight its way only; one sent after the cut ended arrives", (t) => {
  const received = slow(
    [{ atUs: 5_000, kind: "cut", from: ["a"], to: ["b"], durationUs: 10_000 }],
    [[1_000, "a", "b", "cut"], [1_000, "b", "a", "reverse"], [1_000, "a", "c", "elsewhere"], [16_000, "a", "b", "after"]],
  );
  t.deepEqual(received("b"), ["after"]);
  t.deepEqual(received("a"), ["reverse"]);
  t.deepEqual(received("c"), ["elsewhere"]);
});

test("datagrams: one sent after a heal is not dropped by the partition before it; one held by a paused target survives a later partition", (t) => {
  const received = slow(
    [
      { atUs: 1_000, kind: "partition", groups: [["a"], ["b", "c"]], durationUs: 5_000 },
      { atUs: 8_000, kind: "pause", nodeId: "c", durationUs: 30_000 },
      { atUs: 25_000, kind: "partition", groups: [["a", "b"], ["c"]], durationUs: 5_000 },
    ],
    [[7_000, "a", "b", "healed"], [9_000, "b", "c", "held"]],
  );
  t.deepEqual(received("b"), ["healed"]);
  // It reached c's host at 19 ms, while c was frozen: it was no longer in the network at 25 ms.
  t.deepEqual(received("c"), ["held"]);
});

/** a pings b every millisecond over datagrams; returns the true times at which b heard a. */
function pings(faults: Fault[]) {
  const sim = new Simulation({ seed: 5, network: { latencyUsBase: 100, latencyUsJitterMean: 0 } });
  class Pinger implements Actor<string> {
    ctx!: NodeContext<string>;
    start(ctx: NodeContext<string>): void { this.ctx = ctx; ctx.setTimer("ping", 1_000); }
    receive(): void {}
    timer(): void { this.ctx.sendDatagram("b", "ping"); this.ctx.setTimer("ping", 1_000); }
  }
  sim.addNode("a", () => new Pinger());
  sim.addNode("b", () => new Datagrams(sim));
  sim.addFaults(faults);
  sim.run({ untilUs: 100_000 });
  return sim.actorOf<Datagrams>("b")!.received.map((entry) => entry.trueUs);
}

const silentBetween = (times: number[], fromUs: number, toUs: number) => !times.some((us) => us > fromUs && us < toUs);

test("cuts: a timed cut's end removes only its own pairs; another cut of the same pairs holds until its own end", (t) => {
  const times = pings([
    { atUs: 10_000, kind: "cut", from: ["a"], to: ["b"], durationUs: 20_000 },
    { atUs: 20_000, kind: "cut", from: ["a"], to: ["b", "a"], durationUs: 40_000 },
  ]);
  t.true(silentBetween(times, 10_000, 60_000), `b heard a at ${times.filter((us) => us > 10_000 && us < 60_000)}`);
  t.true(times.some((us) => us > 61_000), "the pair was not restored after both cuts ended");
});

test("cuts: an untimed cut survives a timed one's end; a heal ends both, and the timed one's later end touches no newer cut", (t) => {
  const untimed = pings([
    { atUs: 10_000, kind: "cut", from: ["a"], to: ["b"] },
    { atUs: 20_000, kind: "cut", from: ["a"], to: ["b"], durationUs: 10_000 },
  ]);
  t.true(silentBetween(untimed, 10_000, 100_000));
  const healed = pings([
    { atUs: 10_000, kind: "cut", from: ["a"], to: ["b"], durationUs: 40_000 },
    { atUs: 20_000, kind: "heal" },
    { atUs: 30_000, kind: "cut", from: ["a"], to: ["b"] },
  ]);
  t.true(healed.some((us) => us > 20_000 && us < 30_000), "the heal did not end the first cut");
  t.true(silentBetween(healed, 30_000, 100_000), "the first cut's end removed the cut made after the heal");
});
