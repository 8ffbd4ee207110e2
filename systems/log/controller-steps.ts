// How the controller works: one step at a time, as Kafka's controller event thread does, each
// step's ZooKeeper requests bound to the reign it started in. A step (load the state, read the
// brokers, apply an AlterIsr) may take several round trips; the next starts only when it calls
// `done`. A reign ends when the controller resigns or wins again: its queued steps are dropped and
// its running step's callbacks do nothing from then on, so nothing an old reign read is written by a new one.
import type { Result, ZkClientApi } from "../coordination/client/index.ts";
import { createPaths } from "./zk-paths.ts";

export type Step = (done: () => void) => void;

export interface StepsHost {
  /** Steps run only while the broker is the controller. */
  active(): boolean;
  /** The broker's current session. */
  zk(): ZkClientApi | undefined;
  resign(): void;
  /** False for the stale-controller switch, which acts on from its cache when its session expires. */
  resignsOnExpiry(): boolean;
}

export class ControllerSteps {
  private readonly queue: Step[] = [];
  private running = false;
  private reign = 0;

  constructor(private readonly host: StepsHost) {}

  /** A step is running (it has not called `done`). */
  get busy(): boolean {
    return this.running;
  }

  /** Ends the reign: the queue empties and the running step's callbacks do nothing from now on. */
  endReign(): void {
    this.reign++;
    this.queue.length = 0;
    this.running = false;
  }

  enqueue(step: Step): void {
    this.queue.push(step);
    this.runNext();
  }

  /** A callback of a step: it does nothing once the reign it started in has ended. */
  ofThisReign<A extends unknown[]>(callback: (...args: A) => void): (...args: A) => void {
    const reign = this.reign;
    return (...args) => {
      if (reign === this.reign) callback(...args);
    };
  }

  /** A ZooKeeper callback of a step: nothing once its reign ended; an expired session resigns. */
  guard<T>(callback: (result: Result<T>) => void): (result: Result<T>) => void {
    return this.ofThisReign((result: Result<T>) => {
      if (!result.ok && result.error === "session-expired" && this.host.resignsOnExpiry()) return this.host.resign();
      callback(result);
    });
  }

  /**
   * Sends a request of a step until it is answered (Kafka's KafkaZkClient retries until connected):
   * connection loss leaves a write's outcome unknown, and the answer to the retry tells what happened
   * (a create that took effect answers node-exists, a conditional write bad-version). Without it, a
   * state write lost to a partition stayed unwritten until some broker changed, possibly never.
   * No busy loop: a request fails with connection loss only when the client lost its server or timed it out.
   */
  untilAnswered<T>(send: (zk: ZkClientApi, callback: (result: Result<T>) => void) => void, callback: (result: Result<T>) => void): void {
    const zk = this.host.zk();
    if (zk === undefined) return callback({ ok: false, error: "connection-loss" });
    send(zk, this.guard((result: Result<T>) => {
      if (!result.ok && result.error === "connection-loss") return this.untilAnswered(send, callback);
      callback(result);
    }));
  }

  /** A step's persistent parents, each create sent until answered. */
  createParents(paths: readonly string[], done: (ok: boolean) => void): void {
    createPaths((path, callback) => this.untilAnswered((zk, answer) => zk.create(path, "", "persistent", answer), callback), paths, done);
  }

  private runNext(): void {
    if (this.running || this.queue.length === 0 || !this.host.active()) return;
    this.running = true;
    const step = this.queue.shift()!;
    step(this.ofThisReign(() => {
      this.running = false;
      this.runNext();
    }));
  }
}
