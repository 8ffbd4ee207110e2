// What bin/faultline.js calls before it loads the CLI: a run's worker threads start loading at once.
export { startPoolFor, closeEarlyPool } from "../scenarios/worker-pool.ts";
