// The leader's session expiry, on the leader's OWN clock (so skew and drift matter, as in ZooKeeper).
// A new leader restarts every session's timeout from its own now: expiry may come late, never early.
export class SessionTracker {
  /** session → deadline on the leader's clock (µs). */
  private readonly deadlines = new Map<string, number>();
  private readonly timeoutsUs = new Map<string, number>();
  /** Sessions whose closeSession is proposed but not applied yet. */
  private readonly closing = new Set<string>();

  constructor(private readonly nowUs: () => number) {}

  /** A new leader: every known session gets a full timeout from now. */
  reset(sessionTimeoutsMs: ReadonlyMap<string, number>): void {
    this.deadlines.clear();
    this.timeoutsUs.clear();
    this.closing.clear();
    for (const [session, timeoutMs] of sessionTimeoutsMs) this.add(session, timeoutMs);
  }

  add(session: string, timeoutMs: number): void {
    this.timeoutsUs.set(session, timeoutMs * 1000);
    this.deadlines.set(session, this.nowUs() + timeoutMs * 1000);
  }

  remove(session: string): void {
    this.deadlines.delete(session);
    this.timeoutsUs.delete(session);
    this.closing.delete(session);
  }

  touch(session: string): void {
    const timeoutUs = this.timeoutsUs.get(session);
    if (timeoutUs === undefined || this.closing.has(session)) return;
    this.deadlines.set(session, this.nowUs() + timeoutUs);
  }

  isLive(session: string): boolean {
    return this.deadlines.has(session) && !this.closing.has(session);
  }

  markClosing(session: string): void {
    this.closing.add(session);
  }

  /** Sessions past their deadline, now marked closing: the caller proposes their closeSession. */
  takeExpired(): string[] {
    const nowUs = this.nowUs();
    const expired: string[] = [];
    for (const [session, deadlineUs] of this.deadlines) {
      if (deadlineUs <= nowUs && !this.closing.has(session)) expired.push(session);
    }
    for (const session of expired) this.closing.add(session);
    return expired;
  }

  get size(): number {
    return this.deadlines.size;
  }
}
