// How the coordination scenarios place the ensemble and reach its clients and state.
import type { Simulation } from "../sim/simulation.ts";
import type { NodeId } from "../sim/types.ts";
import { addEnsemble, establishedLeader } from "../systems/coordination/index.ts";
import { ensembleConfig } from "../systems/coordination/index.ts";
import { ZkClient } from "../systems/coordination/index.ts";
import type { ClientFactory } from "../systems/coordination/index.ts";
import { serverIds, type ZkCluster } from "./zk-workload.ts";

export function placeEnsemble(sim: Simulation, cluster: ZkCluster, bugs: readonly string[]): NodeId[] {
  const config = ensembleConfig(serverIds(cluster.servers), {
    tickUs: cluster.tickUs,
    sessionTimeoutMsMin: (2 * cluster.tickUs) / 1000,
    sessionTimeoutMsMax: Math.max(cluster.sessionTimeoutMs, (20 * cluster.tickUs) / 1000),
    bugs,
  });
  return addEnsemble(sim, config).servers;
}

export const zkClientFactory: ClientFactory = (ctx, options) => new ZkClient(ctx, options);

/** The established leader (backed by a quorum of serving servers), as a list: empty when none. */
export function ensembleLeaders(sim: Simulation, servers: readonly NodeId[]): NodeId[] {
  const leader = establishedLeader(sim, servers);
  return leader === null ? [] : [leader];
}
