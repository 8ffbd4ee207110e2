// Model states as small integers, and each (state, operation) step computed once. The search then moves
// between integers only: a model's step may parse and allocate, but it runs once per distinct pair, not
// once per configuration (the same step recurs across the many orders the search tries).
import type { AnyModel, Call } from "./model.ts";

export const ILLEGAL = -1;

export class StepTable {
  readonly states: unknown[] = [];
  private byHash = new Map<number, number[]>();
  // Open addressing over (state, op) → next state or ILLEGAL.
  private keyStates: Int32Array;
  private keyOps: Int32Array;
  private values: Int32Array;
  private mask: number;
  private size = 0;

  constructor(private readonly model: AnyModel, private readonly calls: readonly Call<unknown, unknown>[], capacity = 1024) {
    this.keyStates = new Int32Array(capacity).fill(-1);
    this.keyOps = new Int32Array(capacity);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  /** Heap bytes the interned states hold, roughly (string states grow: a kv value appended to at length). */
  bytes = 0;

  intern(state: unknown): number {
    const hash = this.model.hash(state) | 0;
    const ids = this.byHash.get(hash);
    if (ids) {
      for (const id of ids) if (this.model.equal(this.states[id], state)) return id;
      ids.push(this.states.length);
    } else {
      this.byHash.set(hash, [this.states.length]);
    }
    this.states.push(state);
    this.bytes += typeof state === "string" ? 96 + 2 * state.length : 128; // with the Map entry and bucket
    return this.states.length - 1;
  }

  /** The state after `op` from `state`, or ILLEGAL. */
  next(state: number, op: number): number {
    let slot = slotOf(state, op) & this.mask;
    for (;;) {
      const stored = this.keyStates[slot]!;
      if (stored === -1) break;
      if (stored === state && this.keyOps[slot] === op) return this.values[slot]!;
      slot = (slot + 1) & this.mask;
    }
    const value = this.compute(state, op);
    if ((this.size + 1) * 2 > this.keyStates.length) {
      this.grow();
      this.store(state, op, value);
    } else {
      this.keyStates[slot] = state;
      this.keyOps[slot] = op;
      this.values[slot] = value;
      this.size++;
    }
    return value;
  }

  /** The model's own answer, with its reason: for witnesses. */
  explain(state: number, op: number): { ok: true; next: number } | { ok: false; why: string } {
    const call = this.calls[op]!;
    const result = this.model.step(this.states[state], call.input, call.output);
    return result.ok ? { ok: true, next: this.intern(result.next) } : result;
  }

  private compute(state: number, op: number): number {
    const call = this.calls[op]!;
    const current = this.states[state];
    const result = this.model.step(current, call.input, call.output);
    if (!result.ok) return ILLEGAL;
    return result.next === current ? state : this.intern(result.next);
  }

  private store(state: number, op: number, value: number): void {
    let slot = slotOf(state, op) & this.mask;
    while (this.keyStates[slot] !== -1) slot = (slot + 1) & this.mask;
    this.keyStates[slot] = state;
    this.keyOps[slot] = op;
    this.values[slot] = value;
    this.size++;
  }

  private grow(): void {
    const { keyStates, keyOps, values } = this;
    const capacity = keyStates.length * 2;
    this.keyStates = new Int32Array(capacity).fill(-1);
    this.keyOps = new Int32Array(capacity);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.size = 0;
    for (let slot = 0; slot < keyStates.length; slot++) {
      if (keyStates[slot] !== -1) this.store(keyStates[slot]!, keyOps[slot]!, values[slot]!);
    }
  }
}

function slotOf(state: number, op: number): number {
  let h = Math.imul(state, 0x9e3779b1) ^ Math.imul(op + 1, 0x85ebca6b);
  h ^= h >>> 15;
  return h;
}
