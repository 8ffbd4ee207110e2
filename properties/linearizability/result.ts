// What checkLinearizable answers. Plain JSON-able data: it goes into reports and `--json` as it is.

/** One operation as a verdict names it. */
export interface OperationRef {
  /** The invoke's `index` in the history. */
  index: number;
  process: number;
  f: string;
  /** The model's reading of it: "read → 3", "cas 1 → 2 (swapped)". */
  description: string;
  outcome: "ok" | "fail" | "info" | "pending";
  invokeTime: number;
  /** null: it never completed, or its outcome is unknown (info). */
  completionTime: number | null;
}

/** One attempt to place an operation: in which state, and what the model said. */
export interface TriedStep {
  state: string;
  ok: boolean;
  /** "→ <next state>" when legal, else the model's reason. */
  result: string;
}

export interface PartitionFailure {
  /** The partition ("key 3", "path /a"; "" when the model does not split). */
  key: string;
  /** The first operation whose completion no order of the operations before it can reach. */
  culprit: OperationRef;
  /**
   * The linearizable prefix that got furthest: invoke indexes, in linearization order. (When the relaxed
   * search found the violation, an unknown-outcome operation in it may have stood for several effects.)
   */
  prefix: number[];
  stateAfterPrefix: string;
  /** The culprit and the operations concurrent with it, each tried in the states the search stood in
   *  when it could go no further (up to 8), with what the model said there. */
  window: { operation: OperationRef; inPrefix: boolean; tried: TriedStep[] }[];
  /**
   * Set when a rule proved the culprit impossible without a search (stale-read.ts): the prefix is then
   * empty, the window holds the operations the proof names (nothing tried), and `why` is the proof.
   */
  refutation?: { rule: "stale-read"; why: string };
}

interface Common {
  model: string;
  /** Operations the search had to place (after dropping those that observed and changed nothing). */
  operations: number;
  partitions: number;
  /** Configurations explored over all partitions (deterministic: the budget counts these). */
  statesExplored: number;
}

export interface Linearizable extends Common {
  valid: true;
  /** Per partition, one linearization (invoke indexes in order; optional operations left out never happened). */
  linearizations: { key: string; order: number[] }[];
}

export interface NotLinearizable extends Common {
  valid: false;
  failures: PartitionFailure[];
}

export interface Undecided extends Common {
  valid: "unknown";
  reason: "states-max" | "timeout";
  /** The partitions left undecided. */
  undecided: string[];
}

export type LinearizabilityResult = Linearizable | NotLinearizable | Undecided;
