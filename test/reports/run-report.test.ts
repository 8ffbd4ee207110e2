import test from "ava";
import { cpSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { reportFolders } from "../../reports/write-report.ts";
import { faultline } from "../cli/cli.ts";

test("run writes a report.html for every failure, and `faultline report` rewrites each byte for byte", (t) => {
  const out = mkdtempSync(join(tmpdir(), "faultline-run-report-"));
  const run = faultline("run", "--scenario", "zk-register", "--bug", "follower-local-reads", "--seeds", "3", "--no-shrink", "--workers", "1", "--out", out);
  t.is(run.status, 1, run.stderr);
  const folders = reportFolders(out);
  t.true(folders.length >= 1, run.stdout);
  const before = mkdtempSync(join(tmpdir(), "faultline-run-report-before-"));
  cpSync(out, before, { recursive: true });
  for (const folder of folders) {
    t.true(existsSync(join(folder, "trace.json")), folder);
    t.true(existsSync(join(folder, "report.html")), folder);
    t.regex(run.stdout, new RegExp(`report: ${join(folder, "report.html").replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}`));
  }
  t.regex(run.stdout, /witness:\n {6}linearizable znode reads/);
  const rebuilt = faultline("report", out);
  t.is(rebuilt.status, 0, rebuilt.stderr);
  for (const folder of folders) {
    const relative = folder.slice(out.length);
    t.is(readFileSync(join(folder, "report.html"), "utf8"), readFileSync(join(before, relative, "report.html"), "utf8"), relative);
  }
});
