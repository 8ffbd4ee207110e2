// What a failure folder needs besides the replay file and the history: the facts of the run's trace
// (faults as applied, leader lines, the messages around the violation), then its report.html.
// The run is replayed with tracing on — sweeps run without it — and must give the same trace hash.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TraceLine } from "../sim/simulation.ts";
import { NETWORK_DEFAULTS } from "../sim/network.ts";
import { phasesOf, runCase, type RunOptions, type RunResult } from "./runner.ts";
import type { Scenario } from "./types.ts";
import { readReportFolder, TRACE_FILE, type ReportInput, type TraceFacts, type TraceMessage } from "../reports/report-files.ts";
import { writeReport } from "../reports/write-report.ts";
import { focusOf } from "../reports/focus.ts";

/** Bounds that keep trace.json (and so report.html) small whatever the run's length. */
const FAULTS_MAX = 2_000;
const LOGS_MAX = 3_000;
const MESSAGES_BEFORE_MAX = 300;
const MESSAGES_DURING_MAX = 400;
const MESSAGES_AFTER_MAX = 200;
const DETAIL_CHARS_MAX = 240;
const LEADERS_MAX = 2_000;

/** Returns the folder as read back for its report: what a caller shows must be what the files say. */
export function saveFailureArtifacts(folder: string, scenario: Scenario<any>, result: RunResult<any>, options: RunOptions): ReportInput {
  const replayed = runCase(scenario, result.seed, result.case, { ...options, bugs: result.bugs, trace: true });
  if (replayed.traceHash !== result.traceHash) {
    throw new Error(`${scenario.name} seed ${result.seed}: the traced replay gave trace hash ${replayed.traceHash}, ` +
      `the run ${result.traceHash}: the run is not deterministic`);
  }
  const facts = traceFacts(replayed.trace ?? [], {
    traceHash: replayed.traceHash, phases: phasesOf(scenario, options), endUs: replayed.simulatedUs,
    targets: scenario.faultTargets(result.case.workload),
    focus: focusOf(result.properties, replayed.simulatedUs),
  });
  writeFileSync(join(folder, TRACE_FILE), JSON.stringify(facts) + "\n");
  const input = readReportFolder(folder);
  writeReport(folder, input);
  return input;
}

interface FactsContext {
  traceHash: string;
  targets: string[];
  phases: TraceFacts["phases"];
  endUs: number;
  focus: [number, number];
}

export function traceFacts(trace: readonly TraceLine[], context: FactsContext): TraceFacts {
  const nodes: string[] = [];
  const seen = new Set<string>();
  const eventCounts: Record<string, number> = {};
  const faults: TraceFacts["faults"] = [];
  const logs: TraceFacts["logs"] = [];
  let faultsTotal = 0;
  let logsTotal = 0;
  for (const line of trace) {
    for (const id of [line.node, line.from]) if (id !== undefined && id !== "*" && !seen.has(id)) { seen.add(id); nodes.push(id); }
    eventCounts[line.kind] = (eventCounts[line.kind] ?? 0) + 1;
    if (line.kind === "fault") {
      faultsTotal++;
      if (faults.length < FAULTS_MAX) faults.push({ timeUs: line.timeUs, fault: line.detail as Record<string, unknown> });
    } else if (line.kind === "log") {
      logsTotal++;
      if (logs.length < LOGS_MAX) logs.push({ timeUs: line.timeUs, node: line.node, line: String(line.detail) });
    }
  }
  return {
    format: 1, traceHash: context.traceHash, phases: context.phases, endUs: context.endUs, nodes, targets: context.targets,
    faults, faultsTotal, logs, logsTotal, leaders: announcedLeaders(trace), eventCounts: sortedCounts(eventCounts),
    window: messageWindow(trace, context.focus),
  };
}

/** Partition leaders as the controller announced them: `{partitions: [{topic, partition, leader, leaderEpoch}]}`. */
function announcedLeaders(trace: readonly TraceLine[]): NonNullable<TraceFacts["leaders"]> {
  const leaders: NonNullable<TraceFacts["leaders"]> = [];
  const seen = new Set<string>();
  for (const line of trace) {
    if (line.kind !== "message") continue;
    const partitions = (line.detail as { partitions?: unknown } | null)?.partitions;
    if (!Array.isArray(partitions)) continue;
    for (const entry of partitions as Array<Record<string, unknown>>) {
      if (typeof entry?.leader !== "string" || typeof entry.leaderEpoch !== "number") continue;
      const scope = `${typeof entry.topic === "string" ? entry.topic : "partition"}-${String(entry.partition)}`;
      const key = `${scope}|${entry.leaderEpoch}`;
      if (seen.has(key) || leaders.length >= LEADERS_MAX) continue;
      seen.add(key);
      leaders.push({ timeUs: line.timeUs, scope, node: entry.leader, epoch: entry.leaderEpoch });
    }
  }
  return leaders;
}

/**
 * The messages delivered around the focus interval: every one during it (up to a bound) and the nearest
 * ones before and after, so a dense run gives a short window and a quiet one a long window.
 */
function messageWindow(trace: readonly TraceLine[], [focusFromUs, focusToUs]: [number, number]): TraceFacts["window"] {
  const deliveries = trace.filter((line) => line.kind === "message" || line.kind === "datagram");
  const before = deliveries.filter((line) => line.timeUs < focusFromUs).slice(-MESSAGES_BEFORE_MAX);
  const during = deliveries.filter((line) => line.timeUs >= focusFromUs && line.timeUs <= focusToUs).slice(0, MESSAGES_DURING_MAX);
  const after = deliveries.filter((line) => line.timeUs > focusToUs).slice(0, MESSAGES_AFTER_MAX);
  const chosen = [...before, ...during, ...after];
  const fromUs = Math.min(focusFromUs, chosen[0]?.timeUs ?? focusFromUs);
  const toUs = Math.max(focusToUs, chosen.at(-1)?.timeUs ?? focusToUs);
  const handled = handledTimes(trace);
  const messages: TraceMessage[] = chosen.map((line) => ({
    sendUs: sendTimeOf(handled.get(line.from ?? "") ?? [], line.timeUs),
    deliverUs: line.timeUs, from: line.from ?? "?", to: line.node, type: typeOf(line), detail: detailText(line.detail),
  }));
  const connections = trace.filter((line) => line.kind === "connection" && line.timeUs >= fromUs && line.timeUs <= toUs)
    .slice(0, MESSAGES_BEFORE_MAX + MESSAGES_DURING_MAX + MESSAGES_AFTER_MAX)
    .map((line) => ({ timeUs: line.timeUs, node: line.node, peer: line.from ?? "?", state: String(line.detail) }));
  return { fromUs, toUs, focusFromUs, focusToUs, messages, connections };
}

/** Per node, the times of the events it handled: a message is sent while its sender handles one. */
function handledTimes(trace: readonly TraceLine[]): Map<string, number[]> {
  const times = new Map<string, number[]>();
  for (const line of trace) {
    if (line.kind === "log" || line.kind === "fault") continue;
    let list = times.get(line.node);
    if (!list) times.set(line.node, list = []);
    list.push(line.timeUs);
  }
  return times;
}

/** The trace records deliveries only: the send is the last event the sender handled a base latency earlier. */
function sendTimeOf(handled: readonly number[], deliverUs: number): number {
  const latest = deliverUs - NETWORK_DEFAULTS.latencyUsBase;
  let low = 0;
  let high = handled.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (handled[middle]! <= latest) low = middle + 1; else high = middle;
  }
  return low > 0 ? handled[low - 1]! : Math.max(0, latest);
}

function typeOf(line: TraceLine): string {
  const type = (line.detail as { type?: unknown } | null)?.type;
  return typeof type === "string" ? type : line.kind;
}

function detailText(detail: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(detail) ?? String(detail);
  } catch {
    text = String(detail);
  }
  return text.length > DETAIL_CHARS_MAX ? `${text.slice(0, DETAIL_CHARS_MAX)}…` : text;
}

function sortedCounts(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
