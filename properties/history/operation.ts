// A history is a list of operations in Jepsen's shape (docs/histories.md).
// `time` is true simulated time in µs; `index` is the position in the history.

export type OperationType = "invoke" | "ok" | "fail" | "info";

export interface Operation {
  process: number;
  type: OperationType;
  f: string;
  value: unknown;
  time: number;
  index: number;
  /** On fail/info: a short keyword such as "no-node", "bad-version", "timeout". */
  error?: string;
}
