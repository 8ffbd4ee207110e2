import test from "ava";
import { EventQueue } from "../../sim/event-queue.ts";
import { Simulation } from "../../sim/simulation.ts";
import type { Actor, NodeContext } from "../../sim/types.ts";

test("queue: ties in time are served in insertion order", (t) => {
  const queue = new EventQueue<string>();
  const names = Array.from({ length: 50 }, (_, i) => `e${i}`);
  for (const name of names) queue.push(5, name);
  queue.push(1, "first");
  const order: string[] = [];
  while (queue.size > 0) order.push(queue.pop());
  t.deepEqual(order, ["first", ...names]);
});

test("kernel: timers due at the same instant fire in the order they were set", (t) => {
  const fired: string[] = [];
  class Setter implements Actor {
    start(ctx: NodeContext): void {
      for (const tag of ["c", "a", "b", "d"]) ctx.setTimer(tag, 1_000);
    }
    receive(): void {}
    timer(tag: string): void {
      fired.push(tag);
    }
  }
  const sim = new Simulation({ seed: 3 });
  sim.addNode("n", () => new Setter());
  sim.run();
  t.deepEqual(fired, ["c", "a", "b", "d"]);
});

test("kernel: the run says why it stopped", (t) => {
  const sim = new Simulation({ seed: 1, eventsMax: 5 });
  class Loop implements Actor {
    ctx!: NodeContext;
    start(ctx: NodeContext): void { this.ctx = ctx; ctx.setTimer("t", 10); }
    receive(): void {}
    timer(): void { this.ctx.setTimer("t", 10); }
  }
  sim.addNode("n", () => new Loop());
  t.is(sim.run().stopReason, "event-limit");
  const timed = new Simulation({ seed: 1 });
  timed.addNode("n", () => new Loop());
  const stats = timed.run({ untilUs: 1_000 });
  t.is(stats.stopReason, "time-limit");
  t.is(stats.timeUs, 1_000);
  const idle = new Simulation({ seed: 1 });
  idle.addNode("n", () => ({ start() {}, receive() {}, timer() {} }));
  t.is(idle.run().stopReason, "idle");
});
