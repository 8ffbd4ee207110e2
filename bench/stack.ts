// Stack throughput (one worker): simulated seconds per wall second, events and client operations per wall
// second for each catalogue scenario over fixed seeds, beside the kernel's bare ping-pong rate.
//   npm run bench -- stack [--json] [--seeds N]
import { SCENARIOS } from "../scenarios/catalogue.ts";
import { runScenario } from "../scenarios/runner.ts";
import { TraceHash, digest } from "../sim/hash.ts";

const json = process.argv.includes("--json");
const seedsIndex = process.argv.indexOf("--seeds");
const seeds = seedsIndex >= 0 ? Number(process.argv[seedsIndex + 1]) : 20;

const rows = SCENARIOS.map((scenario) => {
  let simulatedUs = 0, wallMs = 0, events = 0, clientOps = 0, violations = 0;
  const hashes = new TraceHash();
  for (let seed = 1; seed <= seeds; seed++) {
    const result = runScenario(scenario, seed);
    simulatedUs += result.simulatedUs;
    wallMs += result.wallMs;
    events += result.events;
    clientOps += result.clientOps;
    if (result.valid === false) violations++;
    hashes.fold(seed, 0, 0, 0, digest(result.traceHash));
  }
  const wallSeconds = wallMs / 1000;
  return {
    scenario: scenario.name, seeds, violations,
    simSecondsPerWallSecond: +(simulatedUs / 1e6 / wallSeconds).toFixed(1),
    eventsPerSecond: Math.round(events / wallSeconds),
    clientOpsPerSecond: Math.round(clientOps / wallSeconds),
    wallSeconds: +wallSeconds.toFixed(2),
    // A hash over every run's trace hash: a "faster" change that altered behaviour shows here.
    runsHash: hashes.hex(),
  };
});
if (json) console.log(JSON.stringify({ scenarios: rows }));
else for (const row of rows) {
  console.log(`${row.scenario}: ${row.simSecondsPerWallSecond}× real time, ${row.eventsPerSecond.toLocaleString("en")} events/s, ` +
    `${row.clientOpsPerSecond.toLocaleString("en")} client ops/s, ${row.seeds} seeds in ${row.wallSeconds} s, ${row.violations} violations, runsHash=${row.runsHash}`);
}
