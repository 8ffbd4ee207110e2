// `--replay-check` (soak runs) runs each seed twice: a system that leaks state from one run into the
// next gives two trace hashes, and that is a violation with its seed; a deterministic one passes.
import test from "ava";
import * as fc from "fast-check";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SCENARIOS } from "../../scenarios/catalogue.ts";
import { runSeedJob } from "../../scenarios/sweep-job.ts";
import type { Scenario } from "../../scenarios/types.ts";
import type { Actor, NodeContext } from "../../sim/types.ts";

/** State shared across runs, the kind of leak a replay check exists to find. */
let leaked = 0;

class Ticker implements Actor {
  constructor(private readonly leaky: boolean) {}
  start(ctx: NodeContext): void {
    ctx.setTimer("tick", this.leaky ? 1_000 + (leaked++ % 7) * 100 : 1_000);
  }
  receive(): void {}
  timer(): void {}
}

function scenario(name: string, leaky: boolean): Scenario<Record<string, never>> {
  return {
    name, description: "a test double", bugs: [], phases: { faultsUs: 10_000, quietUs: 10_000 },
    workload: () => fc.constant({}), faultTargets: () => ["n1"], faults: () => fc.constant([]),
    build: (sim) => {
      sim.addNode("n1", () => new Ticker(leaky));
      return { finish: () => ({ history: [], properties: [{ name: "nothing", valid: true, anomalies: [], summary: "ok" }] }) };
    },
  };
}

test.serial("replay check: a run that differs from its own replay is a violation naming both hashes; a deterministic one passes", (t) => {
  const out = mkdtempSync(join(tmpdir(), "faultline-replay-check-"));
  SCENARIOS.push(scenario("test-leaky", true), scenario("test-steady", false));
  try {
    const job = (name: string) => ({ scenario: name, seed: 1, options: {}, shrink: false, out, minimal: true, version: "test", replayCheck: true });
    const leakyReport = runSeedJob(job("test-leaky"));
    t.is(leakyReport.valid, false);
    t.regex(leakyReport.properties.find((p) => p.name === "replay")?.summary ?? "", /seed 1 gave trace hash [0-9a-f]{16}, then [0-9a-f]{16} on the same case: not a replay/);
    t.is(runSeedJob(job("test-steady")).valid, true);
    t.is(runSeedJob({ ...job("test-leaky"), replayCheck: false }).valid, true, "without the check the leak goes unseen");
  } finally {
    SCENARIOS.splice(SCENARIOS.length - 2, 2);
  }
});
