import test from "ava";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

// Simulated code takes time and chance from the simulation only; anything else breaks replay.
const FORBIDDEN = ["Math.random", "Date.now", "new Date(", "performance.now", "setTimeout", "setInterval", "setImmediate", "process.hrtime", "crypto.random"];
const FOLDERS = ["sim", "systems", "properties", "scenarios"];

function sources(folder: string): string[] {
  let files: string[] = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) files = files.concat(sources(path));
    else if (path.endsWith(".ts")) files.push(path);
  }
  return files;
}

test("purity: simulated code never reads the wall clock or unseeded randomness", (t) => {
  const hits: string[] = [];
  let scanned = 0;
  for (const folder of FOLDERS) {
    let files: string[] = [];
    try { files = sources(folder); } catch { continue; }
    for (const file of files) {
      scanned++;
      readFileSync(file, "utf8").split("\n").forEach((line, index) => {
        // `wall-clock-ok` marks a measurement of our own speed that never feeds a decision.
        if (line.includes("wall-clock-ok")) return;
        for (const word of FORBIDDEN) if (line.includes(word)) hits.push(`${file}:${index + 1}: ${word}`);
      });
    }
  }
  t.true(scanned > 10, `only ${scanned} files scanned`);
  t.deepEqual(hits, []);
});
