#!/usr/bin/env node
// Entry point. Runs the bundle `npm ci` built (bin/build.js) while it matches the sources, and the
// TypeScript sources through tsx otherwise, so a fresh clone, or one with edited files, runs with
// no build step. FAULTLINE_BUILD=off always runs the sources; =require fails unless the bundle is fresh.
import { pathToFileURL } from "node:url";
import { freshBuild } from "./build.js";

const argv = process.argv.slice(2);
const mode = process.env.FAULTLINE_BUILD ?? "auto";
const bundle = mode === "off" ? undefined : freshBuild();
if (bundle === undefined && mode === "require") {
  console.error("faultline: FAULTLINE_BUILD=require, but build/ is missing or older than the sources: run `npm run build`");
  process.exit(3);
}
let cli;
if (bundle !== undefined) {
  cli = await import(pathToFileURL(bundle).href);
  cli.startPoolFor(argv);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  // A sweep's worker threads start before this thread loads the CLI, so both load at once.
  const early = await import("../cli/early-pool.ts");
  early.startPoolFor(argv);
  cli = { ...early, ...(await import("../cli/main.ts")) };
}
process.exitCode = await cli.main(argv);
cli.closeEarlyPool();
