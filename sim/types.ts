// The kernel's public vocabulary: what an actor sees and what a fault schedule says.
// Nothing here knows any system under test.

export type NodeId = string;

/** An actor is one process on one node. A crash discards it; a restart builds a fresh one. */
export interface Actor<Message = unknown> {
  /** Called once when the node boots; `restarted` is true after a crash. */
  start(ctx: NodeContext<Message>, restarted: boolean): void;
  /** A message from `from`, delivered in order per connection. */
  receive(from: NodeId, message: Message): void;
  /** A timer set with `ctx.setTimer(tag, …)` fired (on this node's own clock). */
  timer(tag: string): void;
  /** The connection to `peer` opened or broke (both ends learn of a break after a detection delay). */
  connection?(peer: NodeId, state: "open" | "broken"): void;
  /** An fsync started with `ctx.disk.fsync(tag)` completed: what it covered is durable. */
  fsynced?(tag: string): void;
}

export type ActorFactory<Message = unknown> = (nodeId: NodeId) => Actor<Message>;

export interface NodeContext<Message = unknown> {
  readonly nodeId: NodeId;
  readonly seed: number;
  /** This node's own clock in µs: true time × (1 + drift) + offset, with jumps. Never true time. */
  now(): number;
  /**
   * Sends over the connection to `to`, opening it if needed. FIFO and lossless while the connection
   * lasts; if it breaks, messages in flight are lost and both ends get `connection(peer, "broken")`.
   */
  send(to: NodeId, message: Message): void;
  /** Datagram send: subject to the link faults loss, duplication and reordering. */
  sendDatagram(to: NodeId, message: Message): void;
  /** Sets (or replaces) the timer named `tag` to fire after `afterUs` on this node's clock. */
  setTimer(tag: string, afterUs: number): void;
  cancelTimer(tag: string): void;
  readonly disk: Disk;
  readonly rng: Random;
  /** A line in the run's log (kept only when logging is on). */
  log(line: string): void;
  /** Stops the run with an InvariantError naming seed, true time and node when `ok` is false. */
  assert(ok: boolean, what: string | (() => string)): asserts ok;
}

/** A record as stored on disk: JSON-like and immutable. `TORN` marks a record cut by power loss. */
export type DiskRecord = unknown;

export interface Disk {
  /** Appends to `file`; volatile (page cache) until an fsync that covers it completes. */
  append(file: string, record: DiskRecord): void;
  /** Replaces the whole file atomically (as rename-over does); volatile until fsync. */
  replace(file: string, records: readonly DiskRecord[]): void;
  /** Keeps the first `length` records of `file`. Volatile until fsync. */
  truncate(file: string, length: number): void;
  /** The file as this process sees it (page cache included). */
  read(file: string): readonly DiskRecord[];
  files(): string[];
  /** Makes every write made so far durable, after the disk's fsync latency; then calls `actor.fsynced(tag)`. */
  fsync(tag: string): void;
}

export interface Random {
  /** Uniform float in [0, 1). */
  float(): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
  exponential(mean: number): number;
  normal(mean: number, deviation: number): number;
  /** An independent stream named `name`, derived from this stream's seed (not from its position). */
  fork(name: string): Random;
}
