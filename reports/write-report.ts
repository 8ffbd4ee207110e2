// report.html from a failure folder's JSON, and only from it: `run` writes it, `faultline report DIR`
// rewrites it, and both give the same bytes. Written through a temporary file and a rename.
import { readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readReportFolder, REPORT_FILE, replayFileOf, type ReportInput } from "./report-files.ts";
import { renderReport } from "./report-html.ts";

/** `input` is the folder as `readReportFolder` read it, for a caller that has read it already (a second parse of a 500 KB history costs as much as the rendering). */
export function writeReport(folder: string, input: ReportInput = readReportFolder(folder)): string {
  const file = join(folder, REPORT_FILE);
  writeFileAtomic(file, renderReport(input));
  return file;
}

export function writeFileAtomic(file: string, text: string): void {
  const temporary = `${file}.partial-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/** Every folder under `root` (itself included) that holds a replay file and a history, sorted. */
export function reportFolders(root: string): string[] {
  const folders: string[] = [];
  const walk = (folder: string) => {
    if (replayFileOf(folder) !== undefined) folders.push(folder);
    for (const name of readdirSync(folder).sort()) {
      if (name.includes(".partial-") || name === "node_modules") continue;
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
    }
  };
  walk(root);
  return folders;
}
