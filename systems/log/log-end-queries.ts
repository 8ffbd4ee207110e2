// The controller's log-ends queries (KIP-966's GetReplicaLogInfo): before electing among replicas that
// all restarted, it asks each where its logs end now. A broker that does not answer in time, or whose
// connection breaks, is taken for one that has not said; the election then waits and is tried again.
import type { NodeContext } from "../../sim/types.ts";
import type { BrokerId } from "./config.ts";
import type { LogEnd, LogEndsReply } from "./messages.ts";

const TIMEOUT_US = 100_000;

type Answer = (ends: Record<string, LogEnd> | undefined) => void;

export class LogEndQueries {
  private readonly pending = new Map<number, { broker: BrokerId; deadlineUs: number; answer: Answer }>();
  private nextId = 0;

  /** `host`: the controller's broker (read when asking: its context comes when it starts). */
  constructor(private readonly host: { readonly ctx: NodeContext; logEnds(partitions: readonly string[]): Record<string, LogEnd> }) {}

  /**
   * Asks each broker where the named logs end; `answered` gets every answer that came in time, once
   * all are in or given up. `epoch` stamps the requests; `wrap` binds the callback to its reign.
   */
  ask(asked: ReadonlyMap<BrokerId, string[]>, epoch: number, wrap: <A extends unknown[]>(callback: (...args: A) => void) => (...args: A) => void,
    answered: (ends: Map<BrokerId, Record<string, LogEnd>>) => void): void {
    const ends = new Map<BrokerId, Record<string, LogEnd>>();
    let left = asked.size;
    if (left === 0) return answered(ends);
    const answer = wrap((broker: BrokerId, reply: Record<string, LogEnd> | undefined) => {
      if (reply !== undefined) ends.set(broker, reply);
      if (--left === 0) answered(ends);
    });
    for (const [broker, partitions] of asked) {
      if (broker === this.host.ctx.nodeId) {
        answer(broker, this.host.logEnds(partitions));
        continue;
      }
      const id = ++this.nextId;
      this.pending.set(id, { broker, deadlineUs: this.host.ctx.now() + TIMEOUT_US, answer: (reply) => answer(broker, reply) });
      this.host.ctx.send(broker, { type: "k.log-ends", id, controllerEpoch: epoch, partitions });
    }
  }

  /** A broker's answer (late ones, and those of a reign that ended, find nothing pending). */
  onReply(reply: LogEndsReply): void {
    const query = this.pending.get(reply.id);
    if (query === undefined) return;
    this.pending.delete(reply.id);
    query.answer(reply.ends);
  }

  /** Gives up on the queries past their deadline, or to `broker` (its connection broke). */
  expire(nowUs: number, broker?: BrokerId): void {
    for (const [id, query] of this.pending) {
      if (broker === undefined ? query.deadlineUs > nowUs : query.broker !== broker) continue;
      this.pending.delete(id);
      query.answer(undefined);
    }
  }

  clear(): void {
    this.pending.clear();
  }
}
