import test from "ava";
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeReport } from "../../reports/write-report.ts";
import { moveCounterexample } from "../../scenarios/counterexample.ts";
import type { TraceFacts } from "../../reports/report-files.ts";
import { faultline } from "../cli/cli.ts";
import { failureFolder, HOSTILE_REGISTER, VALID_REGISTER } from "./fixtures.ts";

test("report folder: a failure gets trace.json (bounded, same hash) and report.html with the replay command", (t) => {
  const { folder, result } = failureFolder("linearizability");
  const trace = JSON.parse(readFileSync(join(folder, "trace.json"), "utf8")) as TraceFacts;
  t.is(trace.traceHash, result.traceHash, `seed ${result.seed}`);
  t.true(trace.window.messages.length > 0 && trace.window.messages.length <= 900);
  t.true(trace.window.focusFromUs <= trace.window.focusToUs);
  for (const message of trace.window.messages) t.true(message.sendUs <= message.deliverUs);
  t.true(trace.faults.length > 0, "the applied faults are kept");
  const html = readFileSync(join(folder, "report.html"), "utf8");
  t.true(html.includes(`npx faultline replay ${join(folder, "failure.json")}`));
  t.true(html.includes(result.traceHash));
  t.false(/(src|href)="https?:/.test(html), "nothing from the network");
});

test("report folder: the report depends only on the files — rebuilt after a rename, and by `faultline report`, byte for byte", (t) => {
  const { folder } = failureFolder("log");
  const copy = mkdtempSync(join(tmpdir(), "faultline-report-copy-"));
  cpSync(folder, join(copy, "kafka-log", "7"), { recursive: true });
  const copied = join(copy, "kafka-log", "7");
  // The same files in another folder: the same report once its replay path names that folder.
  moveCounterexample(join(copied, "failure.json"), join(copied, "counterexample.json"));
  moveCounterexample(join(folder, "failure.json"), join(folder, "counterexample.json"));
  const first = readFileSync(writeReport(folder), "utf8");
  t.true(first.includes(`faultline replay ${join(folder, "counterexample.json")}`), "the renamed file's replay command");
  const cli = faultline("report", folder);
  t.is(cli.status, 0, cli.stderr);
  t.is(readFileSync(join(folder, "report.html"), "utf8"), first);
  writeReport(copied);
  const other = readFileSync(join(copied, "report.html"), "utf8");
  t.is(other.replaceAll(copied, "DIR"), first.replaceAll(folder, "DIR"));
});

test("faultline report --json: every failure folder's verdicts, witness and report path; bad input exits 3", (t) => {
  const { folder, result } = failureFolder("master");
  const cli = faultline("report", folder, "--json");
  t.is(cli.status, 0, cli.stderr);
  const json = JSON.parse(cli.stdout) as { reports: Array<{ seed: number; traceHash: string; report: string; witness: string[]; properties: Array<{ name: string; valid: unknown }> }> };
  t.is(json.reports.length, 1);
  t.is(json.reports[0]!.seed, result.seed);
  t.is(json.reports[0]!.traceHash, result.traceHash);
  t.true(json.reports[0]!.witness.some((line) => line.startsWith("M2 fencing")), json.reports[0]!.witness.join("\n"));
  t.true(existsSync(json.reports[0]!.report));
  t.is(faultline("report", join(folder, "no-such-dir")).status, 3);
  const broken = mkdtempSync(join(tmpdir(), "faultline-report-broken-"));
  writeFileSync(join(broken, "failure.json"), "{ not json");
  const bad = faultline("report", broken);
  t.is(bad.status, 3);
  t.regex(bad.stderr, /failure\.json/);
});

test("check --html: a report for a valid history and for a hostile one, with the check command as its replay", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "faultline-check-html-"));
  writeFileSync(join(dir, "valid.json"), JSON.stringify(VALID_REGISTER));
  writeFileSync(join(dir, "evil.json"), JSON.stringify(HOSTILE_REGISTER));
  const valid = faultline("check", join(dir, "valid.json"), "--model", "register", "--html", join(dir, "valid.html"));
  t.is(valid.status, 0, valid.stderr);
  const validHtml = readFileSync(join(dir, "valid.html"), "utf8");
  t.true(validHtml.includes(`npx faultline check ${join(dir, "valid.json")} --model register`));
  t.true(validHtml.includes(`<span class="verdict-valid">valid</span>`));
  t.regex(validHtml, /<pre id="linearization">linearizable \(register\): #0 #2/, "a valid verdict shows its linearization");
  const evil = faultline("check", join(dir, "evil.json"), "--model", "register", "--html", join(dir, "evil.html"));
  t.is(evil.status, 1, evil.stderr);
  t.false(readFileSync(join(dir, "evil.html"), "utf8").includes("<img"));
  t.is(faultline("check", join(dir, "valid.json"), "--model", "register", "--html", join(dir, "missing", "x.html")).status, 3);
  renameSync(join(dir, "valid.html"), join(dir, "valid-old.html"));
  faultline("check", join(dir, "valid.json"), "--model", "register", "--html", join(dir, "valid.html"));
  t.is(readFileSync(join(dir, "valid.html"), "utf8"), validHtml, "the same file twice");
});
