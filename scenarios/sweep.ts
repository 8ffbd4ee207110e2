// A sweep: many seed jobs on K lanes: this thread runs jobs itself and K-1 worker threads run the
// rest, so K=2 starts one worker, whose start-up and warm-up overlap this thread's first jobs.
// Jobs are pure, so the reports do not depend on K or on the order jobs finish in; only which
// seeds ran depends on a time budget. Failures are shrunk in a second phase, chosen in seed order,
// so the choice is the same for any K.
import { setImmediate as nextTurn } from "node:timers/promises"; // wall-clock-ok: only yields to the event loop between jobs
import { takePool, TASKS_PER_WORKER } from "./worker-pool.ts";
import { artifactsJob, runSeedJob, violatedProperties, type ArtifactsJob, type ArtifactsReport, type SeedJob, type SeedReport } from "./sweep-job.ts";
import { firstFailureJob, type FirstFailureJob, type FirstFailureReport } from "./first-failure.ts";

export interface SweepOptions {
  /** Worker threads; 1 runs every job in this thread. */
  workers: number;
  /** No job starts after this many wall milliseconds from the sweep's start. */
  timeBudgetMs?: number;
  /** Shrink the first this-many failures of each property of each scenario (0: none). */
  shrinksPerProperty: number;
  /** Called as each job ends, in the order they end. */
  onReport?(report: SeedReport, phase: Phase): void;
  /** Called as each phase starts, with its number of jobs. */
  onPhase?(phase: Phase, jobs: number): void;
  /**
   * Called once the failures are shrunk: names the final replay file of each failure (the caller
   * renames the smallest per property), whose report the sweep then writes.
   */
  finalFiles?(reports: SeedReport[]): string[];
  onArtifacts?(report: ArtifactsReport): void;
}

export type Phase = "run" | "shrink" | "report";

export interface SweepResult {
  /** One report per job that ran, in job order; a shrunk failure's report replaces its first one. */
  reports: SeedReport[];
  /** Jobs never started because the time budget ran out. */
  skipped: number;
  /** The reports written for the final failures. */
  artifacts: ArtifactsReport[];
}

/** One place a job runs: this thread, or one of a worker thread's slots. */
export interface Lane {
  run(job: SeedJob): Promise<SeedReport>;
  runFirstFailure(job: FirstFailureJob): Promise<FirstFailureReport>;
  runArtifacts(job: ArtifactsJob): Promise<ArtifactsReport>;
}

/** Where jobs run: this thread, plus a pool of worker threads that load sweep-worker.js. */
export interface Executor {
  /** Each lane takes the next job when its last one ends. */
  readonly lanes: readonly Lane[];
  close(): Promise<void>;
}

export async function sweep(jobs: readonly SeedJob[], options: SweepOptions): Promise<SweepResult> {
  const started = performance.now(); // wall-clock-ok: the time budget only decides which seeds start, never a verdict
  const expired = () => options.timeBudgetMs !== undefined && performance.now() - started >= options.timeBudgetMs; // wall-clock-ok
  const executor = openExecutor(options.workers);
  try {
    options.onPhase?.("run", jobs.length);
    const first = await runAll(jobs, executor, expired, (report) => options.onReport?.(report, "run"));
    const ran = first.filter((report): report is SeedReport => report !== undefined);
    const chosen = shrinkTargets(ran, options.shrinksPerProperty);
    const targets = jobs.filter((job) => chosen.has(keyOf(job)));
    options.onPhase?.("shrink", targets.length);
    const shrunk = await runAll(targets.map((job) => ({ ...job, shrink: true })), executor, expired, (report) => options.onReport?.(report, "shrink"));
    const better = new Map(shrunk.filter((r): r is SeedReport => r !== undefined).map((report) => [keyOf(report), report]));
    const reports = ran.map((report) => better.get(keyOf(report)) ?? report);
    const files = options.finalFiles?.(reports) ?? [];
    options.onPhase?.("report", files.length);
    // Every saved failure gets its report, time budget or not: a failure without one is half saved.
    const options_ = jobs[0]?.options ?? {};
    const written = await mapLanes(files, executor, async (lane, file) => {
      const done = await lane.runArtifacts({ file, options: options_ });
      options.onArtifacts?.(done);
      return done;
    });
    return { reports, skipped: jobs.length - ran.length, artifacts: written.filter((r): r is ArtifactsReport => r !== undefined) };
  } finally {
    await executor.close();
  }
}

/**
 * The failures worth shrinking (each costs hundreds of runs): in job order, a failure is shrunk
 * while one of its violated properties has had fewer than `perProperty` shrunk in its scenario.
 */
export function shrinkTargets(reports: readonly SeedReport[], perProperty: number): Set<string> {
  const chosen = new Set<string>();
  const counts = new Map<string, number>();
  for (const report of reports) {
    const violated = violatedProperties(report);
    if (!violated.some((name) => (counts.get(`${report.scenario}\0${name}`) ?? 0) < perProperty)) continue;
    chosen.add(keyOf(report));
    for (const name of violated) counts.set(`${report.scenario}\0${name}`, (counts.get(`${report.scenario}\0${name}`) ?? 0) + 1);
  }
  return chosen;
}

function keyOf(job: { scenario: string; seed: number }): string {
  return `${job.scenario}\0${job.seed}`;
}

/** Starts jobs in order, one per free lane, until they end or time runs out. */
function runAll(jobs: readonly SeedJob[], executor: Executor, expired: () => boolean, onReport: (report: SeedReport) => void): Promise<Array<SeedReport | undefined>> {
  return mapLanes(jobs, executor, async (lane, job) => {
    const report = await lane.run(job);
    onReport(report);
    return report;
  }, expired);
}

/** `work` on each item in order, each lane taking the next item as it frees; items not started before `stop()` stay undefined (all but the first). */
export async function mapLanes<T, R>(items: readonly T[], executor: Executor, work: (lane: Lane, item: T) => Promise<R>, stop: () => boolean = () => false): Promise<Array<R | undefined>> {
  const results: Array<R | undefined> = new Array(items.length).fill(undefined);
  let next = 0;
  const drive = async (lane: Lane): Promise<void> => {
    // The first item always starts: a budget smaller than one job still runs one, so a run says something.
    while (next < items.length && (next === 0 || !stop())) {
      const index = next++;
      results[index] = await work(lane, items[index]!);
    }
  };
  await Promise.all(executor.lanes.slice(0, items.length).map(drive));
  return results;
}

/** This thread as a lane. It yields between jobs so that progress output, signals and the workers' replies are handled. */
const thisThread: Lane = {
  run: async (job) => { await nextTurn(); return runSeedJob(job); },
  runFirstFailure: async (job) => { await nextTurn(); return firstFailureJob(job); },
  runArtifacts: async (job) => { await nextTurn(); return artifactsJob(job); },
};

/**
 * K lanes of work: this thread and K-1 worker threads. This thread is warm (it has loaded and run
 * the code), so it works from the first instant while each worker loads its modules; a worker holds
 * a job ahead so that it does not idle while this thread is busy in a job and cannot hand it one.
 */
export function openExecutor(workers: number): Executor {
  if (workers <= 1) return { lanes: [thisThread], close: async () => {} };
  const threads = workers - 1;
  const pool = takePool(threads);
  const slot: Lane = {
    run: (job) => pool.run(job) as Promise<SeedReport>,
    runFirstFailure: (job) => pool.run(job, { name: "firstFailureJob" }) as Promise<FirstFailureReport>,
    runArtifacts: (job) => pool.run(job, { name: "artifactsJob" }) as Promise<ArtifactsReport>,
  };
  return {
    lanes: [thisThread, ...Array.from({ length: threads * TASKS_PER_WORKER }, () => slot)],
    close: () => pool.destroy(),
  };
}
