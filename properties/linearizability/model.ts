// The sequential specification a history is checked against (after Porcupine's model.go and
// Knossos' model.clj). A model is pure data-in, data-out: the checker interns its states and memoises its
// steps, so `step` may allocate freely; it is called once per distinct (state, operation) pair.
import type { Operation } from "../history/index.ts";

export type StepResult<State> = { ok: true; next: State } | { ok: false; why: string };

/** One operation as the search places it: what was asked and what was observed. */
export interface Call<Input, Output> {
  input: Input;
  output: Output;
}

/** A group of calls checked on its own (P-compositionality), with the state it starts from. */
export interface PartitionPlan<State> {
  /** Names the group in verdicts: "key 3", "path /a", "x,y". */
  key: string;
  /** Positions in the calls array given to `partition`. */
  members: number[];
  initial: State;
}

/**
 * `Initial` is the whole object's starting state (the tree, the map of keys); `State` is one partition's.
 * They are the same type for models that never split.
 */
export interface LinearizabilityModel<State = unknown, Input = unknown, Output = unknown, Initial = State> {
  name: string;
  /** The operation names this model knows; any other `f` is a user error. */
  fs: readonly string[];
  init(): Initial;
  /** `--initial JSON`: the state to start from instead of init(); throws HistoryError when malformed. */
  initialFrom(json: unknown): Initial;
  /**
   * An invoke and its completion (type ok, fail or info; a pending invoke arrives as info) as the call the
   * search must place, or null when the operation neither changed the state nor observed anything (a
   * failed write, a read that timed out). Throws HistoryError when a value has the wrong shape.
   * The checker makes every call completed by `info` optional: it may take effect after its invoke, or never.
   * `initial` is the state the check starts from (some conventions depend on it, e.g. Knossos' nil reads).
   */
  prepare(invoke: Operation, completion: Operation, initial: Initial): Call<Input, Output> | null;
  step(state: State, input: Input, output: Output): StepResult<State>;
  equal(a: State, b: State): boolean;
  /** A 32-bit integer; equal states must hash equal. */
  hash(state: State): number;
  /** Splits the calls into independent groups; absent = one group starting at `initial` (Initial = State). */
  partition?(calls: readonly Call<Input, Output>[], initial: Initial): PartitionPlan<State>[];
  /**
   * A partition's calls narrowed by what the whole partition proves, before the search: `optional[i]` says
   * call i's outcome is unknown. Returns each call, a narrower one (fewer states where it is legal; the same
   * step wherever it stays legal), or null for an unknown-outcome call that no linearization can contain.
   * It may only remove steps no complete linearization takes: the verdict must not change.
   */
  narrow?(calls: readonly Call<Input, Output>[], optional: readonly boolean[]): (Call<Input, Output> | null)[];
  /** Equal for calls that step alike from every state (identical unknown-outcome calls are twins); default: the canonical call. */
  effectKey?(input: Input, output: Output): string;
  /**
   * True for a call that leaves the state as it is wherever it is legal (a read): the search may then place
   * it as soon as it is legal and callable (wgl-search.ts, forced steps). Absent: never assumed.
   */
  readOnly?(input: Input, output: Output): boolean;
  /**
   * For a register-like model: the value a call needs the state to hold and the value it leaves (null: the
   * state as it was). What the proof relies on: a call with `needs` v is legal in no state but v, and a
   * legal step leads to `sets` (or leaves the state when `sets` is null). A null `needs` claims nothing
   * about where the call is legal (etcd's failed cas: any value but the one it expected). Lets the checker
   * refute a stale read without searching (stale-read.ts).
   */
  access?(input: Input, output: Output): { needs: State | null; sets: State | null };
  describeOperation(input: Input, output: Output): string;
  describeState(state: State): string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModel = LinearizabilityModel<any, any, any, any>;
