// `npm run bench -- report [--operations N] [--json]`: the HTML report of a large history — its size,
// the time to write it, and the time headless Chromium takes to open and draw it (and to redraw the
// whole run after a zoom). A deterministic register history of N operations (default 5,000: 10,000
// invokes and completions over 16 processes, some failed or of unknown outcome, one stale read).
// Prints figures; never asserts.
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import seedrandom from "seedrandom";
import puppeteer from "puppeteer-core";
import type { Operation } from "../properties/history/index.ts";
import { checkLinearizable } from "../properties/linearizability/index.ts";
import { linearizabilityProperty } from "../properties/linearizability/index.ts";
import { writeCheckReport } from "../reports/check-report.ts";

const CHROMIUM = process.env.FAULTLINE_CHROMIUM ?? "/usr/bin/chromium";
const PROCESSES = 16;
const OPENS = 5;

const args = process.argv.slice(2);
const json = args.includes("--json");
const operationsFlag = args.indexOf("--operations");
const operations = operationsFlag >= 0 ? Number(args[operationsFlag + 1]) : 5_000;

/** Writes and reads of one register; every completion is true to a sequential register except one stale read. */
function registerHistory(count: number): Operation[] {
  const random = seedrandom("bench-report");
  const history: Operation[] = [];
  let value = 0;
  let timeUs = 0;
  const staleAt = Math.floor(count * 0.8);
  for (let n = 0; n < count; n++) {
    const process = n % PROCESSES;
    const write = random() < 0.4;
    timeUs += 50 + Math.floor(random() * 400);
    const outcome = random() < 0.03 ? "info" : random() < 0.03 ? "fail" : "ok";
    const invokeValue = write ? n + 1 : null;
    history.push({ process: outcome === "info" ? process + PROCESSES * (n + 1) : process, type: "invoke", f: write ? "write" : "read", value: invokeValue, time: timeUs, index: 0 });
    timeUs += 20 + Math.floor(random() * 300);
    const last = history.at(-1)!;
    if (write && outcome !== "fail") value = n + 1;
    const read = n === staleAt ? value - 7 : value;
    history.push({ process: last.process, type: outcome, f: last.f, value: write ? invokeValue : outcome === "ok" ? read : null, time: timeUs, index: 0, ...(outcome === "ok" ? {} : { error: "timeout" }) });
  }
  history.forEach((op, index) => { op.index = index; });
  return history;
}

const history = registerHistory(operations);
const checkStarted = performance.now();
const result = checkLinearizable(history, "register", { statesMax: 10_000_000 });
const checkMs = performance.now() - checkStarted;
const dir = mkdtempSync(join(tmpdir(), "faultline-bench-report-"));
const file = join(dir, "report.html");
const writeStarted = performance.now();
writeCheckReport(file, { file: "bench.json", model: "register", command: "npx faultline check bench.json --model register", history, properties: [linearizabilityProperty(result, "linearizable (register)")] });
const writeMs = performance.now() - writeStarted;
const bytes = statSync(file).size;

const browser = await puppeteer.launch({
  executablePath: CHROMIUM, headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", `--user-data-dir=${mkdtempSync(join(tmpdir(), "faultline-chromium-"))}`],
});
const opens: number[] = [];
const drawn: number[] = [];
let zoomMs = 0;
let elements = 0;
for (let i = 0; i < OPENS; i++) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1000 });
  const started = performance.now();
  await page.goto(`file://${file}`, { waitUntil: "load" });
  await page.waitForSelector("body[data-rendered=true]");
  opens.push(performance.now() - started);
  drawn.push(await page.evaluate(() => (window as unknown as { faultlineDrawnMs: number }).faultlineDrawnMs));
  if (i === OPENS - 1) {
    zoomMs = await page.evaluate(async () => {
      const t0 = performance.now();
      document.getElementById("zoom-all")!.click();
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      return performance.now() - t0;
    });
    elements = await page.$$eval("#timeline-svg *", (list) => list.length);
  }
  await page.close();
}
await browser.close();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const figures = {
  operations, historyEntries: history.length, verdict: result.valid, checkMs: Math.round(checkMs), writeMs: Math.round(writeMs),
  bytes, megabytes: Number((bytes / 1e6).toFixed(2)), openMsMedian: Math.round(median(opens)), openMsMax: Math.round(Math.max(...opens)),
  drawnMsMedian: Math.round(median(drawn)), zoomAllMs: Math.round(zoomMs), timelineElementsAfterZoomAll: elements, chromium: CHROMIUM,
};
if (json) console.log(JSON.stringify(figures));
else {
  console.log(`report of ${operations} operations (${history.length} history entries, verdict ${String(result.valid)}; checked in ${figures.checkMs} ms, written in ${figures.writeMs} ms)`);
  console.log(`size ${figures.megabytes} MB (${bytes} bytes)`);
  console.log(`open in chromium: median ${figures.openMsMedian} ms, max ${figures.openMsMax} ms over ${OPENS} opens (page drawn ${figures.drawnMsMedian} ms after navigation start)`);
  console.log(`zoom to the whole run: ${figures.zoomAllMs} ms, ${elements} SVG elements in the timeline`);
}
