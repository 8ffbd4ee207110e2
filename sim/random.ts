// Seeded random streams. Every component draws from its own named stream (`rng.fork("network")`),
// derived from the run seed and the name only, so adding a draw in one component never shifts another's.
import seedrandom from "seedrandom";
import type { Random } from "./types.ts";

export class SeededRandom implements Random {
  private readonly next: () => number;

  /** `seedText` identifies the stream: the run seed plus the path of fork names that led here. */
  constructor(readonly seedText: string) {
    this.next = seedrandom.alea(seedText);
  }

  static fromSeed(seed: number): SeededRandom {
    return new SeededRandom(`faultline:${seed >>> 0}`);
  }

  float(): number {
    return this.next();
  }

  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`int(${min}, ${max}): max below min`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return probability > 0 && this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("pick from an empty list");
    return items[Math.floor(this.next() * items.length)]!;
  }

  shuffle<T>(items: readonly T[]): T[] {
    const result = items.slice();
    for (let i = result.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const swap = result[i]!;
      result[i] = result[j]!;
      result[j] = swap;
    }
    return result;
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  normal(mean: number, deviation: number): number {
    // Box–Muller; 1 - u keeps the logarithm finite.
    const u = 1 - this.next();
    const v = this.next();
    return mean + deviation * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  fork(name: string): Random {
    return new SeededRandom(`${this.seedText}/${name}`);
  }
}

/** Seeds are 32-bit unsigned integers printed in decimal. */
export function isSeed(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 0xffffffff;
}
