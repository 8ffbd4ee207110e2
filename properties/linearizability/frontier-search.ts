// A second search for the partitions the depth-first one (wgl-search.ts) cannot finish: it walks the
// history's events in time order, keeping every configuration reachable at that point (Knossos' `linear`
// checker, with Lowe's just-in-time linearization): at an operation's return, each configuration tries
// every order of the pending operations that ends by linearizing it, and the ones that cannot are dropped.
// An empty set of configurations at a return means no linearization exists, and that operation is the
// culprit.
//
// Why it exists: unknown-outcome (optional) operations never expire, so a depth-first search meets the
// same model state and pending set with every subset of them spent, up to 2^k configurations for k crashed
// writes. With all configurations of one moment in hand, dominance prunes exactly: from (state, pending
// linearized, optional spent) the search can do everything it could with more optional operations spent,
// so only the configurations spending a minimal set are kept. Histories heavy with `info` then stay far
// smaller; with many crashed operations of many kinds the minimal sets still multiply, and the relaxed
// mode (each may take effect any number of times: see the constructor) decides the common illegal case.
import type { Furthest, PartitionProblem, SearchStatus } from "./wgl-search.ts";
import { ILLEGAL, type StepTable } from "./wgl-steps.ts";

/** The operations linearized so far, newest first; configurations share their common past. */
interface Path {
  op: number;
  before: Path | null;
}

interface Config {
  state: number;
  /** Pending required operations already linearized, by slot. */
  linearized: Uint32Array;
  /** Optional operations spent, by optional number. */
  spent: Uint32Array;
  spentCount: number;
  path: Path | null;
}

/** The configurations of one moment, each (state, linearized) keeping only minimal spent sets. */
class Antichain {
  private byKey = new Map<string, Config[]>();

  /** Adds `config` unless one with the same state and pending set spends a subset; true when added. */
  admit(config: Config): boolean {
    const key = `${config.state}:${config.linearized.join(",")}`;
    const kept = this.byKey.get(key);
    if (!kept) {
      this.byKey.set(key, [config]);
      return true;
    }
    if (kept.some((other) => subset(other.spent, config.spent))) return false;
    const survivors = kept.filter((other) => !subset(config.spent, other.spent));
    survivors.push(config);
    this.byKey.set(key, survivors);
    return true;
  }

  all(): Config[] {
    return [...this.byKey.values()].flat();
  }
}

function subset(a: Uint32Array, b: Uint32Array): boolean {
  for (let w = 0; w < a.length; w++) if ((a[w]! & ~b[w]!) !== 0) return false;
  return true;
}

/** The work of one return, kept between runs so a budget can stop and resume it. */
interface Closure {
  op: number;
  seen: Antichain;
  result: Antichain;
  /** Configurations to expand, by number of optional operations spent (fewest first: dominance). */
  buckets: Config[][];
  bucket: number;
  at: number;
  /** statesExplored when the closure began: one return's cost, against closureStatesMax. */
  startStates: number;
}

export class FrontierSearch {
  /** Heap bytes a configuration holds (object, two small typed arrays, a path cell, its key), measured. */
  static readonly bytesPerState = 700;
  /** The relaxed search is meant to stay small; past this many configurations for one return it gives up. */
  static readonly relaxedClosureStatesMax = 100_000;
  /** Nor may it make up more than this many model states (see makesUpStates). */
  static readonly relaxedNewStatesMax = 10_000;
  private statesCreated = 0;
  private statesSeen = 0;
  status: SearchStatus = "running";
  statesExplored = 0;
  /** Gave up: one return needed more than closureStatesMax configurations. Running it again does nothing. */
  abandoned = false;
  private frontier: Config[];
  private event = 0;
  private closure: Closure | null = null;
  private readonly slotOf: Int32Array;
  private readonly freeSlots: number[] = [];
  private readonly slotWords: number;
  private readonly optionalNumber: Int32Array;
  private readonly spentWords: number;
  /** Unknown-outcome operations in the partition: without any, the relaxation is exact. */
  readonly optionalCount: number;
  private readonly open: number[] = [];
  private readonly available: number[] = [];
  private furthestSeen: Furthest = { entry: -1, prefix: [], states: [] };

  /**
   * With `reuseOptional`, an unknown-outcome operation may take effect any number of times: a relaxation
   * that has more linearizations than the history, so its "illegal" is final while its "linearizable"
   * proves nothing (unless the partition has no such operations). It has no spent sets to tell apart, so
   * it stays small where the exact search drowns in combinations of crashed operations.
   */
  constructor(
    private readonly problem: PartitionProblem,
    private readonly steps: StepTable,
    readonly reuseOptional = false,
    private readonly closureStatesMax = Infinity,
  ) {
    const n = problem.optional.length;
    this.slotOf = new Int32Array(n).fill(-1);
    this.optionalNumber = new Int32Array(n).fill(-1);
    let optionalCount = 0;
    for (let op = 0; op < n; op++) if (problem.optional[op] === 1) this.optionalNumber[op] = optionalCount++;
    this.optionalCount = optionalCount;
    this.spentWords = reuseOptional ? 0 : Math.ceil(optionalCount / 32);
    this.slotWords = Math.max(1, Math.ceil(concurrencyMax(problem) / 32));
    for (let slot = concurrencyMax(problem) - 1; slot >= 0; slot--) this.freeSlots.push(slot);
    this.statesSeen = steps.states.length;
    this.frontier = [{ state: problem.initialState, linearized: new Uint32Array(this.slotWords), spent: new Uint32Array(this.spentWords), spentCount: 0, path: null }];
  }

  run(statesLimit: number): SearchStatus {
    const { entryOp, entryIsReturn, optional } = this.problem;
    this.statesSeen = this.steps.states.length; // states the other searches made since are not ours
    while (this.status === "running" && !this.abandoned) {
      if (this.event >= entryOp.length) {
        this.status = "linearizable";
        break;
      }
      const op = entryOp[this.event]!;
      if (entryIsReturn[this.event] === 0) {
        if (optional[op] === 1) this.available.push(op);
        else this.openOperation(op);
        this.event++;
        continue;
      }
      // Optional returns are at +infinity: once one is reached, every required operation has been placed.
      if (optional[op] === 1) {
        this.status = "linearizable";
        break;
      }
      const next = this.closeOver(op, statesLimit);
      if (next === null) break; // budget spent mid-return; resumes here
      if (next.length === 0) {
        this.noteStuck();
        this.status = "illegal";
        break;
      }
      this.frontier = next;
      this.closeOperation(op);
      this.event++;
    }
    return this.status;
  }

  linearization(): number[] {
    return pathToArray(this.frontier[0]?.path ?? null);
  }

  furthest(): Furthest {
    return this.furthestSeen;
  }

  /**
   * The relaxed search is worth running only where reuse adds no model states (a register's values are
   * those written): where it does (a kv value appended to again and again), it would grow without end.
   */
  private makesUpStates(): boolean {
    if (!this.reuseOptional) return false;
    this.statesCreated += this.steps.states.length - this.statesSeen;
    this.statesSeen = this.steps.states.length;
    return this.statesCreated > FrontierSearch.relaxedNewStatesMax;
  }

  private openOperation(op: number): void {
    const slot = this.freeSlots.pop()!;
    this.slotOf[op] = slot;
    this.open.push(op);
  }

  private closeOperation(op: number): void {
    this.freeSlots.push(this.slotOf[op]!);
    this.open.splice(this.open.indexOf(op), 1);
  }

  private noteStuck(): void {
    const states = [...new Set(this.frontier.map((config) => config.state))].slice(0, 8);
    this.furthestSeen = { entry: this.event, prefix: pathToArray(this.frontier[0]!.path), states };
  }

  /** The configurations after `op` returns, or null when the budget ran out first. */
  private closeOver(op: number, statesLimit: number): Config[] | null {
    if (!this.closure || this.closure.op !== op) {
      const slot = this.slotOf[op]!;
      const seen = new Antichain();
      const result = new Antichain();
      const buckets: Config[][] = [];
      for (const config of this.frontier) {
        if ((config.linearized[slot >>> 5]! & (1 << (slot & 31))) === 0) {
          if (seen.admit(config)) (buckets[config.spentCount] ??= []).push(config);
          continue;
        }
        // Placed earlier, on the way to another operation's return: done; its slot is freed.
        const linearized = config.linearized.slice();
        linearized[slot >>> 5]! &= ~(1 << (slot & 31));
        result.admit({ ...config, linearized });
      }
      this.closure = { op, seen, result, buckets, bucket: 0, at: 0, startStates: this.statesExplored };
    }
    const closure = this.closure;
    for (; closure.bucket < closure.buckets.length; closure.bucket++, closure.at = 0) {
      const bucket = closure.buckets[closure.bucket] ?? [];
      for (; closure.at < bucket.length; closure.at++) {
        if (this.statesExplored >= statesLimit) return null;
        if (this.statesExplored - closure.startStates > this.closureStatesMax || this.makesUpStates()) {
          this.abandoned = true;
          return null;
        }
        this.expand(bucket[closure.at]!, closure);
      }
    }
    this.closure = null;
    return closure.result.all();
  }

  /**
   * Every one-operation step from `config`; a step that linearizes the returning operation ends there. A
   * pending read-only operation legal in the state is the one step taken, as in the depth-first search
   * (wgl-search.ts, `forced`): it was called before now and everything else unplaced returns after now, so
   * moving it to the front of any completion keeps real time and every state.
   */
  private expand(config: Config, closure: Closure): void {
    const forced = this.forcedStep(config);
    if (forced !== -1) {
      this.stepOpen(config, closure, forced);
      return;
    }
    for (const op of this.open) this.stepOpen(config, closure, op);
    for (const op of this.available) {
      const number = this.optionalNumber[op]!;
      if (!this.reuseOptional) {
        if ((config.spent[number >>> 5]! & (1 << (number & 31))) !== 0) continue;
        const twin = this.problem.previousTwin[op]!;
        if (twin !== -1 && !this.spent(config, twin)) continue;
      }
      const state = this.steps.next(config.state, op);
      if (state === ILLEGAL) continue;
      this.statesExplored++;
      const path = { op, before: config.path };
      const next = this.reuseOptional ? { ...config, state, path } : this.spending(config, number, state, path);
      if (closure.seen.admit(next)) (closure.buckets[next.spentCount] ??= []).push(next);
    }
  }

  private forcedStep(config: Config): number {
    for (const op of this.open) {
      if (this.problem.readOnly[op] === 0 || this.linearized(config, op)) continue;
      if (this.steps.next(config.state, op) === config.state) return op;
    }
    return -1;
  }

  private linearized(config: Config, op: number): boolean {
    const slot = this.slotOf[op]!;
    return (config.linearized[slot >>> 5]! & (1 << (slot & 31))) !== 0;
  }

  /** Linearizes the pending required `op` from `config`, if legal there. */
  private stepOpen(config: Config, closure: Closure, op: number): void {
    if (this.linearized(config, op)) return;
    const state = this.steps.next(config.state, op);
    if (state === ILLEGAL) return;
    this.statesExplored++;
    const slot = this.slotOf[op]!;
    const linearized = config.linearized.slice();
    const path = { op, before: config.path };
    if (op === closure.op) {
      // Just in time: the operation is placed; anything else can still go later.
      closure.result.admit({ ...config, state, linearized, path });
      return;
    }
    linearized[slot >>> 5]! |= 1 << (slot & 31);
    const next = { ...config, state, linearized, path };
    if (closure.seen.admit(next)) closure.buckets[config.spentCount]!.push(next);
  }

  private spending(config: Config, number: number, state: number, path: Path): Config {
    const spent = config.spent.slice();
    spent[number >>> 5]! |= 1 << (number & 31);
    return { state, linearized: config.linearized, spent, spentCount: config.spentCount + 1, path };
  }

  private spent(config: Config, op: number): boolean {
    const number = this.optionalNumber[op]!;
    return (config.spent[number >>> 5]! & (1 << (number & 31))) !== 0;
  }
}

function concurrencyMax(problem: PartitionProblem): number {
  let open = 0;
  let most = 0;
  for (let e = 0; e < problem.entryOp.length; e++) {
    if (problem.optional[problem.entryOp[e]!] === 1) continue;
    open += problem.entryIsReturn[e] === 1 ? -1 : 1;
    most = Math.max(most, open);
  }
  return most;
}

function pathToArray(path: Path | null): number[] {
  const ops: number[] = [];
  for (let at = path; at; at = at.before) ops.push(at.op);
  return ops.reverse();
}
