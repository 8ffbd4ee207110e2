import test from "ava";
import { Simulation } from "../../sim/simulation.ts";
import type { Actor, NodeContext } from "../../sim/types.ts";

/** Fires a 100 ms timer ten times and records the true time of each firing (read by the harness). */
class Ticker implements Actor {
  ctx!: NodeContext;
  firedTrueUs: number[] = [];
  localUs: number[] = [];
  constructor(private readonly sim: Simulation) {}
  start(ctx: NodeContext): void { this.ctx = ctx; ctx.setTimer("tick", 100_000); }
  receive(): void {}
  timer(): void {
    this.firedTrueUs.push(this.sim.nowUs);
    this.localUs.push(this.ctx.now());
    if (this.firedTrueUs.length < 10) this.ctx.setTimer("tick", 100_000);
  }
}

function ticks(faults: Parameters<Simulation["addFaults"]>[0]) {
  const sim = new Simulation({ seed: 5 });
  sim.addNode("n", () => new Ticker(sim));
  sim.addFaults(faults);
  sim.run();
  return sim.actorOf<Ticker>("n")!;
}

test("clock: a node with drift +10 % fires its timers earlier in true time, measured", (t) => {
  const normal = ticks([]);
  const fast = ticks([{ atUs: 0, kind: "clock-drift", nodeId: "n", driftPpm: 100_000 }]);
  t.is(normal.firedTrueUs.at(-1), 1_000_000);
  const fastEnd = fast.firedTrueUs.at(-1)!;
  // 1 s of local time passes in 1 / 1.1 s of true time.
  t.true(Math.abs(fastEnd - 1_000_000 / 1.1) <= 10, `ten 100 ms timers ended at ${fastEnd} µs true time`);
  // Each firing lands on the first true µs at which the local clock reached the deadline.
  t.true(fast.localUs.at(-1)! - 1_000_000 <= 10);
});

test("clock: a jump forward fires pending timers at once; an offset moves what now() reads", (t) => {
  const jumped = ticks([{ atUs: 50_000, kind: "clock-jump", nodeId: "n", deltaUs: 80_000 }]);
  t.is(jumped.firedTrueUs[0], 50_000, "local time 130 ms passed the 100 ms deadline at the jump");
  const offset = ticks([{ atUs: 0, kind: "clock-offset", nodeId: "n", offsetUs: 5_000_000 }]);
  // The timer set at boot for local 100 ms is long overdue once the clock reads 5 s: it fires at once.
  t.deepEqual(offset.localUs.slice(0, 2), [5_000_000, 5_100_000]);
  t.deepEqual(offset.firedTrueUs.slice(0, 2), [0, 100_000]);
});

test("clock: a strobe steps back and forth and leaves the clock where it was", (t) => {
  const strobed = ticks([{ atUs: 10_000, kind: "clock-strobe", nodeId: "n", amplitudeUs: 95_000, periodUs: 5_000, durationUs: 40_000 }]);
  t.true(strobed.firedTrueUs[0]! < 100_000, "the forward step fired the first timer early");
  t.is(strobed.localUs.at(-1)! - strobed.firedTrueUs.at(-1)!, 0);
});

test("pause: a paused node acts on nothing; on resume, overdue timers fire and held messages arrive", (t) => {
  const paused = ticks([{ atUs: 150_000, kind: "pause", nodeId: "n", durationUs: 400_000 }]);
  t.deepEqual(paused.firedTrueUs.slice(0, 3), [100_000, 550_000, 650_000]);
  class Sender implements Actor {
    ctx!: NodeContext;
    start(ctx: NodeContext): void { this.ctx = ctx; ctx.setTimer("t", 10_000); }
    receive(): void {}
    timer(): void { this.ctx.send("sink", { n: 1 }); this.ctx.setTimer("t", 10_000); }
  }
  class Sink implements Actor {
    arrivals: number[] = [];
    constructor(private readonly sim: Simulation) {}
    start(): void {}
    receive(): void { this.arrivals.push(this.sim.nowUs); }
    timer(): void {}
  }
  const sim = new Simulation({ seed: 1 });
  sim.addNode("src", () => new Sender());
  sim.addNode("sink", () => new Sink(sim));
  sim.addFaults([{ atUs: 100_000, kind: "pause", nodeId: "sink" }, { atUs: 300_000, kind: "resume", nodeId: "sink" }]);
  sim.run({ untilUs: 400_000 });
  const arrivals = sim.actorOf<Sink>("sink")!.arrivals;
  t.is(arrivals.filter((us) => us > 100_000 && us < 300_000).length, 0, "the paused node received messages");
  t.true(arrivals.filter((us) => us === 300_000).length >= 19, "held messages did not all arrive at the resume");
});
