// Placing an ensemble on a Simulation, and looking at it from the harness (tests, liveness checks).
import type { Simulation } from "../../sim/simulation.ts";
import type { NodeId } from "../../sim/types.ts";
import type { Zxid } from "./client/api.ts";
import type { EnsembleConfig } from "./config.ts";
import type { PeerState } from "./messages.ts";
import { ZkServer } from "./server/server.ts";

export function addEnsemble(sim: Simulation, config: EnsembleConfig): { servers: NodeId[] } {
  for (const id of config.servers) sim.addNode(id, () => new ZkServer(config));
  return { servers: [...config.servers] };
}

export interface ServerView {
  id: NodeId;
  up: boolean;
  role: PeerState | "down";
  /** The leader it follows or is; null while looking or down. */
  leader: NodeId | null;
  /** True when it serves clients: an established leader, or a follower in broadcast. */
  serving: boolean;
  acceptedEpoch: number;
  currentEpoch: number;
  committedZxid: Zxid;
  lastLoggedZxid: Zxid;
  treeDigest: string;
}

export function inspectEnsemble(sim: Simulation, servers: readonly NodeId[]): ServerView[] {
  return servers.map((id) => {
    const server = sim.actorOf<ZkServer>(id);
    if (!server) {
      return { id, up: false, role: "down", leader: null, serving: false, acceptedEpoch: 0, currentEpoch: 0,
        committedZxid: 0, lastLoggedZxid: 0, treeDigest: "" };
    }
    return {
      id, up: true, role: server.role, leader: server.leaderId, serving: server.isServing,
      acceptedEpoch: server.epochs.acceptedEpoch, currentEpoch: server.epochs.currentEpoch,
      committedZxid: server.db.committedZxid, lastLoggedZxid: server.db.lastLoggedZxid, treeDigest: server.db.tree.digest(),
    };
  });
}

/** The established leader a quorum of serving servers agrees on, or null. */
export function establishedLeader(sim: Simulation, servers: readonly NodeId[]): NodeId | null {
  const views = inspectEnsemble(sim, servers);
  const quorum = Math.floor(servers.length / 2) + 1;
  for (const view of views) {
    if (view.role !== "leading" || !view.serving) continue;
    const backers = views.filter((other) => other.serving && other.leader === view.id).length;
    if (backers >= quorum) return view.id;
  }
  return null;
}

/**
 * Committed prefixes must agree: two servers that applied up to the same zxid hold the same tree.
 * Returns a description of the first disagreement, or null. Cheap enough to call at the end of a run.
 */
export function committedDisagreement(sim: Simulation, servers: readonly NodeId[]): string | null {
  const byZxid = new Map<Zxid, ServerView>();
  for (const view of inspectEnsemble(sim, servers)) {
    if (!view.up) continue;
    const other = byZxid.get(view.committedZxid);
    if (other && other.treeDigest !== view.treeDigest) {
      return `${other.id} and ${view.id} both applied up to zxid ${view.committedZxid} but hold different trees`;
    }
    byZxid.set(view.committedZxid, view);
  }
  return null;
}
