import test from "ava";
import { runScenario, failedProperties } from "../../scenarios/runner.ts";
import { zkRegister, REGISTER_LIVENESS } from "../../scenarios/zk-register.ts";
import { LINEARIZABLE_ZNODES } from "../../scenarios/zk-linearizable.ts";

const replay = (seed: number, bug?: string) => `faultline replay --scenario zk-register --seed ${seed}${bug ? ` --bug ${bug}` : ""}`;

test("zk-register: the correct build is linearizable and live after the heal (seeds 1-4)", (t) => {
  for (let seed = 1; seed <= 4; seed++) {
    const run = runScenario(zkRegister, seed);
    t.deepEqual(run.properties.map((property) => [property.name, property.valid]), [[LINEARIZABLE_ZNODES, true], [REGISTER_LIVENESS, true]], replay(seed));
    t.true(run.clientOps > 500, `a busy workload (${run.clientOps} completions)`);
  }
});

// Each bug on a seed found by a sweep of seeds 1-200; the same seed is clean without the bug.
const caught: Array<[bug: string, seed: number]> = [
  ["follower-local-reads", 1],
  ["ack-before-fsync", 5],
  ["skip-trunc", 2],
  ["no-epoch-check", 18],
];

for (const [bug, seed] of caught) {
  test(`zk-register: ${bug} breaks linearizable znode reads (seed ${seed})`, (t) => {
    const run = runScenario(zkRegister, seed, { bugs: [bug] });
    t.true(failedProperties(run).includes(LINEARIZABLE_ZNODES), `${replay(seed, bug)}: ${run.properties.map((p) => p.summary).join("; ")}`);
    t.true(run.properties[0]!.anomalies.includes("non-linearizable"));
    t.is(runScenario(zkRegister, seed).valid, true, "the same case is clean without the bug");
  });
}
