// The sweep's worker threads. A worker takes ~0.4 s to register tsx and load the simulator; a
// command that will sweep starts them first thing (bin/faultline.js), so they load while this
// thread loads the same modules, and the sweep then takes them warm.
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import Tinypool from "tinypool";

let early: { threads: number; pool: Tinypool } | undefined;

/** Jobs queued in each worker: the one it runs and the next, so it does not idle while this thread is busy in a job of its own. */
export const TASKS_PER_WORKER = 2;

function newPool(threads: number): Tinypool {
  return new Tinypool({
    filename: fileURLToPath(new URL("./sweep-worker.js", import.meta.url)),
    minThreads: threads, maxThreads: threads, concurrentTasksPerWorker: TASKS_PER_WORKER,
  });
}

/**
 * Starts the worker threads that `run` with these arguments will want. Only a guess from the
 * arguments, before they are parsed: a wrong guess costs a pool that `takePool` then closes.
 */
export function startPoolFor(argv: readonly string[]): void {
  if (argv[0] !== "run" || early !== undefined) return;
  const at = argv.findIndex((arg) => arg === "--workers" || arg.startsWith("--workers="));
  const text = at < 0 ? undefined : argv[at]!.includes("=") ? argv[at]!.slice("--workers=".length) : argv[at + 1];
  const workers = text === undefined ? availableParallelism() : Number(text);
  if (!Number.isInteger(workers) || workers < 2 || workers > 1024) return;
  early = { threads: workers - 1, pool: newPool(workers - 1) };
}

/** The early pool if it has this many threads, else a new one (closing the early one). */
export function takePool(threads: number): Tinypool {
  const pool = early?.threads === threads ? early.pool : undefined;
  closeEarlyPool();
  return pool ?? newPool(threads);
}

/** Closes an early pool no sweep took (the command failed, or the guess was wrong). */
export function closeEarlyPool(): void {
  if (early !== undefined) void early.pool.destroy();
  early = undefined;
}
