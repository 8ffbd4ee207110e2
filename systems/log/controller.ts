// The controller: one broker, elected by creating the ephemeral /controller, fenced by
// /controller_epoch. It owns partition state: it elects leaders when brokers come and go, applies
// leaders' ISR changes (AlterIsr), moves leadership back to preferred replicas, and tells brokers
// with LeaderAndIsr stamped with its epoch. Every write is a `multi` that first checks the
// /controller_epoch version it got when elected, so a deposed controller's write fails instead of
// overwriting its successor's (the KAFKA-6082 class of bugs came from writes without that check).
import type { MultiOp, Result, Stat, ZkClientApi } from "../coordination/client/index.ts";
import type { NodeContext } from "../../sim/types.ts";
import type { BrokerId, LogClusterConfig } from "./config.ts";
import { allTopics, replicasOf } from "./config.ts";
import type { LogBugFlags } from "./bugs.ts";
import type { AlterIsrReply, AlterIsrRequest, LeaderAndIsrRequest, LogEnd, LogEndsReply, PartitionState } from "./messages.ts";
import { decodeState, encodeState, nextState, recoveryCandidates, stateParents, statePath, withSuspects } from "./partition-state.ts";
import { decodeRegistration, type Registration } from "./registration.ts";
import { ControllerSteps } from "./controller-steps.ts";
import { LogEndQueries } from "./log-end-queries.ts";

export const CONTROLLER_PATH = "/controller";
export const CONTROLLER_EPOCH_PATH = "/controller_epoch";
export const BROKER_IDS_PATH = "/brokers/ids";

export interface ControllerHost {
  readonly ctx: NodeContext;
  readonly config: LogClusterConfig;
  readonly bugs: LogBugFlags;
  /** The broker's current session (it renews the client when a session expires). */
  zk(): ZkClientApi | undefined;
  /** Sends LeaderAndIsr to a broker (to itself: applied at once). */
  sendLeaderAndIsr(broker: BrokerId, request: LeaderAndIsrRequest): void;
  /** Harness hook: this broker became (or stopped being) the controller with this epoch. */
  controllerChanged(epoch: number | null): void;
  /** Where this broker's own logs end now (its answer to a log-ends query). */
  logEnds(partitions: readonly string[]): Record<string, LogEnd>;
}

/** A recovery election that lacked an answer is tried again after this long. */
const RECOVERY_RETRY_US = 100_000;

const key = (topic: string, partition: number) => `${topic}-${partition}`;

export class Controller {
  /** Set while this broker is the controller. */
  epoch: number | null = null;
  private epochZkVersion = -1;
  private readonly states = new Map<string, PartitionState>();
  private live = new Set<BrokerId>();
  /** Each live broker's registration czxid (KIP-380's broker epoch): a new one means it restarted. */
  private brokerEpochs = new Map<BrokerId, number>();
  /** Brokers whose connection broke since we last sent them the state: a LeaderAndIsr may be lost. */
  private readonly unsynced = new Set<BrokerId>();
  /** Registrations flagged recovering that this reign already took out of the ISRs. */
  private readonly recovered = new Set<number>();
  private readonly logEndQueries: LogEndQueries;
  /** A recovery election lacked an answer: tried again from the tick, not before this time. */
  private recoveryRetryAtUs: number | null = null;
  private readonly steps = new ControllerSteps({
    active: () => this.isActive, zk: () => this.host.zk(), resign: () => this.resign(),
    // The stale-controller switch acts on from its cache when its session expires.
    resignsOnExpiry: () => !this.host.bugs.staleController,
  });
  private electing = false;
  /** Another broker is the controller and our watch on /controller will say when it goes. */
  private observing = false;

  constructor(private readonly host: ControllerHost) {
    this.logEndQueries = new LogEndQueries(host);
  }

  get isActive(): boolean {
    return this.epoch !== null;
  }

  // ---- election ---------------------------------------------------------------------------

  /** Tries to become the controller; if another broker is, watches /controller for its departure. */
  elect(): void {
    const zk = this.host.zk();
    if (zk === undefined || this.isActive || this.electing || this.observing) return;
    this.electing = true;
    // `electing` stays set until this bid ends: won (the reign starts), lost, or failed.
    zk.create(CONTROLLER_PATH, this.host.ctx.nodeId, "ephemeral", (result) => {
      if (result.ok) return this.becomeController();
      if (result.error !== "node-exists") {
        this.electing = false; // connection loss: the broker retries on its next tick
        return;
      }
      zk.getData(CONTROLLER_PATH, { watch: true }, (read) => {
        // Ours from a create whose reply was lost: we won after all.
        if (read.ok && read.value.data === this.host.ctx.nodeId && read.value.stat.ephemeralOwner === zk.sessionId) return this.becomeController();
        this.electing = false;
        if (read.ok) this.observing = true;
        else if (read.error === "no-node") this.elect();
      });
    });
  }

  /** A watch on /controller fired (it was deleted or changed). */
  onControllerZnodeChanged(): void {
    this.observing = false;
    if (!this.isActive) this.elect();
  }

  private becomeController(): void {
    const zk = this.host.zk()!;
    zk.getData(CONTROLLER_EPOCH_PATH, {}, (read) => {
      const bump = (previous: number, version: number) => {
        const next = previous + 1;
        const write = (result: Result<{ version: number }>) => {
          if (!result.ok) return this.resign(); // someone else bumped it: they are the controller
          this.startReign(next, result.value.version);
        };
        if (version < 0) zk.create(CONTROLLER_EPOCH_PATH, String(next), "persistent", (created) => write(created.ok ? { ok: true, value: { version: 0 }, zxid: created.zxid } : created));
        else zk.setData(CONTROLLER_EPOCH_PATH, String(next), version, write);
      };
      if (read.ok) bump(Number(read.value.data), read.value.stat.version);
      else if (read.error === "no-node") bump(0, -1);
      else this.resign();
    });
  }

  private startReign(epoch: number, epochZkVersion: number): void {
    this.electing = false;
    this.steps.endReign();
    this.epoch = epoch;
    this.epochZkVersion = epochZkVersion;
    this.states.clear();
    this.logEndQueries.clear();
    this.recoveryRetryAtUs = null;
    this.host.controllerChanged(epoch);
    this.enqueue((done) => this.loadState(done));
  }

  /** Steps down: drops the cache and every queued step; the broker looks for the controller again. */
  resign(): void {
    const was = this.isActive;
    this.electing = false;
    this.observing = false;
    this.epoch = null;
    this.steps.endReign();
    this.states.clear();
    this.live.clear();
    this.brokerEpochs.clear();
    this.unsynced.clear();
    this.logEndQueries.clear();
    this.recoveryRetryAtUs = null;
    if (was) this.host.controllerChanged(null);
  }

  /**
   * The broker's session expired and it opened a new one. A real controller resigns (its ephemeral
   * /controller is gone); the stale-controller bug keeps acting from its cache on the new session.
   */
  sessionRenewed(): void {
    if (this.isActive && this.host.bugs.staleController) {
      this.enqueue((done) => this.watchBrokers(done));
      return;
    }
    this.resign();
  }

  // ---- steps ------------------------------------------------------------------------------

  private enqueue(step: (done: () => void) => void): void {
    this.steps.enqueue(step);
  }

  private guard<T>(callback: (result: Result<T>) => void): (result: Result<T>) => void {
    return this.steps.guard(callback);
  }

  // ---- loading and broker changes ---------------------------------------------------------

  private loadState(done: () => void): void {
    const zk = this.host.zk()!;
    const partitions = allTopics(this.host.config).flatMap((topic) =>
      Array.from({ length: topic.partitions }, (_, partition) => ({ topic, partition })));
    let left = partitions.length;
    const loaded = () => { if (--left === 0) this.watchBrokers(done); };
    for (const { topic, partition } of partitions) {
      const replicas = replicasOf(this.host.config, topic, partition);
      zk.getData(statePath(topic.name, partition), {}, this.guard((read) => {
        if (read.ok) {
          this.states.set(key(topic.name, partition), decodeState(topic.name, partition, replicas, read.value.data, read.value.stat.version));
        } else if (read.error === "no-node") {
          // A new topic: every replica starts in the ISR with an empty log; no leader until elected.
          const state: PartitionState = { topic: topic.name, partition, replicas, leader: null, leaderEpoch: -1, isr: replicas, zkVersion: -1, controllerEpoch: this.epoch! };
          this.states.set(key(topic.name, partition), state);
        } else {
          // A read failed (connection loss): resign; the broker's next tick bids again.
          done();
          return this.resign();
        }
        loaded();
      }));
    }
  }

  private watchBrokers(done: () => void): void {
    const zk = this.host.zk();
    if (zk === undefined) return done();
    zk.getChildren(BROKER_IDS_PATH, { watch: true }, this.guard((result) => {
      if (!result.ok) {
        done();
        if (result.error !== "no-node") this.resign();
        return;
      }
      const epochs = new Map<BrokerId, number>();
      const registrations = new Map<BrokerId, Registration>();
      let left = result.value.length;
      let unknown = false;
      if (left === 0) return this.brokersRead(done, epochs, registrations);
      for (const broker of result.value) {
        zk.getData(`${BROKER_IDS_PATH}/${broker}`, {}, this.guard((read) => {
          if (read.ok) {
            epochs.set(broker, read.value.stat.czxid);
            registrations.set(broker, decodeRegistration(read.value.data));
          }
          // no-node: the broker left since the listing. Any other error says nothing of the broker:
          // taking it for gone would leave its partitions leaderless until some broker next changes.
          else if (read.error !== "no-node") unknown = true;
          if (--left > 0) return;
          if (!unknown) return this.brokersRead(done, epochs, registrations);
          done();
          this.resign(); // as for a failed load: the broker's next tick bids again and reads afresh
        }));
      }
    }));
  }

  /** A restarted broker (a new registration, or one that says it is recovering from an unclean
   *  shutdown, for a controller that never saw it before) leaves every ISR (KIP-380, KIP-966). */
  private brokersRead(done: () => void, epochs: Map<BrokerId, number>, registrations: ReadonlyMap<BrokerId, Registration>): void {
    const before = this.brokerEpochs;
    const restarted = [...epochs].filter(([broker, epoch]) =>
      (before.has(broker) && before.get(broker) !== epoch) || (registrations.get(broker)?.recovering === true && !this.recovered.has(epoch))).map(([broker]) => broker);
    for (const broker of restarted) this.recovered.add(epochs.get(broker)!);
    const joined = [...epochs.keys()].filter((broker) => before.get(broker) !== epochs.get(broker));
    this.brokerEpochs = epochs;
    this.live = new Set(epochs.keys());
    this.reelect(done, joined, new Set(restarted));
  }

  /** A watch on /brokers/ids fired. */
  onBrokersChanged(): void {
    if (this.isActive) this.enqueue((done) => this.watchBrokers(done));
  }

  /**
   * Elects leaders where needed, drops dead and restarted brokers from ISRs, and tells every live
   * broker. Where the leader must be the replica whose log reaches furthest, the candidates are asked
   * where their logs end now: a log end read at registration goes stale as soon as the replica follows
   * a leader (it truncates, then appends).
   */
  private reelect(done: () => void, joined: BrokerId[], restarted: ReadonlySet<BrokerId>): void {
    const usable = new Set([...this.live].filter((broker) => !restarted.has(broker)));
    const asked = new Map<BrokerId, string[]>();
    for (const state of this.states.values()) {
      for (const broker of recoveryCandidates(state, this.live, usable) ?? []) {
        asked.set(broker, [...(asked.get(broker) ?? []), key(state.topic, state.partition)]);
      }
    }
    this.logEndQueries.ask(asked, this.epoch!, (callback) => this.steps.ofThisReign(callback), (ends) => {
      const changes: PartitionState[] = [];
      for (const state of this.states.values()) {
        if (state.zkVersion < 0 && !state.replicas.some((replica) => this.live.has(replica))) continue;
        const name = key(state.topic, state.partition);
        const logEndOf = (broker: BrokerId) => ends.get(broker)?.[name];
        if (recoveryCandidates(state, this.live, usable)?.some((broker) => logEndOf(broker) === undefined)) {
          this.recoveryRetryAtUs ??= this.host.ctx.now() + RECOVERY_RETRY_US;
        }
        const next = nextState(state, this.live, usable, this.host.config.uncleanLeaderElection, this.epoch!, logEndOf, this.host.config.minInsyncReplicas);
        if (next !== undefined) changes.push(next);
      }
      this.writeStates(changes, () => {
        const targets = joined.length > 0 || changes.length > 0 ? [...this.live] : [];
        this.broadcast(targets);
        done();
      });
    });
  }

  /** A broker's answer to a log-ends query. */
  onLogEnds(reply: LogEndsReply): void {
    this.logEndQueries.onReply(reply);
  }

  /** On the broker's tick: expired queries, resends, and a recovery election that lacked an answer. */
  tick(): void {
    const nowUs = this.host.ctx.now();
    this.logEndQueries.expire(nowUs);
    this.resendUnsynced();
    if (this.isActive && this.recoveryRetryAtUs !== null && this.recoveryRetryAtUs <= nowUs && !this.steps.busy) {
      this.recoveryRetryAtUs = null;
      this.enqueue((done) => this.reelect(done, [], new Set()));
    }
  }

  // ---- writes -----------------------------------------------------------------------------

  /** Writes each state (conditionally), updating the cache; calls `done` when all are answered. */
  private writeStates(states: PartitionState[], done: () => void): void {
    if (states.length === 0) return done();
    let left = states.length;
    for (const state of states) {
      this.writeState(state, () => { if (--left === 0) done(); }, done);
    }
  }

  private writeState(state: PartitionState, written: (state?: PartitionState) => void, stepDone: () => void): void {
    const path = statePath(state.topic, state.partition);
    const data = encodeState(state);
    const cached = this.states.get(key(state.topic, state.partition))!;
    const stored = (version: number) => {
      const next = { ...state, zkVersion: version };
      this.states.set(key(state.topic, state.partition), next);
      written(next);
    };
    // Every write is fenced, a create too: a deposed controller's fails on the epoch check.
    const fenced = !this.host.bugs.staleController;
    const op: MultiOp = cached.zkVersion < 0 ? { op: "create", path, data, mode: "persistent" }
      // The stale-controller switch: no fencing; the controller trusts its cache and overwrites whatever is there.
      : { op: "set", path, data, version: fenced ? cached.zkVersion : -1 };
    const ops: MultiOp[] = fenced ? [{ op: "check", path: CONTROLLER_EPOCH_PATH, version: this.epochZkVersion }, op] : [op];
    const write = () => this.steps.untilAnswered<Array<{ path?: string; stat?: Stat }>>((zk, callback) => zk.multi(ops, callback), (result) => {
      if (result.ok) return stored(op.op === "create" ? 0 : result.value.at(-1)!.stat!.version);
      // bad-version: deposed, or the state moved; node-exists: created before a lost reply. The re-read tells.
      if (result.error === "bad-version" || result.error === "node-exists") return this.refresh(state, written, stepDone);
      written();
    });
    if (cached.zkVersion >= 0) return write();
    this.steps.createParents(stateParents(state.topic, state.partition), (ok) => ok ? write() : written());
  }

  /** A conditional write failed: either we were deposed (resign) or the state moved (re-read it). */
  private refresh(state: PartitionState, written: (state?: PartitionState) => void, stepDone: () => void): void {
    const zk = this.host.zk()!;
    zk.getData(CONTROLLER_EPOCH_PATH, {}, this.guard((epoch) => {
      if (!epoch.ok || epoch.value.stat.version !== this.epochZkVersion) {
        stepDone();
        return this.resign();
      }
      zk.getData(statePath(state.topic, state.partition), {}, this.guard((read) => {
        if (read.ok) {
          this.states.set(key(state.topic, state.partition),
            decodeState(state.topic, state.partition, state.replicas, read.value.data, read.value.stat.version));
        }
        written();
      }));
    }));
  }

  private broadcast(brokers: readonly BrokerId[]): void {
    if (brokers.length === 0 || this.epoch === null) return;
    const partitions = [...this.states.values()].filter((state) => state.zkVersion >= 0);
    for (const broker of brokers) {
      const brokerEpoch = this.brokerEpochs.get(broker);
      if (brokerEpoch === undefined) continue;
      this.host.sendLeaderAndIsr(broker, { type: "k.leader-and-isr", controller: this.host.ctx.nodeId, controllerEpoch: this.epoch, brokerEpoch, partitions });
    }
  }

  /** The connection to `broker` broke: what we sent it may be lost (Kafka's controller channel
   *  resends on reconnection). */
  brokerUnreachable(broker: BrokerId): void {
    if (!this.isActive) return;
    this.unsynced.add(broker);
    this.logEndQueries.expire(this.host.ctx.now(), broker);
  }

  /** The full state again to every live broker that may have missed it. */
  private resendUnsynced(): void {
    if (!this.isActive || this.unsynced.size === 0) return;
    const brokers = [...this.unsynced];
    this.unsynced.clear();
    // Queued behind any step still writing: the cache may be about to change.
    this.enqueue((done) => {
      this.broadcast(brokers.filter((broker) => this.live.has(broker)));
      done();
    });
  }

  // ---- requests from leaders and the periodic rebalance -----------------------------------

  /** A leader's AlterIsr: applied only if it comes from the current leader of the state it read. */
  alterIsr(from: BrokerId, request: AlterIsrRequest, reply: (message: AlterIsrReply) => void): void {
    if (!this.isActive) return reply({ type: "k.alter-isr-reply", id: request.id, error: "not-coordinator" });
    this.enqueue((done) => {
      const cached = this.states.get(key(request.topic, request.partition));
      if (cached === undefined || cached.leader !== from || cached.leaderEpoch !== request.leaderEpoch) {
        reply({ type: "k.alter-isr-reply", id: request.id, error: "fenced-leader-epoch", state: cached });
        return done();
      }
      if (cached.zkVersion !== request.zkVersion) {
        reply({ type: "k.alter-isr-reply", id: request.id, error: "invalid-version", state: cached });
        return done();
      }
      const isr = cached.replicas.filter((replica) => request.isr.includes(replica));
      // A suspect the leader takes back has caught up: it holds every committed record again.
      const suspects = (cached.suspects ?? []).filter((replica) => !isr.includes(replica));
      this.writeState(withSuspects({ ...cached, isr, controllerEpoch: this.epoch! }, suspects), (state) => {
        reply(state === undefined ? { type: "k.alter-isr-reply", id: request.id, error: "invalid-version" } : { type: "k.alter-isr-reply", id: request.id, state });
        done();
      }, done);
    });
  }

  /** auto.leader.rebalance: leadership goes back to the first replica when it is live and in sync. */
  preferredLeaderCheck(): void {
    if (!this.isActive || this.steps.busy) return;
    this.enqueue((done) => {
      const moves = [...this.states.values()].filter((state) => {
        const preferred = state.replicas[0]!;
        // Only an online partition moves, and never to a suspect (it restarted while offline).
        return state.zkVersion >= 0 && state.leader !== null && state.leader !== preferred && this.live.has(preferred)
          && state.isr.includes(preferred) && !(state.suspects ?? []).includes(preferred);
      }).map((state) => ({ ...state, leader: state.replicas[0]!, leaderEpoch: state.leaderEpoch + 1, controllerEpoch: this.epoch! }));
      this.writeStates(moves, () => {
        if (moves.length > 0) this.broadcast([...this.live]);
        done();
      });
    });
  }

}
