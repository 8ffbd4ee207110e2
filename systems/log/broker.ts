// A broker: the actor that hosts partition replicas, answers clients, holds a session with the
// coordination service (its registration under /brokers/ids and its bid for /controller), and may
// be the controller and the group coordinator. Partition logic lives in partition.ts, the
// controller's in controller.ts, the coordinator's in group-coordinator.ts; this file routes.
import type { Actor, NodeContext, NodeId } from "../../sim/types.ts";
import type { ZkClientApi, ClientOptions, WatchEvent } from "../coordination/client/index.ts";
import type { BrokerId, LogClusterConfig } from "./config.ts";
import { allTopics, OFFSETS_TOPIC, replicasOf } from "./config.ts";
import { logBugFlags, type LogBugFlags } from "./bugs.ts";
import type {
  AlterIsrReply, AlterIsrRequest, InitProducerIdRequest, LogEnd, LogError, ProduceRequest, LeaderAndIsrRequest, LogReply, LogRequest, MetadataReply,
  PartitionState,
} from "./messages.ts";
import { isLogMessage } from "./messages.ts";
import { Partition, type PartitionHost } from "./partition.ts";
import { Controller, BROKER_IDS_PATH, CONTROLLER_PATH, type ControllerHost } from "./controller.ts";
import { encodeRegistration } from "./registration.ts";
import { GroupCoordinator } from "./group-coordinator.ts";
import { ProducerIdAllocator } from "./producer-ids.ts";
import { createPaths } from "./zk-paths.ts";

/** What the harness watches: leadership and controllership, to assert they stay unique. */
export interface LogObserver {
  becameLeader(broker: BrokerId, topic: string, partition: number, leaderEpoch: number): void;
  controllerChanged(broker: BrokerId, epoch: number | null): void;
}

export type ZkClientFactory = (ctx: NodeContext, options: ClientOptions & { timerPrefix?: string }) => ZkClientApi;

const TICK_US = 20_000;
const ALTER_ISR_TIMEOUT_US = 200_000;
const TIMER = { tick: "broker:tick", flush: "broker:flush", flushed: "broker:flushed" } as const;

export class Broker implements Actor, PartitionHost, ControllerHost {
  ctx!: NodeContext;
  readonly bugs: LogBugFlags;
  readonly partitions = new Map<string, Partition>();
  readonly controller: Controller;
  readonly coordinator: GroupCoordinator;
  private client: ZkClientApi | undefined;
  private sessionGeneration = 0;
  private registered = false;
  /** The czxid of this incarnation's registration (KIP-380): orders for another one are refused. */
  private brokerEpoch: number | undefined;
  /** The latest LeaderAndIsr that came before this broker knew its own epoch (a create whose reply was
   *  lost is learned by a read, and the controller may read it first): applied once it does. Dropped,
   *  it left a partition leaderless for the whole run (kafka-log seed 701299). */
  private earlyOrders: LeaderAndIsrRequest | undefined;
  private recovering = false;
  /** A controller took us out of the ISRs, but our registration still says we are recovering. */
  private registrationStale = false;
  private updatingRegistration = false;
  private registering = false;
  /** Metadata cache: the newest state of every partition heard from a controller. */
  private readonly metadata = new Map<string, PartitionState>();
  private controllerId: BrokerId | null = null;
  private controllerEpochSeen = -1;
  private requestId = 0;
  private readonly alterIsrPending = new Map<number, { to: BrokerId; deadlineUs: number; done: (state: PartitionState | undefined) => void }>();
  private readonly producerIds: ProducerIdAllocator;
  private lastPreferredCheckUs = 0;

  constructor(readonly config: LogClusterConfig, private readonly makeZkClient: ZkClientFactory, private readonly observer?: LogObserver) {
    this.bugs = logBugFlags(config.bugs);
    this.controller = new Controller(this);
    this.coordinator = new GroupCoordinator(this);
    this.producerIds = new ProducerIdAllocator(() => this.client);
  }

  start(ctx: NodeContext, restarted: boolean): void {
    this.ctx = ctx;
    // Every restart here is unclean (a crash or a power loss): the unflushed tail may be gone.
    this.recovering = restarted;
    for (const topic of allTopics(this.config)) {
      for (let partition = 0; partition < topic.partitions; partition++) {
        if (replicasOf(this.config, topic, partition).includes(ctx.nodeId)) {
          this.partitions.set(`${topic.name}-${partition}`, new Partition(this, topic.name, partition));
        }
      }
    }
    ctx.setTimer(TIMER.tick, TICK_US);
    ctx.setTimer(TIMER.flush, this.config.flushIntervalUs);
    this.newSession();
  }

  // ---- the coordination session -------------------------------------------------------------

  zk(): ZkClientApi | undefined {
    return this.client;
  }

  private newSession(): void {
    const generation = ++this.sessionGeneration;
    this.client?.close();
    this.registered = false;
    this.registering = false;
    this.brokerEpoch = undefined;
    this.earlyOrders = undefined;
    // The next registration is written afresh, from the flag as it stands.
    this.registrationStale = false;
    this.updatingRegistration = false;
    const client = this.makeZkClient(this.ctx, {
      servers: [...this.config.zkServers], sessionTimeoutMs: this.config.zkSessionTimeoutMs,
      requestTimeoutMs: this.config.zkRequestTimeoutMs, readMode: "linearizable", timerPrefix: "zk.",
      incarnation: generation,
    });
    this.client = client;
    client.onSessionState = (state) => {
      if (generation !== this.sessionGeneration) return;
      if (state === "expired") {
        this.newSession();
        this.controller.sessionRenewed();
      } else if (state === "connected") {
        this.register();
      }
    };
    client.onWatch = (event) => { if (generation === this.sessionGeneration) this.onWatch(event); };
  }

  /** Registers /brokers/ids/<id> (ephemeral), then bids for the controller. */
  private register(): void {
    const zk = this.client;
    if (zk === undefined || zk.sessionId === null || this.registered || this.registering) return;
    this.registering = true;
    const generation = this.sessionGeneration;
    createPaths((path, callback) => zk.create(path, "", "persistent", callback), ["/brokers", BROKER_IDS_PATH], () => {
      zk.create(`${BROKER_IDS_PATH}/${this.ctx.nodeId}`, this.registrationData(), "ephemeral", (result) => {
        if (generation !== this.sessionGeneration) return;
        if (!result.ok && result.error !== "node-exists") {
          this.registering = false; // connection loss: the next tick tries again
          return;
        }
        // node-exists is ours when a create's reply was lost, or a previous session's: a previous
        // incarnation's, whose session lives on until it times out.
        zk.exists(`${BROKER_IDS_PATH}/${this.ctx.nodeId}`, {}, (stat) => {
          if (generation !== this.sessionGeneration) return;
          if (!stat.ok || stat.value === null) {
            this.registering = false;
            return;
          }
          if (stat.value.ephemeralOwner !== zk.sessionId) {
            // That incarnation is dead, but a controller would take its registration for ours, and
            // take us for a broker that lost nothing (kafka-log seed 1301027 --swarm: a new controller
            // kept a power-cycled b2 in the ISR and dropped b1, which held the acked records). So we
            // delete it at once, and the next tick registers us, recovering.
            return zk.delete(`${BROKER_IDS_PATH}/${this.ctx.nodeId}`, stat.value.version, () => {
              if (generation === this.sessionGeneration) this.registering = false;
            });
          }
          this.registering = false;
          this.brokerEpoch = stat.value.czxid;
          this.registered = true;
          const early = this.earlyOrders;
          this.earlyOrders = undefined;
          if (early !== undefined) this.onLeaderAndIsr(early);
          this.controller.elect();
        });
      });
    });
  }

  /**
   * Until our registration stops saying we are recovering, a new controller takes us out of every ISR
   * again, so we may not rejoin one: the update is sent until it is written. Sent once and its loss
   * ignored, the flag stayed for the whole run; a broker with every acked record was later dropped as
   * restarted, and the power-cycled one, which had lost its tail, elected (kafka-log seed 2000360 --swarm).
   */
  registrationRecovering(): boolean {
    return this.recovering || this.registrationStale;
  }

  private updateRegistration(): void {
    const zk = this.client;
    if (!this.registrationStale || this.updatingRegistration || zk === undefined || !this.registered) return;
    this.updatingRegistration = true;
    const generation = this.sessionGeneration;
    zk.setData(`${BROKER_IDS_PATH}/${this.ctx.nodeId}`, this.registrationData(), -1, (result) => {
      if (generation !== this.sessionGeneration) return;
      this.updatingRegistration = false;
      if (result.ok) this.registrationStale = false; // otherwise the next tick tries again
    });
  }

  private registrationData(): string {
    return encodeRegistration({ recovering: this.recovering });
  }

  logEnds(partitions: readonly string[]): Record<string, LogEnd> {
    const ends: Record<string, LogEnd> = {};
    for (const name of partitions) {
      const partition = this.partitions.get(name);
      if (partition !== undefined) ends[name] = { epoch: partition.log.epochs.latestEpoch, offset: partition.log.logEndOffset };
    }
    return ends;
  }

  private onWatch(event: WatchEvent): void {
    if (event.path === CONTROLLER_PATH) this.controller.onControllerZnodeChanged();
    else if (event.path === BROKER_IDS_PATH) this.controller.onBrokersChanged();
  }

  controllerChanged(epoch: number | null): void {
    this.observer?.controllerChanged(this.ctx.nodeId, epoch);
  }

  // ---- actor --------------------------------------------------------------------------------

  receive(from: NodeId, message: unknown): void {
    if (this.client?.receive(from, message)) return;
    if (!isLogMessage(message)) return;
    this.dispatch(from, message);
  }

  timer(tag: string): void {
    if (this.client?.timer(tag)) return;
    if (tag === TIMER.tick) this.onTick();
    else if (tag === TIMER.flush) this.onFlush();
    else if (tag.startsWith("linger:")) this.partitions.get(tag.slice("linger:".length))?.lingered();
  }

  connection(peer: NodeId, state: "open" | "broken"): void {
    this.client?.connection(peer, state);
    if (state !== "broken") return;
    this.controller.brokerUnreachable(peer);
    for (const partition of this.partitions.values()) if (partition.state?.leader === peer) partition.leaderUnreachable();
    for (const [id, pending] of this.alterIsrPending) {
      if (pending.to !== peer) continue;
      this.alterIsrPending.delete(id);
      pending.done(undefined);
    }
  }

  private onTick(): void {
    this.ctx.setTimer(TIMER.tick, TICK_US);
    if (this.client?.sessionId && !this.registered) this.register();
    else if (this.registered && !this.controller.isActive) this.controller.elect();
    this.updateRegistration();
    const nowUs = this.ctx.now();
    for (const [id, pending] of this.alterIsrPending) {
      if (pending.deadlineUs > nowUs) continue;
      this.alterIsrPending.delete(id);
      pending.done(undefined);
    }
    for (const partition of this.partitions.values()) partition.tick();
    this.coordinator.tick();
    this.controller.tick();
    if (nowUs - this.lastPreferredCheckUs >= this.config.preferredLeaderCheckUs) {
      this.lastPreferredCheckUs = nowUs;
      this.controller.preferredLeaderCheck();
    }
  }

  /** Kafka flushes on an interval: the log, its checkpoints and the epoch caches become durable. */
  private onFlush(): void {
    this.ctx.setTimer(TIMER.flush, this.config.flushIntervalUs);
    for (const partition of this.partitions.values()) partition.checkpoint();
    this.ctx.disk.fsync(TIMER.flushed);
  }

  // ---- requests -----------------------------------------------------------------------------

  private dispatch(from: NodeId, message: LogRequest | LogReply): void {
    switch (message.type) {
      case "k.produce": {
        const partition = this.partitions.get(`${message.topic}-${message.partition}`);
        if (partition === undefined) return this.answerProduce(from, message, undefined, "not-leader");
        return partition.produce(message, (offset, error) => this.answerProduce(from, message, offset, error));
      }
      case "k.fetch": {
        const partition = this.partitions.get(`${message.topic}-${message.partition}`);
        if (partition !== undefined) return partition.fetch(from, message);
        return this.ctx.send(from, { type: "k.fetch-reply", id: message.id, topic: message.topic, partition: message.partition, records: [], highWatermark: 0, logStartOffset: 0, leaderEpoch: -1, error: "not-leader" });
      }
      case "k.fetch-reply": return this.partitions.get(`${message.topic}-${message.partition}`)?.onFetchReply(message);
      case "k.epoch-end": {
        const partition = this.partitions.get(`${message.topic}-${message.partition}`);
        const reply = partition?.epochEnd(message.leaderEpoch, message.currentLeaderEpoch, message.id)
          ?? { type: "k.epoch-end-reply" as const, id: message.id, leaderEpoch: -1, endOffset: -1, error: "not-leader" as const };
        return this.ctx.send(from, reply);
      }
      case "k.epoch-end-reply":
        for (const partition of this.partitions.values()) partition.onEpochEnd(message);
        return;
      case "k.metadata": return this.ctx.send(from, this.metadataReply(message.id));
      case "k.init-producer-id": return this.initProducerId(from, message);
      case "k.leader-and-isr": return this.onLeaderAndIsr(message);
      case "k.alter-isr": return this.controller.alterIsr(from, message, (reply) => this.ctx.send(from, reply));
      case "k.alter-isr-reply": return this.onAlterIsrReply(message);
      case "k.log-ends": return this.ctx.send(from, { type: "k.log-ends-reply", id: message.id, ends: this.logEnds(message.partitions) });
      case "k.log-ends-reply": return this.controller.onLogEnds(message);
      default:
        this.coordinator.handle(from, message);
    }
  }

  private answerProduce(from: NodeId, request: ProduceRequest, offset: number | undefined, error: LogError | undefined): void {
    if (request.acks === 0) return;
    this.ctx.send(from, error === undefined ? { type: "k.produce-reply", id: request.id, offset } : { type: "k.produce-reply", id: request.id, error });
  }

  private metadataReply(id: number): MetadataReply {
    return { type: "k.metadata-reply", id, partitions: [...this.metadata.values()], controller: this.controllerId };
  }

  private initProducerId(from: NodeId, request: InitProducerIdRequest): void {
    this.producerIds.next((producerId) => {
      this.ctx.send(from, producerId === undefined
        ? { type: "k.init-producer-id-reply", id: request.id, error: "coordinator-not-available" }
        : { type: "k.init-producer-id-reply", id: request.id, producerId });
    });
  }

  // ---- from the controller ------------------------------------------------------------------

  sendLeaderAndIsr(broker: BrokerId, request: LeaderAndIsrRequest): void {
    if (broker === this.ctx.nodeId) this.onLeaderAndIsr(request);
    else this.ctx.send(broker, request);
  }

  private onLeaderAndIsr(request: LeaderAndIsrRequest): void {
    // A deposed controller's orders are refused (the stale-controller bug obeys them).
    if (request.controllerEpoch < this.controllerEpochSeen && !this.bugs.staleController) return;
    if (this.brokerEpoch === undefined) {
      if (this.earlyOrders === undefined || request.controllerEpoch >= this.earlyOrders.controllerEpoch) this.earlyOrders = request;
      return;
    }
    if (request.brokerEpoch !== this.brokerEpoch) return;
    if (this.recovering) {
      // A controller has taken us out of the ISRs: later controllers need not do it again.
      this.recovering = false;
      this.registrationStale = true;
      this.updateRegistration();
    }
    this.controllerEpochSeen = Math.max(this.controllerEpochSeen, request.controllerEpoch);
    this.controllerId = request.controller;
    for (const state of request.partitions) {
      const name = `${state.topic}-${state.partition}`;
      const known = this.metadata.get(name);
      if (known !== undefined && (state.leaderEpoch < known.leaderEpoch || (state.leaderEpoch === known.leaderEpoch && state.zkVersion <= known.zkVersion))) continue;
      this.metadata.set(name, state);
      const partition = this.partitions.get(name);
      if (partition === undefined) continue;
      if (partition.state !== undefined && state.leaderEpoch < partition.leaderEpoch) continue;
      partition.applyState(state);
    }
  }

  alterIsr(partition: Partition, isr: BrokerId[], done: (state: PartitionState | undefined) => void): void {
    const state = partition.state!;
    const request: AlterIsrRequest = {
      type: "k.alter-isr", id: this.nextRequestId(), topic: partition.topic, partition: partition.partition,
      leaderEpoch: state.leaderEpoch, isr, zkVersion: state.zkVersion,
    };
    const controller = this.controllerId;
    if (controller === null) return done(undefined);
    if (controller === this.ctx.nodeId) {
      this.controller.alterIsr(this.ctx.nodeId, request, (reply) => this.applyAlterIsr(reply, done));
      return;
    }
    // A paused or deposed controller may never answer: the leader asks again after a while.
    this.alterIsrPending.set(request.id, { to: controller, deadlineUs: this.ctx.now() + ALTER_ISR_TIMEOUT_US, done });
    this.ctx.send(controller, request);
  }

  private onAlterIsrReply(reply: AlterIsrReply): void {
    const pending = this.alterIsrPending.get(reply.id);
    if (pending === undefined) return;
    this.alterIsrPending.delete(reply.id);
    this.applyAlterIsr(reply, pending.done);
  }

  private applyAlterIsr(reply: AlterIsrReply, done: (state: PartitionState | undefined) => void): void {
    if (reply.state !== undefined && reply.error === undefined) {
      const name = `${reply.state.topic}-${reply.state.partition}`;
      const known = this.metadata.get(name);
      if (known === undefined || reply.state.leaderEpoch >= known.leaderEpoch) this.metadata.set(name, reply.state);
    }
    // A version conflict comes with the controller's current state: what the ISR is, as a confirmation would say.
    done(reply.error === undefined || reply.error === "invalid-version" ? reply.state : undefined);
  }

  // ---- for partitions -----------------------------------------------------------------------

  nextRequestId(): number {
    return ++this.requestId;
  }

  becameLeader(partition: Partition): void {
    this.observer?.becameLeader(this.ctx.nodeId, partition.topic, partition.partition, partition.leaderEpoch);
    if (partition.topic === OFFSETS_TOPIC) this.coordinator.becameLeader(partition);
  }

}
