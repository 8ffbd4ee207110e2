// A counterexample is the replay file: scenario, seed, bug switches, the (shrunk) case, the verdict
// and the trace hash the replay must reproduce. Written whole or not at all.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { threadId } from "node:worker_threads";
import { UserError } from "../sim/errors.ts";
import { isSeed } from "../sim/random.ts";
import type { RunResult, ScenarioCase } from "./runner.ts";
import type { PropertyResult } from "./types.ts";
import { savedEvidence } from "../reports/report-files.ts";

export interface Counterexample {
  faultline: string;
  scenario: string;
  seed: number;
  bugs: string[];
  workload: unknown;
  schedule: ScenarioCase["schedule"];
  /** Each property's verdict with its evidence (the witness the HTML report marks). */
  properties: Array<Pick<PropertyResult, "name" | "valid" | "anomalies" | "summary" | "evidence">>;
  traceHash: string;
  /** Faults in the seed's own schedule, before shrinking. */
  faultsBeforeShrink: number;
  replay: string;
}

export function counterexampleOf(result: RunResult, version: string, faultsBeforeShrink: number): Counterexample {
  return {
    faultline: version, scenario: result.scenario, seed: result.seed, bugs: result.bugs,
    workload: result.case.workload, schedule: result.case.schedule,
    properties: result.properties.map(({ name, valid, anomalies, summary, evidence }) => ({ name, valid, anomalies, summary, evidence: savedEvidence(evidence) })),
    traceHash: result.traceHash, faultsBeforeShrink, replay: "",
  };
}

/**
 * Writes `<out>/<scenario>/<seed>/{counterexample,history}.json` through a temporary folder and a
 * rename. With `minimal` false it is written as `failure.json`: the same replay file, not (yet)
 * named the minimal counterexample of its property.
 */
export function saveCounterexample(outDir: string, example: Counterexample, result: RunResult, minimal = true): string {
  const folder = join(outDir, example.scenario, String(example.seed));
  const temporary = `${folder}.partial-${process.pid}-${threadId}`;
  const name = minimal ? "counterexample.json" : "failure.json";
  const file = join(folder, name);
  example.replay = `npx faultline replay ${file}`;
  mkdirSync(temporary, { recursive: true });
  try {
    writeFileSync(join(temporary, name), JSON.stringify(example, null, 2) + "\n");
    writeFileSync(join(temporary, "history.json"), historyText(result));
    mkdirSync(dirname(folder), { recursive: true });
    replaceFolder(temporary, folder);
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
  return file;
}

/**
 * Puts `from` in place of `to`. Two runs saving the same seed into one --out (two shards, or CI jobs
 * sharing a folder) race between the removal and the rename: the later one retries, and wins.
 */
function replaceFolder(from: string, to: string): void {
  for (let attempt = 1; ; attempt++) {
    rmSync(to, { recursive: true, force: true });
    try {
      renameSync(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 5 || (code !== "ENOTEMPTY" && code !== "EEXIST")) throw error;
    }
  }
}

/**
 * Gives a saved failure another name in its folder (failure.json ⇄ counterexample.json, or a folder
 * moved by `merge`), keeping its `replay` command true to where it now is.
 */
export function moveCounterexample(file: string, to: string): string {
  const example = JSON.parse(readFileSync(file, "utf8")) as Counterexample;
  example.replay = `npx faultline replay ${to}`;
  writeFileSync(`${to}.partial-${process.pid}`, JSON.stringify(example, null, 2) + "\n");
  renameSync(`${to}.partial-${process.pid}`, to);
  if (to !== file) rmSync(file, { force: true });
  return to;
}

/** One operation a line inside a JSON array: readable, diffable, and still one JSON value. */
function historyText(result: RunResult): string {
  return "[\n" + result.history.map((op) => JSON.stringify(op)).join(",\n") + "\n]\n";
}

/** A JSON file a person may have edited: a missing file or broken JSON is one line naming it. */
function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UserError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UserError(`${file} is not ${what}: not JSON (${(error as Error).message})`);
  }
}

export function loadCounterexample(file: string): Counterexample {
  const value = readJsonFile(file, "a counterexample");
  const bad = (what: string) => new UserError(`${file} is not a valid counterexample: ${what}`);
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw bad("expected a JSON object");
  const record = value as Record<string, unknown>;
  if (typeof record.scenario !== "string") throw bad(`"scenario" must be a scenario name`);
  if (typeof record.seed !== "number" || !isSeed(record.seed)) throw bad(`"seed" must be an integer in 0..4294967295`);
  if (!Array.isArray(record.bugs) || !record.bugs.every((bug) => typeof bug === "string")) throw bad(`"bugs" must be a list of bug switch names`);
  if (!Array.isArray(record.schedule)) throw bad(`"schedule" must be a list of faults`);
  if (!("workload" in record)) throw bad(`"workload" is missing`);
  if (record.traceHash !== undefined && (typeof record.traceHash !== "string" || !/^[0-9a-f]{16}$/.test(record.traceHash))) {
    throw bad(`"traceHash" must be 16 hex digits`);
  }
  return record as unknown as Counterexample;
}

export function readScheduleFile(file: string): unknown {
  const value = readJsonFile(file, "a schedule");
  // A schedule file is a fault list, or a counterexample whose schedule was edited.
  if (typeof value === "object" && value !== null && !Array.isArray(value) && "schedule" in value) return (value as { schedule: unknown }).schedule;
  return value;
}
