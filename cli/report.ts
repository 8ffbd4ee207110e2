// `faultline report DIR [--json]`: rebuilds every failure folder's report.html under DIR from its saved
// JSON (replay file, history, trace facts) — nothing is rerun — and prints each failure's verdicts and
// witness, or with --json the same facts as one JSON object (for CI dashboards).
// Exit 0 when every report was written, 3 when DIR is missing or a folder's files cannot be read.
import { statSync } from "node:fs";
import type { Command } from "commander";
import { UserError } from "../sim/errors.ts";
import { readReportFolder } from "../reports/report-files.ts";
import { reportFolders, writeReport } from "../reports/write-report.ts";
import { witnessLines } from "../reports/witness-text.ts";
import { verdictLines } from "../reports/verdict.ts";
import { EXIT, setExitCode } from "./exit.ts";
import type { PropertyResult } from "../properties/result.ts";

interface ReportFlags {
  json?: boolean;
}

export function registerReport(program: Command): void {
  program
    .command("report")
    .description("rebuild every report.html under DIR from the saved JSON (nothing is rerun) and print each failure's witness")
    .argument("<dir>", "a folder written by `faultline run --out` (or one failure folder in it)")
    .option("--json", "print one JSON object: every failure's verdicts, witness and report path")
    .action((dir: string, flags: ReportFlags) => setExitCode(reportCommand(dir, flags)));
}

function reportCommand(dir: string, flags: ReportFlags): number {
  let isFolder = false;
  try {
    isFolder = statSync(dir).isDirectory();
  } catch (error) {
    throw new UserError(`cannot read ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!isFolder) throw new UserError(`${dir} is not a folder: give the --out folder of a run`);
  const reports: unknown[] = [];
  const errors: string[] = [];
  for (const folder of reportFolders(dir)) {
    try {
      const input = readReportFolder(folder);
      const report = writeReport(folder, input);
      const { example } = input;
      const witness = witnessLines(example.properties, input.history);
      reports.push({
        folder, report, source: input.source, scenario: example.scenario, seed: example.seed, bugs: example.bugs,
        traceHash: example.traceHash ?? null, replay: example.replay, faults: example.schedule.length,
        faultsBeforeShrink: example.faultsBeforeShrink ?? null,
        properties: example.properties.map(({ name, valid, anomalies, summary }) => ({ name, valid, anomalies, summary })),
        witness,
      });
      if (!flags.json) {
        console.log(`${report}: ${example.scenario} seed ${example.seed}${example.bugs.length > 0 ? ` (bugs: ${example.bugs.join(", ")})` : ""}`);
        for (const line of verdictLines(example.properties as PropertyResult[])) console.log(`  ${line}`);
        for (const line of witness) console.log(`    ${line}`);
        console.log(`  replay: ${example.replay}`);
      }
    } catch (error) {
      if (!(error as { userError?: boolean }).userError) throw error;
      errors.push((error as Error).message);
      console.error(`faultline: ${(error as Error).message}`);
    }
  }
  if (flags.json) console.log(JSON.stringify({ dir, reports, errors }));
  else console.log(reports.length === 0 ? `no failure folders under ${dir}` : `${reports.length} report${reports.length === 1 ? "" : "s"} rebuilt`);
  return errors.length > 0 ? EXIT.usage : EXIT.valid;
}
