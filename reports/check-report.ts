// `faultline check FILE --html OUT`: the same report for a history checked on its own — no run, so
// no trace, schedule or seed; the replay command is the check command itself.
import type { Operation } from "../properties/history/index.ts";
import type { PropertyResult } from "../properties/result.ts";
import { renderReport } from "./report-html.ts";
import { writeFileAtomic } from "./write-report.ts";

export interface CheckReport {
  file: string;
  model: string;
  /** The command that checks it again, as the user would type it. */
  command: string;
  history: Operation[];
  properties: PropertyResult[];
}

export function writeCheckReport(out: string, check: CheckReport): string {
  const html = renderReport({
    kind: "check", source: check.file, history: check.history, model: check.model,
    example: {
      scenario: "", seed: 0, bugs: [], schedule: [], replay: check.command,
      properties: check.properties.map(({ name, valid, anomalies, summary, evidence }) => ({ name, valid, anomalies, summary, evidence })),
    },
  });
  writeFileAtomic(out, html);
  return out;
}
