// The files a failure folder holds and that its report.html is built from — nothing else: `run` and
// `faultline report DIR` read the same bytes and so write the same report.
//   counterexample.json | failure.json   the replay file (scenario, seed, bugs, schedule, verdicts + evidence)
//   history.json                         the client operations
//   trace.json                           facts from the replayed run's trace (TraceFacts), bounded in size
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Operation } from "../properties/history/index.ts";
import type { PropertyResult } from "../properties/result.ts";

export const TRACE_FILE = "trace.json";
export const REPORT_FILE = "report.html";
export const REPLAY_FILES = ["counterexample.json", "failure.json"] as const;

/** One message delivery near the violation. */
export interface TraceMessage {
  /** Estimated: the last event the sender handled at least the network's base latency before delivery. */
  sendUs: number;
  deliverUs: number;
  from: string;
  to: string;
  /** The payload's `type` field, or the event kind. */
  type: string;
  /** The payload as JSON, cut to a few hundred characters. */
  detail: string;
}

export interface TraceFacts {
  format: 1;
  traceHash: string;
  phases: { faultsUs: number; quietUs: number };
  /** True time at which the run ended. */
  endUs: number;
  /** Every node the trace names, in order of first appearance. */
  nodes: string[];
  /** The nodes the scenario's faults may hit (its servers), in the scenario's order. */
  targets?: string[];
  /** Every fault the kernel applied (internal ones too: restart, end-pause, end-partition…). */
  faults: Array<{ timeUs: number; fault: Record<string, unknown> }>;
  faultsTotal: number;
  /** Lines the nodes logged (elections, leaders, epochs), first LOGS_MAX. */
  logs: Array<{ timeUs: number; node: string; line: string }>;
  logsTotal: number;
  /**
   * Leaders announced in messages (a Kafka-style LeaderAndIsr: `partitions[].leader` and `leaderEpoch`),
   * the first delivery of each (scope, epoch); the ensemble's leaders come from `logs`.
   */
  leaders?: Array<{ timeUs: number; scope: string; node: string; epoch: number }>;
  /** Delivered events by kind, over the whole run. */
  eventCounts: Record<string, number>;
  /** The space-time window: the messages delivered around the violation. */
  window: {
    fromUs: number;
    toUs: number;
    /** The violation's interval (the culprit operation, the first finding's operations). */
    focusFromUs: number;
    focusToUs: number;
    messages: TraceMessage[];
    /** Connection notices (open / broken) in the window. */
    connections: Array<{ timeUs: number; node: string; peer: string; state: string }>;
  };
}

export interface ReplayFile {
  faultline?: string;
  scenario: string;
  seed: number;
  bugs: string[];
  workload?: unknown;
  schedule: unknown[];
  properties: Array<Pick<PropertyResult, "name" | "valid" | "anomalies" | "summary" | "evidence">>;
  traceHash?: string;
  faultsBeforeShrink?: number;
  replay: string;
}

/** Everything a report is drawn from. `title`/`replay` let `check --html` use it without a run. */
export interface ReportInput {
  kind: "run" | "check";
  /** The replay file's name in its folder ("counterexample.json"), or the checked history file. */
  source: string;
  example: ReplayFile;
  history: Operation[];
  trace?: TraceFacts;
  /** For `check`: the model the history was checked against. */
  model?: string;
}

/**
 * A verdict's evidence as a replay file keeps it: a finding's operations shrink to where they are
 * ({index, process, type, f, time}) — the history beside it holds their values, and a drain of
 * thousands of records named by 50 findings would otherwise be saved 50 times.
 */
export function savedEvidence(evidence: unknown): unknown {
  if (!Array.isArray(evidence)) return evidence;
  return evidence.map((item: unknown) => {
    const operations = (item as { operations?: unknown } | null)?.operations;
    if (!Array.isArray(operations)) return item;
    return { ...(item as object), operations: operations.map((op: Partial<Operation>) => ({ index: op.index, process: op.process, type: op.type, f: op.f, time: op.time })) };
  });
}

export function replayFileOf(folder: string): string | undefined {
  for (const name of REPLAY_FILES) if (existsSync(join(folder, name))) return name;
  return undefined;
}

/** Reads a failure folder. Throws (naming the file) when the replay file or the history is missing or broken. */
export function readReportFolder(folder: string): ReportInput {
  const name = replayFileOf(folder);
  if (name === undefined) throw new ReportError(`${folder} has neither ${REPLAY_FILES.join(" nor ")}`);
  const example = readJson(join(folder, name)) as ReplayFile;
  const history = readJson(join(folder, "history.json")) as Operation[];
  const tracePath = join(folder, TRACE_FILE);
  const trace = existsSync(tracePath) ? readJson(tracePath) as TraceFacts : undefined;
  return { kind: "run", source: name, example, history, trace };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as unknown;
  } catch (error) {
    throw new ReportError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** A folder a person may have edited: the CLI prints the message alone and exits 3 (the `userError` mark). */
export class ReportError extends Error {
  readonly userError = true;
  constructor(message: string) {
    super(message);
    this.name = "ReportError";
  }
}
