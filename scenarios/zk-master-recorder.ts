// The harness side of zk-master: turns each candidate's lease checks into `master` intervals in true
// time and the resource's decisions into `resource-write` operations (docs/histories.md "Master histories").
// An interval runs from a master's first passing check to its last one: what it did after its last
// passing check (a write begun before a pause) is the resource's business, judged by M2.
import type { NodeId } from "../sim/types.ts";
import type { MasterObserver } from "../systems/coordination/index.ts";
import type { ResourceObserver } from "../systems/coordination/index.ts";
import type { HistoryRecorder } from "./history-recorder.ts";

interface OpenInterval {
  token: number;
  startUs: number;
  lastUs: number;
}

export class MasterRecorder implements MasterObserver, ResourceObserver {
  private readonly open = new Map<NodeId, OpenInterval>();
  private readonly processes = new Map<NodeId, number>();

  constructor(private readonly history: HistoryRecorder) {}

  masterCheck(node: NodeId, token: number, acting: boolean): void {
    const nowUs = this.history.nowUs;
    const current = this.open.get(node);
    if (current !== undefined && (!acting || current.token !== token)) this.close(node, current);
    if (!acting) return;
    const still = this.open.get(node);
    if (still === undefined) this.open.set(node, { token, startUs: nowUs, lastUs: nowUs });
    else still.lastUs = nowUs;
  }

  resourceWrite(node: NodeId, token: number, accepted: boolean): void {
    this.history.event(this.processOf(node), "resource-write", { node, token, accepted });
  }

  /** Closes every interval still open (the run ended while they acted), in node order. */
  finish(): void {
    for (const node of [...this.open.keys()].sort()) this.close(node, this.open.get(node)!);
  }

  private close(node: NodeId, interval: OpenInterval): void {
    this.open.delete(node);
    this.history.event(this.processOf(node), "master", { node, token: interval.token, startUs: interval.startUs, endUs: interval.lastUs });
  }

  private processOf(node: NodeId): number {
    let process = this.processes.get(node);
    if (process === undefined) this.processes.set(node, (process = this.history.newProcess()));
    return process;
  }
}
