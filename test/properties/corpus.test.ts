// Every history in ../shared/corpora (Porcupine's and Knossos' test data) gets the verdict its
// EXPECTED.tsv lists, with the model and initial state listed there. `unspecified` histories must still be
// answered within the budget (a verdict, or a clean user error for the empty etcd_095.log).
import test from "ava";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatFromPath, parseHistory } from "../../properties/history-read.ts";
import { checkLinearizable } from "../../properties/linearizability.ts";

const corpora = corporaDirectory();

/** ../shared/corpora beside the checkout, or, from a git worktree linking the main checkout's node_modules, beside that. */
function corporaDirectory(): string {
  const beside = fileURLToPath(new URL("../../../shared/corpora/", import.meta.url));
  const modules = fileURLToPath(new URL("../../node_modules", import.meta.url));
  return existsSync(beside) || !existsSync(modules) ? beside : join(realpathSync(modules), "../../shared/corpora/");
}

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

function verdictOf(corpus: string, row: Row): string {
  const text = readFileSync(join(corpora, corpus, row.file), "utf8");
  try {
    const history = parseHistory(text, formatFromPath(row.file)!);
    const result = checkLinearizable(history, row.model, { statesMax: 5_000_000, initial: JSON.parse(row.initial) });
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
