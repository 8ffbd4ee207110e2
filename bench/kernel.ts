// Kernel throughput: a message ping-pong on the simulator versus a bare binary heap doing the same
// pushes and pops of (time, seq) pairs, in the same process. Prints figures; asserts nothing.
//   npm run bench -- kernel [--json] [--events N]
import { Simulation } from "../sim/simulation.ts";
import { EventQueue } from "../sim/event-queue.ts";
import { SeededRandom } from "../sim/random.ts";
import { NETWORK_DEFAULTS } from "../sim/network.ts";
import type { Actor, NodeContext, NodeId } from "../sim/types.ts";

const json = process.argv.includes("--json");
const eventsIndex = process.argv.indexOf("--events");
const eventsTarget = eventsIndex >= 0 ? Number(process.argv[eventsIndex + 1]) : 3_000_000;
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
const kernel = kernelRun(1);
const bare = bareHeapRun(1);
const kernelRate = kernel.events / kernel.seconds;
const bareRate = bare.events / bare.seconds;
const result = {
  workload: `ping-pong, ${PAIRS} pairs × ${IN_FLIGHT} in flight`,
  eventsPerSecond: Math.round(kernelRate),
  kernel: { events: kernel.events, seconds: +kernel.seconds.toFixed(3), eventsPerSecond: Math.round(kernelRate), traceHash: kernel.traceHash, simulatedSeconds: +kernel.simulatedSeconds.toFixed(3) },
  bareHeap: { events: bare.events, seconds: +bare.seconds.toFixed(3), eventsPerSecond: Math.round(bareRate) },
  ratio: +(kernelRate / bareRate).toFixed(3),
};
if (json) console.log(JSON.stringify(result));
else {
  console.log(`kernel     ${result.kernel.eventsPerSecond.toLocaleString("en")} events/s  (${kernel.events} events, traceHash=${kernel.traceHash})`);
  console.log(`bare heap  ${result.bareHeap.eventsPerSecond.toLocaleString("en")} events/s`);
  console.log(`ratio      ${result.ratio} (kernel ÷ bare heap; goal ≥ 0.5)`);
}
