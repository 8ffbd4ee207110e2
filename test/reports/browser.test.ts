// The reports as a person sees them: rendered by headless Chromium, with no console error, the
// failing operations marked in the DOM, the replay command on the page, hostile values as text.
// A screenshot of each goes to out/report-screenshots/.
import test from "ava";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { browserMissing, launchBrowser } from "./browser.ts";
import { failureFolder, HOSTILE_REGISTER, VALID_REGISTER } from "./fixtures.ts";
import { faultline } from "../cli/cli.ts";

const SCREENSHOTS = join(process.cwd(), "out", "report-screenshots");
const missing = browserMissing();
let browser: Browser | undefined;

test.before(async () => {
  if (missing) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchBrowser();
});
test.after.always(async () => { await browser?.close(); });

interface Opened { page: Page; errors: string[] }

async function open(file: string, name: string): Promise<Opened> {
  const page = await browser!.newPage();
  const errors: string[] = [];
  page.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("requestfailed", (request) => errors.push(`request failed: ${request.url()}`));
  page.on("request", (request) => { if (!request.url().startsWith("file:") && !request.url().startsWith("data:")) errors.push(`network request: ${request.url()}`); });
  await page.setViewport({ width: 1400, height: 1000 });
  await page.goto(`file://${file}`, { waitUntil: "load" });
  await page.waitForSelector("body[data-rendered=true]", { timeout: 30_000 });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  return { page, errors };
}

const run = missing ? test.skip : test.serial;
if (missing) console.log(`browser tests skipped: ${missing}`);

run("browser: a linearizability failure marks the culprit and its window; a click shows the model states", async (t) => {
  const { folder } = failureFolder("linearizability");
  const { page, errors } = await open(join(folder, "report.html"), "linearizability");
  t.deepEqual(errors, []);
  t.true(await page.$eval("#replay-command", (e) => e.textContent!.includes("npx faultline replay ")));
  t.true(await page.$$eval("#timeline-svg [data-mark=culprit]", (list) => list.length) >= 1, "the culprit is drawn, marked");
  t.true(await page.$$eval("#timeline-svg [data-mark=window]", (list) => list.length) >= 1, "operations concurrent with it are marked");
  t.true(await page.$$eval("#failing-operations tr[data-mark=culprit]", (list) => list.length) === 1);
  t.true(await page.$$eval("#spacetime-svg line.message", (list) => list.length) > 0, "the space-time diagram has arrows");
  t.true(await page.$$eval("#timeline-svg .fault", (list) => list.length) > 0, "node lanes show faults");
  // The details panel opens on the culprit with the states it was tried in.
  t.true(await page.$$eval("#details-body table.tried tr.illegal", (list) => list.length) >= 1);
  // Clicking a concurrent operation selects it.
  await page.click("#timeline-svg [data-mark=window]");
  t.regex(await page.$eval("#details-body h3", (e) => e.textContent!), /^#\d+ process \d+/);
  const before = await page.$eval("#timeline-range", (e) => e.textContent);
  await page.click("#zoom-all");
  await page.waitForFunction((text) => document.querySelector("#timeline-range")!.textContent !== text, {}, before);
  t.deepEqual(errors, []);
  await page.close();
});

run("browser: a link (#op-N) opens on that operation, and find jumps to an index or a value", async (t) => {
  const { folder, result } = failureFolder("linearizability");
  const evidence = result.properties.find((p) => p.valid === false)!.evidence as Array<{ window: Array<{ operation: { index: number } }> }>;
  const linked = evidence[0]!.window.at(-1)!.operation.index;
  const { page, errors } = await open(`${join(folder, "report.html")}#op-${linked}`, "linked");
  t.deepEqual(errors, []);
  t.regex(await page.$eval("#details-body h3", (e) => e.textContent!), new RegExp(`^#${linked} `));
  await page.$eval("#find-input", (e) => { (e as HTMLInputElement).value = "#0"; });
  await page.focus("#find-input");
  await page.keyboard.press("Enter");
  t.regex(await page.$eval("#details-body h3", (e) => e.textContent!), /^#0 /);
  t.is(await page.evaluate(() => location.hash), "#op-0");
  await page.close();
});

run("browser: a single-master failure marks the writes its finding names and draws the master intervals", async (t) => {
  const { folder } = failureFolder("master");
  const { page, errors } = await open(join(folder, "report.html"), "master");
  t.deepEqual(errors, []);
  t.true(await page.$eval("#replay-command", (e) => e.textContent!.includes("npx faultline replay ")));
  t.true(await page.$$eval("#timeline-svg [data-mark=finding]", (list) => list.length) >= 1);
  t.true(await page.$$eval("#timeline-svg .span.master", (list) => list.length) >= 1);
  t.regex(await page.$eval("#witness", (e) => e.textContent!), /M2 fencing/);
  await page.close();
});

run("browser: a log failure shows lost records per partition and commits per group", async (t) => {
  const { folder } = failureFolder("log");
  const { page, errors } = await open(join(folder, "report.html"), "log");
  t.deepEqual(errors, []);
  t.true(await page.$$eval("#log-body .strip .o-lost", (list) => list.length) >= 1, "a lost offset is drawn");
  t.true(await page.$$eval("#log-body table.records tr", (list) => list.length) >= 1, "lost records are listed");
  t.true(await page.$$eval("#log-body svg.commits path.commit-line", (list) => list.length) >= 1);
  t.true(await page.$$eval("[data-mark=finding]", (list) => list.length) >= 1);
  await page.close();
});

run("browser: a valid history and a hostile one (check --html): no marks, and values stay text", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "faultline-browser-"));
  writeFileSync(join(dir, "valid.json"), JSON.stringify(VALID_REGISTER));
  writeFileSync(join(dir, "evil.json"), JSON.stringify(HOSTILE_REGISTER));
  t.is(faultline("check", join(dir, "valid.json"), "--model", "register", "--html", join(dir, "valid.html")).status, 0);
  t.is(faultline("check", join(dir, "evil.json"), "--model", "register", "--html", join(dir, "evil.html")).status, 1);
  const valid = await open(join(dir, "valid.html"), "valid");
  t.deepEqual(valid.errors, []);
  t.is(await valid.page.$$eval("[data-mark=culprit], [data-mark=window]", (list) => list.length), 0);
  t.true(await valid.page.$eval("#replay-command", (e) => e.textContent!.includes("npx faultline check ")));
  t.true(await valid.page.$$eval("#timeline-svg rect.op", (list) => list.length) >= 2, "the operations are drawn");
  await valid.page.close();
  const evil = await open(join(dir, "evil.html"), "hostile");
  t.deepEqual(evil.errors, []);
  t.is(await evil.page.$$eval("#pwned, #pwned2, img, b#pwned2", (list) => list.length), 0, "no element from a value");
  t.true(await evil.page.$eval("body", (e) => e.textContent!.includes("</script><b id=pwned2>x</b>")), "the value reads as text");
  t.is(await evil.page.$$eval("script", (list) => list.length), 2, "only the page's own scripts");
  await evil.page.click("#timeline-svg [data-mark=culprit]");
  t.true(await evil.page.$eval("#details-body", (e) => e.textContent!.includes("<img src=x id=pwned onerror=alert(1)>")));
  t.is(await evil.page.$$eval("#pwned", (list) => list.length), 0);
  await evil.page.close();
});
