// The history as the report draws it: one bar per operation (invoke → completion), marked by what the
// verdicts say of it. Lenient by design: a report must draw the history that broke a checker, too.
import type { Operation } from "../properties/history/index.ts";
import type { ReplayFile } from "./report-files.ts";

/** Outcome codes in the page's data (numbers keep a 5,000-operation report small). */
export const OUTCOME = { ok: 0, fail: 1, info: 2, pending: 3, event: 4 } as const;
/** Marks, most important last: a bar takes the highest. */
export const MARK = { none: 0, prefix: 1, window: 2, finding: 3, culprit: 4 } as const;

export interface ReportOperation {
  /** The invoke's (or lone event's) `index`. */
  index: number;
  process: number;
  f: string;
  startUs: number;
  /** null: open-ended (info, pending). */
  endUs: number | null;
  outcome: number;
  mark: number;
  /** The invoke's value and the completion's value, as JSON text. */
  argument: string;
  result: string;
  error: string;
  /** The completion's index, when it has one. */
  completionIndex: number | null;
}

export interface TriedText {
  state: string;
  ok: boolean;
  result: string;
}

/** What the verdicts say of operations: marks, and the states each window operation was tried in. */
export interface OperationNotes {
  marks: Map<number, number>;
  tried: Map<number, TriedText[]>;
  /** Per marked index, the words that explain the mark ("culprit in path /k2", a finding's detail). */
  why: Map<number, string[]>;
}

export function operationsOf(history: readonly Operation[], notes: OperationNotes): ReportOperation[] {
  const operations: ReportOperation[] = [];
  const open = new Map<number, ReportOperation>();
  for (const op of history) {
    if (op.type === "invoke") {
      const entry = entryOf(op, null, OUTCOME.pending, notes);
      open.set(op.process, entry);
      operations.push(entry);
      continue;
    }
    const pending = open.get(op.process);
    if (pending && pending.f === op.f) {
      open.delete(op.process);
      pending.outcome = OUTCOME[op.type as "ok" | "fail" | "info"] ?? OUTCOME.info;
      pending.endUs = op.type === "info" ? null : numberOf(op.time);
      pending.result = jsonText(op.value);
      pending.error = op.error === undefined ? "" : String(op.error);
      pending.completionIndex = numberOf(op.index);
      // A mark on the completion's index marks the operation.
      pending.mark = Math.max(pending.mark, notes.marks.get(op.index) ?? MARK.none);
      continue;
    }
    // A completion with no invoke (master histories record intervals and writes as lone `ok`s).
    const entry = entryOf(op, numberOf(op.time), OUTCOME.event, notes);
    entry.argument = "";
    entry.result = jsonText(op.value);
    entry.error = op.error === undefined ? "" : String(op.error);
    operations.push(entry);
  }
  return operations;
}

function entryOf(op: Operation, endUs: number | null, outcome: number, notes: OperationNotes): ReportOperation {
  return {
    index: numberOf(op.index), process: numberOf(op.process), f: String(op.f), startUs: numberOf(op.time), endUs, outcome,
    mark: notes.marks.get(op.index) ?? MARK.none, argument: jsonText(op.value), result: "", error: "", completionIndex: null,
  };
}

/** history.json may have been edited by hand: the page's numbers stay numbers (-1 where one is not). */
function numberOf(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : -1;
}

/**
 * Marks from each violated property's evidence: a linearizability failure marks its culprit, the
 * operations concurrent with it and its prefix; a log or master finding marks the operations it names.
 */
export function notesOf(properties: ReplayFile["properties"]): OperationNotes {
  const notes: OperationNotes = { marks: new Map(), tried: new Map(), why: new Map() };
  const mark = (index: unknown, level: number, why?: string) => {
    if (typeof index !== "number") return;
    notes.marks.set(index, Math.max(notes.marks.get(index) ?? MARK.none, level));
    if (why !== undefined) {
      const list = notes.why.get(index) ?? [];
      if (!list.includes(why)) list.push(why);
      notes.why.set(index, list);
    }
  };
  for (const property of properties) {
    if (property.valid !== false || !Array.isArray(property.evidence)) continue;
    for (const item of property.evidence as Array<Record<string, unknown>>) {
      if (item === null || typeof item !== "object") continue;
      const culprit = item.culprit as { index?: unknown } | undefined;
      if (culprit !== undefined) {
        const where = typeof item.key === "string" && item.key ? ` in ${item.key}` : "";
        for (const index of Array.isArray(item.prefix) ? item.prefix : []) mark(index, MARK.prefix);
        for (const entry of Array.isArray(item.window) ? item.window as Array<Record<string, unknown>> : []) {
          const operation = entry.operation as { index?: unknown } | undefined;
          const role = item.refutation ? "named in the proof that an operation cannot be linearized" : "concurrent with the operation that cannot be linearized";
          if (operation?.index !== culprit.index) mark(operation?.index, MARK.window, `${property.name}: ${role}${where}`);
          if (typeof operation?.index === "number" && Array.isArray(entry.tried)) notes.tried.set(operation.index, (entry.tried as TriedText[]).map(triedText));
        }
        mark(culprit.index, MARK.culprit, `${property.name}: cannot be linearized${where}`);
        continue;
      }
      for (const op of Array.isArray(item.operations) ? item.operations as Array<{ index?: unknown }> : []) {
        mark(op?.index, MARK.finding, `${property.name} ${String(item.anomaly ?? "")}: ${String(item.detail ?? "")}`);
      }
    }
  }
  return notes;
}

function triedText(step: TriedText): TriedText {
  return { state: String(step.state), ok: step.ok === true, result: String(step.result) };
}

export function jsonText(value: unknown): string {
  if (value === undefined) return "";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
