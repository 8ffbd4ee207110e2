import test from "ava";
import * as fc from "fast-check";
import { property, runScenario, runCase, runSeed } from "faultline";
import { durableLog } from "../../examples/durable-log/scenario.ts";

test("example: the durable log keeps every acknowledged value (fast-check property, 30 runs)", (t) => {
  t.notThrows(() => fc.assert(property(durableLog), { seed: 7, numRuns: 30 }));
});

test("example: ack-before-fsync loses an acknowledged value, and fast-check says so", (t) => {
  const error = t.throws(() => fc.assert(property(durableLog, { bugs: ["ack-before-fsync"] }), { seed: 7, numRuns: 100 }));
  // The shrunk counterexample is one power loss of the server.
  t.regex(error!.message, /Counterexample: .*"power-loss"/);
});

test("runner: a seed replays to the same trace hash and verdict", (t) => {
  for (let seed = 1; seed <= 20; seed++) {
    const first = runScenario(durableLog, seed, { bugs: ["ack-before-fsync"] });
    const second = runScenario(durableLog, seed, { bugs: ["ack-before-fsync"] });
    t.is(first.traceHash, second.traceHash, `seed ${seed}`);
    t.is(first.valid, second.valid);
    t.deepEqual(first.case, second.case);
  }
});

test("runner: shrinking keeps the failure and ends small; the shrunk case replays exactly", (t) => {
  let seed = 1;
  let outcome = runSeed(durableLog, seed, { bugs: ["ack-before-fsync"] }, { shrink: true });
  while (outcome.original.valid !== false && seed < 200) outcome = runSeed(durableLog, ++seed, { bugs: ["ack-before-fsync"] }, { shrink: true });
  t.is(outcome.original.valid, false, "no failing seed in 200");
  const shrunk = outcome.shrunk!;
  t.is(shrunk.valid, false);
  t.true(shrunk.case.schedule.length <= outcome.original.case.schedule.length);
  t.true(shrunk.case.schedule.length <= 3, `shrunk to ${shrunk.case.schedule.length} faults`);
  t.log(`seed ${seed}: ${outcome.original.case.schedule.length} faults shrunk to ${shrunk.case.schedule.length} in ${outcome.shrinkRuns} runs`);
  const replayed = runCase(durableLog, seed, shrunk.case, { bugs: ["ack-before-fsync"] });
  t.is(replayed.traceHash, shrunk.traceHash);
  t.is(replayed.valid, false);
});
