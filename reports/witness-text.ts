// The witness in words: the few operations that matter and the states each was tried against, for
// the terminal (under each failure of the summary) and for the HTML header. Built from a verdict's
// evidence as saved (plain JSON), so a report rebuilt from files says the same.
import type { Operation } from "../properties/history/index.ts";
import type { PropertyResult } from "../properties/result.ts";

type Verdict = Pick<PropertyResult, "name" | "valid" | "summary" | "evidence">;

const FAILURES_SHOWN_MAX = 3;
const CONCURRENT_SHOWN_MAX = 4;
const FINDINGS_SHOWN_MAX = 3;
/** Operation names that read and change nothing: "the last write before it" skips them. */
const READS = new Set(["read", "get", "exists", "r", "poll", "drain", "sync"]);

interface Ref { index: number; process: number; description: string; outcome: string; invokeTime: number; completionTime: number | null }
interface Tried { state: string; ok: boolean; result: string }
interface Failure {
  key: string;
  culprit: Ref;
  prefix: number[];
  stateAfterPrefix: string;
  window: { operation: Ref; inPrefix: boolean; tried: Tried[] }[];
  refutation?: { rule: string; why: string };
}

/** Seconds of true time, exact to the microsecond, without trailing zeros: "1.0182 s". */
export function seconds(us: number): string {
  return `${(us / 1e6).toFixed(6).replace(/\.?0+$/, "")} s`;
}

export function witnessLines(properties: readonly Verdict[], history: readonly Operation[]): string[] {
  const lines: string[] = [];
  for (const property of properties) {
    if (property.valid !== false) continue;
    const evidence = Array.isArray(property.evidence) ? property.evidence as unknown[] : [];
    const failures = evidence.filter(isFailure);
    if (failures.length > 0) {
      for (const failure of failures.slice(0, FAILURES_SHOWN_MAX)) lines.push(...failureLines(property.name, failure, history));
      if (failures.length > FAILURES_SHOWN_MAX) lines.push(`  (${failures.length - FAILURES_SHOWN_MAX} more partitions fail; the report marks them all)`);
      continue;
    }
    const findings = evidence.filter((item): item is { anomaly: string; detail: string } =>
      typeof item === "object" && item !== null && typeof (item as { detail?: unknown }).detail === "string");
    if (findings.length === 0) {
      lines.push(`${property.name}: ${property.summary}`);
      continue;
    }
    for (const finding of findings.slice(0, FINDINGS_SHOWN_MAX)) {
      const anomaly = property.name.includes(finding.anomaly) ? "" : ` (${finding.anomaly})`;
      lines.push(`${property.name}${anomaly}: ${finding.detail}`);
    }
    if (findings.length > FINDINGS_SHOWN_MAX) lines.push(`  (${findings.length - FINDINGS_SHOWN_MAX} more ${property.name} findings in the report)`);
  }
  return lines;
}

function isFailure(item: unknown): item is Failure {
  const failure = item as Failure | null;
  return typeof failure === "object" && failure !== null && typeof failure.culprit?.index === "number" && Array.isArray(failure.window);
}

function failureLines(name: string, failure: Failure, history: readonly Operation[]): string[] {
  const { culprit } = failure;
  const where = failure.key ? ` (${failure.key})` : "";
  const lines = [`${name}${where}: ${culprit.description}, by process ${culprit.process} ${when(culprit)} (#${culprit.index}), cannot be linearized:`];
  if (failure.refutation) {
    // Proved without a search (properties/linearizability/stale-read.ts): no prefix, the window is the proof's.
    lines.push(`  ${failure.refutation.why}`);
    const named = failure.window.filter((entry) => entry.operation.index !== culprit.index);
    for (const entry of named.slice(0, CONCURRENT_SHOWN_MAX)) lines.push(`  #${entry.operation.index}: ${entry.operation.description}, process ${entry.operation.process} ${when(entry.operation)}`);
    if (named.length > CONCURRENT_SHOWN_MAX) lines.push(`  (${named.length - CONCURRENT_SHOWN_MAX} more operations in the report)`);
    return lines;
  }
  lines.push(`  after the ${failure.prefix.length} operations that can be ordered before it, the state is ${failure.stateAfterPrefix}`);
  const write = lastWrite(failure.prefix, history);
  if (write) lines.push(`  the last write placed before it: ${write}`);
  const own = failure.window.find((entry) => entry.operation.index === culprit.index);
  for (const step of unique(own?.tried ?? [], true)) lines.push(`  in state ${step.state}: ${step.ok ? `legal ${step.result}` : step.result}`);
  const others = failure.window.filter((entry) => entry.operation.index !== culprit.index);
  for (const entry of others.slice(0, CONCURRENT_SHOWN_MAX)) {
    const said = unique(entry.tried).map((step) => step.ok ? `legal ${step.result}` : step.result).join("; ");
    lines.push(`  concurrent #${entry.operation.index}: ${entry.operation.description}, process ${entry.operation.process} ${when(entry.operation)}${entry.inPrefix ? " (in the prefix)" : ""}${said ? ` — ${said}` : ""}`);
  }
  if (others.length > CONCURRENT_SHOWN_MAX) lines.push(`  (${others.length - CONCURRENT_SHOWN_MAX} more concurrent operations in the report)`);
  return lines;
}

function when(ref: Ref): string {
  const end = ref.completionTime !== null ? `returned at t=${seconds(ref.completionTime)}` : ref.outcome === "info" ? "outcome unknown" : "never returned";
  return `invoked at t=${seconds(ref.invokeTime)}, ${end}`;
}

/** The last operation in the prefix's order that may have changed the state, in words. */
function lastWrite(prefix: readonly number[], history: readonly Operation[]): string | undefined {
  const byIndex = new Map<number, Operation>();
  for (const op of history) byIndex.set(op.index, op);
  for (let i = prefix.length - 1; i >= 0; i--) {
    const invoke = byIndex.get(prefix[i]!);
    if (!invoke || READS.has(invoke.f)) continue;
    const completion = history.find((op) => op.index > invoke.index && op.process === invoke.process && op.type !== "invoke");
    const outcome = completion === undefined ? "still pending" : completion.type === "ok"
      ? `returned ${compact(completion.value)} at t=${seconds(completion.time)}`
      : completion.type === "info" ? "outcome unknown (it may have taken effect)" : `failed at t=${seconds(completion.time)}`;
    return `#${invoke.index} ${invoke.f} ${compact(invoke.value)} by process ${invoke.process}, invoked at t=${seconds(invoke.time)}, ${outcome}`;
  }
  return undefined;
}

function compact(value: unknown): string {
  const text = JSON.stringify(value) ?? "null";
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

/** The search tries an operation in up to 8 states; most say the same. */
function unique(steps: readonly Tried[], byState = false): Tried[] {
  const seen = new Set<string>();
  return steps.filter((step) => {
    const key = `${step.ok}|${byState ? step.state : ""}|${step.result}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
