// A binary min-heap of events ordered by (time, insertion sequence): ties are served in insertion
// order on every run, which is half of what makes a seed a replay.

export interface Queued {
  time: number;
  seq: number;
}

export class EventQueue<E extends Queued> {
  private heap: E[] = [];
  private seqNext = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Stamps the event's sequence number and inserts it. */
  push(event: E): void {
    event.seq = this.seqNext++;
    this.insert(event);
  }

  /** Inserts an event that was queued before, keeping its sequence number: it keeps its place
   *  among events of the same time (a paused node's held events must not fall behind later ones). */
  reinsert(event: E): void {
    this.insert(event);
  }

  private insert(event: E): void {
    const heap = this.heap;
    let index = heap.length;
    heap.push(event);
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex]!;
      if (parent.time < event.time || (parent.time === event.time && parent.seq < event.seq)) break;
      heap[index] = parent;
      index = parentIndex;
    }
    heap[index] = event;
  }

  peek(): E | undefined {
    return this.heap[0];
  }

  pop(): E | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    const length = heap.length;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      let childEvent = heap[left]!;
      if (right < length) {
        const rightEvent = heap[right]!;
        if (rightEvent.time < childEvent.time || (rightEvent.time === childEvent.time && rightEvent.seq < childEvent.seq)) {
          child = right;
          childEvent = rightEvent;
        }
      }
      if (last.time < childEvent.time || (last.time === childEvent.time && last.seq < childEvent.seq)) break;
      heap[index] = childEvent;
      index = child;
    }
    heap[index] = last;
    return top;
  }
}
