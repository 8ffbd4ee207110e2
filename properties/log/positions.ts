// K2: every place a record is seen (a send's ack, a poll, a drain) must agree on what sits where.
// inconsistent-offsets: one partition+offset seen holding two values. duplicate: one value at two
// positions; values are unique per run, so only a producer without idempotence may legally write one twice.
import type { Operation } from "../history/index.ts";
import type { PropertyResult } from "../result.ts";
import type { LogHistory, LogRecord } from "./history.ts";
import type { Finding } from "../findings.ts";
import { at, plural, verdictOf } from "../findings.ts";

export const INCONSISTENT_OFFSETS = "K2 inconsistent-offsets";

interface Sighting {
  record: LogRecord;
  op: Operation;
}

export function checkPositions(log: LogHistory): PropertyResult {
  // The first sighting of each (position, value) pair; Maps keep history order for the report.
  const valuesAt = new Map<Position, Map<string, Sighting>>();
  const positionsOf = new Map<string, Map<Position, Sighting>>();
  const sightings = sightingsOf(log);
  for (const sighting of sightings) {
    const position = positionOf(sighting.record.partition, sighting.record.offset);
    firstOf(valuesAt, position, sighting.record.valueKey, sighting);
    firstOf(positionsOf, sighting.record.valueKey, position, sighting);
  }
  const findings: Finding[] = [];
  for (const [position, values] of valuesAt) {
    if (values.size < 2) continue;
    const seen = [...values.values()];
    findings.push({
      anomaly: "inconsistent-offsets",
      detail: `${positionText(position)} holds ${seen.map((s) => `${s.record.valueKey} (${at(s.op)})`).join(" and ")}`,
      operations: distinct(seen.map((s) => s.op)),
    });
  }
  for (const [key, positions] of positionsOf) {
    if (positions.size < 2 || log.idempotentByValue.get(key) === false) continue;
    const seen = [...positions];
    findings.push({
      anomaly: "duplicate",
      detail: `${key} sits at ${seen.map(([position, s]) => `${positionText(position)} (${at(s.op)})`).join(" and ")}`,
      operations: distinct(seen.map(([, s]) => s.op)),
    });
  }
  return verdictOf(INCONSISTENT_OFFSETS, findings,
    `${plural(sightings.length, "sighting")} of ${plural(positionsOf.size, "value")} agree on every offset`);
}

/** Every sighting in history order, so that each finding shows the earliest operations that disagree. */
function sightingsOf(log: LogHistory): Sighting[] {
  const sightings: (Sighting & { order: number })[] = [];
  for (const send of log.sends) sightings.push({ record: send, op: send.ok, order: send.order });
  for (const poll of log.polls) for (const record of poll.records) sightings.push({ record, op: poll.ok, order: poll.order });
  for (const drain of log.drains) for (const record of drain.records) sightings.push({ record, op: drain.ok, order: drain.order });
  return sightings.sort((a, b) => a.order - b.order);
}

/** Positions keyed as numbers (partition × 2^32 + offset) where they fit, which is every sighting of
 *  our runs; as text otherwise (negative or huge numbers from a history written elsewhere). */
type Position = number | string;
const POSITION_SPAN = 2 ** 32;

function positionOf(partition: number, offset: number): Position {
  if (partition >= 0 && partition < 2 ** 20 && offset >= 0 && offset < POSITION_SPAN) return partition * POSITION_SPAN + offset;
  return `partition ${partition} offset ${offset}`;
}

function positionText(position: Position): string {
  if (typeof position === "string") return position;
  return `partition ${Math.floor(position / POSITION_SPAN)} offset ${position % POSITION_SPAN}`;
}

function firstOf<Outer, Inner>(index: Map<Outer, Map<Inner, Sighting>>, outer: Outer, inner: Inner, sighting: Sighting): void {
  let byInner = index.get(outer);
  if (!byInner) index.set(outer, (byInner = new Map()));
  if (!byInner.has(inner)) byInner.set(inner, sighting);
}

/** One drain may hold both sightings; name each operation once. */
function distinct(operations: Operation[]): Operation[] {
  return [...new Set(operations)];
}
