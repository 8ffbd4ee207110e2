// A consumer in a group: finds the coordinator, joins (a generation and an assignment), starts each
// partition at the group's committed offset, polls the partition leaders, processes, then commits
// (at-least-once), and heartbeats. A rebalance (a heartbeat told so, or a commit refused for its
// generation) sends it back to join. Two bug switches change the order of things: commit before
// processing, and resuming from a remembered position instead of the committed one.
import type { BrokerId } from "./config.ts";
import { OFFSETS_TOPIC } from "./config.ts";
import type { FetchReply } from "./messages.ts";
import { LogClient } from "./log-client.ts";
import type { LogBugFlags } from "./bugs.ts";

export interface ConsumerRecorder {
  invoke(f: string, value: unknown): void;
  ok(value: unknown): void;
  fail(error: string, value?: unknown): void;
  info(error: string): void;
  readonly pending: boolean;
}

export interface ConsumerConfig {
  brokers: readonly BrokerId[];
  topic: string;
  group: string;
  requestTimeoutUs: number;
  heartbeatIntervalUs: number;
  retryBackoffUs: number;
  fetchWaitUsMax: number;
  /** Time spent processing a batch before its commit. */
  processUs: number;
  bugs: LogBugFlags;
}

type Phase = "finding" | "joining" | "fetching-offsets" | "consuming";

interface Assigned {
  partition: number;
  position: number;
  busy: boolean;
  retryAtUs: number;
}

export class Consumer extends LogClient {
  private phase: Phase = "finding";
  private coordinator: BrokerId | null = null;
  private member = "";
  private generation = -1;
  private assigned: Assigned[] = [];
  /** Positions remembered across generations (only the nonmonotonic-commit bug resumes from them). */
  private readonly remembered = new Map<number, number>();
  /** The assignment before a rejoin: a join answered with the same generation keeps its positions. */
  private previous: { generation: number; assigned: Assigned[] } | undefined;
  private waiting = false;
  private retryAtUs = 0;
  private lastHeartbeatUs = 0;
  /** Each partition's work is one history process chain, so a commit never waits on a poll. */
  private readonly pens = new Map<number, ConsumerRecorder>();

  constructor(private readonly config: ConsumerConfig, private readonly recorder: ConsumerRecorder, private readonly penFor: (partition: number) => ConsumerRecorder) {
    super(config.brokers, "consumer:tick");
  }

  protected started(): void {
    this.member = `${this.ctx.nodeId}-${this.ctx.rng.int(0, 0xffffff).toString(16)}`;
    this.step();
  }

  protected tick(nowUs: number): void {
    if (!this.waiting && nowUs >= this.retryAtUs) this.step();
    if (this.phase === "consuming") {
      if (nowUs - this.lastHeartbeatUs >= this.config.heartbeatIntervalUs) this.heartbeat();
      for (const assigned of this.assigned) if (!assigned.busy && assigned.retryAtUs <= nowUs) this.poll(assigned);
    }
  }

  private backoff(): void {
    this.waiting = false;
    this.retryAtUs = this.ctx.now() + this.config.retryBackoffUs;
  }

  private step(): void {
    if (this.phase === "finding") this.findCoordinator();
    else if (this.phase === "joining") this.join();
    else if (this.phase === "fetching-offsets") this.fetchOffsets();
  }

  private findCoordinator(): void {
    this.waiting = true;
    this.metadata.refresh(() => {
      this.coordinator = this.metadata.leaderOf(OFFSETS_TOPIC, 0);
      if (this.coordinator !== null) this.phase = "joining";
      this.backoff();
      this.retryAtUs = 0;
    });
  }

  private rejoin(): void {
    for (const assigned of this.assigned) this.remembered.set(assigned.partition, assigned.position);
    // Positions stand for an unchanged generation only once they came from the committed offsets: a
    // member cut off while it fetched them held position 0 everywhere (kafka-log seed 500381, --roles).
    if (this.generation !== -1) this.previous = this.phase === "consuming" ? { generation: this.generation, assigned: this.assigned } : undefined;
    this.assigned = [];
    this.generation = -1;
    this.phase = "joining";
  }

  private lostCoordinator(): void {
    this.rejoin();
    this.phase = "finding";
  }

  private join(): void {
    this.waiting = true;
    const coordinator = this.coordinator!;
    this.recorder.invoke("assign", { consumer: this.ctx.nodeId, group: this.config.group });
    this.requests.request(coordinator, (id) => ({ type: "k.join", id, group: this.config.group, member: this.member }),
      this.config.requestTimeoutUs * 2, (reply) => {
        if (reply === "lost") {
          this.recorder.info("timeout");
          this.lostCoordinator();
          return this.backoff();
        }
        if (reply.type !== "k.join-reply" || reply.error !== undefined) {
          this.recorder.fail(reply.type === "k.join-reply" ? reply.error ?? "error" : "error");
          this.lostCoordinator();
          return this.backoff();
        }
        this.generation = reply.generation!;
        this.recorder.ok({ generation: reply.generation, partitions: reply.partitions, group: this.config.group });
        this.assigned = reply.partitions!.map((partition) => ({ partition, position: 0, busy: false, retryAtUs: 0 }));
        if (reply.unchanged === true && this.previous?.generation === this.generation) {
          // The group did not rebalance: our positions in this generation still stand.
          for (const assigned of this.assigned) assigned.position = this.previous.assigned.find((old) => old.partition === assigned.partition)?.position ?? 0;
          this.phase = "consuming";
          this.waiting = false;
          this.lastHeartbeatUs = this.ctx.now();
          return;
        }
        this.phase = "fetching-offsets";
        this.waiting = false;
        this.fetchOffsets();
      });
  }

  private fetchOffsets(): void {
    this.waiting = true;
    const partitions = this.assigned.map((assigned) => assigned.partition);
    const generation = this.generation;
    this.requests.request(this.coordinator!, (id) => ({ type: "k.offset-fetch", id, group: this.config.group, partitions }),
      this.config.requestTimeoutUs, (reply) => {
        if (generation !== this.generation) return;
        if (reply === "lost" || reply.type !== "k.offset-fetch-reply" || reply.error !== undefined) {
          this.lostCoordinator();
          return this.backoff();
        }
        for (const assigned of this.assigned) {
          const committed = reply.offsets!.find((entry) => entry.partition === assigned.partition)?.offset ?? null;
          const remembered = this.remembered.get(assigned.partition);
          // The bug: a consumer that owned this partition before trusts its own memory.
          assigned.position = this.config.bugs.nonmonotonicCommit && remembered !== undefined ? remembered : committed ?? 0;
        }
        this.phase = "consuming";
        this.waiting = false;
        this.lastHeartbeatUs = this.ctx.now();
      });
  }

  private heartbeat(): void {
    this.lastHeartbeatUs = this.ctx.now();
    const generation = this.generation;
    this.requests.request(this.coordinator!, (id) => ({ type: "k.heartbeat", id, group: this.config.group, member: this.member, generation }),
      this.config.requestTimeoutUs, (reply) => {
        if (generation !== this.generation || this.phase !== "consuming") return;
        if (reply === "lost") return this.lostCoordinator();
        if (reply.type === "k.heartbeat-reply" && reply.error !== undefined) {
          if (reply.error === "not-coordinator") this.lostCoordinator();
          else this.rejoin();
        }
      });
  }

  // ---- consuming --------------------------------------------------------------------------

  private poll(assigned: Assigned): void {
    const leader = this.metadata.leaderOf(this.config.topic, assigned.partition);
    if (leader === null) {
      assigned.retryAtUs = this.ctx.now() + this.config.retryBackoffUs;
      this.metadata.refresh();
      return;
    }
    assigned.busy = true;
    const generation = this.generation;
    this.requests.request(leader, (id) => ({
      type: "k.fetch", id, topic: this.config.topic, partition: assigned.partition, offset: assigned.position, waitUsMax: this.config.fetchWaitUsMax,
    }), this.config.requestTimeoutUs + this.config.fetchWaitUsMax, (reply) => {
      if (generation !== this.generation || !this.assigned.includes(assigned)) return;
      assigned.busy = false;
      if (reply === "lost" || reply.type !== "k.fetch-reply") return this.pollFailed(assigned, true);
      if (reply.error === "offset-out-of-range" && assigned.position < reply.logStartOffset) {
        assigned.position = reply.logStartOffset; // auto.offset.reset=earliest: retention deleted what we had not read
        return;
      }
      if (reply.error !== undefined) return this.pollFailed(assigned, reply.error === "not-leader");
      if (reply.records.length > 0) this.deliver(assigned, reply);
    });
  }

  private pollFailed(assigned: Assigned, refresh: boolean): void {
    assigned.retryAtUs = this.ctx.now() + this.config.retryBackoffUs;
    if (refresh) this.metadata.refresh();
  }

  /** Process, then commit (at-least-once); the bug commits first, so a crash in between skips the batch. */
  private deliver(assigned: Assigned, reply: FetchReply): void {
    const records = reply.records.map((record) => ({ partition: assigned.partition, offset: record.offset, value: record.value }));
    const next = reply.records[reply.records.length - 1]!.offset + 1;
    const pen = this.penOf(assigned.partition);
    const process = () => {
      pen.invoke("poll", { consumer: this.ctx.nodeId, group: this.config.group });
      pen.ok({ generation: this.generation, records });
    };
    assigned.busy = true;
    assigned.position = next;
    const generation = this.generation;
    if (this.config.bugs.commitBeforeProcess) {
      this.commit(assigned, next, () => this.afterProcessing(generation, () => { process(); assigned.busy = false; }));
    } else {
      process();
      this.afterProcessing(generation, () => this.commit(assigned, next, () => { assigned.busy = false; }));
    }
  }

  private afterProcessing(generation: number, then: () => void): void {
    this.after(`consumer:process:${this.ctx.rng.int(0, 0x7fffffff)}`, this.config.processUs, () => { if (generation === this.generation) then(); });
  }

  private commit(assigned: Assigned, offset: number, then: () => void): void {
    const pen = this.penOf(assigned.partition);
    const generation = this.generation;
    const value = { group: this.config.group, consumer: this.ctx.nodeId, partition: assigned.partition, offset, generation };
    pen.invoke("commit", value);
    this.requests.request(this.coordinator!, (id) => ({
      type: "k.commit", id, group: this.config.group, member: this.member, generation, partition: assigned.partition, offset,
    }), this.config.requestTimeoutUs, (reply) => {
      if (reply === "lost" || (reply.type === "k.commit-reply" && reply.error === "request-timeout")) {
        pen.info("timeout");
        if (generation === this.generation) this.lostCoordinator();
        return;
      }
      if (reply.type === "k.commit-reply" && reply.error === undefined) {
        pen.ok(value);
        if (generation === this.generation) then();
        return;
      }
      pen.fail(reply.type === "k.commit-reply" ? reply.error ?? "error" : "error");
      if (generation !== this.generation) return;
      if (reply.type === "k.commit-reply" && reply.error === "not-coordinator") this.lostCoordinator();
      else this.rejoin();
    });
  }

  private penOf(partition: number): ConsumerRecorder {
    let pen = this.pens.get(partition);
    // A commit of an older generation may still be pending on it: a new process takes over.
    if (pen === undefined || pen.pending) this.pens.set(partition, (pen = this.penFor(partition)));
    return pen;
  }
}
