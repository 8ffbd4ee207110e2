// The final drain: after the heal, read every partition from its log start up to the high
// watermark, from its leader of the highest leader epoch any broker knows, and record what it
// holds. K1 compares acked sends with it; C3 looks for offsets a consumer passed without receiving.
import type { BrokerId } from "./config.ts";
import { LogClient } from "./log-client.ts";
import type { SendRecorder } from "./producer.ts";

export interface DrainConfig {
  brokers: readonly BrokerId[];
  topic: string;
  partitions: number;
  requestTimeoutUs: number;
  retryBackoffUs: number;
}

interface Reading {
  partition: number;
  offset: number;
  records: Array<{ offset: number; value: unknown }>;
  pen: SendRecorder;
  busy: boolean;
  done: boolean;
  retryAtUs: number;
}

export class Drainer extends LogClient {
  private readings: Reading[] = [];

  constructor(private readonly config: DrainConfig, private readonly penFor: (partition: number) => SendRecorder) {
    super(config.brokers, "drain:tick");
  }

  get finished(): boolean {
    return this.readings.length > 0 && this.readings.every((reading) => reading.done);
  }

  protected started(): void {
    this.readings = Array.from({ length: this.config.partitions }, (_, partition) => {
      const pen = this.penFor(partition);
      pen.invoke("drain", { partition });
      return { partition, pen, offset: 0, records: [], busy: false, done: false, retryAtUs: 0 };
    });
    this.metadata.refresh(() => this.readings.forEach((reading) => this.fetch(reading)), "every broker");
  }

  protected tick(nowUs: number): void {
    for (const reading of this.readings) if (!reading.busy && !reading.done && reading.retryAtUs <= nowUs) this.fetch(reading);
  }

  private fetch(reading: Reading): void {
    const leader = this.metadata.leaderOf(this.config.topic, reading.partition);
    if (leader === null) return this.retry(reading);
    reading.busy = true;
    this.requests.request(leader, (id) => ({
      type: "k.fetch", id, topic: this.config.topic, partition: reading.partition, offset: reading.offset, waitUsMax: 0,
    }), this.config.requestTimeoutUs, (reply) => {
      reading.busy = false;
      if (reply === "lost" || reply.type !== "k.fetch-reply") return this.retry(reading);
      if (reply.error === "offset-out-of-range" && reading.offset < reply.logStartOffset) {
        reading.offset = reply.logStartOffset;
        return this.fetch(reading);
      }
      if (reply.error !== undefined) return this.retry(reading);
      for (const record of reply.records) reading.records.push({ offset: record.offset, value: record.value });
      if (reply.records.length > 0) reading.offset = reply.records[reply.records.length - 1]!.offset + 1;
      if (reading.offset >= reply.highWatermark) {
        reading.done = true;
        reading.pen.ok({ records: reading.records });
        return;
      }
      this.fetch(reading);
    });
  }

  private retry(reading: Reading): void {
    reading.retryAtUs = this.ctx.now() + this.config.retryBackoffUs;
    this.metadata.refresh(undefined, "every broker");
  }
}
