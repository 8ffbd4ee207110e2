// The terminal summary of a `faultline run`: one row per scenario, then one line per failure.

export interface FailureSummary {
  seed: number;
  properties: string[];
  traceHash: string;
  counterexample: string;
  faults: number;
  faultsBeforeShrink: number;
  /** Only the first failure of each property is shrunk. */
  shrunk: boolean;
  summaries: string[];
  /** The few operations that matter, in words (reports/witness-text.ts: witnessLines). */
  witness?: string[];
  /** The failure's report.html, when one was written. */
  report?: string;
}

export interface ScenarioSummary {
  name: string;
  seeds: number;
  violations: number;
  unknown: number;
  /** Seeds whose verdict a checker could not decide within its budget. */
  unknownSeeds: Array<{ seed: number; summaries: string[] }>;
  failures: FailureSummary[];
  simulatedUs: number;
  wallMs: number;
  events: number;
  clientOps: number;
}

/** A terminal witness stays short: the HTML report has the rest. */
const WITNESS_LINES_MAX = 12;

export function summaryTable(summaries: readonly ScenarioSummary[]): string {
  const header = ["scenario", "seeds", "violations", "unknown", "sim s / wall s", "events/s", "client ops/s"];
  const rows = summaries.map((s) => {
    const wallSeconds = Math.max(s.wallMs, 1e-3) / 1000;
    return [s.name, String(s.seeds), String(s.violations), String(s.unknown),
      (s.simulatedUs / 1e6 / wallSeconds).toFixed(1), Math.round(s.events / wallSeconds).toLocaleString("en"),
      Math.round(s.clientOps / wallSeconds).toLocaleString("en")];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)).join("  ");
  const lines = [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)];
  const failures = summaries.flatMap((s) => s.failures.map((f) => ({ scenario: s.name, ...f })));
  if (failures.length > 0) {
    lines.push("", "failures:");
    for (const failure of failures) {
      lines.push(`  ${failure.scenario} seed ${failure.seed}: ${failure.properties.join(", ")} (traceHash ${failure.traceHash}; ${failure.shrunk ? `${failure.faultsBeforeShrink} faults, shrunk to ${failure.faults}` : `${failure.faults} faults, not shrunk`})`);
      for (const summary of failure.summaries) lines.push(`    ${summary}`);
      if (failure.witness && failure.witness.length > 0) lines.push("    witness:", ...failure.witness.slice(0, WITNESS_LINES_MAX).map((line) => `      ${line}`));
      if (failure.report) lines.push(`    report: ${failure.report}`);
      lines.push(`    replay: npx faultline replay ${failure.counterexample}`);
    }
  } else {
    lines.push("", "no violations");
  }
  const undecided = summaries.flatMap((s) => s.unknownSeeds.map((u) => ({ scenario: s.name, ...u })));
  if (undecided.length > 0) {
    lines.push("", "undecided (a checker ran out of budget):");
    for (const u of undecided) lines.push(`  ${u.scenario} seed ${u.seed}: ${u.summaries.join("; ")}`);
  }
  return lines.join("\n");
}
