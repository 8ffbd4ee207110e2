// A sweep worker thread's entry when the command runs from the sources. Plain JavaScript because a
// worker starts without the parent's module hooks: it registers tsx itself. (From the bundle, the
// worker is build/sweep-worker.js, built from the same entry.)
import { register } from "tsx/esm/api";

register();
const jobs = await import("./sweep-worker-entry.ts");

export default jobs.default;
export const { firstFailureJob, artifactsJob } = jobs;
