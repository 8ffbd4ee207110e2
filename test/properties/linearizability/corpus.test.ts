// Every history in the corpora (Porcupine's and Knossos' test data, in FAULTLINE_CORPORA or ../shared/corpora)
// gets the verdict its EXPECTED.tsv lists, with the model and initial state listed there. `unspecified` histories
// must still be answered within the budget (a verdict, or a clean user error for the empty etcd_095.log).
import test from "ava";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { formatFromPath, parseHistory } from "../../../properties/history/read.ts";
import { checkLinearizable } from "../../../properties/linearizability/check.ts";
import { corporaDir } from "../../../bench/support/corpora.ts";

const corpora = corporaDir();

interface Row {
  file: string;
  model: string;
  initial: string;
  expected: string;
}

function rowsOf(corpus: string): Row[] {
  const [head, ...lines] = readFileSync(join(corpora, corpus, "EXPECTED.tsv"), "utf8").trim().split("\n");
  const columns = head!.split("\t");
  return lines.map((line) => Object.fromEntries(line.split("\t").map((v, i) => [columns[i], v])) as unknown as Row);
}

/** With `statesMax: 1` the first round decides little, so the stale-read proof (stale-read.ts) meets almost every history. */
function verdictOf(corpus: string, row: Row, statesMax = 5_000_000): string {
  const text = readFileSync(join(corpora, corpus, row.file), "utf8");
  try {
    const history = parseHistory(text, formatFromPath(row.file)!);
    const result = checkLinearizable(history, row.model, { statesMax, initial: JSON.parse(row.initial) });
    return result.valid === true ? "ok" : result.valid === false ? "illegal" : "unknown";
  } catch (error) {
    if ((error as { userError?: boolean }).userError) return `user error: ${(error as Error).message}`;
    throw error;
  }
}

for (const corpus of ["knossos", "porcupine"]) {
  test(`corpus ${corpus}: every verdict matches EXPECTED.tsv`, (t) => {
    if (!existsSync(join(corpora, corpus, "EXPECTED.tsv"))) {
      t.log(`no corpus at ${join(corpora, corpus)}: skipped`);
      t.pass();
      return;
    }
    const rows = rowsOf(corpus);
    t.true(rows.length > 0);
    for (const row of rows) {
      const verdict = verdictOf(corpus, row);
      if (row.expected === "unspecified") t.not(verdict, "unknown", `${row.file}: must be decided within the budget`);
      else t.is(verdict, row.expected, `${row.file} (${row.model}, initial ${row.initial})`);
    }
  });
}

test("corpus knossos: the stale-read proof, run on almost every history, calls none of the linearizable ones illegal", (t) => {
  if (!existsSync(join(corpora, "knossos", "EXPECTED.tsv"))) {
    t.pass();
    return;
  }
  const rows = rowsOf("knossos");
  for (const row of rows.filter((r) => r.expected === "ok")) t.not(verdictOf("knossos", row, 1), "illegal", row.file);
  const illegal = rows.filter((row) => row.expected === "illegal");
  const refuted = illegal.filter((row) => {
    const history = parseHistory(readFileSync(join(corpora, "knossos", row.file), "utf8"), formatFromPath(row.file)!);
    const result = checkLinearizable(history, row.model, { statesMax: 1, initial: JSON.parse(row.initial) });
    return result.valid === false && result.failures[0]!.refutation !== undefined;
  });
  t.true(refuted.length >= illegal.length / 2, `and it is what refutes most of the illegal ones (${refuted.length} of ${illegal.length})`);
});
