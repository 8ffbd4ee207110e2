// A binary min-heap of events ordered by (time, insertion sequence): ties are served in insertion
// order on every run, which is half of what makes a seed a replay.

/** The keys are kept in parallel typed arrays beside the items, so a sift compares numbers in two
 *  flat arrays instead of chasing a pointer to each event it passes. Sequence numbers are unique per
 *  push; `insert` keeps the one an item was given (a paused node's held events must not fall behind
 *  later ones of the same time). */
export class EventQueue<E> {
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private items: Array<E | undefined> = [];
  private length = 0;
  private seqNext = 0;

  get size(): number {
    return this.length;
  }

  /** The time of the first item; only when size > 0. */
  peekTime(): number {
    return this.times[0]!;
  }

  /** Inserts an item at `time` with the next sequence number, and returns that number. */
  push(time: number, item: E): number {
    const seq = this.seqNext++;
    this.insert(time, seq, item);
    return seq;
  }

  /** Inserts an item with a sequence number it was given by an earlier push. */
  insert(time: number, seq: number, item: E): void {
    if (this.length === this.times.length) this.grow();
    const times = this.times;
    const seqs = this.seqs;
    const items = this.items;
    let index = this.length++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentTime = times[parent]!;
      if (parentTime < time || (parentTime === time && seqs[parent]! < seq)) break;
      times[index] = parentTime;
      seqs[index] = seqs[parent]!;
      items[index] = items[parent];
      index = parent;
    }
    times[index] = time;
    seqs[index] = seq;
    items[index] = item;
  }

  /** Removes and returns the first item; only when size > 0. */
  pop(): E {
    const times = this.times;
    const seqs = this.seqs;
    const items = this.items;
    const top = items[0]!;
    const length = --this.length;
    const lastTime = times[length]!;
    const lastSeq = seqs[length]!;
    const last = items[length];
    items[length] = undefined;
    if (length === 0) return top;
    let index = 0;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= length) break;
      let childTime = times[child]!;
      const right = child + 1;
      if (right < length) {
        const rightTime = times[right]!;
        if (rightTime < childTime || (rightTime === childTime && seqs[right]! < seqs[child]!)) {
          child = right;
          childTime = rightTime;
        }
      }
      if (lastTime < childTime || (lastTime === childTime && lastSeq < seqs[child]!)) break;
      times[index] = childTime;
      seqs[index] = seqs[child]!;
      items[index] = items[child];
      index = child;
    }
    times[index] = lastTime;
    seqs[index] = lastSeq;
    items[index] = last;
    return top;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    times.set(this.times);
    this.times = times;
    const seqs = new Float64Array(this.seqs.length * 2);
    seqs.set(this.seqs);
    this.seqs = seqs;
  }
}
