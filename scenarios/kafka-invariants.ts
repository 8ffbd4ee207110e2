// Invariants across brokers, which no single broker can check: one leader per partition and leader
// epoch, and one controller per controller epoch. A broken one stops the run at its cause.
import { InvariantError } from "../sim/errors.ts";
import type { LogObserver } from "../systems/log/broker.ts";

export class LogInvariants implements LogObserver {
  private readonly leaders = new Map<string, string>();
  private readonly controllers = new Map<number, string>();

  constructor(private readonly sim: { seed: number; nowUs: number }, private readonly relaxed: boolean) {}

  becameLeader(broker: string, topic: string, partition: number, leaderEpoch: number): void {
    const key = `${topic}-${partition}@${leaderEpoch}`;
    const other = this.leaders.get(key);
    if (other !== undefined && other !== broker && !this.relaxed) {
      throw new InvariantError(`${topic}-${partition}: ${other} and ${broker} both lead leader epoch ${leaderEpoch} (seed=${this.sim.seed} t=${this.sim.nowUs}us)`);
    }
    this.leaders.set(key, broker);
  }

  controllerChanged(broker: string, epoch: number | null): void {
    if (epoch === null) return;
    const other = this.controllers.get(epoch);
    if (other !== undefined && other !== broker) {
      throw new InvariantError(`${other} and ${broker} both became controller in epoch ${epoch} (seed=${this.sim.seed} t=${this.sim.nowUs}us)`);
    }
    this.controllers.set(epoch, broker);
  }
}
