// How every log and master check reports: a list of findings, each an anomaly (spelled as in docs/histories.md),
// one line of detail and the offending operations (each carrying its history index), folded into one result.
import type { Operation } from "./history/index.ts";
import type { PropertyResult } from "./result.ts";

export interface Finding {
  anomaly: string;
  detail: string;
  operations: Operation[];
}

/** Evidence is capped so that a run with thousands of lost records still gives a file a person can open. */
export const FINDINGS_SHOWN_MAX = 50;

/**
 * `undecided` is the reason the check could not judge part of the history (e.g. a partition never
 * drained); with no finding it turns the verdict into "unknown" rather than a valid that was not earned.
 */
export function verdictOf(
  name: string,
  findings: readonly Finding[],
  validSummary: string,
  undecided?: string,
): PropertyResult {
  if (findings.length === 0) {
    if (undecided !== undefined) return { name, valid: "unknown", anomalies: [], summary: undecided, evidence: [] };
    return { name, valid: true, anomalies: [], summary: validSummary, evidence: [] };
  }
  const counts = new Map<string, number>();
  for (const finding of findings) counts.set(finding.anomaly, (counts.get(finding.anomaly) ?? 0) + 1);
  const tally = [...counts].map(([anomaly, count]) => `${count} ${anomaly}`).join(", ");
  const shown = findings.length > FINDINGS_SHOWN_MAX ? ` (first ${FINDINGS_SHOWN_MAX} in evidence)` : "";
  return {
    name,
    valid: false,
    anomalies: [...counts.keys()],
    summary: `${tally}${shown}; first: ${findings[0]!.detail}`,
    evidence: findings.slice(0, FINDINGS_SHOWN_MAX),
  };
}

/** "operation 12" style references inside a finding's detail line. */
export function at(operation: Operation): string {
  return `index ${operation.index}`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
