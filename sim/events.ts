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
  /** Set when queued (Simulation.push). Assigned in the constructor rather than as field
   *  initialisers, which cost a call of their own on every event. */
  time: number;
  seq: number;
  constructor(
    public kind: Kind,
    public target: number,
    public source: number,
    /** Target incarnation for timers, fsyncs and notices; connection generation for messages; the
     *  reachability stamp at send for datagrams; fault generation for faults. */
    public stamp: number,
    public payload: unknown,
    /** A message's digest; a timer's token; 1 once a held fsync or datagram has arrived; a cut's token for its end. */
    public token = 0,
  ) {
    this.time = 0;
    this.seq = 0;
  }
}
