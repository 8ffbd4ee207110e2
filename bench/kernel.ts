// Kernel throughput: a message ping-pong on the simulator versus a bare binary heap doing the same
// pushes and pops of (time, seq) pairs, in the same process. Prints figures; asserts nothing.
//   npm run bench -- kernel [--json] [--events N] [--rounds N]
import { Simulation } from "../sim/simulation.ts";
import { EventQueue } from "../sim/event-queue.ts";
import { SeededRandom } from "../sim/random.ts";
import { NETWORK_DEFAULTS } from "../sim/network.ts";
import type { Actor, NodeContext, NodeId } from "../sim/types.ts";

const json = process.argv.includes("--json");
const eventsIndex = process.argv.indexOf("--events");
const eventsTarget = eventsIndex >= 0 ? Number(process.argv[eventsIndex + 1]) : 3_000_000;
const roundsIndex = process.argv.indexOf("--rounds");
const rounds = roundsIndex >= 0 ? Number(process.argv[roundsIndex + 1]) : 5;
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds ${process.argv[roundsIndex + 1]}: a whole number ≥ 1`);
// 64 pairs with 64 messages each in flight: a queue of ~4,000 events, like a busy cluster's.
const PAIRS = 64;
const IN_FLIGHT = 64;

class Bouncer implements Actor<{ n: number }> {
  private ctx!: NodeContext<{ n: number }>;
  constructor(private readonly peer: NodeId, private readonly opener: boolean) {}
  start(ctx: NodeContext<{ n: number }>): void {
    this.ctx = ctx;
    if (this.opener) for (let n = 0; n < IN_FLIGHT; n++) ctx.send(this.peer, { n });
  }
  receive(from: NodeId, message: { n: number }): void {
    this.ctx.send(from, { n: message.n + 1 });
  }
  timer(): void {}
}

function kernelRun(seed: number) {
  const sim = new Simulation({ seed, eventsMax: eventsTarget });
  for (let pair = 0; pair < PAIRS; pair++) {
    sim.addNode(`a${pair}`, () => new Bouncer(`b${pair}`, true));
    sim.addNode(`b${pair}`, () => new Bouncer(`a${pair}`, false));
  }
  const started = process.hrtime.bigint();
  const stats = sim.run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { events: stats.events, seconds, traceHash: stats.traceHash, simulatedSeconds: stats.timeUs / 1e6 };
}

/** The same shape of work on a bare heap: PAIRS × IN_FLIGHT pairs in the queue, each pop pushes one
 *  event a sampled latency later. */
function bareHeapRun(seed: number) {
  const rng = new SeededRandom(`bench/${seed}`);
  // The kernel's own heap, so the ratio measures what the kernel adds to it; one small object per
  // push, as the kernel allocates an event per message.
  const queue = new EventQueue<{ time: number }>();
  for (let i = 0; i < PAIRS * IN_FLIGHT; i++) queue.push(NETWORK_DEFAULTS.latencyUsBase, { time: NETWORK_DEFAULTS.latencyUsBase });
  const started = process.hrtime.bigint();
  let popped = 0;
  let checksum = 0;
  while (popped < eventsTarget) {
    const top = queue.pop();
    popped++;
    checksum = (checksum + top.time) % 1_000_000_007;
    const latencyUs = NETWORK_DEFAULTS.latencyUsBase + Math.floor(rng.exponential(NETWORK_DEFAULTS.latencyUsJitterMean));
    queue.push(top.time + latencyUs, { time: top.time + latencyUs });
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { events: popped, seconds, checksum };
}

// Warm both up once so the JIT has seen each before it is timed.
kernelRun(0);
bareHeapRun(0);
// Other work on the machine shifts wall time by tens of per cent between runs, so one pair of runs
// is no measure: alternate kernel and bare heap (which goes first swaps each round, so a slow spell
// hits both) and report the median of the per-round ratios, with their spread.
const kernels: ReturnType<typeof kernelRun>[] = [];
const bares: ReturnType<typeof bareHeapRun>[] = [];
for (let round = 0; round < rounds; round++) {
  if (round % 2 === 0) { kernels.push(kernelRun(1)); bares.push(bareHeapRun(1)); }
  else { bares.push(bareHeapRun(1)); kernels.push(kernelRun(1)); }
}
const traceHashes = new Set(kernels.map((run) => run.traceHash));
if (traceHashes.size !== 1) throw new Error(`one seed, ${traceHashes.size} trace hashes: ${[...traceHashes].join(", ")}`);
const kernel = kernels[0]!;
const kernelRates = kernels.map((run) => run.events / run.seconds);
const bareRates = bares.map((run) => run.events / run.seconds);
const ratios = kernelRates.map((rate, round) => rate / bareRates[round]!);
const median = (values: number[]): number => {
  const sorted = values.slice().sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const kernelRate = median(kernelRates);
const bareRate = median(bareRates);
const result = {
  workload: `ping-pong, ${PAIRS} pairs × ${IN_FLIGHT} in flight`,
  method: `median of ${rounds} alternating rounds`,
  eventsPerSecond: Math.round(kernelRate),
  kernel: {
    events: kernel.events, seconds: +median(kernels.map((run) => run.seconds)).toFixed(3), eventsPerSecond: Math.round(kernelRate),
    traceHash: kernel.traceHash, simulatedSeconds: +kernel.simulatedSeconds.toFixed(3),
  },
  bareHeap: { events: bares[0]!.events, seconds: +median(bares.map((run) => run.seconds)).toFixed(3), eventsPerSecond: Math.round(bareRate) },
  ratio: +median(ratios).toFixed(3),
  ratioMin: +Math.min(...ratios).toFixed(3),
  ratioMax: +Math.max(...ratios).toFixed(3),
  ratios: ratios.map((ratio) => +ratio.toFixed(3)),
};
if (json) console.log(JSON.stringify(result));
else {
  console.log(`kernel     ${result.kernel.eventsPerSecond.toLocaleString("en")} events/s  (${kernel.events} events, traceHash=${kernel.traceHash})`);
  console.log(`bare heap  ${result.bareHeap.eventsPerSecond.toLocaleString("en")} events/s`);
  console.log(`ratio      ${result.ratio} (kernel ÷ bare heap, median of ${rounds} alternating rounds; goal ≥ 0.5)`);
  console.log(`spread     ${result.ratioMin}–${result.ratioMax}  (per round: ${result.ratios.join(" ")})`);
}
