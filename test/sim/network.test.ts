import test from "ava";
import { Simulation } from "../../sim/simulation.ts";
import type { Actor, NodeContext, NodeId } from "../../sim/types.ts";

/** Sends a numbered message to every peer every millisecond; records what arrives. */
class Broadcaster implements Actor<{ n: number }> {
  ctx!: NodeContext<{ n: number }>;
  n = 0;
  received = new Map<NodeId, number[]>();
  broken: Array<{ peer: NodeId; localUs: number }> = [];
  constructor(private readonly peers: NodeId[], private readonly datagrams = false) {}
  start(ctx: NodeContext<{ n: number }>): void { this.ctx = ctx; ctx.setTimer("tick", 1_000); }
  receive(from: NodeId, message: { n: number }): void {
    if (!this.received.has(from)) this.received.set(from, []);
    this.received.get(from)!.push(message.n);
  }
  timer(): void {
    const message = { n: this.n++ };
    for (const peer of this.peers) this.datagrams ? this.ctx.sendDatagram(peer, message) : this.ctx.send(peer, message);
    this.ctx.setTimer("tick", 1_000);
  }
  connection(peer: NodeId, state: "open" | "broken"): void {
    if (state === "broken") this.broken.push({ peer, localUs: this.ctx.now() });
  }
}

function mesh(ids: NodeId[], options: { seed?: number; datagrams?: boolean } = {}) {
  const sim = new Simulation({ seed: options.seed ?? 11, network: { latencyUsJitterMean: 3_000 } });
  for (const id of ids) sim.addNode(id, () => new Broadcaster(ids.filter((peer) => peer !== id), options.datagrams));
  return sim;
}

test("network: each connection is FIFO even with heavy latency jitter", (t) => {
  const ids = ["a", "b", "c"];
  const sim = mesh(ids);
  sim.run({ untilUs: 500_000 });
  for (const id of ids) {
    for (const [from, numbers] of sim.actorOf<Broadcaster>(id)!.received) {
      t.true(numbers.length > 400, `${from}→${id} carried ${numbers.length}`);
      t.deepEqual(numbers, [...numbers].sort((x, y) => x - y), `${from}→${id} out of order`);
      t.deepEqual(numbers, numbers.map((_, i) => numbers[0]! + i), `${from}→${id} lost a message`);
    }
  }
});

test("network: a partition stops exactly the messages across it, and both ends learn", (t) => {
  const ids = ["a", "b", "c", "d"];
  const sim = mesh(ids);
  sim.addFaults([{ atUs: 100_000, kind: "partition", groups: [["a", "b"], ["c", "d"]] }]);
  sim.run({ untilUs: 100_000 });
  const before = (to: NodeId, from: NodeId) => sim.actorOf<Broadcaster>(to)!.received.get(from)!.length;
  const counts = new Map(ids.flatMap((to) => ids.filter((f) => f !== to).map((from) => [`${from}${to}`, before(to, from)] as const)));
  sim.run({ untilUs: 300_000 });
  for (const to of ids) {
    for (const from of ids) {
      if (from === to) continue;
      const grew = before(to, from) - counts.get(`${from}${to}`)!;
      const sameSide = (from < "c") === (to < "c");
      if (sameSide) t.true(grew >= 190, `${from}→${to} inside a side carried only ${grew}`);
      else t.true(grew <= 3, `${from}→${to} across the partition carried ${grew}`);
    }
  }
  const a = sim.actorOf<Broadcaster>("a")!;
  t.deepEqual(new Set(a.broken.map((notice) => notice.peer)), new Set(["c", "d"]));
  t.false(a.broken.some((notice) => notice.peer === "b"));
});

test("network: a one-way cut drops datagrams one way only; a connection breaks both ways", (t) => {
  const sim = mesh(["a", "b"], { datagrams: true });
  sim.addFaults([{ atUs: 100_000, kind: "cut", from: ["a"], to: ["b"] }]);
  sim.run({ untilUs: 100_000 });
  const atB = sim.actorOf<Broadcaster>("b")!.received.get("a")!.length;
  const atA = sim.actorOf<Broadcaster>("a")!.received.get("b")!.length;
  sim.run({ untilUs: 200_000 });
  t.true(sim.actorOf<Broadcaster>("b")!.received.get("a")!.length - atB <= 3, "a→b datagrams crossed the cut");
  t.true(sim.actorOf<Broadcaster>("a")!.received.get("b")!.length - atA >= 95, "b→a datagrams were stopped");

  const connected = mesh(["a", "b"]);
  connected.addFaults([{ atUs: 100_000, kind: "cut", from: ["a"], to: ["b"] }]);
  connected.run({ untilUs: 100_000 });
  const connectedAtA = connected.actorOf<Broadcaster>("a")!.received.get("b")!.length;
  connected.run({ untilUs: 200_000 });
  t.true(connected.actorOf<Broadcaster>("a")!.received.get("b")!.length - connectedAtA <= 3, "b→a kept flowing on a cut connection");
  t.true(connected.actorOf<Broadcaster>("a")!.broken.length > 0);
});

test("network: after a heal connections reopen and traffic flows again", (t) => {
  const sim = mesh(["a", "b"]);
  sim.addFaults([
    { atUs: 50_000, kind: "partition", groups: [["a"], ["b"]] },
    { atUs: 150_000, kind: "heal" },
  ]);
  sim.run({ untilUs: 150_000 });
  const atB = sim.actorOf<Broadcaster>("b")!.received.get("a")!.length;
  sim.run({ untilUs: 400_000 });
  t.true(sim.actorOf<Broadcaster>("b")!.received.get("a")!.length - atB > 150);
});

test("network: loss and duplication hit datagrams only", (t) => {
  const lossy = mesh(["a", "b"], { datagrams: true });
  lossy.addFaults([{ atUs: 0, kind: "loss", probability: 0.5, durationUs: 1_000_000 }]);
  lossy.run({ untilUs: 400_000 });
  const got = lossy.actorOf<Broadcaster>("b")!.received.get("a")!.length;
  t.true(got > 120 && got < 280, `received ${got} of ~400 with 50 % loss`);
  const duplicated = mesh(["a", "b"], { datagrams: true });
  duplicated.addFaults([{ atUs: 0, kind: "duplication", probability: 1, durationUs: 1_000_000 }]);
  duplicated.run({ untilUs: 100_000 });
  const numbers = duplicated.actorOf<Broadcaster>("b")!.received.get("a")!;
  t.true(numbers.length > 1.8 * new Set(numbers).size);
  const reliable = mesh(["a", "b"]);
  reliable.addFaults([{ atUs: 0, kind: "loss", probability: 0.5, durationUs: 1_000_000 }]);
  reliable.run({ untilUs: 100_000 });
  const carried = reliable.actorOf<Broadcaster>("b")!.received.get("a")!;
  t.deepEqual(carried, carried.map((_, i) => i));
});
