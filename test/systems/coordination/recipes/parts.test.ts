import test from "ava";
import { Simulation } from "../../../../sim/simulation.ts";
import type { Actor, NodeContext, NodeId } from "../../../../sim/types.ts";
import { ProtectedResource, isResourceReply, type ResourceReply } from "../../../../systems/coordination/recipes/resource.ts";
import { Lease, leaseMarginUs } from "../../../../systems/coordination/recipes/lease.ts";
import { standing, sequenceOf } from "../../../../systems/coordination/recipes/order.ts";

/** Sends the writes it is told to, at the times given; keeps the replies. */
class Writer implements Actor {
  private ctx!: NodeContext;
  readonly replies: ResourceReply[] = [];
  constructor(private readonly writes: Array<{ atUs: number; token: number }>) {}
  start(ctx: NodeContext): void {
    this.ctx = ctx;
    this.writes.forEach((write, index) => ctx.setTimer(`w${index}`, write.atUs));
  }
  receive(_from: NodeId, message: unknown): void {
    if (isResourceReply(message)) this.replies.push(message);
  }
  timer(tag: string): void {
    const index = Number(tag.slice(1));
    this.ctx.send("resource", { type: "resource-write", token: this.writes[index]!.token, seq: index, data: tag });
  }
}

function runResource(fencing: boolean) {
  const sim = new Simulation({ seed: 1 });
  const seen: Array<[NodeId, number, boolean]> = [];
  sim.addNode("resource", () => new ProtectedResource({ fencing }, { resourceWrite: (node, token, accepted) => seen.push([node, token, accepted]) }));
  sim.addNode("old", () => new Writer([{ atUs: 1_000, token: 5 }, { atUs: 50_000, token: 5 }]));
  sim.addNode("new", () => new Writer([{ atUs: 20_000, token: 9 }]));
  sim.run({ untilUs: 100_000 });
  return { seen, old: sim.actorOf<Writer>("old")!, resource: sim.actorOf<ProtectedResource>("resource")! };
}

test("resource: rejects a stale token after a newer one, and tells the writer the highest token", (t) => {
  const { seen, old, resource } = runResource(true);
  t.deepEqual(seen, [["old", 5, true], ["new", 9, true], ["old", 5, false]]);
  t.like(old.replies[1], { accepted: false, tokenHighest: 9 });
  t.deepEqual(resource.accepted.map((write) => write.token), [5, 9]);
});

test("resource: with master-no-fencing it accepts the stale token", (t) => {
  const { seen, resource } = runResource(false);
  t.deepEqual(seen, [["old", 5, true], ["new", 9, true], ["old", 5, true]]);
  t.deepEqual(resource.accepted.map((write) => write.token), [5, 9, 5]);
});

test("lease: the margin covers a slow holder and a fast leader; the bug has none", (t) => {
  const options = { sessionTimeoutUs: 400_000, driftPpmMax: 200_000, ignoresDrift: false };
  const marginUs = leaseMarginUs(options);
  t.is(marginUs, 133_334);
  // Worst case: our clock 20 % slow, the leader's 20 % fast. In true time the lease must end first.
  const leaseTrueUs = (400_000 - marginUs) / 0.8;
  const expiryTrueUs = 400_000 / 1.2;
  t.true(leaseTrueUs <= expiryTrueUs);
  t.is(leaseMarginUs({ ...options, ignoresDrift: true }), 0);
  const lease = new Lease(options);
  t.false(lease.validAt(0), "no lease before the first proof");
  lease.extend(1_000);
  t.true(lease.validAt(1_000 + 266_665));
  t.false(lease.validAt(1_000 + 266_666));
  t.false(lease.validAt(999), "a clock stepped back voids the lease");
  lease.extend(500);
  t.true(lease.validAt(1_000), "an older proof never shortens it");
});

test("recipe order: lowest is master, each other watches its predecessor, extra znodes are ours to drop", (t) => {
  t.is(sequenceOf("c-c1-ab-0000000012"), 12);
  const children = ["c-c2-1-0000000003", "c-c1-7-0000000001", "c-c3-2-0000000002", "c-c1-9-0000000004"];
  t.deepEqual(standing(children, (name) => name.startsWith("c-c1-")), { mine: "c-c1-7-0000000001", extras: ["c-c1-9-0000000004"], predecessor: undefined });
  t.deepEqual(standing(children, (name) => name.startsWith("c-c2-")), { mine: "c-c2-1-0000000003", extras: [], predecessor: "c-c3-2-0000000002" });
  t.deepEqual(standing(children, (name) => name.startsWith("c-c4-")), { mine: undefined, extras: [], predecessor: undefined });
});
