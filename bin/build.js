#!/usr/bin/env node
// The command's bundles: `npm ci` (the `prepare` script) bundles the CLI and the sweep worker with
// esbuild into build/, so that a command loads two files instead of registering tsx and sending
// every one of ~200 modules through its loader thread (~0.3 s saved on every command, and each
// worker thread of a sweep loads in a tenth of the time). The sources stay what runs: a bundle is
// used only while every file it was built from is as it was (see `freshBuild`); otherwise the
// command runs the TypeScript through tsx, exactly as before, and `npm run build` refreshes it.
//   node bin/build.js          build when stale    node bin/build.js --check    exit 1 when stale
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = "build";
const MANIFEST = "manifest.json";
/** Each bundle's entry and its file in build/. Names matter: code finds its neighbours by `new URL("./x", import.meta.url)`. */
const BUNDLES = [
  { entry: "cli/entry.ts", file: "cli.mjs" },
  { entry: "scenarios/sweep-worker-entry.ts", file: "sweep-worker.js" },
];
/** Files read at run time beside the bundle, as reports/report-html.ts reads them beside itself. */
const COPIED = [{ from: "reports/client", to: "client" }];

/** What a file was when the bundle was built: a change to any of them makes the bundle stale. */
function stamp(root, path) {
  const stats = statSync(join(root, path));
  return { size: stats.size, mtimeMs: stats.mtimeMs };
}

/** The bundle's CLI module when build/ matches the sources it was built from; else undefined. */
export function freshBuild(root = ROOT) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(root, OUT, MANIFEST), "utf8"));
  } catch {
    return undefined;
  }
  if (manifest?.format !== 1 || manifest.node !== process.versions.node || typeof manifest.inputs !== "object") return undefined;
  for (const [path, was] of Object.entries(manifest.inputs)) {
    let now;
    try {
      now = statSync(join(root, path));
    } catch {
      return undefined;
    }
    if (now.size !== was.size || now.mtimeMs !== was.mtimeMs) return undefined;
  }
  for (const { file } of BUNDLES) if (!existsSync(join(root, OUT, file))) return undefined;
  return join(root, OUT, BUNDLES[0].file);
}

/** Bundles into a fresh folder and swaps it in whole, so a command started meanwhile sees the old build or the new one. */
export async function build(root = ROOT) {
  const { build: esbuild } = await import("esbuild");
  const staging = join(root, `${OUT}.${process.pid}.tmp`);
  rmSync(staging, { recursive: true, force: true });
  const inputs = {};
  for (const { entry, file } of BUNDLES) {
    const result = await esbuild({
      absWorkingDir: root, entryPoints: [entry], outfile: join(staging, file),
      bundle: true, platform: "node", format: "esm", target: `node${process.versions.node.split(".")[0]}`,
      packages: "external", sourcemap: "linked", metafile: true, logLevel: "warning",
    });
    for (const path of Object.keys(result.metafile.inputs)) inputs[path] = stamp(root, path);
  }
  for (const { from, to } of COPIED) {
    cpSync(join(root, from), join(staging, to), { recursive: true });
    for (const name of readdirFiles(join(root, from))) {
      const path = relative(root, name).split("\\").join("/");
      inputs[path] = stamp(root, path);
    }
  }
  // The manifest names this file and package.json too: a change to the builder or the dependencies rebuilds.
  for (const path of ["bin/build.js", "package.json", "package-lock.json"]) if (existsSync(join(root, path))) inputs[path] = stamp(root, path);
  writeFileSync(join(staging, MANIFEST), JSON.stringify({ format: 1, node: process.versions.node, inputs }, null, 1) + "\n");
  const old = join(root, `${OUT}.${process.pid}.old`);
  if (existsSync(join(root, OUT))) renameSync(join(root, OUT), old);
  renameSync(staging, join(root, OUT));
  rmSync(old, { recursive: true, force: true });
  return Object.keys(inputs).length;
}

function readdirFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? readdirFiles(join(dir, entry.name)) : [join(dir, entry.name)]);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes("--check")) {
    process.exitCode = freshBuild() === undefined ? 1 : 0;
  } else if (freshBuild() === undefined) {
    const files = await build();
    console.error(`faultline: bundled ${files} files into ${OUT}/`);
  }
}
