// Hard cas-register histories for the checker bench (bench/checker.ts), generated from a fixed seed:
// a register run by many concurrent clients with wide intervals, where many operations crash (`info`:
// they took effect at their moment, or never, and the client carries on under a fresh process id).
// Each operation takes effect at one moment inside its interval, so the history is linearizable; the
// `stale` variant then makes one read return the value the register held a while before, which is how a
// real bug shows and the hardest kind to refute: the read is legal in many orders, just not in any
// complete one.
//
// No imports: the operations are plain objects in the history shape (properties/history/operation.ts).

export interface CasHistoryOptions {
  seed: number;
  operations: number;
  clients: number;
  /** Operation i writes one of `values` values, from floor(slide * i) on: old values go out of use. */
  values: number;
  slide: number;
  /** Chance that an operation crashes (its completion is `info`). */
  crash: number;
  /** An operation's interval is up to this many moments wide (moments are 1 apart). */
  widthMax: number;
  /** Share of reads, writes and cas among the operations. */
  mix: [read: number, write: number, cas: number];
  /** Make the read nearest the history's middle return an older value. */
  stale?: boolean;
}

export interface GeneratedOperation {
  process: number;
  type: "invoke" | "ok" | "fail" | "info";
  f: string;
  value: unknown;
  time: number;
  index: number;
}

/** mulberry32: a small deterministic generator, so the cases are the same on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Planned {
  process: number;
  f: string;
  invokeValue: unknown;
  type: "ok" | "fail" | "info";
  value: unknown;
  invokeTime: number;
  moment: number;
  returnTime: number;
}

export function casHistory(options: CasHistoryOptions): GeneratedOperation[] {
  const rand = random(options.seed);
  const pick = (n: number) => Math.floor(rand() * n);
  const [readShare, writeShare] = options.mix;
  // The values in use drift: operation i writes one of values..values+slide*i (a window of `values`).
  const window = (i: number) => Array.from({ length: options.values }, (_, k) => k + Math.floor(i * options.slide));
  // Each client is single-threaded: its next operation is invoked after its previous one returns.
  const free = Array.from({ length: options.clients }, () => rand() * options.widthMax);
  const process = Array.from({ length: options.clients }, (_, c) => c);
  let nextProcess = options.clients;
  const planned: Planned[] = [];
  for (let i = 0; i < options.operations; i++) {
    let client = 0;
    for (let c = 1; c < options.clients; c++) if (free[c]! < free[client]!) client = c;
    const invokeTime = free[client]!;
    const width = 1 + rand() * options.widthMax;
    const moment = invokeTime + rand() * width;
    const returnTime = invokeTime + width;
    const r = rand();
    const f = r < readShare ? "read" : r < readShare + writeShare ? "write" : "cas";
    const a = window(i)[pick(options.values)]!;
    const b = window(i)[pick(options.values)]!;
    const crashed = f !== "read" && rand() < options.crash;
    planned.push({
      process: process[client]!,
      f,
      invokeValue: f === "read" ? null : f === "write" ? a : [a, b],
      type: crashed ? "info" : "ok",
      value: f === "write" ? a : f === "cas" ? [a, b] : null,
      invokeTime,
      moment,
      returnTime,
    });
    if (crashed) process[client] = nextProcess++;
    free[client] = returnTime + rand();
  }
  // Run the register through the moments: a crashed operation takes effect or not, a cas whose compare
  // fails returns `fail`, a read returns the value at its moment.
  let state = 0;
  const byMoment = [...planned].sort((x, y) => x.moment - y.moment);
  for (const op of byMoment) {
    const happens = op.type !== "info" || rand() < 0.5;
    if (op.f === "read") op.value = state;
    else if (op.f === "write" && happens) state = op.invokeValue as number;
    else if (op.f === "cas") {
      const [expected, value] = op.invokeValue as [number, number];
      if (expected !== state && op.type === "ok") op.type = "fail";
      else if (expected === state && happens) state = value;
    }
  }
  if (options.stale) staleRead(byMoment, window);
  const events: { time: number; op: Omit<GeneratedOperation, "index"> }[] = [];
  for (const op of planned) {
    events.push({ time: op.invokeTime, op: { process: op.process, type: "invoke", f: op.f, value: op.invokeValue, time: op.invokeTime } });
    if (op.type === "info" && rand() < 0.5) continue; // some crashed ones are still pending at the end
    events.push({ time: op.returnTime, op: { process: op.process, type: op.type, f: op.f, value: op.value, time: op.returnTime } });
  }
  events.sort((x, y) => x.time - y.time);
  // Whole microseconds, as in recorded histories.
  return events.map((event, index) => ({ ...event.op, time: Math.round(event.time * 1000), index }));
}

/**
 * Changes the first read past the middle that can be made wrong to return a value v no order allows: every
 * operation that could set v and was invoked before the read returned has completed (none crashed), and
 * each is followed by an acknowledged operation setting another value, invoked after it returned and
 * returned before the read was invoked. Whatever the order, then, the last v set before the read was
 * overwritten, and the ones after it come too late: no linearization exists. Of the values that qualify it
 * picks the one set nearest the read in time (a stale read just overwritten, or a read of a write about to
 * start): the hardest to refute.
 */
function staleRead(byMoment: Planned[], values: (i: number) => number[]): void {
  const setsTo = (op: Planned): number | null =>
    op.f === "write" ? (op.invokeValue as number) : op.f === "cas" && op.type !== "fail" ? (op.invokeValue as number[])[1]! : null;
  for (const [at, read] of byMoment.entries()) {
    if (at < byMoment.length >> 1 || read.f !== "read" || read.type !== "ok") continue;
    let best: { value: number; distance: number } | null = null;
    for (const v of new Set([...values(at), ...values(at + 50)])) {
      if (v === read.value || v === 0) continue; // 0 is the initial value, set at no operation's return
      const setters = byMoment.filter((op) => setsTo(op) === v);
      const overwritten = (setter: Planned) =>
        setter.invokeTime > read.returnTime ||
        (setter.type !== "info" &&
          byMoment.some((w) => w.type === "ok" && setsTo(w) !== null && setsTo(w) !== v && w.invokeTime > setter.returnTime && w.returnTime < read.invokeTime));
      if (setters.length === 0 || !setters.every(overwritten)) continue;
      const distance = Math.min(...setters.map((op) => (op.invokeTime > read.returnTime ? op.invokeTime - read.returnTime : read.invokeTime - op.returnTime)));
      if (!best || distance < best.distance) best = { value: v, distance };
    }
    if (best) {
      read.value = best.value;
      return;
    }
  }
  throw new Error("casHistory: no read can be made wrong");
}

/** The bench's cases: names, options and the verdict they must get. */
export const hardCasCases: { name: string; options: CasHistoryOptions; expected: "ok" | "illegal" }[] = [];
for (const [name, crash, clients, widthMax] of [
  ["c20-crash10", 0.1, 20, 6],
  ["c30-crash20", 0.2, 30, 10],
  ["c40-crash30", 0.3, 40, 16],
] as const) {
  const options = { seed: 12, operations: 2500, clients, values: 5, slide: 0.01, crash, widthMax, mix: [0.5, 0.25, 0.25] as [number, number, number] };
  hardCasCases.push({ name: `${name}-ok`, options, expected: "ok" });
  hardCasCases.push({ name: `${name}-stale`, options: { ...options, stale: true }, expected: "illegal" });
}
