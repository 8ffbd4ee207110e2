// Everything the page draws, as one JSON value embedded in report.html. Compact where it is large
// (operations are arrays of numbers; their texts sit in a parallel list) so that 5,000 operations
// stay well under a few megabytes.
import { focusOf } from "./focus.ts";
import { logView, type LogView } from "./log-view.ts";
import { leaderSpans, nodeLanes, type LeaderSpan, type NodeLane } from "./node-lanes.ts";
import { MARK, notesOf, operationsOf, type TriedText } from "./report-operations.ts";
import type { ReportInput, TraceFacts } from "./report-files.ts";

export interface MasterSpan {
  node: string;
  startUs: number;
  endUs: number;
  token: string;
  index: number;
  mark: number;
}

export interface ReportData {
  format: 1;
  startUs: number;
  endUs: number;
  /** The violation's interval; null for a valid history. */
  focus: [number, number] | null;
  /** End of the faults phase (everything healed), when known. */
  healUs: number | null;
  processes: number[];
  /** Operation names, referred to by position from `ops`. */
  names: string[];
  /** [index, process, name, startUs, endUs (-1: open), outcome, mark, completion index (-1: none)] */
  ops: number[][];
  /** Per operation: [argument, result, error] as JSON text. */
  texts: string[][];
  tried: Record<string, TriedText[]>;
  why: Record<string, string[]>;
  nodes: NodeLane[];
  leaders: LeaderSpan[];
  masters: MasterSpan[];
  window: TraceFacts["window"] | null;
  /** Node columns of the space-time diagram: the scenario's servers first. */
  columns: string[];
  log: LogView | null;
}

export function reportData(input: ReportInput): ReportData {
  const notes = notesOf(input.example.properties);
  const operations = operationsOf(input.history, notes);
  const names: string[] = [];
  const nameIds = new Map<string, number>();
  const nameId = (name: string) => {
    let id = nameIds.get(name);
    if (id === undefined) { id = names.length; names.push(name); nameIds.set(name, id); }
    return id;
  };
  const ops = operations.map((op) => [op.index, op.process, nameId(op.f), op.startUs, op.endUs ?? -1, op.outcome, op.mark, op.completionIndex ?? -1]);
  const texts = operations.map((op) => [op.argument, op.result, op.error]);
  const trace = input.trace;
  const masters = masterSpans(input, notes.marks);
  // Every recorded time, an info's too: the open-ended bars run to the end of the history.
  const times = [...input.history.map((op) => op.time).filter((time) => typeof time === "number" && Number.isFinite(time)), ...masters.flatMap((m) => [m.startUs, m.endUs])];
  const startUs = Math.min(0, ...minMax(times));
  const endUs = Math.max(trace?.endUs ?? 0, ...minMax(times));
  const violated = input.example.properties.some((property) => property.valid === false);
  const lanes = trace ? nodeLanes(trace) : [];
  return {
    format: 1, startUs, endUs, focus: violated ? focusOf(input.example.properties, endUs) : null,
    healUs: trace?.phases.faultsUs ?? null,
    processes: [...new Set(operations.map((op) => op.process))].sort((a, b) => a - b),
    names, ops, texts,
    tried: Object.fromEntries([...notes.tried].map(([index, steps]) => [String(index), steps])),
    why: Object.fromEntries([...notes.why].map(([index, why]) => [String(index), why])),
    nodes: lanes, leaders: trace ? leaderSpans(trace, lanes) : [], masters,
    window: trace?.window ?? null, columns: trace ? columnsOf(trace) : [],
    log: logView(input.history) ?? null,
  };
}

/** [min, max] without spreading a long list into arguments (which overflows the stack). */
function minMax(values: readonly number[]): number[] {
  let low = Infinity;
  let high = -Infinity;
  for (const value of values) { if (value < low) low = value; if (value > high) high = value; }
  return values.length === 0 ? [] : [low, high];
}

/** Master histories record each node's mastership as an interval (docs/histories.md): one bar each. */
function masterSpans(input: ReportInput, marks: Map<number, number>): MasterSpan[] {
  const spans: MasterSpan[] = [];
  for (const op of input.history) {
    if (op.f !== "master" || op.type !== "ok") continue;
    const value = op.value as Record<string, unknown> | null;
    if (typeof value?.startUs !== "number" || typeof value.endUs !== "number") continue;
    spans.push({ node: String(value.node), startUs: value.startUs, endUs: value.endUs, token: String(value.token), index: op.index, mark: marks.get(op.index) ?? MARK.none });
  }
  return spans;
}

function columnsOf(trace: TraceFacts): string[] {
  const used = new Set<string>();
  for (const message of trace.window.messages) { used.add(message.from); used.add(message.to); }
  const inWindow = (timeUs: number) => timeUs >= trace.window.fromUs && timeUs <= trace.window.toUs;
  for (const { timeUs, fault } of trace.faults) if (inWindow(timeUs) && typeof fault.nodeId === "string") used.add(fault.nodeId);
  // The servers always (a node that hears nothing is the story when it is partitioned away), then
  // whoever else sent or received in the window.
  const targets = new Set(trace.targets ?? []);
  const order = [...new Set([...targets, ...trace.nodes])];
  return order.filter((node) => targets.has(node) || used.has(node));
}
