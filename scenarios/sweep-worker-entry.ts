// What a sweep worker runs, in one module: the worker bundle's entry (bin/build.js). The bundle is
// build/sweep-worker.js, beside build/cli.mjs, where worker-pool.ts looks for its worker.
export { runSeedJob as default, artifactsJob } from "./sweep-job.ts";
export { firstFailureJob } from "./first-failure.ts";
