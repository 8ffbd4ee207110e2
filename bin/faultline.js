#!/usr/bin/env node
// Entry point: loads the TypeScript sources through tsx, so a fresh clone runs with no build step.
import { register } from "tsx/esm/api";
register();
const argv = process.argv.slice(2);
// A sweep's worker threads start before this thread loads the CLI, so both load at once.
const { startPoolFor, closeEarlyPool } = await import("../cli/early-pool.ts");
startPoolFor(argv);
const { main } = await import("../cli/main.ts");
process.exitCode = await main(argv);
closeEarlyPool();
