// A sweep worker thread's entry. Plain JavaScript because a worker starts without the parent's
// module hooks: it registers tsx itself, then runs jobs from sweep-job.ts.
import { register } from "tsx/esm/api";

register();
const { runSeedJob, artifactsJob } = await import("./sweep-job.ts");
const { firstFailureJob } = await import("./first-failure.ts");

export default runSeedJob;
export { firstFailureJob, artifactsJob };
