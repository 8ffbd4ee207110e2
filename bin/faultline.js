#!/usr/bin/env node
// Entry point: loads the TypeScript sources through tsx, so a fresh clone runs with no build step.
import { register } from "tsx/esm/api";
register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
