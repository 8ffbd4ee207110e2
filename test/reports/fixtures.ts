// Failure folders for the report tests, made the way `run` makes them: a swept seed that fails with a
// bug switch on, saved by saveCounterexample, then saveFailureArtifacts (traced replay, trace.json,
// report.html). Seeds are searched, not fixed, so a change to the systems does not orphan a test.
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { findScenarios } from "../../scenarios/catalogue.ts";
import { runScenario, type RunResult } from "../../scenarios/runner.ts";
import { counterexampleOf, moveCounterexample, saveCounterexample } from "../../scenarios/counterexample.ts";
import { writeReport } from "../../reports/write-report.ts";
import { saveFailureArtifacts } from "../../scenarios/failure-artifacts.ts";

export const FAILING = {
  linearizability: { scenario: "zk-register", bug: "follower-local-reads", property: "linearizable znode reads" },
  master: { scenario: "zk-master", bug: "master-no-fencing", property: "M2 fencing" },
  log: { scenario: "kafka-log", bug: "acks-1", property: "K1 lost-write" },
} as const;

const SEEDS_SEARCHED_MAX = 60;

export interface FailureFolder {
  folder: string;
  result: RunResult;
}

const made = new Map<string, FailureFolder>();

/**
 * The first seed (from 1) whose run violates `property` with `bug` on, saved as `run` saves it. Each
 * call gets a folder of its own (tests rename files in it); the run behind it is made once per process.
 */
export function failureFolder(kind: keyof typeof FAILING): FailureFolder {
  let original = made.get(kind);
  if (!original) made.set(kind, original = makeFailureFolder(kind, mkdtempSync(join(tmpdir(), "faultline-report-"))));
  const folder = join(mkdtempSync(join(tmpdir(), "faultline-report-")), FAILING[kind].scenario, String(original.result.seed));
  cpSync(original.folder, folder, { recursive: true });
  moveCounterexample(join(folder, "failure.json"), join(folder, "failure.json")); // its replay command names this folder
  writeReport(folder);
  return { folder, result: original.result };
}

function makeFailureFolder(kind: keyof typeof FAILING, outDir: string): FailureFolder {
  const { scenario: name, bug, property } = FAILING[kind];
  const scenario = findScenarios(name)[0]!;
  const options = { bugs: [bug] };
  for (let seed = 1; seed <= SEEDS_SEARCHED_MAX; seed++) {
    const result = runScenario(scenario, seed, options);
    if (!result.properties.some((p) => p.name === property && p.valid === false)) continue;
    const file = saveCounterexample(outDir, counterexampleOf(result, "test", result.case.schedule.length), result, false);
    saveFailureArtifacts(dirname(file), scenario, result, options);
    return { folder: dirname(file), result };
  }
  throw new Error(`no seed in 1..${SEEDS_SEARCHED_MAX} of ${name} with ${bug} violates ${property}`);
}

/** A history the register model accepts, and one whose values try to become markup. */
export const VALID_REGISTER = [
  { process: 0, type: "invoke", f: "write", value: 1, time: 10, index: 0 },
  { process: 0, type: "ok", f: "write", value: 1, time: 20, index: 1 },
  { process: 1, type: "invoke", f: "read", value: null, time: 25, index: 2 },
  { process: 1, type: "ok", f: "read", value: 1, time: 30, index: 3 },
  { process: 2, type: "invoke", f: "write", value: 2, time: 31, index: 4 },
  { process: 2, type: "info", f: "write", value: 2, time: 60, index: 5, error: "timeout" },
];

export const HOSTILE_REGISTER = [
  { process: 0, type: "invoke", f: "write", value: "<img src=x id=pwned onerror=alert(1)>", time: 1, index: 0 },
  { process: 0, type: "ok", f: "write", value: "<img src=x id=pwned onerror=alert(1)>", time: 2, index: 1 },
  { process: 1, type: "invoke", f: "read", value: null, time: 3, index: 2 },
  { process: 1, type: "ok", f: "read", value: "</script><b id=pwned2>x</b>\u2028'\"&amp;\u0007", time: 4, index: 3 },
];
