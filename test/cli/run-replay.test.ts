import test from "ava";
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { faultline } from "./cli.ts";

const hashOf = (text: string) => /traceHash ([0-9a-f]{16})/.exec(text)?.[1];

test("cli: a bug's failure is saved, shrunk, and its counterexample replays to the same verdict and hash", (t) => {
  const out = mkdtempSync(join(tmpdir(), "faultline-run-"));
  const run = faultline("run", "--scenario", "zk-master", "--bug", "master-no-fencing", "--seeds", "200", "--out", out, "--json");
  t.is(run.status, 1, run.stderr);
  const report = JSON.parse(run.stdout) as { valid: boolean; scenarios: Array<{ failures: Array<{ counterexample: string; faults: number; properties: string[] }> }> };
  t.false(report.valid);
  // Each property's smallest shrunk failure is its counterexample.json; the others are failure.json.
  const minimal = report.scenarios[0]!.failures.filter((f) => f.counterexample.endsWith("counterexample.json"));
  t.is(minimal.length, 1);
  const failure = minimal[0]!;
  t.true(failure.properties.includes("M2 fencing"));
  t.true(existsSync(failure.counterexample));
  t.true(existsSync(join(failure.counterexample, "..", "history.json")));
  t.false(readdirSync(join(out, "zk-master")).some((name) => name.includes("partial")), "a partial folder was left behind");
  const example = JSON.parse(readFileSync(failure.counterexample, "utf8")) as { traceHash: string; schedule: unknown[] };
  t.true(example.schedule.length <= 3, `shrunk to ${example.schedule.length} faults`);

  const replay = faultline("replay", failure.counterexample);
  t.is(replay.status, 1, replay.stdout + replay.stderr);
  t.is(hashOf(replay.stdout), example.traceHash);
  t.regex(replay.stdout, /matches the recorded hash/);
  t.regex(replay.stdout, /VIOLATED\s+M2 fencing/);

  // A person deletes a fault by hand and replays the edited schedule: it runs, and it replays exactly.
  if (example.schedule.length > 0) {
    const edited = join(out, "edited.json");
    writeFileSync(edited, JSON.stringify(example.schedule.slice(1)));
    const first = faultline("replay", failure.counterexample, "--schedule", edited);
    const second = faultline("replay", failure.counterexample, "--schedule", edited);
    t.true(first.status === 0 || first.status === 1, first.stderr);
    t.truthy(hashOf(first.stdout));
    t.is(hashOf(first.stdout), hashOf(second.stdout));
    t.is(first.status, second.status);
  }
});

test("cli: replay --scenario --seed gives the same hash in two processes, and --trace writes every event", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "faultline-trace-"));
  const trace = join(dir, "trace.jsonl");
  const first = faultline("replay", "--scenario", "zk-register", "--seed", "4242", "--trace", trace);
  const second = faultline("replay", "--scenario", "zk-register", "--seed", "4242");
  t.is(first.status, 0, first.stdout + first.stderr);
  t.truthy(hashOf(first.stdout));
  t.is(hashOf(first.stdout), hashOf(second.stdout));
  const lines = readFileSync(trace, "utf8").trim().split("\n");
  t.true(lines.length > 1000);
  const event = JSON.parse(lines[lines.length - 1]!) as { timeUs: number; kind: string; node: string };
  t.is(typeof event.timeUs, "number");
  t.is(typeof event.kind, "string");
});

test("cli: a schedule naming an unknown node is refused with one line", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "faultline-schedule-"));
  const schedule = join(dir, "schedule.json");
  writeFileSync(schedule, JSON.stringify([{ atUs: 10, kind: "crash", nodeId: "zk9" }]));
  const result = faultline("replay", "--scenario", "zk-register", "--seed", "1", "--schedule", schedule);
  t.is(result.status, 3);
  t.regex(result.stderr, /fault 0.*zk9/);
  t.false(/\n\s+at /.test(result.stderr));
});
