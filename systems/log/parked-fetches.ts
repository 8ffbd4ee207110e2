// The fetches a leader holds until it has something to answer (a consumer's or a follower's long
// poll: Kafka's fetch.max.wait.ms), and the short linger after an append that lets one answer carry
// the records of several appends (the effect of Kafka's replica.fetch.min.bytes above one byte).
import type { NodeContext, NodeId } from "../../sim/types.ts";
import type { FetchRequest } from "./messages.ts";

export interface ParkedFetch {
  from: NodeId;
  request: FetchRequest;
  deadlineUs: number;
}

export interface FetchAnswerer {
  readonly ctx: NodeContext;
  readonly lingerUs: number;
  /** The offset a fetch may read up to now (the log end for a follower, the high watermark for a consumer). */
  limitFor(request: FetchRequest): number;
  answer(from: NodeId, request: FetchRequest): void;
}

export class ParkedFetches {
  private parked: ParkedFetch[] = [];
  private lingering = false;

  /** `lingerTag`: the timer tag the broker routes to `lingered()`. */
  constructor(private readonly leader: FetchAnswerer, readonly lingerTag: string) {}

  /** Holds a fetch that asked to wait: answered when records arrive or at its deadline. */
  park(from: NodeId, request: FetchRequest): void {
    this.parked.push({ from, request, deadlineUs: this.leader.ctx.now() + request.waitUsMax });
  }

  /** Every parked fetch, which no longer waits here (the leader lost its role and answers each with an error). */
  takeAll(): ParkedFetch[] {
    const all = this.parked;
    this.parked = [];
    return all;
  }

  /** New records: wake the parked fetches after the linger. (A higher watermark wakes them at once: acks and consumers wait on it.) */
  recordsAppended(): void {
    if (this.leader.lingerUs === 0) return this.wake();
    if (this.lingering || this.parked.length === 0) return;
    this.lingering = true;
    this.leader.ctx.setTimer(this.lingerTag, this.leader.lingerUs);
  }

  /** The linger timer fired. */
  lingered(): void {
    this.lingering = false;
    this.wake();
  }

  /** Answers every parked fetch that now has records to read; the rest keep waiting. */
  wake(): void {
    if (this.parked.length === 0) return;
    const waiting = this.parked;
    this.parked = [];
    for (const fetch of waiting) {
      if (fetch.request.offset < this.leader.limitFor(fetch.request)) this.leader.answer(fetch.from, fetch.request);
      else this.parked.push(fetch);
    }
  }

  /** Answers, empty, the fetches whose wait is over. */
  expire(nowUs: number): void {
    if (this.parked.length === 0) return;
    const due = this.parked.filter((fetch) => fetch.deadlineUs <= nowUs);
    this.parked = this.parked.filter((fetch) => fetch.deadlineUs > nowUs);
    for (const fetch of due) this.leader.answer(fetch.from, fetch.request);
  }
}
