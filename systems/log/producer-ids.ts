// Producer ids for idempotent producers, unique across the cluster: each broker claims a block of
// ids from /latest_producer_id_block with a conditional write (as Kafka's ProducerIdManager does),
// then hands them out one by one.
import type { ZkClientApi } from "../coordination/client/index.ts";

export const PRODUCER_ID_BLOCK_PATH = "/latest_producer_id_block";
const BLOCK_SIZE = 100;

export class ProducerIdAllocator {
  private next_ = 0;
  private end = 0;
  private waiting: Array<(id: number | undefined) => void> = [];
  private claiming = false;

  constructor(private readonly zk: () => ZkClientApi | undefined) {}

  next(done: (producerId: number | undefined) => void): void {
    if (this.next_ < this.end) return done(this.next_++);
    this.waiting.push(done);
    this.claim();
  }

  private claim(): void {
    const zk = this.zk();
    if (this.claiming) return;
    if (zk === undefined) return this.fail();
    this.claiming = true;
    zk.getData(PRODUCER_ID_BLOCK_PATH, {}, (read) => {
      const finish = (start: number, ok: boolean) => {
        this.claiming = false;
        if (!ok) return this.fail();
        this.next_ = start;
        this.end = start + BLOCK_SIZE;
        const waiting = this.waiting;
        this.waiting = [];
        for (const done of waiting) this.next(done);
      };
      if (read.ok) {
        const start = Number(read.value.data) + BLOCK_SIZE;
        zk.setData(PRODUCER_ID_BLOCK_PATH, String(start), read.value.stat.version, (written) => finish(start, written.ok));
      } else if (read.error === "no-node") {
        zk.create(PRODUCER_ID_BLOCK_PATH, "0", "persistent", (created) => finish(0, created.ok));
      } else {
        finish(0, false);
      }
    });
  }

  private fail(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const done of waiting) done(undefined);
  }
}
