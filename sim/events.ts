// The kernel's events. One class for every kind keeps the dispatch loop monomorphic; the queue
// orders them by (time, seq).

export const enum Kind {
  Start = 1,
  Message = 2,
  Datagram = 3,
  Timer = 4,
  Fsync = 5,
  Notice = 6,
  Fault = 7,
  Harness = 8,
}

export const KIND_NAMES = ["", "start", "message", "datagram", "timer", "fsync", "connection", "fault", "harness"];

export class SimEvent {
  // Every field is `declare`d and set in the constructor only: under ES2022 class fields a plain
  // declaration (or a parameter property) is also a field definition to undefined, run by an
  // initializer call before the constructor's own stores, on every event.
  declare kind: Kind;
  declare target: number;
  declare source: number;
  /** Target incarnation for timers, fsyncs and notices; connection generation for messages; the
   *  reachability stamp at send for datagrams; fault generation for faults. */
  declare stamp: number;
  declare payload: unknown;
  /** A message's digest; a timer's token; 1 once a held fsync or datagram has arrived; a cut's token for its end. */
  declare token: number;
  /** Set when queued (Simulation.push). */
  declare time: number;
  declare seq: number;
  constructor(kind: Kind, target: number, source: number, stamp: number, payload: unknown, token = 0) {
    this.kind = kind;
    this.target = target;
    this.source = source;
    this.stamp = stamp;
    this.payload = payload;
    this.token = token;
    this.time = 0;
    this.seq = 0;
  }
}
