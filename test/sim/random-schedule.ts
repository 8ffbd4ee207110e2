// A random schedule over every fault kind, drawn from a seeded stream: for kernel tests only
// (scenarios/ has the real fast-check arbitraries).
import type { Fault } from "../../sim/faults.ts";
import type { NodeId, Random } from "../../sim/types.ts";

export function randomSchedule(rng: Random, nodes: NodeId[], horizonUs: number, count: number): Fault[] {
  const faults: Fault[] = [];
  const some = () => rng.shuffle(nodes).slice(0, rng.int(1, nodes.length));
  const makers: Array<(atUs: number) => Fault> = [
    (atUs) => { const shuffled = rng.shuffle(nodes); const cut = rng.int(1, nodes.length - 1);
      return { atUs, kind: "partition", groups: [shuffled.slice(0, cut), shuffled.slice(cut)], durationUs: rng.int(1_000, 200_000) }; },
    (atUs) => ({ atUs, kind: "cut", from: some(), to: some(), durationUs: rng.int(1_000, 200_000) }),
    (atUs) => ({ atUs, kind: "heal" }),
    (atUs) => ({ atUs, kind: "crash", nodeId: rng.pick(nodes), restartAfterUs: rng.int(0, 100_000) }),
    (atUs) => ({ atUs, kind: "power-loss", nodeId: rng.pick(nodes) }),
    (atUs) => ({ atUs, kind: "restart", nodeId: rng.pick(nodes) }),
    (atUs) => ({ atUs, kind: "pause", nodeId: rng.pick(nodes), durationUs: rng.int(1_000, 100_000) }),
    (atUs) => ({ atUs, kind: "resume", nodeId: rng.pick(nodes) }),
    (atUs) => ({ atUs, kind: "clock-offset", nodeId: rng.pick(nodes), offsetUs: rng.int(-50_000, 50_000) }),
    (atUs) => ({ atUs, kind: "clock-drift", nodeId: rng.pick(nodes), driftPpm: rng.int(-200_000, 200_000) }),
    (atUs) => ({ atUs, kind: "clock-jump", nodeId: rng.pick(nodes), deltaUs: rng.int(-50_000, 50_000) }),
    (atUs) => ({ atUs, kind: "clock-strobe", nodeId: rng.pick(nodes), amplitudeUs: rng.int(100, 20_000), periodUs: rng.int(1_000, 10_000), durationUs: rng.int(10_000, 50_000) }),
    (atUs) => ({ atUs, kind: "latency-spike", extraUs: rng.int(100, 20_000), durationUs: rng.int(1_000, 100_000), nodes: some() }),
    (atUs) => ({ atUs, kind: "loss", probability: rng.float(), durationUs: rng.int(1_000, 100_000) }),
    (atUs) => ({ atUs, kind: "duplication", probability: rng.float(), durationUs: rng.int(1_000, 100_000) }),
    (atUs) => ({ atUs, kind: "reorder", probability: rng.float(), durationUs: rng.int(1_000, 100_000) }),
  ];
  // Every kind at least once, then random ones.
  for (let i = 0; i < Math.max(count, makers.length); i++) {
    const make = i < makers.length ? makers[i]! : rng.pick(makers);
    faults.push(make(rng.int(0, horizonUs)));
  }
  return faults.sort((a, b) => a.atUs - b.atUs);
}
