// A producer: several sends in flight (one history process each), acks as configured, retries with
// back-off until acknowledged, and idempotence: a producer id from the cluster and per-partition
// sequence numbers, so a retried record is written once and in order. Without idempotence (the
// no-idempotence bug) a retry after a lost reply writes the record again.
import type { BrokerId } from "./config.ts";
import type { LogError, ProduceRequest } from "./messages.ts";
import { LogClient } from "./log-client.ts";

/** The harness's pen for one in-flight slot (a history process). */
export interface SendRecorder {
  invoke(f: string, value: unknown): void;
  ok(value: unknown): void;
  info(error: string): void;
}

export interface ProducerConfig {
  brokers: readonly BrokerId[];
  topic: string;
  partitions: number;
  acks: 1 | -1;
  idempotent: boolean;
  /** The history says what the user asked for: idempotence (the bug switch removes it underneath). */
  declaredIdempotent: boolean;
  inFlightMax: number;
  retryBackoffUs: number;
  requestTimeoutUs: number;
  sendsMax: number;
}

interface InFlight {
  slot: number;
  value: string;
  partition: number;
  sequence: number | undefined;
  sending: boolean;
  retryAtUs: number;
}

export class Producer extends LogClient {
  private producerId: number | undefined;
  private initializing = false;
  private readonly sequences = new Map<number, number>();
  private readonly inFlight: InFlight[] = [];
  private sent = 0;
  /** The harness stops new sends before the final drain. */
  stopped = false;

  /** `valuePrefix` differs per incarnation: values stay unique across restarts. */
  constructor(private readonly config: ProducerConfig, private readonly slots: SendRecorder[], private readonly valuePrefix: string) {
    super(config.brokers, "producer:tick");
  }

  protected started(): void {
    this.metadata.refresh(() => this.fill());
  }

  protected tick(nowUs: number): void {
    this.fill();
    for (const send of this.inFlight) if (!send.sending && send.retryAtUs <= nowUs) this.transmit(send);
  }

  /** Starts a new send on every free slot. */
  private fill(): void {
    if (this.config.idempotent && this.producerId === undefined) return this.initProducerId();
    for (let slot = 0; slot < Math.min(this.config.inFlightMax, this.slots.length); slot++) {
      if (this.stopped || this.sent >= this.config.sendsMax) return;
      if (this.inFlight.some((send) => send.slot === slot)) continue;
      const partition = this.ctx.rng.int(0, this.config.partitions - 1);
      const value = `${this.valuePrefix}-${++this.sent}`;
      let sequence: number | undefined;
      if (this.config.idempotent) {
        sequence = this.sequences.get(partition) ?? 0;
        this.sequences.set(partition, sequence + 1);
      }
      const send: InFlight = { slot, value, partition, sequence, sending: false, retryAtUs: 0 };
      this.inFlight.push(send);
      const invoke: Record<string, unknown> = { producer: this.ctx.nodeId, partition, value };
      if (!this.config.declaredIdempotent) invoke.idempotent = false;
      this.slots[slot]!.invoke("send", invoke);
      this.transmit(send);
    }
  }

  private initProducerId(): void {
    if (this.initializing) return;
    this.initializing = true;
    const broker = this.ctx.rng.pick(this.config.brokers);
    this.requests.request(broker, (id) => ({ type: "k.init-producer-id", id }), this.config.requestTimeoutUs, (reply) => {
      this.initializing = false;
      if (reply !== "lost" && reply.type === "k.init-producer-id-reply" && reply.producerId !== undefined) {
        this.producerId = reply.producerId;
        this.fill();
      }
    });
  }

  private transmit(send: InFlight): void {
    const leader = this.metadata.leaderOf(this.config.topic, send.partition);
    if (leader === null) return this.retry(send, true);
    send.sending = true;
    this.requests.request(leader, (id) => this.produceRequest(id, send), this.config.requestTimeoutUs, (reply) => {
      send.sending = false;
      if (reply !== "lost" && reply.type === "k.produce-reply" && reply.error === undefined) return this.acked(send, reply.offset!);
      const error: LogError | "lost" = reply === "lost" ? "lost" : (reply as { error?: LogError }).error ?? "lost";
      this.retry(send, error === "not-leader" || error === "lost" || error === "fenced-leader-epoch");
    });
  }

  private produceRequest(id: number, send: InFlight): ProduceRequest {
    const request: ProduceRequest = { type: "k.produce", id, topic: this.config.topic, partition: send.partition, value: send.value, acks: this.config.acks };
    if (send.sequence !== undefined) {
      request.producerId = this.producerId;
      request.sequence = send.sequence;
    }
    return request;
  }

  private retry(send: InFlight, refreshMetadata: boolean): void {
    send.retryAtUs = this.ctx.now() + this.config.retryBackoffUs;
    if (refreshMetadata) this.metadata.refresh();
  }

  private acked(send: InFlight, offset: number): void {
    this.inFlight.splice(this.inFlight.indexOf(send), 1);
    this.slots[send.slot]!.ok({ partition: send.partition, offset, value: send.value });
    this.fill();
  }
}
