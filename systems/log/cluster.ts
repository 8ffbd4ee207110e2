// Looking at a log cluster from the harness (tests, liveness checks, debugging): each broker's view
// of each partition it hosts, and who believes it is the controller.
import type { Simulation } from "../../sim/simulation.ts";
import type { BrokerId } from "./config.ts";
import type { Broker } from "./broker.ts";

export interface ReplicaView {
  broker: BrokerId;
  partition: string;
  role: string;
  leader: BrokerId | null;
  leaderEpoch: number;
  isr: BrokerId[];
  logStartOffset: number;
  logEndOffset: number;
  highWatermark: number;
}

export function inspectLog(sim: Simulation, brokers: readonly BrokerId[]): { replicas: ReplicaView[]; controllers: BrokerId[] } {
  const replicas: ReplicaView[] = [];
  const controllers: BrokerId[] = [];
  for (const id of brokers) {
    const broker = sim.actorOf<Broker>(id);
    if (broker === undefined) continue;
    if (broker.controller.isActive) controllers.push(id);
    for (const partition of broker.partitions.values()) {
      replicas.push({
        broker: id, partition: partition.name, role: partition.role, leader: partition.state?.leader ?? null,
        leaderEpoch: partition.leaderEpoch, isr: [...partition.isr], logStartOffset: partition.log.logStartOffset,
        logEndOffset: partition.log.logEndOffset, highWatermark: partition.highWatermark,
      });
    }
  }
  return { replicas, controllers };
}
