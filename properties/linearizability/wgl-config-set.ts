// The memo of the Wing–Gong–Lowe search: the configurations (set of linearized operations, model state)
// already explored. A configuration met again leads nowhere new, which is what turns an exponential search
// into one bounded by the number of distinct configurations (Lowe, "Testing for linearizability", 2017).
//
// Flat typed arrays, open addressing: no object per configuration, so millions fit and the inner loop
// allocates nothing. The caller keeps a running hash of its set (XOR of per-operation random words), so a
// configuration's hash costs O(1).
//
// Sets are stored compressed. Required operations are numbered in call order, so in any configuration
// those below some point are all linearized and those above another are all not: only the words between
// (the window, a few words whatever the history's length) are stored, with the optional operations' words.
// A 100,000-operation history then costs tens of bytes per configuration, not 12 kB.

export class ConfigSet {
  size = 0;
  private slots: Int32Array; // entry + 1; 0 = empty
  private mask: number;
  private hashes: Int32Array;
  private states: Int32Array;
  /** The window's first word, and its length in words. */
  private lows: Int32Array;
  private lengths: Int32Array;
  private offsets: Float64Array;
  private arena: Uint32Array;
  private arenaUsed = 0;
  private entriesCapacity: number;

  constructor(readonly requiredWords: number, readonly optionalWords: number, entriesCapacity = 1024) {
    this.entriesCapacity = entriesCapacity;
    this.slots = new Int32Array(entriesCapacity * 2);
    this.mask = entriesCapacity * 2 - 1;
    this.hashes = new Int32Array(entriesCapacity);
    this.states = new Int32Array(entriesCapacity);
    this.lows = new Int32Array(entriesCapacity);
    this.lengths = new Int32Array(entriesCapacity);
    this.offsets = new Float64Array(entriesCapacity);
    this.arena = new Uint32Array(entriesCapacity * (optionalWords + 2));
  }

  /** Bytes held. */
  get bytes(): number {
    return this.slots.byteLength + this.entriesCapacity * 24 + this.arena.byteLength;
  }

  /**
   * Adds the configuration unless it is there already; true when it was new. `bits` holds the required
   * words, then the optional ones; required words below `low` are all ones, above `high` all zeros.
   */
  add(bits: Uint32Array, bitsHash: number, state: number, low: number, high: number): boolean {
    const hash = mix(bitsHash, state);
    const length = high - low + 1;
    let slot = hash & this.mask;
    for (;;) {
      const stored = this.slots[slot]!;
      if (stored === 0) break;
      const entry = stored - 1;
      if (this.hashes[entry] === hash && this.states[entry] === state && this.lows[entry] === low && this.lengths[entry] === length && this.sameBits(entry, bits, low, length)) {
        return false;
      }
      slot = (slot + 1) & this.mask;
    }
    if (this.size === this.entriesCapacity) {
      this.grow();
      return this.add(bits, bitsHash, state, low, high);
    }
    this.store(this.size++, slot, bits, hash, state, low, length);
    return true;
  }

  private store(entry: number, slot: number, bits: Uint32Array, hash: number, state: number, low: number, length: number): void {
    const words = length + this.optionalWords;
    if (this.arenaUsed + words > this.arena.length) this.arena = copied(this.arena, new Uint32Array(Math.max(this.arena.length * 2, this.arenaUsed + words)));
    this.slots[slot] = entry + 1;
    this.hashes[entry] = hash;
    this.states[entry] = state;
    this.lows[entry] = low;
    this.lengths[entry] = length;
    this.offsets[entry] = this.arenaUsed;
    if (length > 0) this.arena.set(bits.subarray(low, low + length), this.arenaUsed);
    if (this.optionalWords > 0) this.arena.set(bits.subarray(this.requiredWords), this.arenaUsed + length);
    this.arenaUsed += words;
  }

  private sameBits(entry: number, bits: Uint32Array, low: number, length: number): boolean {
    const arena = this.arena;
    const base = this.offsets[entry]!;
    for (let w = 0; w < length; w++) if (arena[base + w] !== bits[low + w]) return false;
    const optionalBase = base + length;
    const required = this.requiredWords;
    for (let w = 0; w < this.optionalWords; w++) if (arena[optionalBase + w] !== bits[required + w]) return false;
    return true;
  }

  private grow(): void {
    const capacity = this.entriesCapacity * 2;
    this.hashes = copied(this.hashes, new Int32Array(capacity));
    this.states = copied(this.states, new Int32Array(capacity));
    this.lows = copied(this.lows, new Int32Array(capacity));
    this.lengths = copied(this.lengths, new Int32Array(capacity));
    this.offsets = copied(this.offsets, new Float64Array(capacity));
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

function copied<T extends Int32Array | Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}

/** Mixes the set's hash with the state id (murmur3's finaliser), so nearby ids spread over the table. */
function mix(bitsHash: number, state: number): number {
  let h = bitsHash ^ Math.imul(state + 1, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Deterministic random words, one per operation, for the running set hash (xorshift32). */
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
