// What one incarnation of a node may touch. A context outlives its actor only as garbage: once the
// node crashed (or restarted) every call on an old context is ignored, so nothing crosses a crash.
import type { Disk, DiskRecord, NodeContext, NodeId, Random } from "./types.ts";
import type { SimNode } from "./node.ts";
import { InvariantError } from "./errors.ts";

/** What a context asks of the kernel (the Simulation): named here, so a context needs no simulation. */
export interface NodeKernel {
  readonly seed: number;
  readonly nowUs: number;
  localNow(node: SimNode): number;
  send(from: SimNode, to: NodeId, message: unknown): void;
  sendDatagram(from: SimNode, to: NodeId, message: unknown): void;
  setTimer(node: SimNode, tag: string, afterUs: number): void;
  fsync(node: SimNode, tag: string): void;
  log(node: SimNode, line: string): void;
}

export class NodeContextImpl implements NodeContext {
  readonly nodeId: NodeId;
  readonly seed: number;
  readonly disk: Disk;
  private readonly incarnation: number;

  constructor(private readonly sim: NodeKernel, private readonly node: SimNode, readonly rng: Random) {
    this.nodeId = node.id;
    this.seed = sim.seed;
    this.incarnation = node.incarnation;
    this.disk = new NodeDisk(this);
  }

  /** False once this incarnation is gone. */
  get live(): boolean {
    return this.node.up && this.node.incarnation === this.incarnation;
  }

  get simNode(): SimNode {
    return this.node;
  }

  now(): number {
    return this.sim.localNow(this.node);
  }

  send(to: NodeId, message: unknown): void {
    if (this.live) this.sim.send(this.node, to, message);
  }

  sendDatagram(to: NodeId, message: unknown): void {
    if (this.live) this.sim.sendDatagram(this.node, to, message);
  }

  setTimer(tag: string, afterUs: number): void {
    // A NaN deadline would sort to the head of the event queue and poison true time itself.
    this.assert(!Number.isNaN(afterUs), () => `setTimer("${tag}") with a delay that is not a number`);
    if (this.live) this.sim.setTimer(this.node, tag, afterUs);
  }

  cancelTimer(tag: string): void {
    if (this.live) this.node.timers.delete(tag);
  }

  log(line: string): void {
    if (this.live) this.sim.log(this.node, line);
  }

  assert(ok: boolean, what: string | (() => string)): asserts ok {
    if (ok) return;
    const text = typeof what === "string" ? what : what();
    throw new InvariantError(`${text} (seed=${this.sim.seed} t=${this.sim.nowUs}us node=${this.node.id})`);
  }

  fsync(tag: string): void {
    if (this.live) this.sim.fsync(this.node, tag);
  }
}

class NodeDisk implements Disk {
  constructor(private readonly ctx: NodeContextImpl) {}

  append(file: string, record: DiskRecord): void {
    if (this.ctx.live) this.ctx.simNode.disk.write({ kind: "append", file, record });
  }

  replace(file: string, records: readonly DiskRecord[]): void {
    if (this.ctx.live) this.ctx.simNode.disk.write({ kind: "replace", file, records: records.slice() });
  }

  truncate(file: string, length: number): void {
    if (this.ctx.live) this.ctx.simNode.disk.write({ kind: "truncate", file, length });
  }

  read(file: string): readonly DiskRecord[] {
    return this.ctx.simNode.disk.read(file);
  }

  files(): string[] {
    return this.ctx.simNode.disk.files();
  }

  fsync(tag: string): void {
    this.ctx.fsync(tag);
  }
}
