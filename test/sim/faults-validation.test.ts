import test from "ava";
import { Simulation } from "../../sim/simulation.ts";
import { UserError } from "../../sim/errors.ts";
import type { Fault } from "../../sim/faults.ts";
import { World } from "./probe.ts";

function simulation() {
  const sim = new Simulation({ seed: 1 });
  const world = new World(sim);
  for (const id of ["n0", "n1", "n2"]) world.add(id);
  return { sim, world };
}

/** The message addFaults rejects `schedule` with; fails the test if it is accepted or not a one-line UserError. */
function rejection(t: import("ava").ExecutionContext, schedule: unknown): string {
  const error = t.throws(() => simulation().sim.addFaults(schedule as Fault[]), { instanceOf: UserError });
  const message = error?.message ?? "";
  t.false(message.includes("\n"), `not one line: ${message}`);
  return message;
}

const heal = { atUs: 0, kind: "heal" };

const BAD: Array<[string, unknown, RegExp]> = [
  ["unknown kind", [heal, { atUs: 5, kind: "explode", nodeId: "n0" }], /^fault 1: unknown kind "explode"; kinds are partition, .*reorder$/],
  ["missing node", [heal, heal, { atUs: 0, kind: "crash" }], /^fault 2: \(crash\) nodeId is missing$/],
  ["unknown node", [{ atUs: 0, kind: "pause", nodeId: "n9" }], /^fault 0: \(pause\) nodeId "n9" is not a node; nodes are n0, n1, n2$/],
  ["unknown node in a group", [heal, { atUs: 0, kind: "partition", groups: [["n0"], ["n1", "n7"]] }], /^fault 1: \(partition\) groups .*"n7".*not a node; nodes are n0, n1, n2$/],
  ["negative time", [heal, { atUs: -1, kind: "heal" }], /^fault 1: \(heal\) atUs must be a non-negative integer.*-1$/],
  ["fractional time", [{ atUs: 1.5, kind: "heal" }], /^fault 0: \(heal\) atUs must be a non-negative integer/],
  ["missing time", [{ kind: "restart", nodeId: "n0" }], /^fault 0: \(restart\) atUs must be/],
  ["unknown field", [{ atUs: 0, kind: "crash", nodeId: "n0", atus: 5 }], /^fault 0: \(crash\) unknown field "atus"; fields are atUs, kind, nodeId, restartAfterUs$/],
  ["probability above 1", [{ atUs: 0, kind: "loss", probability: 1.5, durationUs: 10 }], /^fault 0: \(loss\) probability must be a probability in \[0, 1\]/],
  ["negative probability", [heal, { atUs: 0, kind: "duplication", probability: -0.1, durationUs: 10 }], /^fault 1: \(duplication\) probability must be/],
  ["probability as text", [{ atUs: 0, kind: "reorder", probability: "0.5", durationUs: 10 }], /^fault 0: \(reorder\) probability must be/],
  ["NaN probability", [{ atUs: 0, kind: "loss", probability: Number.NaN, durationUs: 10 }], /^fault 0: \(loss\) probability must be/],
  ["missing duration", [{ atUs: 0, kind: "loss", probability: 0.5 }], /^fault 0: \(loss\) durationUs is missing$/],
  ["zero duration", [{ atUs: 0, kind: "pause", nodeId: "n0", durationUs: 0 }], /^fault 0: \(pause\) durationUs must be a positive integer/],
  ["zero strobe period", [{ atUs: 0, kind: "clock-strobe", nodeId: "n0", amplitudeUs: 5, periodUs: 0, durationUs: 10 }], /^fault 0: \(clock-strobe\) periodUs must be a positive/],
  ["clock stopped", [{ atUs: 0, kind: "clock-drift", nodeId: "n0", driftPpm: -1_000_000 }], /^fault 0: \(clock-drift\) driftPpm must be an integer in/],
  ["negative restart delay", [{ atUs: 0, kind: "crash", nodeId: "n0", restartAfterUs: -5 }], /^fault 0: \(crash\) restartAfterUs must be a non-negative/],
  ["nodes not a list", [{ atUs: 0, kind: "latency-spike", extraUs: 10, durationUs: 10, nodes: "n0" }], /^fault 0: \(latency-spike\) nodes must be a list of node ids$/],
  ["not an object", [heal, null], /^fault 1: is not an object$/],
  ["not a list", { atUs: 0, kind: "heal" }, /^a fault schedule must be a JSON array of faults$/],
];

for (const [what, schedule, expected] of BAD) {
  test(`faults: rejected in one line naming the fault: ${what}`, (t) => {
    t.regex(rejection(t, schedule), expected);
  });
}

test("faults: a rejected schedule queues nothing, not even the valid faults before the bad one", (t) => {
  const { sim, world } = simulation();
  t.throws(() => sim.addFaults([
    { atUs: 10, kind: "crash", nodeId: "n0" },
    { atUs: 20, kind: "crash", nodeId: "n7" },
  ] as Fault[]), { instanceOf: UserError });
  sim.run({ untilUs: 100_000 });
  t.true(sim.isUp("n0"));
  t.is(world.incarnations.get("n0")!.length, 1);
});

test("faults: apply() validates like addFaults and ignores atUs", (t) => {
  const { sim } = simulation();
  sim.run({ untilUs: 1_000 });
  t.throws(() => sim.apply({ atUs: 0, kind: "crash", nodeId: "nope" } as Fault), { instanceOf: UserError, message: /^fault 0: \(crash\) nodeId "nope" is not a node/ });
  sim.apply({ atUs: 999_999, kind: "crash", nodeId: "n1" });
  t.false(sim.isUp("n1"));
});
