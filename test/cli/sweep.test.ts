// A sweep gives the same results on any number of workers and on any split into shards.
import test from "ava";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { faultline } from "./cli.ts";

const scratch = () => mkdtempSync(join(tmpdir(), "faultline-sweep-"));

/** The run's JSON without what depends on speed, with failure files relative to their --out. */
function facts(stdout: string) {
  const report = JSON.parse(stdout);
  return {
    valid: report.valid, seedsRun: report.seedsRun, seedsPlanned: report.seedsPlanned,
    scenarios: report.scenarios.map((s: any) => ({
      name: s.name, seeds: s.seeds, violations: s.violations, unknown: s.unknown, unknownSeeds: s.unknownSeeds,
      failures: s.failures.map((f: any) => ({ ...f, counterexample: f.counterexample.split("/").slice(-3).join("/") })),
    })),
  };
}

test("sweep: 1 and 2 workers give the same failures, trace hashes and shrunk counterexamples", (t) => {
  const args = ["run", "--scenario", "zk-master", "--bug", "ephemeral-leak", "--seeds", "8", "--json"];
  const [a, b] = [scratch(), scratch()];
  const one = faultline(...args, "--workers", "1", "--out", a);
  const two = faultline(...args, "--workers", "2", "--out", b);
  t.is(one.status, 1, one.stderr);
  t.is(two.status, 1, two.stderr);
  t.deepEqual(facts(two.stdout), facts(one.stdout));
  const failures = facts(one.stdout).scenarios[0].failures;
  t.true(failures.some((f: any) => f.shrunk), "some failure was shrunk");
  for (const failure of failures) {
    t.true(existsSync(join(a, dirname(failure.counterexample), "report.html")), "every failure gets its report");
    t.is(readFileSync(join(b, failure.counterexample), "utf8").replace(b, "OUT"), readFileSync(join(a, failure.counterexample), "utf8").replace(a, "OUT"));
  }
});

test("sweep: two shards merged equal one unsharded run", (t) => {
  const args = ["run", "--scenario", "all", "--bug", "follower-local-reads", "--seeds", "24", "--no-shrink", "--json", "--workers", "2"];
  const [whole, first, second, merged] = [scratch(), scratch(), scratch(), scratch()];
  const unsharded = faultline(...args, "--out", whole);
  t.is(unsharded.status, 1, unsharded.stderr);
  t.is(faultline(...args, "--shard", "1/2", "--out", first).status, 1);
  t.is(faultline(...args, "--shard", "2/2", "--out", second).status, 1);
  const merge = faultline("merge", first, second, "--out", merged, "--json");
  t.is(merge.status, 1, merge.stderr);
  t.deepEqual(facts(merge.stdout), facts(unsharded.stdout));
  const file = JSON.parse(merge.stdout).scenarios[0].failures[0].counterexample;
  t.true(file.startsWith(merged));
  t.is(JSON.parse(readFileSync(file, "utf8")).replay, `npx faultline replay ${file}`, "the copied counterexample's replay names its new place");
  t.true(readFileSync(join(dirname(file), "report.html"), "utf8").includes(`faultline replay ${file}`), "the merged report is rebuilt for its new place");
  // One shard alone is not the whole sweep.
  const partial = faultline("merge", first, "--out", scratch());
  t.regex(partial.stderr, /shard\(s\) 2\/2 missing/);
});

test("sweep: a time budget stops starting seeds and says how many ran; --json keeps stdout one JSON object", (t) => {
  const out = scratch();
  const result = faultline("run", "--scenario", "kafka-log", "--seeds", "500", "--time-budget", "0.001", "--workers", "1", "--json", "--out", out);
  const report = JSON.parse(result.stdout);
  t.true(report.stoppedByTimeBudget);
  t.true(report.seedsRun >= 1 && report.seedsRun < 500, String(report.seedsRun));
  t.is(report.seedsPlanned, 500);
  t.true(existsSync(join(out, "summary.json")));
});

test("sweep: bad --shard, --workers and --time-budget are one line each", (t) => {
  for (const [flag, value, message] of [["--shard", "3/2", /--shard must be i\/n/], ["--shard", "x", /--shard must be i\/n/], ["--workers", "0", /--workers must be a positive integer/], ["--time-budget", "-1", /--time-budget must be a positive number/]] as const) {
    const result = faultline("run", "--scenario", "zk-master", "--seeds", "1", flag, value, "--out", scratch());
    t.is(result.status, 3, `${flag} ${value}`);
    t.regex(result.stderr, message);
  }
});
