// Applies faults (sim/faults.ts) to the nodes and the network, schedules the kernel's own follow-ups
// (the end of a timed partition, cut or pause, a restart, each strobe step), and heals everything.
import type { NodeId } from "./types.ts";
import type { Fault } from "./faults.ts";
import { Kind, SimEvent } from "./events.ts";
import type { KernelCore } from "./node.ts";
import type { NodeLifecycle } from "./lifecycle.ts";
import type { Transport } from "./transport.ts";

/** Faults the kernel schedules for itself (ends of durations, strobe steps). */
export type InternalFault =
  | { kind: "end-partition"; partitionToken: number }
  /** Ends the cut whose token the event carries (not in the payload, so the trace hash is as before). */
  | { kind: "end-cut"; from: NodeId[]; to: NodeId[] }
  | { kind: "strobe-step"; nodeId: NodeId; deltaUs: number }
  /** Ends the timed pause that `pauseToken` names, not a later one. */
  | { kind: "end-pause"; nodeId: NodeId; pauseToken: number };

export class FaultInjector {
  /** Faults queued under an older generation were dropped by a heal. */
  generation = 0;
  private partitionToken = 0;

  constructor(private readonly core: KernelCore, private readonly transport: Transport, private readonly lifecycle: NodeLifecycle) {}

  /** Queues a fault at `atUs` (its own `atUs` is not read again). */
  schedule(atUs: number, fault: Fault | InternalFault, token = 0): void {
    this.core.push(atUs, new SimEvent(Kind.Fault, -1, -1, this.generation, fault, token));
  }

  /** Ends every fault: heals the network, resumes paused nodes, restarts crashed ones, ends link
   *  faults and strobes, and drops faults still queued. Clock offsets and drifts stay as they are. */
  healAll(): void {
    this.generation++;
    this.transport.reachability.heal();
    this.partitionToken++;
    this.transport.linkFaults = [];
    for (const node of this.core.nodes) {
      // A strobe cut short would leave its step in the clock for good.
      if (node.clock.endStrobes(this.core.nowUs)) this.lifecycle.rescheduleTimers(node);
      if (node.paused) this.lifecycle.resume(node);
      if (!node.up && node.incarnation > 0) this.lifecycle.boot(node, true);
    }
  }

  /** `token` is what the kernel attached to its own follow-up faults (a cut's token, for its end). */
  apply(fault: Fault | InternalFault, token = 0): void {
    const nowUs = this.core.nowUs;
    const reachability = this.transport.reachability;
    const nodeOf = (id: NodeId) => this.core.nodes[this.core.indexOf(id)]!;
    switch (fault.kind) {
      case "partition":
        reachability.setPartition(fault.groups.map((group) => group.map((id) => this.core.indexOf(id))));
        this.partitionToken++;
        if (fault.durationUs !== undefined) this.schedule(nowUs + fault.durationUs, { kind: "end-partition", partitionToken: this.partitionToken });
        reachability.markBlocked(this.core.nodes.length);
        this.transport.breakUnreachable();
        return;
      case "end-partition":
        if (fault.partitionToken === this.partitionToken) reachability.setPartition([]);
        return;
      case "cut": {
        const cutToken = reachability.addCut(fault.from.map((id) => this.core.indexOf(id)), fault.to.map((id) => this.core.indexOf(id)));
        if (fault.durationUs !== undefined) this.schedule(nowUs + fault.durationUs, { kind: "end-cut", from: fault.from, to: fault.to }, cutToken);
        reachability.markBlocked(this.core.nodes.length);
        this.transport.breakUnreachable();
        return;
      }
      case "end-cut":
        reachability.removeCut(token);
        return;
      case "heal":
        reachability.heal();
        this.partitionToken++;
        return;
      case "crash":
      case "power-loss": {
        this.lifecycle.crash(nodeOf(fault.nodeId), fault.kind === "power-loss");
        if (fault.restartAfterUs !== undefined) this.schedule(nowUs + fault.restartAfterUs, { atUs: 0, kind: "restart", nodeId: fault.nodeId });
        return;
      }
      case "restart": {
        const node = nodeOf(fault.nodeId);
        // A node that has not booted yet is not crashed: its own start event boots it.
        if (!node.up && !node.starting) this.lifecycle.boot(node, true);
        return;
      }
      case "pause": {
        const node = nodeOf(fault.nodeId);
        if (node.up) node.paused = true;
        node.pauseToken++;
        if (fault.durationUs !== undefined) this.schedule(nowUs + fault.durationUs, { kind: "end-pause", nodeId: fault.nodeId, pauseToken: node.pauseToken });
        return;
      }
      case "end-pause": {
        const node = nodeOf(fault.nodeId);
        if (node.pauseToken === fault.pauseToken) this.lifecycle.resume(node);
        return;
      }
      case "resume":
        this.lifecycle.resume(nodeOf(fault.nodeId));
        return;
      case "clock-offset":
      case "clock-drift":
      case "clock-jump":
      case "strobe-step": {
        const node = nodeOf(fault.nodeId);
        if (fault.kind === "clock-offset") node.clock.setOffset(nowUs, fault.offsetUs);
        else if (fault.kind === "clock-drift") node.clock.setDrift(nowUs, fault.driftPpm);
        else if (fault.kind === "clock-jump") node.clock.jump(nowUs, fault.deltaUs);
        else node.clock.strobeStep(nowUs, fault.deltaUs);
        this.lifecycle.rescheduleTimers(node);
        return;
      }
      case "clock-strobe": {
        // Forward, back, forward, back…: an even number of steps leaves the clock where it was.
        const steps = Math.max(2, 2 * Math.floor(fault.durationUs / fault.periodUs / 2));
        for (let step = 0; step < steps; step++) {
          const deltaUs = step % 2 === 0 ? fault.amplitudeUs : -fault.amplitudeUs;
          this.schedule(nowUs + step * fault.periodUs, { kind: "strobe-step", nodeId: fault.nodeId, deltaUs });
        }
        return;
      }
      case "latency-spike":
      case "loss":
      case "duplication":
      case "reorder":
        this.transport.linkFaults.push({
          kind: fault.kind,
          nodes: fault.nodes === undefined ? null : new Set(fault.nodes.map((id) => this.core.indexOf(id))),
          amount: fault.kind === "latency-spike" ? fault.extraUs : fault.probability,
          untilUs: nowUs + fault.durationUs,
        });
        return;
    }
  }
}
