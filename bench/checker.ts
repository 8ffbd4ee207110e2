// The linearizability checker on Porcupine's whole corpus (../shared/corpora/porcupine): total seconds of
// checking per set (parsing excluded), the slowest file, peak memory, and whether every verdict matched
// EXPECTED.tsv; the same for Knossos' (../shared/corpora/knossos). Prints figures; asserts nothing.
//   npm run bench -- checker [--json]
// Then the generated hard cas-register histories (bench/cases/cas-register.ts): verdict, states, seconds.
// Bar (Porcupine's Go benchmarks, same kind of machine): etcd 0.53 s (slowest etcd_002, 0.20 s); kv 6.2 s
// (slowest c10-bad, 3.2 s).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { formatFromPath, parseHistory } from "../properties/history/index.ts";
import { checkLinearizable } from "../properties/linearizability/index.ts";
import { corporaDir, missingCorpus } from "./support/corpora.ts";
import { casHistory, hardCasCases } from "./cases/cas-register.ts";

const json = process.argv.includes("--json");
const corpora = corporaDir();
const corpus = join(corpora, "porcupine");
const STATES_MAX = 10_000_000;

interface Row {
  file: string;
  model: string;
  initial: string;
  expected: string;
}

interface SetFigures {
  files: number;
  totalSeconds: number;
  slowest: { file: string; seconds: number };
  asExpected: number;
  verdicts: string;
}

function rows(corpus: string): Row[] {
  const [head, ...lines] = readFileSync(join(corpus, "EXPECTED.tsv"), "utf8").trim().split("\n");
  const columns = head!.split("\t");
  return lines.map((line) => Object.fromEntries(line.split("\t").map((v, i) => [columns[i], v])) as unknown as Row);
}

function checkSet(corpus: string, set: Row[]): SetFigures {
  const figures: SetFigures = { files: 0, totalSeconds: 0, slowest: { file: "", seconds: 0 }, asExpected: 0, verdicts: "" };
  for (const row of set) {
    const text = readFileSync(join(corpus, row.file), "utf8");
    if (text.trim() === "") continue; // etcd_095: the cluster never started; no verdict to time
    const history = parseHistory(text, formatFromPath(row.file)!);
    const started = performance.now();
    const result = checkLinearizable(history, row.model, { statesMax: STATES_MAX, initial: JSON.parse(row.initial) });
    const seconds = (performance.now() - started) / 1000;
    const verdict = result.valid === true ? "ok" : result.valid === false ? "illegal" : "unknown";
    figures.files++;
    figures.totalSeconds += seconds;
    figures.verdicts += verdict[0];
    if (verdict === row.expected) figures.asExpected++;
    if (seconds > figures.slowest.seconds) figures.slowest = { file: row.file, seconds };
  }
  return figures;
}

const missing = missingCorpus(corpora, "porcupine");
if (missing !== undefined) {
  console.error(`bench checker: ${missing}`);
  process.exit(3);
}
const all = rows(corpus);
const etcd = checkSet(corpus, all.filter((row) => row.model === "etcd"));
const kv = checkSet(corpus, all.filter((row) => row.model === "kv"));
// Knossos' test histories (register models, one mutex with no verdict to match): verdicts first, time second.
const knossosCorpus = join(corpora, "knossos");
const knossos = missingCorpus(corpora, "knossos") === undefined
  ? checkSet(knossosCorpus, rows(knossosCorpus).filter((row) => row.expected !== "unspecified"))
  : null;
// Generated cas-register histories (bench/cases/cas-register.ts): 2,500 operations, many clients, crashes.
const HARD_STATES_MAX = 5_000_000;
const hard = hardCasCases.map(({ name, options, expected }) => {
  const history = casHistory(options);
  const started = performance.now();
  const result = checkLinearizable(history, "cas-register", { statesMax: HARD_STATES_MAX, initial: 0 });
  const seconds = (performance.now() - started) / 1000;
  const verdict = result.valid === true ? "ok" : result.valid === false ? "illegal" : "unknown";
  return { name, operations: options.operations, expected, verdict, states: result.statesExplored, seconds: Number(seconds.toFixed(3)) };
});
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
const round = (seconds: number) => Number(seconds.toFixed(4));
const shown = (f: SetFigures) => ({ ...f, totalSeconds: round(f.totalSeconds), slowest: { ...f.slowest, seconds: round(f.slowest.seconds) } });

if (json) {
  console.log(JSON.stringify({ etcd: shown(etcd), kv: shown(kv), knossos: knossos && shown(knossos), hardCasRegister: hard, peakRssMb }));
} else {
  for (const [name, f, bar] of [["etcd", etcd, "0.53 s"], ["kv", kv, "6.2 s"]] as const) {
    console.log(
      `${name}: ${f.files} histories, ${f.totalSeconds.toFixed(3)} s checking (Porcupine ${bar}), ` +
        `slowest ${f.slowest.file} ${f.slowest.seconds.toFixed(3)} s, verdicts as expected ${f.asExpected}/${f.files} [${f.verdicts}]`,
    );
  }
  if (knossos) {
    console.log(
      `knossos: ${knossos.files} histories, ${knossos.totalSeconds.toFixed(3)} s checking, slowest ${knossos.slowest.file} ` +
        `${knossos.slowest.seconds.toFixed(3)} s, verdicts as expected ${knossos.asExpected}/${knossos.files} [${knossos.verdicts}]`,
    );
  }
  for (const h of hard) {
    console.log(`cas-register ${h.name}: ${h.operations} operations, ${h.verdict} (expected ${h.expected}) after ${h.states} states in ${h.seconds.toFixed(3)} s`);
  }
  console.log(`peak RSS ${peakRssMb} MB`);
}
