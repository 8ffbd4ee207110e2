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
// - Identical unknown-outcome operations are spent in call order only (problem.ts).
// - Just-in-time linearization of unknown-outcome operations (after Lowe, "Testing for linearizability",
//   2017): a run of optional operations is placed only where the next operation needs it (see `pointless`).
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
  /** 1 where the model says the operation changes no state wherever it is legal (a read). */
  readOnly: Uint8Array;
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
  /**
   * For each depth, where the run of optional operations it ends began: the depth just after the last
   * required operation on the stack below it (0 when none).
   */
  private readonly segmentStack: Int32Array;
  private readonly justInTime: boolean;
  private readonly greedy: boolean;
  /** The current run of optional operations began at this depth (stateStack[segment..depth-1] are its states). */
  private segment = 0;
  /**
   * 1 where the operation at that depth was forced: a required operation that leaves the state as it is and
   * may be placed now (a read of the current value). If a complete linearization exists from there, one
   * exists that places it first: move it to the front of any, and every operation keeps the state it saw
   * (it changes none), and real time is kept (it is a candidate, so all that returned before its call are
   * placed already; placing it earlier only puts it before more). So it is the one step tried there, and
   * when it leads nowhere, neither does the configuration it was forced in.
   */
  private readonly forced: Uint8Array;
  /** The configuration at the top of the stack has not been looked at for a forced step yet. */
  private scan = true;
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

  /**
   * `justInTime: false` turns off the pruning of pointless optional runs, `greedy: false` forced steps
   * (for tests that compare).
   */
  constructor(
    private readonly problem: PartitionProblem,
    private readonly steps: StepTable,
    { justInTime = true, greedy = true }: { justInTime?: boolean; greedy?: boolean } = {},
  ) {
    this.justInTime = justInTime;
    this.greedy = greedy;
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
    this.segmentStack = new Int32Array(n);
    this.forced = new Uint8Array(n);
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
    const { next, callEntry, bits, opHashes, opStack, stateStack, segmentStack, forced, steps, wordOf, maskOf, justInTime, greedy } = this;
    const { entryOp, entryIsReturn, optional, previousTwin, readOnly } = this.problem;
    const cache = this.cache!;
    const head = this.head;
    let { entry, state, depth, bitsHash, statesExplored, segment } = this;
    let status: SearchStatus = "running";
    let scan = this.scan;
    search: while (statesExplored < statesLimit) {
      if (entry === NIL) {
        status = "linearizable";
        break;
      }
      // A configuration just entered: is there a forced step (see `forced`)? Then it is the only one tried.
      let stuck = false;
      if (scan) {
        scan = false;
        for (let e = entry; greedy && e !== NIL && entryIsReturn[e] === 0; e = next[e]!) {
          const op = entryOp[e]!;
          if (readOnly[op] === 0 || optional[op] === 1 || steps.next(state, op) !== state) continue;
          if (justInTime && segment < depth && this.pointless(op, state, segment, depth, state)) {
            stuck = true;
            break;
          }
          this.setBit(op);
          const hash = bitsHash ^ opHashes[op]!;
          if (!cache.add(bits, hash, state, this.low, this.high)) {
            this.clearBit(op);
            stuck = true;
            break;
          }
          bitsHash = hash;
          opStack[depth] = op;
          stateStack[depth] = state;
          segmentStack[depth] = segment;
          forced[depth] = 1;
          depth++;
          segment = depth;
          this.lift(op);
          entry = next[head]!;
          statesExplored++;
          scan = true;
          continue search;
        }
      }
      const op = entryOp[entry]!;
      if (stuck || entryIsReturn[entry] === 1) {
        if (!stuck) {
          if (optional[op] === 1) {
            status = "linearizable";
            break;
          }
          if (entry >= this.furthestEntry) this.noteFurthest(entry, state, depth);
        }
        // Back to the previous configuration; one whose step was forced has no other to try: back again.
        let top: number;
        for (;;) {
          if (depth === 0) {
            status = "illegal";
            break search;
          }
          depth--;
          if (depth < this.lowWater) this.lowWater = depth;
          top = opStack[depth]!;
          state = stateStack[depth]!;
          segment = segmentStack[depth]!;
          this.clearBit(top);
          bitsHash ^= opHashes[top]!;
          this.unlift(top);
          if (forced[depth] === 0) break;
          forced[depth] = 0;
        }
        entry = next[callEntry[top]!]!;
        continue;
      }
      // Identical unknown-outcome operations are spent in call order (problem.ts).
      const twin = previousTwin[op]!;
      if (twin !== NIL && (bits[wordOf[twin]!]! & maskOf[twin]!) === 0) {
        entry = next[entry]!;
        continue;
      }
      const nextState = steps.next(state, op);
      if (nextState !== ILLEGAL && !(justInTime && segment < depth && this.pointless(op, nextState, segment, depth, state))) {
        this.setBit(op);
        const hash = bitsHash ^ opHashes[op]!;
        if (cache.add(bits, hash, nextState, this.low, this.high)) {
          bitsHash = hash;
          opStack[depth] = op;
          stateStack[depth] = state;
          segmentStack[depth] = segment;
          depth++;
          if (optional[op] === 0) segment = depth;
          state = nextState;
          this.lift(op);
          entry = next[head]!;
          statesExplored++;
          scan = true;
          continue;
        }
        this.clearBit(op);
      }
      entry = next[entry]!;
    }
    this.scan = scan;
    this.entry = entry;
    this.state = state;
    this.depth = depth;
    this.bitsHash = bitsHash;
    this.segment = segment;
    this.statesExplored = statesExplored;
    this.status = status;
    if (status !== "running") this.cache = null;
    return status;
  }

  /**
   * Whether placing `op` (to `nextState`) right after the run of optional operations on the stack from
   * depth `segment` would be pointless: the run, or its tail, does nothing `op` needs.
   *
   * - `op` takes some state of the run (the one before its operation at depth j) to the same `nextState`:
   *   the run's operations from j on did nothing for it. (A write after a run of crashed writes.)
   * - `op` is optional and takes the run back to one of its states: the run from there is a cycle.
   *
   * Why pruning is sound: the configuration C reached would be (R, O, nextState), and the one C' reached
   * by placing `op` at depth j instead (or stopping there, for a cycle) is (R, O', nextState) with the same
   * required set R, fewer optional operations spent (O' a proper subset of O), and the same model state.
   * Every way C can finish works from C' too: the same required operations are pending (candidates depend
   * only on R: an optional operation's return is at +infinity) and its optional operations are unspent in
   * C' as well; an optional one whose twin (problem.ts) is spent in C but not in C' is
   * replaced by that earlier-called twin. C' is one of the configurations the search reaches (`op` is a
   * candidate at depth j: R is the same there, and the run holds only optional operations), so if any
   * complete linearization exists the search still finds one: take a reached configuration that can finish,
   * nearest to finishing and with the fewest optional operations spent; it cannot have been pruned (the
   * C' it was pruned for would be as near with fewer spent, or for the memo the same configuration
   * already entered), so it was entered and its next step on the way is reached, nearer still.
   */
  private pointless(op: number, nextState: number, segment: number, depth: number, state: number): boolean {
    const { stateStack, steps } = this;
    const optional = this.problem.optional[op] === 1;
    if (optional && nextState === state) return true;
    for (let j = segment; j < depth; j++) {
      const before = stateStack[j]!;
      if (steps.next(before, op) === nextState || (optional && before === nextState)) return true;
    }
    return false;
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
