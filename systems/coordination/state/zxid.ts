// zxid = epoch × 2^32 + counter, as ZooKeeper packs it into a long. Plain numbers stay exact below 2^53,
// which leaves 2^21 epochs: far more than any run elects.
import type { Zxid } from "../client/api.ts";

const COUNTER_SPAN = 2 ** 32;

export function makeZxid(epoch: number, counter: number): Zxid {
  return epoch * COUNTER_SPAN + counter;
}

export function epochOf(zxid: Zxid): number {
  return Math.floor(zxid / COUNTER_SPAN);
}

export function counterOf(zxid: Zxid): number {
  return zxid % COUNTER_SPAN;
}

/** "e3:17": epoch and counter, for logs and assertion messages. */
export function formatZxid(zxid: Zxid): string {
  return `e${epochOf(zxid)}:${counterOf(zxid)}`;
}
