import test from "ava";
import type { Scenario } from "../../scenarios/types.ts";
import { failedProperties, runCase } from "../../scenarios/runner.ts";
import { runSeed } from "../../scenarios/shrink.ts";
import { zkRegister } from "../../scenarios/zk-register.ts";
import { zkMaster } from "../../scenarios/zk-master.ts";

// One failing seed per bug switch (each found by a sweep; see test/scenarios/zk-*.test.ts).
const CASES: Array<[Scenario<any>, string, number]> = [
  [zkRegister, "follower-local-reads", 1],
  [zkRegister, "ack-before-fsync", 5],
  [zkRegister, "skip-trunc", 2],
  [zkRegister, "no-epoch-check", 18],
  [zkMaster, "master-no-fencing", 27],
  [zkMaster, "lease-ignores-drift", 6],
  [zkMaster, "ephemeral-leak", 2],
];

for (const [scenario, bug, seed] of CASES) {
  test(`shrink: ${scenario.name} --bug ${bug} seed ${seed} shrinks to a smaller schedule that still fails the same way and replays`, (t) => {
    const options = { bugs: [bug] };
    const outcome = runSeed(scenario, seed, options, { shrink: true });
    t.is(outcome.original.valid, false, `seed ${seed} no longer fails with ${bug}`);
    const shrunk = outcome.shrunk!;
    const property = failedProperties(outcome.original)[0]!;
    t.true(failedProperties(shrunk).includes(property));
    t.true(shrunk.case.schedule.length <= outcome.original.case.schedule.length);
    const replayed = runCase(scenario, seed, shrunk.case, options);
    t.is(replayed.traceHash, shrunk.traceHash);
    t.log(`${bug}: ${outcome.original.case.schedule.length} faults shrunk to ${shrunk.case.schedule.length} in ${outcome.shrinkRuns} runs`);
  });
}
