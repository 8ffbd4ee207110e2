// The trace hash: 64 bits as two 32-bit lanes, folded over every delivered event. Two runs of one
// seed must end with the same hash; a "faster" kernel that changed behaviour shows up here.

const float64 = new Float64Array(1);
const float64Words = new Uint32Array(float64.buffer);
const TWO_POW_32 = 4294967296;

/** Digest of a plain, JSON-like value: numbers, strings, booleans, null, arrays, plain objects. */
export function digest(value: unknown): number {
  return digestInto(0x811c9dc5, value) >>> 0;
}

function mixWord(h: number, word: number): number {
  return Math.imul(h ^ word, 0x01000193);
}

function digestString(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

function digestNumber(h: number, value: number): number {
  if (Number.isInteger(value) && value >= -0x80000000 && value <= 0x7fffffff) return mixWord(mixWord(h, 1), value);
  float64[0] = value;
  return mixWord(mixWord(mixWord(h, 2), float64Words[0]!), float64Words[1]!);
}

/** A field or element: numbers (most of a message) digested here, as digestInto would, since a
 *  recursive call is never inlined and would cost a call per number. */
function digestMember(h: number, value: unknown): number {
  return typeof value === "number" ? digestNumber(h, value) : digestInto(h, value);
}

function digestInto(h: number, value: unknown): number {
  switch (typeof value) {
    case "number":
      return digestNumber(h, value);
    case "string":
      return digestString(mixWord(h, 3), value);
    case "boolean":
      return mixWord(h, value ? 4 : 5);
    case "undefined":
      return mixWord(h, 6);
    case "object": {
      if (value === null) return mixWord(h, 7);
      if (Array.isArray(value)) {
        h = mixWord(h, 8 + value.length);
        for (let i = 0; i < value.length; i++) h = digestMember(h, value[i]);
        return h;
      }
      h = mixWord(h, 9);
      for (const key in value as Record<string, unknown>) {
        h = digestMember(digestString(h, key), (value as Record<string, unknown>)[key]);
      }
      return h;
    }
    case "bigint":
      return digestString(mixWord(h, 10), value.toString());
    default:
      // Functions and symbols have no stable digest: messages must be plain data.
      throw new TypeError(`cannot digest a ${typeof value}: messages must be plain data`);
  }
}

export class TraceHash {
  // Held as int32s (what Math.imul yields): as uint32s above 2^31 the fields would be heap numbers.
  private low = 0x9e3779b9 | 0;
  private high = 0x85ebca6b | 0;

  /** Folds one event: true time, kind code, source, target and payload digest. */
  fold(timeUs: number, kind: number, source: number, target: number, payloadDigest: number): void {
    // True time is a non-negative integer below 2^53: `>>> 0` is its low word, as `% 2^32` is, and cheaper.
    const timeLow = timeUs >>> 0;
    const timeHigh = (timeUs - timeLow) / TWO_POW_32;
    let low = this.low;
    let high = this.high;
    low = Math.imul(low ^ timeLow, 0x01000193);
    high = Math.imul(high ^ timeHigh ^ (kind << 24), 0x5bd1e995);
    low = Math.imul(low ^ ((source << 16) | target), 0x01000193);
    high = Math.imul(high ^ payloadDigest, 0x5bd1e995);
    high ^= low >>> 13;
    low ^= high >>> 17;
    this.low = low;
    this.high = high;
  }

  /** 16 hex digits. */
  hex(): string {
    return (this.high >>> 0).toString(16).padStart(8, "0") + (this.low >>> 0).toString(16).padStart(8, "0");
  }
}
