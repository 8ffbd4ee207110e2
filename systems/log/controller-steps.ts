// The controller's work runs one step at a time, as Kafka's controller event thread runs it: a
// step (load the state, read the brokers, apply an AlterIsr) may take several ZooKeeper round trips,
// and the next starts only when it calls `done`. A reign ends when the controller resigns or wins
// again: its queued steps are dropped and its running step stops at its next callback, so nothing
// an old reign read is written by a new one.
export type Step = (done: () => void) => void;

export class ControllerSteps {
  private readonly queue: Step[] = [];
  private running = false;
  private reign = 0;

  /** `active`: steps run only while the broker is the controller. */
  constructor(private readonly active: () => boolean) {}

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

  /** Wraps a callback of a step so that it does nothing once the reign it started in has ended. */
  ofThisReign<A extends unknown[]>(callback: (...args: A) => void): (...args: A) => void {
    const reign = this.reign;
    return (...args) => {
      if (reign === this.reign) callback(...args);
    };
  }

  private runNext(): void {
    if (this.running || this.queue.length === 0 || !this.active()) return;
    this.running = true;
    const step = this.queue.shift()!;
    step(this.ofThisReign(() => {
      this.running = false;
      this.runNext();
    }));
  }
}
