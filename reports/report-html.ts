// One self-contained HTML file per failing case: a static header (verdicts, facts, replay command,
// witness, failing operations, schedule), the page's data as escaped JSON, and an inline script that
// draws the timeline, the space-time diagram and the log views. No network: no external script,
// stylesheet, font or image. Same input, same bytes (no clock, no absolute path of ours).
import { readFileSync } from "node:fs";
import { escapeText, scriptJson } from "./html-escape.ts";
import { reportData, type ReportData } from "./report-data.ts";
import type { ReportInput } from "./report-files.ts";
import { MARK } from "./report-operations.ts";
import { seconds, witnessLines } from "./witness-text.ts";

/** The page's script, in the order its files depend on one another (one shared function scope). */
const CLIENT_FILES = ["base.js", "operations.js", "timeline.js", "timeline-controls.js", "spacetime.js", "log-views.js", "find.js", "main.js"];
const FAILING_ROWS_MAX = 60;
const CELL_CHARS_MAX = 160;
const LINEARIZATION_SHOWN_MAX = 200;

let client: { script: string; style: string } | undefined;
function clientSources(): { script: string; style: string } {
  const read = (name: string) => readFileSync(new URL(`./client/${name}`, import.meta.url), "utf8");
  client ??= {
    script: `(() => {\n"use strict";\n${CLIENT_FILES.map(read).join("\n")}\n})();`,
    style: read("report.css"),
  };
  return client;
}

export function renderReport(input: ReportInput): string {
  const data = reportData(input);
  const { script, style } = clientSources();
  const t = escapeText;
  const example = input.example;
  const violated = example.properties.filter((p) => p.valid === false);
  const verdict = violated.length > 0 ? "VIOLATED" : example.properties.some((p) => p.valid === "unknown") ? "UNKNOWN" : "valid";
  const subject = input.kind === "check" ? `check ${input.source}` : `${example.scenario} seed ${example.seed}`;
  const witness = witnessLines(example.properties, input.history);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="faultline ${t(example.faultline ?? "")}">
<title>faultline: ${t(subject)} — ${verdict}</title>
<style>
${style}</style>
</head>
<body>
<header id="summary">
<h1>${t(subject)}: <span class="verdict-${verdict.toLowerCase()}">${verdict}</span>${violated.length > 0 ? ` — ${t(violated.map((p) => p.name).join(", "))}` : ""}</h1>
<p id="render-error" hidden></p>
${verdictTable(example.properties)}
${factsList(input, data)}
<h2>Replay</h2>
<div class="replay"><pre id="replay-command"><code>${t(example.replay)}</code></pre><button type="button" id="copy-replay">copy</button></div>
${witness.length > 0 ? `<h2>Witness</h2>\n<pre id="witness">${t(witness.join("\n"))}</pre>` : ""}
${linearizationSection(example.properties)}
${failingTable(data)}
</header>
<section id="timeline" tabindex="-1">
<h2>Timeline</h2>
<div class="toolbar"><button type="button" id="zoom-focus">${data.focus ? "zoom to the violation" : "zoom to start"}</button><button type="button" id="zoom-all">whole run</button><button type="button" id="zoom-in">+</button><button type="button" id="zoom-out">−</button><button type="button" id="pan-left">←</button><button type="button" id="pan-right">→</button><span class="range" id="timeline-range"></span><label class="find">find <input id="find-input" type="search" placeholder="#index or text, Enter" size="22"></label><span class="range" id="find-status"></span></div>
<svg id="timeline-overview" class="hover-surface" height="34" role="img" aria-label="the whole run: operations per interval, the violation in red"></svg>
<svg id="timeline-axis" height="24" aria-hidden="true"></svg>
<div id="timeline-scroll"><svg id="timeline-svg" class="hover-surface" role="img" aria-label="operations per process and faults per node over true time"></svg></div>
<div class="legend">${legend()}</div>
<p class="hint">Wheel to zoom at the pointer, drag to pan, click a bar for its details; keys + − ← → 0 f. Times are true simulated time.</p>
</section>
<section id="details">
<h2>Selected operation</h2>
<div id="details-body"><p class="hint">Click an operation in the timeline or in the table above.</p></div>
</section>
${spacetimeSection(data)}
${data.log ? `<section id="log-view">\n<h2>Log: final drains against acknowledged sends</h2>\n<div class="legend">${offsetLegend()}</div>\n<div id="log-body"></div>\n</section>` : ""}
${scheduleSection(input)}
<script type="application/json" id="faultline-data">${scriptJson(data)}</script>
<script>
${script}
document.getElementById("copy-replay").addEventListener("click", () => {
  const text = document.getElementById("replay-command").textContent;
  if (navigator.clipboard) navigator.clipboard.writeText(text).catch(() => {});
});
</script>
</body>
</html>
`;
}

function verdictTable(properties: ReportInput["example"]["properties"]): string {
  const rows = properties.map((p) => {
    const word = p.valid === true ? "valid" : p.valid === false ? "violated" : "unknown";
    return `<tr class="property-${word}"><td>${escapeText(p.name)}</td><td class="v-${word}">${word}</td><td>${escapeText(p.anomalies.join(", "))}</td><td>${escapeText(p.summary)}</td></tr>`;
  });
  return `<table id="verdicts"><tr><th>property</th><th>verdict</th><th>anomalies</th><th>summary</th></tr>\n${rows.join("\n")}\n</table>`;
}

function factsList(input: ReportInput, data: ReportData): string {
  const example = input.example;
  const facts: Array<[string, string]> = input.kind === "check"
    ? [["history", input.source], ["model", input.model ?? ""]]
    : [["scenario", example.scenario], ["seed", String(example.seed)], ["replay file", input.source]];
  if (input.kind === "run") {
    facts.push(["bug switches", example.bugs.length > 0 ? example.bugs.join(", ") : "none"]);
    facts.push(["trace hash", example.traceHash ?? "(not recorded)"]);
    const faults = example.schedule.length;
    const before = example.faultsBeforeShrink;
    facts.push(["faults", before !== undefined && before !== faults ? `${faults} (shrunk from ${before})` : String(faults)]);
  }
  const completed = data.ops.filter((op) => op[4]! >= 0).length;
  facts.push(["operations", `${data.ops.length} (${completed} completed), ${data.processes.length} processes, ${seconds(data.endUs - data.startUs)} of true time`]);
  if (input.trace) {
    const events = Object.values(input.trace.eventCounts).reduce((sum, count) => sum + count, 0);
    facts.push(["trace", `${events} events; ${input.trace.faultsTotal} faults applied; ${input.trace.window.messages.length} messages around the violation`]);
  }
  if (example.faultline) facts.push(["faultline", example.faultline]);
  return `<dl class="facts">${facts.map(([term, value]) => `<dt>${escapeText(term)}</dt><dd>${escapeText(value)}</dd>`).join("")}</dl>`;
}

/** The operations the verdicts name: the culprit first, then those concurrent with it, then findings'. */
function failingTable(data: ReportData): string {
  const marked = data.ops.map((op, position) => ({ op, position })).filter(({ op }) => op[6]! >= MARK.window)
    .sort((a, b) => b.op[6]! - a.op[6]! || a.op[0]! - b.op[0]!);
  if (marked.length === 0) return "";
  const names = ["", "prefix", "window", "finding", "culprit"];
  const words = ["", "in the prefix", "concurrent", "named by a finding", "cannot be linearized"];
  const rows = marked.slice(0, FAILING_ROWS_MAX).map(({ op, position }) => {
    const [argument, result, error] = data.texts[position]!;
    const end = op[4]! < 0 ? (op[5] === 2 ? "unknown (info)" : "never") : seconds(op[4]!);
    const outcome = ["ok", "fail", "info", "pending", "event"][op[5]!]!;
    return `<tr class="failing-op mark-${names[op[6]!]}" data-op-index="${op[0]}" data-mark="${names[op[6]!]}"><td>#${op[0]}</td><td>${op[1]}</td>` +
      `<td>${escapeText(cut(`${data.names[op[2]!]} ${argument}`))}</td><td>${escapeText(cut(`${outcome}${error ? ` (${error})` : ""}${result ? ` ${result}` : ""}`))}</td>` +
      `<td class="time">${seconds(op[3]!)}</td><td class="time">${end}</td><td>${words[op[6]!]}</td></tr>`;
  });
  const more = marked.length > FAILING_ROWS_MAX ? `<p class="hint">${marked.length - FAILING_ROWS_MAX} more are marked in the timeline.</p>` : "";
  return `<h2>Operations that matter</h2>
<table id="failing-operations"><tr><th>op</th><th>process</th><th>invoked</th><th>returned</th><th>invoked at</th><th>returned at</th><th>why</th></tr>
${rows.join("\n")}
</table>${more}`;
}

/** Table cells stay short; the details panel shows the whole value. */
function cut(text: string): string {
  return text.length > CELL_CHARS_MAX ? `${text.slice(0, CELL_CHARS_MAX)}…` : text;
}

/** A valid verdict's witness: one linearization per partition (the first LINEARIZATION_SHOWN_MAX operations). */
function linearizationSection(properties: ReportInput["example"]["properties"]): string {
  const lines: string[] = [];
  for (const property of properties) {
    const linearizations = (property.evidence as { linearizations?: unknown } | undefined)?.linearizations;
    if (property.valid !== true || !Array.isArray(linearizations)) continue;
    for (const { key, order } of linearizations as Array<{ key: string; order: number[] }>) {
      const shown = order.slice(0, LINEARIZATION_SHOWN_MAX).map((index) => `#${index}`).join(" ");
      const more = order.length > LINEARIZATION_SHOWN_MAX ? ` … (${order.length - LINEARIZATION_SHOWN_MAX} more)` : "";
      lines.push(`${property.name}${key ? ` ${key}` : ""}: ${shown || "(nothing to place)"}${more}`);
    }
  }
  return lines.length === 0 ? "" : `<h2>Linearization</h2>\n<pre id="linearization">${escapeText(lines.join("\n"))}</pre>`;
}

function spacetimeSection(data: ReportData): string {
  if (!data.window || data.columns.length === 0) return "";
  const w = data.window;
  return `<section id="spacetime">
<h2>Messages around the violation</h2>
<p class="hint">${w.messages.length} deliveries from ${seconds(w.fromUs)} to ${seconds(w.toUs)}, from the replayed run's trace; the red band is the violation. An arrow starts at its estimated send (the trace records deliveries) and ends at its delivery.</p>
<div class="legend" id="spacetime-legend"><span class="legend-item"><span class="swatch" style="background:#2b2b2b"></span>crashed</span><span class="legend-item"><span class="swatch" style="background:#f4c430"></span>paused</span><span class="legend-item"><span class="swatch" style="background:#9c36b5"></span>partitioned</span></div>
<div id="spacetime-scroll"><svg id="spacetime-head" height="22" aria-hidden="true"></svg><svg id="spacetime-svg" class="hover-surface" role="img" aria-label="space-time diagram of messages among nodes"></svg></div>
</section>`;
}

function scheduleSection(input: ReportInput): string {
  if (input.kind === "check") return "";
  const example = input.example;
  return `<section id="schedule">
<h2>Fault schedule${example.faultsBeforeShrink !== undefined && example.faultsBeforeShrink !== example.schedule.length ? " (shrunk)" : ""}</h2>
<pre id="schedule-json">${escapeText(faultLines(example.schedule))}</pre>
<details><summary>workload</summary><pre id="workload-json">${escapeText(JSON.stringify(example.workload ?? null, null, 2))}</pre></details>
</section>`;
}

/** One fault a line: still one JSON value (paste it into --schedule), and each fault reads at a glance. */
function faultLines(schedule: readonly unknown[]): string {
  if (schedule.length === 0) return "[]";
  return `[\n${schedule.map((fault) => `  ${JSON.stringify(fault)}`).join(",\n")}\n]`;
}

function legend(): string {
  const item = (style: string, words: string) => `<span class="legend-item"><span class="swatch" style="${style}"></span>${words}</span>`;
  return [
    item("background:#3b7dd8", "ok"), item("background:#fff;border:1px dashed #8a8f98", "fail (did not happen)"),
    item("background:linear-gradient(90deg,#d98a1c,transparent)", "info (outcome unknown, open-ended)"),
    item("background:#d62828", "cannot be linearized"), item("background:#fff;border:3px solid #f08c00", "concurrent with it"),
    item("background:#fff;border:2px solid #2f9e44", "linearizable prefix"), item("background:#fff;border:3px solid #c2255c", "named by a finding"),
    item("background:#2b2b2b", "crashed"), item("background:#f4c430", "paused"), item("background:#9c36b5", "partitioned"),
    item("background:#e8590c", "clock offset"), item("background:rgba(214,40,40,.25)", "the violation"),
  ].join("");
}

function offsetLegend(): string {
  const item = (colour: string, words: string) => `<span class="legend-item"><span class="swatch" style="background:${colour}"></span>${words}</span>`;
  return [item("#2f9e44", "acked, in the drain"), item("#d62828", "lost"), item("#f08c00", "duplicated"), item("#c2255c", "another value at the offset"), item("#ced4da", "drained, never acked"), item("#8a8f98", "not drained")].join("");
}
