// The memo of the Wing–Gong–Lowe search: the configurations already explored. A configuration met again
// leads nowhere new, which is what turns an exponential search into one bounded by the number of distinct
// configurations (Lowe, "Testing for linearizability", 2017).
//
// A configuration is (required operations linearized, model state, optional operations used). Optional
// operations (outcome unknown) are kept apart because of dominance: from (R, s, O) the search can do
// everything it could from (R, s, O') when O ⊆ O' (fewer optional operations spent, the same left to do),
// so (R, s, O') needs no exploring once (R, s, O) has been. Without this, k crashed writes multiply the
// configurations by up to 2^k.
//
// Flat typed arrays, open addressing on a hash of (R, s) alone, so every configuration that could
// dominate sits on one probe chain; no object per configuration, and the inner loop allocates nothing.
// The caller keeps a running hash of R (XOR of per-operation random words), so hashing costs O(1).

export class ConfigSet {
  size = 0;
  private slots: Int32Array; // entry + 1; 0 = empty
  private mask: number;
  private hashes: Int32Array;
  private states: Int32Array;
  private required: Uint32Array;
  private optional: Uint32Array;
  private entriesCapacity: number;

  constructor(readonly requiredWords: number, readonly optionalWords: number, entriesCapacity = 1024) {
    this.entriesCapacity = entriesCapacity;
    this.slots = new Int32Array(entriesCapacity * 2);
    this.mask = entriesCapacity * 2 - 1;
    this.hashes = new Int32Array(entriesCapacity);
    this.states = new Int32Array(entriesCapacity);
    this.required = new Uint32Array(entriesCapacity * requiredWords);
    this.optional = new Uint32Array(entriesCapacity * optionalWords);
  }

  /** Bytes one more configuration costs on average, growth included. */
  static bytesPerEntry(requiredWords: number, optionalWords: number): number {
    return 4 * (requiredWords + optionalWords + 2) + 4 * 2 * 2;
  }

  /** Adds the configuration unless it, or one that dominates it, is there already; true when added. */
  add(required: Uint32Array, requiredHash: number, optional: Uint32Array, state: number): boolean {
    const hash = mix(requiredHash, state);
    let slot = hash & this.mask;
    for (;;) {
      const stored = this.slots[slot]!;
      if (stored === 0) break;
      const entry = stored - 1;
      if (this.hashes[entry] === hash && this.states[entry] === state && this.sameRequired(entry, required) && this.usesNoMore(entry, optional)) {
        return false;
      }
      slot = (slot + 1) & this.mask;
    }
    if (this.size === this.entriesCapacity) {
      this.grow();
      return this.add(required, requiredHash, optional, state);
    }
    const entry = this.size++;
    this.slots[slot] = entry + 1;
    this.hashes[entry] = hash;
    this.states[entry] = state;
    this.required.set(required, entry * this.requiredWords);
    if (this.optionalWords > 0) this.optional.set(optional, entry * this.optionalWords);
    return true;
  }

  private sameRequired(entry: number, required: Uint32Array): boolean {
    const words = this.requiredWords;
    const base = entry * words;
    for (let w = 0; w < words; w++) if (this.required[base + w] !== required[w]) return false;
    return true;
  }

  /** The stored configuration's optional operations are a subset of `optional`. */
  private usesNoMore(entry: number, optional: Uint32Array): boolean {
    const words = this.optionalWords;
    const base = entry * words;
    for (let w = 0; w < words; w++) if ((this.optional[base + w]! & ~optional[w]!) !== 0) return false;
    return true;
  }

  private grow(): void {
    const capacity = this.entriesCapacity * 2;
    this.hashes = copied(this.hashes, new Int32Array(capacity));
    this.states = copied(this.states, new Int32Array(capacity));
    this.required = copied(this.required, new Uint32Array(capacity * this.requiredWords));
    this.optional = copied(this.optional, new Uint32Array(capacity * this.optionalWords));
    this.entriesCapacity = capacity;
    this.slots = new Int32Array(capacity * 2);
    this.mask = capacity * 2 - 1;
    for (let entry = 0; entry < this.size; entry++) {
      let slot = this.hashes[entry]! & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = entry + 1;
    }
  }
}

function copied<T extends Int32Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Mixes the bitset hash with the state id (murmur3's finaliser), so nearby ids spread over the table. */
function mix(bitsHash: number, state: number): number {
  let h = bitsHash ^ Math.imul(state + 1, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Deterministic random words, one per operation, for the running bitset hash (xorshift32). */
export function operationHashes(count: number): Int32Array {
  const words = new Int32Array(count);
  let x = 0x2545f491;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x;
  }
  return words;
}
