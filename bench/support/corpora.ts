// Where the checker bench and the corpus tests find other checkers' test histories. The folder holds
// `porcupine/` (Porcupine's test_data/: jepsen/*.log and kv/*.txt) and `knossos/` (Knossos' data/), each with
// an EXPECTED.tsv listing file, model, initial value and verdict (README, Benchmarks). Chosen
// by `--corpora DIR`, else the FAULTLINE_CORPORA environment variable, else ../shared/corpora beside the checkout.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const DEFAULT_CORPORA = fileURLToPath(new URL("../../../shared/corpora/", import.meta.url));

/** The corpora folder named by `--corpora DIR` (or `--corpora=DIR`) in argv, FAULTLINE_CORPORA, or the default. */
export function corporaDir(argv: readonly string[] = process.argv, env: NodeJS.ProcessEnv = process.env): string {
  const at = argv.indexOf("--corpora");
  const given = at >= 0 ? argv[at + 1] : argv.find((arg) => arg.startsWith("--corpora="))?.slice("--corpora=".length);
  if (at >= 0 && (given === undefined || given.startsWith("--"))) throw new Error("--corpora needs a folder");
  return resolve(given ?? env["FAULTLINE_CORPORA"] ?? DEFAULT_CORPORA);
}

/** Why `corpus` (e.g. "porcupine") cannot be read from `dir`, and where to get it; undefined when it can. */
export function missingCorpus(dir: string, corpus: string): string | undefined {
  if (existsSync(join(dir, corpus, "EXPECTED.tsv"))) return undefined;
  const where = corpus === "porcupine"
    ? "copy the test_data/ folder of https://github.com/anishathalye/porcupine there"
    : "copy the data/ folder of https://github.com/jepsen-io/knossos there";
  return `no ${corpus} corpus at ${join(dir, corpus)}: ${where}, with an EXPECTED.tsv ` +
    `(the verdict of each file; README, Benchmarks) beside it, and name the folder that holds ${corpus}/ with --corpora DIR or FAULTLINE_CORPORA=DIR`;
}
