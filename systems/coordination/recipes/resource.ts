// The protected resource of the master-election recipe: a small storage actor that only masters
// write to. Fencing: each write carries the writer's token (its election znode's czxid); the
// resource never lets the token go backwards, so a master that was deposed while paused cannot
// overwrite its successor (property M2, docs/histories.md). Bug master-no-fencing: it accepts every write.
import type { Actor, NodeContext, NodeId } from "../../../sim/types.ts";

export interface ResourceWrite {
  type: "resource-write";
  token: number;
  /** The writer's own counter, so replies can be matched. */
  seq: number;
  data: string;
}

export interface ResourceReply {
  type: "resource-reply";
  seq: number;
  accepted: boolean;
  /** The highest token the resource has accepted: a rejected master learns it was deposed. */
  tokenHighest: number;
}

export type ResourceMessage = ResourceWrite | ResourceReply;

/** Harness hook: called on every write the resource decides on (it records true time itself). */
export interface ResourceObserver {
  resourceWrite(node: NodeId, token: number, accepted: boolean): void;
}

export interface ResourceOptions {
  /** Bug switch master-no-fencing: ignore tokens. */
  fencing: boolean;
}

export function isResourceWrite(message: unknown): message is ResourceWrite {
  return typeof message === "object" && message !== null && (message as { type?: unknown }).type === "resource-write";
}

export function isResourceReply(message: unknown): message is ResourceReply {
  return typeof message === "object" && message !== null && (message as { type?: unknown }).type === "resource-reply";
}

/**
 * Never a fault target in the scenarios, so its state lives in memory; it keeps the accepted
 * writes so tests can read the resource's final contents.
 */
export class ProtectedResource implements Actor<ResourceMessage> {
  private ctx!: NodeContext<ResourceMessage>;
  private tokenHighest = -1;
  readonly accepted: Array<{ node: NodeId; token: number; data: string }> = [];

  constructor(private readonly options: ResourceOptions, private readonly observer?: ResourceObserver) {}

  start(ctx: NodeContext<ResourceMessage>): void {
    this.ctx = ctx;
  }

  receive(from: NodeId, message: ResourceMessage): void {
    if (!isResourceWrite(message)) return; // replies are not for us
    this.ctx.assert(Number.isSafeInteger(message.token) && message.token >= 0, () => `resource: bad token ${message.token} from ${from}`);
    const accepted = !this.options.fencing || message.token >= this.tokenHighest;
    if (accepted) {
      this.tokenHighest = Math.max(this.tokenHighest, message.token);
      this.accepted.push({ node: from, token: message.token, data: message.data });
    }
    this.observer?.resourceWrite(from, message.token, accepted);
    this.ctx.send(from, { type: "resource-reply", seq: message.seq, accepted, tokenHighest: this.tokenHighest });
  }

  timer(): void {}
}
