// What a caller asks of checkLinearizable (check.ts); its own file so that the search
// schedule can take it without importing the entry point that calls the schedule.

export interface LinearizabilityOptions {
  /**
   * Configurations each partition may explore before the verdict is "unknown" (deterministic; the frontier
   * search may pass its share by the steps of one configuration).
   */
  statesMax: number;
  /** A wall-clock limit for the whole check, in ms; needs `nowMs`. */
  timeoutMs?: number;
  /** The caller's clock in ms. properties/ never reads the wall clock itself, so a replay keeps its verdict. */
  nowMs?: () => number;
  /** JSON overriding the model's initial state. */
  initial?: unknown;
  /** Memory per partition in bytes (default 1 GiB); a search that reaches its share stops as if out of states. */
  memoBytesMax?: number;
}
