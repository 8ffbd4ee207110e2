// The Wing–Gong–Lowe search over one partition, in the shape of Porcupine's checkSingle (checker.go):
// call and return entries in time order on a doubly-linked list; linearizing an operation "lifts" its two
// entries out of the list, backtracking "unlifts" them; a memo of (linearized set, state) prunes orders
// that lead to a configuration already explored.
//
// Our own changes:
// - An operation completed by `info` has its return at +infinity and is optional: when the first return
//   left on the list belongs to one, every operation that had to take effect has, and the ones left may
//   happen later or never. (Porcupine must linearize them all, which wrongly rejects a strict cas that
//   never took effect; Knossos lets them drop, as here.)
// - The search is resumable: run(statesLimit) stops after that many configurations and continues later,
//   so a checker can give every partition a small budget first and find a cheap violation quickly.
// - It remembers the furthest return entry it could not get past and how it got there (the witness).
// - Identical unknown-outcome operations are spent in call order only (linearizability-problem.ts).
import { ConfigSet, operationHashes } from "./wgl-config-set.ts";
import { ILLEGAL, type StepTable } from "./wgl-steps.ts";

const NIL = -1;
const STATES_KEPT_MAX = 8;

export interface PartitionProblem {
  /** For each of the 2n entries, in time order: its operation. */
  entryOp: Int32Array;
  /** 1 where the entry is a return. */
  entryIsReturn: Uint8Array;
  /** 1 where the operation's outcome is unknown (its return is at +infinity). */
  optional: Uint8Array;
  /**
   * For an optional operation, the closest earlier-called optional one that is identical (same input and
   * output), or -1. Identical unknown-outcome operations are interchangeable, so the search spends them
   * in call order only: an operation waits until its twin is linearized.
   */
  previousTwin: Int32Array;
  initialState: number;
}

export type SearchStatus = "running" | "linearizable" | "illegal";

/** Where the search got stuck: the first return no order could pass, and the orders that reached it. */
export interface Furthest {
  /** Entry position of the return that could not be passed (-1 if none was reached). */
  entry: number;
  /** The operations linearized, in order, the first time the search reached that return. */
  prefix: number[];
  /** Distinct model states in which the search stood before that return (up to 8). */
  states: number[];
}

export class PartitionSearch {
  status: SearchStatus = "running";
  statesExplored = 0;
  readonly operations: number;
  private readonly head: number;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly callEntry: Int32Array;
  private readonly returnEntry: Int32Array;
  /** The linearized set: required operations' words (in call order), then optional operations' words. */
  private readonly bits: Uint32Array;
  private readonly requiredWords: number;
  /** Each required word's value when all its operations are linearized. */
  private readonly fullWord: Uint32Array;
  private readonly wordOf: Int32Array;
  private readonly maskOf: Int32Array;
  /** Required words below `low` are full, above `high` empty: the memo stores only the window between. */
  private low = 0;
  private high = -1;
  private readonly opHashes: Int32Array;
  private readonly opStack: Int32Array;
  private readonly stateStack: Int32Array;
  private cache: ConfigSet | null;
  private bitsHash = 0;
  private depth = 0;
  private entry: number;
  private state: number;
  // The witness: the furthest return reached, the stack then, and the lowest depth since (for cheap copies).
  private furthestEntry = -1;
  private readonly furthestPrefix: Int32Array;
  private furthestLength = 0;
  private furthestStates: number[] = [];
  private lowWater = 0;

  constructor(private readonly problem: PartitionProblem, private readonly steps: StepTable) {
    const n = problem.optional.length;
    this.operations = n;
    this.head = 2 * n;
    this.next = new Int32Array(2 * n + 1);
    this.prev = new Int32Array(2 * n + 1);
    this.callEntry = new Int32Array(n);
    this.returnEntry = new Int32Array(n);
    for (let e = 0; e < 2 * n; e++) {
      this.next[e] = e + 1 < 2 * n ? e + 1 : NIL;
      this.prev[e] = e === 0 ? this.head : e - 1;
      const op = problem.entryOp[e]!;
      if (problem.entryIsReturn[e] === 1) this.returnEntry[op] = e;
      else this.callEntry[op] = e;
    }
    this.next[this.head] = n > 0 ? 0 : NIL;
    this.prev[this.head] = NIL;
    const required = problem.optional.reduce((count, optional) => count + (optional === 1 ? 0 : 1), 0);
    this.requiredWords = Math.ceil(required / 32);
    this.bits = new Uint32Array(this.requiredWords + Math.ceil((n - required) / 32));
    this.fullWord = new Uint32Array(this.requiredWords).fill(0xffffffff);
    if (required % 32 !== 0) this.fullWord[this.requiredWords - 1] = 2 ** (required % 32) - 1;
    this.wordOf = new Int32Array(n);
    this.maskOf = new Int32Array(n);
    const ranks = [0, 0];
    for (let op = 0; op < n; op++) {
      const optional = problem.optional[op]!;
      const rank = ranks[optional]!++;
      this.wordOf[op] = (optional === 1 ? this.requiredWords : 0) + (rank >>> 5);
      this.maskOf[op] = 1 << (rank & 31);
    }
    this.opHashes = operationHashes(n);
    this.opStack = new Int32Array(n);
    this.stateStack = new Int32Array(n);
    this.furthestPrefix = new Int32Array(n);
    this.cache = new ConfigSet(this.requiredWords, this.bits.length - this.requiredWords);
    this.entry = this.next[this.head]!;
    this.state = problem.initialState;
  }

  /** Bytes the memo holds, for a memory budget. */
  get memoBytes(): number {
    return this.cache?.bytes ?? 0;
  }

  /** Searches until decided or until `statesLimit` configurations have been explored in total. */
  run(statesLimit: number): SearchStatus {
    if (this.status !== "running") return this.status;
    const { next, callEntry, bits, opHashes, opStack, stateStack, steps, wordOf, maskOf } = this;
    const { entryOp, entryIsReturn, optional, previousTwin } = this.problem;
    const cache = this.cache!;
    const head = this.head;
    let { entry, state, depth, bitsHash, statesExplored } = this;
    let status: SearchStatus = "running";
    while (statesExplored < statesLimit) {
      if (entry === NIL) {
        status = "linearizable";
        break;
      }
      const op = entryOp[entry]!;
      if (entryIsReturn[entry] === 1) {
        if (optional[op] === 1) {
          status = "linearizable";
          break;
        }
        if (entry >= this.furthestEntry) this.noteFurthest(entry, state, depth);
        if (depth === 0) {
          status = "illegal";
          break;
        }
        depth--;
        if (depth < this.lowWater) this.lowWater = depth;
        const top = opStack[depth]!;
        state = stateStack[depth]!;
        this.clearBit(top);
        bitsHash ^= opHashes[top]!;
        this.unlift(top);
        entry = next[callEntry[top]!]!;
        continue;
      }
      // Identical unknown-outcome operations are spent in call order (linearizability-problem.ts).
      const twin = previousTwin[op]!;
      if (twin !== NIL && (bits[wordOf[twin]!]! & maskOf[twin]!) === 0) {
        entry = next[entry]!;
        continue;
      }
      const nextState = steps.next(state, op);
      if (nextState !== ILLEGAL) {
        this.setBit(op);
        const hash = bitsHash ^ opHashes[op]!;
        if (cache.add(bits, hash, nextState, this.low, this.high)) {
          bitsHash = hash;
          opStack[depth] = op;
          stateStack[depth] = state;
          depth++;
          state = nextState;
          this.lift(op);
          entry = next[head]!;
          statesExplored++;
          continue;
        }
        this.clearBit(op);
      }
      entry = next[entry]!;
    }
    this.entry = entry;
    this.state = state;
    this.depth = depth;
    this.bitsHash = bitsHash;
    this.statesExplored = statesExplored;
    this.status = status;
    if (status !== "running") this.cache = null;
    return status;
  }

  /** The operations in the order they were linearized (when linearizable). */
  linearization(): number[] {
    return Array.from(this.opStack.subarray(0, this.depth));
  }

  furthest(): Furthest {
    return {
      entry: this.furthestEntry,
      prefix: Array.from(this.furthestPrefix.subarray(0, this.furthestLength)),
      states: [...this.furthestStates],
    };
  }

  private setBit(op: number): void {
    const word = this.wordOf[op]!;
    this.bits[word]! |= this.maskOf[op]!;
    if (word >= this.requiredWords) return;
    if (word > this.high) this.high = word;
    while (this.low < this.requiredWords && this.bits[this.low] === this.fullWord[this.low]) this.low++;
  }

  private clearBit(op: number): void {
    const word = this.wordOf[op]!;
    this.bits[word]! &= ~this.maskOf[op]!;
    if (word >= this.requiredWords) return;
    if (word < this.low) this.low = word;
    while (this.high >= 0 && this.bits[this.high] === 0) this.high--;
  }

  /** Takes the operation's call and return entries out of the list: it is linearized. */
  private lift(op: number): void {
    const { next, prev } = this;
    const call = this.callEntry[op]!;
    const ret = this.returnEntry[op]!;
    next[prev[call]!] = next[call]!;
    prev[next[call]!] = prev[call]!; // a call is always followed, at least by its return
    next[prev[ret]!] = next[ret]!;
    if (next[ret] !== NIL) prev[next[ret]!] = prev[ret]!;
  }

  /** Puts them back where they were, in the reverse order (the entries kept their own links). */
  private unlift(op: number): void {
    const { next, prev } = this;
    const call = this.callEntry[op]!;
    const ret = this.returnEntry[op]!;
    next[prev[ret]!] = ret;
    if (next[ret] !== NIL) prev[next[ret]!] = ret;
    next[prev[call]!] = call;
    prev[next[call]!] = call;
  }

  private noteFurthest(entry: number, state: number, depth: number): void {
    if (entry > this.furthestEntry) {
      // Positions below lowWater were never popped since the last copy: copy only the rest.
      this.furthestPrefix.set(this.opStack.subarray(this.lowWater, depth), this.lowWater);
      this.furthestLength = depth;
      this.lowWater = depth;
      this.furthestEntry = entry;
      this.furthestStates = [state];
    } else if (this.furthestStates.length < STATES_KEPT_MAX && !this.furthestStates.includes(state)) {
      this.furthestStates.push(state);
    }
  }
}
