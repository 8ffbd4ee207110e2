// The bundle `npm ci` builds (bin/build.js) is the sources, loaded faster: the same seeds give the
// same verdicts, failures and trace hashes from either, on this thread and on worker threads; and
// a bundle is used only while every file it was built from is unchanged.
import test from "ava";
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error: plain JavaScript, run before tsx is registered
import { build, freshBuild } from "../../bin/build.js";
import { faultlineWith } from "./cli.ts";

const fresh = freshBuild as (root?: string) => string | undefined;

test.before(async () => {
  if (fresh() === undefined) await (build as () => Promise<number>)();
});

function outcome(env: Record<string, string>, workers: string): unknown {
  const out = mkdtempSync(join(tmpdir(), "faultline-bundle-"));
  const result = faultlineWith(env, "run", "--scenario", "zk-register", "--bug", "follower-local-reads", "--seeds", "6", "--no-shrink", "--json", "--workers", workers, "--out", out);
  const json = JSON.parse(result.stdout) as { valid: boolean; scenarios: Array<{ failures: Array<{ seed: number; traceHash: string; properties: string[] }> }> };
  return { status: result.status, valid: json.valid, failures: json.scenarios.map((s) => s.failures.map((f) => [f.seed, f.traceHash, f.properties])) };
}

test("bundle: the bundle and the sources give the same failures and trace hashes, on 1 and 2 workers", (t) => {
  const sources = outcome({ FAULTLINE_BUILD: "off" }, "1");
  t.like(sources, { status: 1, valid: false });
  t.deepEqual(outcome({ FAULTLINE_BUILD: "off" }, "2"), sources);
  t.deepEqual(outcome({ FAULTLINE_BUILD: "require" }, "1"), sources);
  t.deepEqual(outcome({ FAULTLINE_BUILD: "require" }, "2"), sources);
});

test("bundle: a changed or missing source, or a broken manifest, makes the bundle stale", (t) => {
  const root = mkdtempSync(join(tmpdir(), "faultline-build-"));
  mkdirSync(join(root, "build"));
  mkdirSync(join(root, "src"));
  writeFileSync(join(root, "src", "a.ts"), "export const a = 1;\n");
  for (const file of ["cli.mjs", "sweep-worker.js"]) writeFileSync(join(root, "build", file), "");
  const manifest = (inputs: Record<string, unknown>) => writeFileSync(join(root, "build", "manifest.json"), JSON.stringify({ format: 1, node: process.versions.node, inputs }));
  const { size, mtimeMs } = statSync(join(root, "src", "a.ts"));
  manifest({ "src/a.ts": { size, mtimeMs } });
  t.is(fresh(root), join(root, "build", "cli.mjs"));
  writeFileSync(join(root, "src", "a.ts"), "export const a = 22;\n");
  t.is(fresh(root), undefined, "an edited source");
  manifest({ "src/gone.ts": { size, mtimeMs } });
  t.is(fresh(root), undefined, "a source that is gone");
  manifest({ "src/a.ts": { size, mtimeMs } });
  writeFileSync(join(root, "build", "manifest.json"), "{not json");
  t.is(fresh(root), undefined, "a broken manifest");
});
