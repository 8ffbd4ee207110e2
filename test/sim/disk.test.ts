import test from "ava";
import { Simulation } from "../../sim/simulation.ts";
import { TORN } from "../../sim/disk.ts";
import type { Actor, DiskRecord, NodeContext } from "../../sim/types.ts";

/** Writes "durable" and fsyncs it; once durable, writes "volatile" and never fsyncs it. */
class Writer implements Actor {
  ctx!: NodeContext;
  seenAtStart: readonly DiskRecord[] = [];
  start(ctx: NodeContext, restarted: boolean): void {
    this.ctx = ctx;
    this.seenAtStart = ctx.disk.read("log").slice();
    if (!restarted) {
      ctx.disk.append("log", "durable");
      ctx.disk.fsync("first");
    }
  }
  receive(): void {}
  timer(): void {}
  fsynced(): void {
    this.ctx.disk.append("log", "volatile");
  }
}

function crashAfterWrites(kind: "crash" | "power-loss", seed: number) {
  const sim = new Simulation({ seed });
  sim.addNode("n", () => new Writer());
  sim.addFaults([{ atUs: 10_000, kind, nodeId: "n", restartAfterUs: 1_000 }]);
  sim.run({ untilUs: 20_000 });
  return sim.actorOf<Writer>("n")!.seenAtStart;
}

test("disk: a process crash keeps unsynced writes (the page cache survives)", (t) => {
  t.deepEqual(crashAfterWrites("crash", 1), ["durable", "volatile"]);
});

test("disk: power loss drops unsynced writes; the first may survive torn", (t) => {
  const outcomes = new Set<string>();
  for (let seed = 0; seed < 20; seed++) {
    const records = crashAfterWrites("power-loss", seed);
    t.is(records[0], "durable");
    t.true(records.length === 1 || (records.length === 2 && records[1] === TORN), JSON.stringify(records));
    outcomes.add(records.length === 1 ? "dropped" : "torn");
  }
  t.deepEqual([...outcomes].sort(), ["dropped", "torn"]);
});

test("disk: writes issued after an fsync are not covered by it", (t) => {
  class Racer implements Actor {
    ctx!: NodeContext;
    start(ctx: NodeContext): void {
      this.ctx = ctx;
      ctx.disk.append("log", 1);
      ctx.disk.fsync("one");
      ctx.disk.append("log", 2);
    }
    receive(): void {}
    timer(): void {}
  }
  const sim = new Simulation({ seed: 2 });
  sim.addNode("n", () => new Racer());
  sim.run({ untilUs: 50_000 });
  t.deepEqual(sim.diskOf("n").durableFile("log"), [1]);
  t.deepEqual(sim.diskOf("n").read("log"), [1, 2]);
});

test("disk: a restart builds a fresh actor; no object crosses the crash", (t) => {
  const actors: Writer[] = [];
  const sim = new Simulation({ seed: 4 });
  sim.addNode("n", () => { const actor = new Writer(); actors.push(actor); return actor; });
  sim.addFaults([{ atUs: 10_000, kind: "crash", nodeId: "n" }, { atUs: 12_000, kind: "restart", nodeId: "n" }]);
  sim.run({ untilUs: 20_000 });
  t.is(actors.length, 2);
  t.not(actors[0], actors[1]);
  t.is(sim.actorOf("n"), actors[1]);
});

test("disk: read returns a copy: later writes do not change what a reader holds, and a reader cannot change the disk", (t) => {
  const sim = new Simulation({ seed: 2 });
  let ctx!: NodeContext;
  sim.addNode("n", () => ({ start(c: NodeContext) { ctx = c; }, receive() {}, timer() {} }));
  sim.run({ untilUs: 1 });
  ctx.disk.append("log", 1);
  const held = ctx.disk.read("log");
  ctx.disk.append("log", 2);
  ctx.disk.truncate("log", 0);
  t.deepEqual(held, [1]);
  ctx.disk.append("log", 3);
  (ctx.disk.read("log") as unknown[]).push("sneaked");
  (sim.diskOf("n").read("log") as unknown[]).length = 0;
  t.deepEqual(ctx.disk.read("log"), [3]);
  ctx.disk.fsync("f");
  sim.run({ untilUs: 10_000 });
  (sim.diskOf("n").durableFile("log") as unknown[]).push("sneaked");
  t.deepEqual(sim.diskOf("n").durableFile("log"), [3]);
});
