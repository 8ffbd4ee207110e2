// Idempotent producers (KIP-98): per producer id, the last sequence numbers written and their
// offsets. A retried record whose sequence was already written gets its first offset back instead of
// a second copy; a sequence that skips ahead is refused so the producer resends in order. The table
// is rebuilt from the log itself, so a new leader dedupes exactly as the old one did.
import type { StoredRecord } from "./messages.ts";

/** Kafka keeps the last five batches per producer: up to five requests in flight. */
export const SEQUENCES_KEPT = 5;

interface ProducerEntry {
  lastSequence: number;
  /** (sequence, offset) of the last SEQUENCES_KEPT records, oldest first. */
  recent: Array<{ sequence: number; offset: number }>;
}

export type SequenceCheck =
  | { kind: "append" }
  | { kind: "duplicate"; offset: number }
  | { kind: "out-of-order"; expected: number };

export class ProducerStateTable {
  private readonly producers = new Map<number, ProducerEntry>();

  check(producerId: number, sequence: number): SequenceCheck {
    const entry = this.producers.get(producerId);
    if (entry === undefined) return sequence === 0 ? { kind: "append" } : { kind: "out-of-order", expected: 0 };
    if (sequence === entry.lastSequence + 1) return { kind: "append" };
    const seen = entry.recent.find((recent) => recent.sequence === sequence);
    if (seen !== undefined) return { kind: "duplicate", offset: seen.offset };
    return { kind: "out-of-order", expected: entry.lastSequence + 1 };
  }

  /** Every record appended to the log passes here, on leaders and followers alike. */
  apply(record: StoredRecord): void {
    if (record.producerId === undefined || record.sequence === undefined) return;
    let entry = this.producers.get(record.producerId);
    if (entry === undefined) this.producers.set(record.producerId, (entry = { lastSequence: -1, recent: [] }));
    entry.lastSequence = record.sequence;
    entry.recent.push({ sequence: record.sequence, offset: record.offset });
    if (entry.recent.length > SEQUENCES_KEPT) entry.recent.shift();
  }

  static rebuild(records: readonly StoredRecord[]): ProducerStateTable {
    const table = new ProducerStateTable();
    for (const record of records) table.apply(record);
    return table;
  }
}
