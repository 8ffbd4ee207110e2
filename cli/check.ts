// `faultline check FILE --model M [--format F] [--initial JSON] [--json] [--timeout SECONDS] [--states-max N]`
// Checks a history file: linearizability against a sequential model, or the log / master properties.
// Exit 0 valid, 1 violated, 2 unknown, 3 bad input (thrown as a user error; main prints one line).
import { isUtf8 } from "node:buffer";
import { readFileSync, statSync } from "node:fs";
import type { Command } from "commander";
import { UserError } from "../sim/errors.ts";
import { formatFromPath, HISTORY_FORMATS, isHistoryFormat, parseHistory, type HistoryFormat } from "../properties/history/index.ts";
import type { Operation } from "../properties/history/index.ts";
import { checkLinearizable } from "../properties/linearizability/index.ts";
import { describeLinearizability, linearizabilityProperty } from "../properties/linearizability/index.ts";
import { writeCheckReport } from "../reports/check-report.ts";
import { linearizabilityModels } from "../properties/linearizability/index.ts";
import type { PropertyResult } from "../properties/result.ts";
import { parseCount } from "./arguments.ts";
import { EXIT, setExitCode } from "./exit.ts";

const PROPERTY_MODELS = ["log", "master"];
const MODELS = [...Object.keys(linearizabilityModels), ...PROPERTY_MODELS];
const STATES_MAX_DEFAULT = 10_000_000;
const FILE_BYTES_MAX = 1 << 30;

interface CheckFlags {
  model: string;
  format?: string;
  initial?: string;
  json?: boolean;
  timeout?: string;
  statesMax?: string;
  html?: string;
}

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("check a history file: linearizability against a model, or the log / master properties")
    .argument("<file>", "a history: JSON (array or lines), Jepsen EDN, or Porcupine's etcd / kv logs")
    .requiredOption("--model <model>", MODELS.join("|"))
    .option("--format <format>", `${HISTORY_FORMATS.join("|")} (default: from the extension)`)
    .option("--initial <json>", "the model's initial state, as JSON (e.g. 0, null, '\"\"', '{\"x\":0}')")
    .option("--json", "print one JSON object")
    .option("--timeout <seconds>", "wall-clock limit; when it runs out the verdict is unknown")
    .option("--states-max <n>", `configurations each partition may explore (default ${STATES_MAX_DEFAULT})`)
    .option("--html <file>", "also write a self-contained HTML report of the history and the verdict")
    .action(async (file: string, flags: CheckFlags) => setExitCode(await checkCommand(file, flags)));
}

async function checkCommand(file: string, flags: CheckFlags): Promise<number> {
  if (!MODELS.includes(flags.model)) throw new UserError(`--model must be one of ${MODELS.join(", ")}, not "${flags.model}"`);
  const format = formatOf(file, flags.format);
  // Every flag is checked before a possibly large file is read.
  const options = {
    statesMax: flags.statesMax === undefined ? STATES_MAX_DEFAULT : parseCount(flags.statesMax, "--states-max"),
    initial: flags.initial === undefined ? undefined : jsonFlag(flags.initial),
    timeoutMs: flags.timeout === undefined ? undefined : secondsFlag(flags.timeout) * 1000,
    nowMs: () => performance.now(),
  };
  const text = readText(file);
  if (PROPERTY_MODELS.includes(flags.model)) {
    const history = parseHistory(text, format, { pairing: flags.model !== "master" });
    const results = await checkProperties(flags.model, history);
    if (flags.html !== undefined) htmlReport(file, format, flags, history, results);
    return reportProperties(file, flags, results);
  }
  const history = parseHistory(text, format);
  const result = checkLinearizable(history, flags.model, options);
  if (flags.html !== undefined) {
    const property = linearizabilityProperty(result, `linearizable (${flags.model})`);
    // A valid verdict's evidence is its linearization: the report shows it.
    if (result.valid === true) property.evidence = { linearizations: result.linearizations };
    htmlReport(file, format, flags, history, [property]);
  }
  if (flags.json) {
    console.log(JSON.stringify({ file, format, ...result }));
  } else {
    const [verdict, ...witness] = describeLinearizability(result, result.valid === "unknown" ? decideAdvice(result.reason, options.statesMax, flags.timeout) : undefined);
    console.log([`${file}: ${verdict}`, ...witness].join("\n"));
  }
  return result.valid === true ? EXIT.valid : result.valid === false ? EXIT.violated : EXIT.unknown;
}

/** The knobs of this command that decide more: states always count; the time limit only when given. */
function decideAdvice(reason: "states-max" | "timeout", statesMax: number, timeout: string | undefined): string {
  if (reason === "timeout") return `run it again with a longer --timeout (this one: ${timeout} s)`;
  return `run it again with a larger --states-max (this one: ${statesMax} per partition)${timeout === undefined ? ", and --timeout SECONDS to bound the wall time" : ""}`;
}

async function checkProperties(model: string, history: Operation[]): Promise<PropertyResult[]> {
  // Loaded on demand: a linearizability check need not load the log and master checkers.
  if (model === "log") return (await import("../properties/log/index.ts")).checkLog(history);
  return (await import("../properties/master/index.ts")).checkMaster(history);
}

function reportProperties(file: string, flags: CheckFlags, results: PropertyResult[]): number {
  const violated = results.filter((r) => r.valid === false).length;
  const valid = violated > 0 ? false : results.some((r) => r.valid === "unknown") ? "unknown" : true;
  if (flags.json) {
    console.log(JSON.stringify({ file, model: flags.model, valid, properties: results }));
  } else {
    console.log(`${file}: ${plural(results.length, "property")} checked, ${violated} violated`);
    for (const r of results) {
      const verdict = r.valid === true ? "ok" : r.valid === false ? `VIOLATED (${r.anomalies.join(", ")})` : "unknown";
      console.log(`  ${r.name}: ${verdict} — ${r.summary}`);
    }
  }
  return valid === true ? EXIT.valid : valid === false ? EXIT.violated : EXIT.unknown;
}

function htmlReport(file: string, format: HistoryFormat, flags: CheckFlags, history: Operation[], properties: PropertyResult[]): void {
  const command = `npx faultline check ${file} --model ${flags.model} --format ${format}${flags.initial === undefined ? "" : ` --initial '${flags.initial}'`}`;
  try {
    writeCheckReport(flags.html!, { file, model: flags.model, command, history, properties });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error; // not the file system: our bug
    throw new UserError(`cannot write ${flags.html}: ${code}`);
  }
}

function formatOf(file: string, flag: string | undefined): HistoryFormat {
  if (flag !== undefined) {
    if (!isHistoryFormat(flag)) throw new UserError(`--format must be one of ${HISTORY_FORMATS.join(", ")}, not "${flag}"`);
    return flag;
  }
  const guessed = formatFromPath(file);
  if (!guessed) throw new UserError(`cannot tell the format of ${file} from its extension; give --format ${HISTORY_FORMATS.join("|")}`);
  return guessed;
}

function readText(file: string): string {
  let bytes: number;
  try {
    bytes = statSync(file).size;
  } catch (error) {
    throw new UserError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (bytes > FILE_BYTES_MAX) throw new UserError(`${file} is larger than 1 GiB: not a history this checker can hold`);
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (error) {
    throw new UserError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  // Histories are text. Decoding binary noise as UTF-8 is slow (replacement characters); refuse it at once.
  if (!isUtf8(data)) throw new UserError(`${file} is not UTF-8 text: not a history`);
  return data.toString("utf8");
}

function jsonFlag(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UserError(`--initial must be JSON (e.g. 0, null, '""', '{"x":0}'), not ${text}`);
  }
}

function secondsFlag(text: string): number {
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UserError(`--timeout must be a positive number of seconds, not "${text}"`);
  return seconds;
}

function plural(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : noun.replace(/y$/, "ie")}${count === 1 ? "" : "s"}`;
}
