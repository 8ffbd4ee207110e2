// The timeline: one lane per client process (a bar from invoke to completion), lanes for the leader of
// each epoch and for masters, one lane per node (faults, clock offset, log lines). Only what is in
// view is drawn; bars narrower than a few pixels merge into one per lane, so 5,000 operations draw
// as a few hundred elements and stay responsive.

const LABEL_WIDTH = 124;
const ROW_PROCESS = 16;
const ROW_NODE = 30;
const ROW_LEADER = 18;
const BAR_MIN_PX = 3;
const OPEN_HEAD_PX = 70;
/** Narrow bars closer than this merge: a busy lane at full zoom-out is a few rects, not thousands. */
const MERGE_GAP_PX = 4;
const ROWS_MARGIN = 8;

const timeline = {
  scroll: document.getElementById("timeline-scroll"),
  body: document.getElementById("timeline-svg"),
  axis: document.getElementById("timeline-axis"),
  overview: document.getElementById("timeline-overview"),
  range: document.getElementById("timeline-range"),
  from: data.startUs,
  to: Math.max(data.endUs, data.startUs + 1),
  width: 800,
  selected: -1,
  clusters: [],
  pending: false,
};

const byProcess = new Map();
data.ops.forEach((op, position) => {
  const list = byProcess.get(op[OP.process]) || [];
  list.push(position);
  byProcess.set(op[OP.process], list);
});
/**
 * Per process, the latest end so far at each position: never decreasing, so a binary search finds the
 * first bar that can reach into the view even when an open-ended bar (info) is followed by more.
 */
const reachOf = new Map();
for (const [process, list] of byProcess) {
  let reach = -Infinity;
  reachOf.set(process, list.map((position) => (reach = Math.max(reach, endOf(data.ops[position])))));
}
const masterNodes = [...new Set(data.masters.map((m) => m.node))].sort();

/** Every row, top to bottom: its kind, its label, its height. */
const rows = [];
for (const scope of [...new Set(data.leaders.map((l) => l.scope))]) {
  rows.push({ kind: "leader", scope, label: scope === "ensemble" ? "leader" : shortText(scope, 14) + " leader", height: ROW_LEADER });
}
for (const node of masterNodes) rows.push({ kind: "master", node, label: "master " + shortText(node, 12), height: ROW_LEADER });
for (const process of data.processes) rows.push({ kind: "process", process, label: "process " + process, height: ROW_PROCESS });
for (const lane of data.nodes) rows.push({ kind: "node", lane, label: shortText(lane.node, 20), height: ROW_NODE });
let rowsHeight = 0;
for (const row of rows) { row.top = rowsHeight; rowsHeight += row.height; }

function xOf(us) {
  return LABEL_WIDTH + ((us - timeline.from) / (timeline.to - timeline.from)) * (timeline.width - LABEL_WIDTH - 8);
}

function usOf(x) {
  return timeline.from + ((x - LABEL_WIDTH) / (timeline.width - LABEL_WIDTH - 8)) * (timeline.to - timeline.from);
}

function setView(from, to) {
  const whole = Math.max(data.endUs - data.startUs, 1);
  let span = Math.min(Math.max(to - from, 20), whole * 1.05);
  let start = Math.max(data.startUs - whole * 0.025, Math.min(from, data.endUs + whole * 0.025 - span));
  timeline.from = start;
  timeline.to = start + span;
  scheduleDraw();
}

function scheduleDraw() {
  if (timeline.pending) return;
  timeline.pending = true;
  requestAnimationFrame(() => { timeline.pending = false; drawTimeline(); });
}

function zoomToOperation(position) {
  const op = data.ops[position];
  const span = Math.max(endOf(op) - op[OP.start], 1);
  setView(op[OP.start] - span * 3, endOf(op) + span * 3);
  const row = rows.find((r) => r.kind === "process" && r.process === op[OP.process]);
  if (row && (row.top < timeline.scroll.scrollTop || row.top > timeline.scroll.scrollTop + timeline.scroll.clientHeight - 20)) {
    timeline.scroll.scrollTop = Math.max(0, row.top - 40);
  }
}

function zoomToFocus() {
  if (!data.focus) return setView(data.startUs, data.endUs);
  const [from, to] = data.focus;
  const pad = Math.max((to - from) * 4, (data.endUs - data.startUs) / 200, 50);
  setView(from - pad, to + pad);
}

function drawTimeline() {
  timeline.width = Math.max(400, timeline.scroll.clientWidth);
  const width = timeline.width;
  const body = timeline.body;
  clear(body);
  timeline.clusters = [];
  hoverTexts.tl = [];
  body.setAttribute("width", width);
  body.setAttribute("height", rowsHeight);
  body.setAttribute("viewBox", "0 0 " + width + " " + rowsHeight);
  const defs = svg("defs", {}, body);
  // Open-ended bars fade out: the operation may have taken effect at any time after its invoke.
  for (const outcome of ["info", "pending"]) {
    const gradient = svg("linearGradient", { id: "fade-" + outcome, x1: 0, x2: 1, y1: 0, y2: 0 }, defs);
    svg("stop", { offset: "0", class: "fade-start-" + outcome }, gradient);
    svg("stop", { offset: "1", class: "fade-end" }, gradient);
  }
  const top = timeline.scroll.scrollTop - ROWS_MARGIN * ROW_PROCESS;
  const bottom = timeline.scroll.scrollTop + timeline.scroll.clientHeight + ROWS_MARGIN * ROW_PROCESS;
  if (data.focus) {
    const x0 = xOf(data.focus[0]);
    svg("rect", { class: "focus-band", x: x0, y: 0, width: Math.max(2, xOf(data.focus[1]) - x0), height: rowsHeight }, body);
  }
  if (data.healUs !== null) svg("line", { class: "heal-line", x1: xOf(data.healUs), x2: xOf(data.healUs), y1: 0, y2: rowsHeight }, body);
  for (const row of rows) {
    if (row.top + row.height < top || row.top > bottom) continue;
    const group = svg("g", { transform: "translate(0," + row.top + ")", class: "row row-" + row.kind }, body);
    svg("line", { class: "row-rule", x1: 0, x2: width, y1: row.height - 0.5, y2: row.height - 0.5 }, group);
    putSvg(svg("text", { class: "row-label", x: 4, y: row.height / 2 + 4 }, group), row.label);
    if (row.kind === "process") drawProcess(group, row);
    else if (row.kind === "node") drawNode(group, row);
    else if (row.kind === "leader") drawSpans(group, data.leaders.filter((l) => l.scope === row.scope), row.height, (span) => "leader " + span.node, (span) => span.label);
    else drawSpans(group, data.masters.filter((m) => m.node === row.node), row.height, (span) => "master m-" + MARKS[span.mark], (span) => "token " + span.token);
  }
  drawAxis();
  drawOverview();
  timeline.range.textContent = sec(Math.max(0, Math.round(timeline.from))) + " – " + sec(Math.round(timeline.to)) +
    " (" + sec(Math.round(timeline.to - timeline.from)) + " shown)";
  document.body.setAttribute("data-rendered", "true");
}

function drawProcess(group, row) {
  const list = byProcess.get(row.process) || [];
  const left = LABEL_WIDTH;
  const right = timeline.width - 8;
  // Bars of one process are sorted by start; every bar before `i` ends before the view.
  const reach = reachOf.get(row.process) || [];
  let i = lowerBound(reach, timeline.from, (end) => end);
  let cluster = null;
  const flush = () => {
    if (!cluster) return;
    timeline.clusters.push(cluster);
    svg("rect", { class: "cluster o-" + OUTCOMES[cluster.worst] + (cluster.prefix ? " m-prefix" : ""), x: cluster.x0, y: 3,
      width: Math.max(1, cluster.x1 - cluster.x0), height: row.height - 6, "data-k": timeline.clusters.length - 1 }, group);
    cluster = null;
  };
  for (; i < list.length; i++) {
    const position = list[i];
    const op = data.ops[position];
    if (op[OP.start] > timeline.to) break;
    if (endOf(op) < timeline.from) continue;
    const x0 = Math.max(left, xOf(op[OP.start]));
    const x1 = Math.min(right, xOf(endOf(op)));
    const mark = op[OP.mark];
    if (x1 - x0 < BAR_MIN_PX && mark < 2 && op[OP.outcome] !== 4 && position !== timeline.selected) {
      const severity = op[OP.outcome] === 0 ? 0 : op[OP.outcome] === 1 ? 1 : 2;
      if (cluster && x0 <= cluster.x1 + MERGE_GAP_PX) {
        cluster.x1 = Math.max(cluster.x1, x1, x0 + 1);
        cluster.count++;
        cluster.worst = Math.max(cluster.worst, severity);
        cluster.prefix = cluster.prefix || mark === 1;
        cluster.toUs = endOf(op);
      } else {
        flush();
        cluster = { x0, x1: Math.max(x1, x0 + 1), count: 1, worst: severity, prefix: mark === 1, fromUs: op[OP.start], toUs: endOf(op), process: row.process };
      }
      continue;
    }
    flush();
    drawBar(group, row, position, x0, x1);
  }
  flush();
}

function drawBar(group, row, position, x0, x1) {
  const op = data.ops[position];
  const outcome = OUTCOMES[op[OP.outcome]];
  const classes = "op o-" + outcome + (op[OP.mark] ? " m-" + MARKS[op[OP.mark]] : "") + (position === timeline.selected ? " selected" : "");
  if (outcome === "event") {
    const x = xOf(op[OP.start]);
    svg("path", { class: classes, d: "M" + x + " 3 l5 " + (row.height / 2 - 3) + " l-5 " + (row.height / 2 - 3) + " l-5 -" + (row.height / 2 - 3) + "z", "data-i": position, "data-mark": MARKS[op[OP.mark]] || "none", "data-op-index": op[OP.index] }, group);
    return;
  }
  const open = outcome === "info" || outcome === "pending";
  // An open-ended bar: a short fading head at its invoke, then a thin dashed line to the end of the run.
  const invokeInView = op[OP.start] >= timeline.from;
  const headX1 = !open ? x1 : invokeInView ? Math.min(x1, x0 + OPEN_HEAD_PX) : x0;
  if (open && x1 > headX1) svg("line", { class: "open-tail o-" + outcome + (op[OP.mark] ? " m-" + MARKS[op[OP.mark]] : ""), x1: headX1, x2: x1, y1: row.height / 2, y2: row.height / 2, "data-i": position }, group);
  // Invoked before the view: only the tail shows (a head at the edge would read as an invoke there).
  if (open && !invokeInView && op[OP.mark] < 2) return;
  const bar = svg("rect", { class: classes, x: x0, y: 2, width: Math.max(BAR_MIN_PX, headX1 - x0), height: row.height - 4, rx: 2,
    "data-i": position, "data-mark": MARKS[op[OP.mark]] || "none", "data-op-index": op[OP.index] }, group);
  if (open) bar.setAttribute("fill", "url(#fade-" + outcome + ")");
  if (headX1 - x0 > 44) {
    const [argument, result] = data.texts[position];
    const words = data.names[op[OP.name]] + " " + argument + (result ? " → " + result : "");
    putSvg(svg("text", { class: "bar-label", x: x0 + 3, y: row.height / 2 + 3.5, "pointer-events": "none" }, group), shortText(words, Math.floor((headX1 - x0 - 6) / 5.6)));
  }
}

/** `bandOf(span)` gives [top, height] within the row (default: the whole row). */
function drawSpans(group, spans, height, classOf, labelOf, bandOf) {
  for (const span of spans) {
    const [top, bandHeight] = bandOf ? bandOf(span) : [2, height - 4];
    const from = span.fromUs !== undefined ? span.fromUs : span.startUs;
    const to = span.toUs !== undefined ? span.toUs : span.endUs;
    if (to < timeline.from || from > timeline.to) continue;
    const x0 = Math.max(LABEL_WIDTH, xOf(from));
    const x1 = Math.min(timeline.width - 8, xOf(to));
    const rect = svg("rect", { class: "span " + classOf(span), x: x0, y: top, width: Math.max(2, x1 - x0), height: bandHeight, "data-text": hoverText("tl", labelOf(span) + " [" + sec(from) + " – " + sec(to) + "]") }, group);
    if (span.node) rect.setAttribute("fill", colourOf(span.node));
    if (span.index !== undefined) rect.setAttribute("data-op-index", span.index);
    if (x1 - x0 > 50 && bandHeight >= 10) putSvg(svg("text", { class: "span-label", x: x0 + 3, y: top + bandHeight / 2 + 3.5, "pointer-events": "none" }, group), shortText(labelOf(span), Math.floor((x1 - x0) / 6)));
  }
}

function drawNode(group, row) {
  const lane = row.lane;
  // The node's own state (crashed, paused) on top; its links (partitions, cuts, slow or lossy) below,
  // so overlapping faults stay readable.
  const half = (row.height - 4) / 2;
  drawSpans(group, lane.spans, row.height, (span) => "fault s-" + span.kind, (span) => span.label,
    (span) => span.kind === "crash" || span.kind === "pause" ? [2, half] : [2 + half, half]);
  if (lane.clock.length > 1) {
    let high = 1;
    for (const [, offset] of lane.clock) high = Math.max(high, Math.abs(offset));
    const mid = row.height / 2;
    const points = lane.clock.map(([t, offset]) => xOf(Math.min(Math.max(t, timeline.from), timeline.to)).toFixed(1) + "," + (mid - (offset / high) * (mid - 3)).toFixed(1));
    svg("line", { class: "clock-zero", x1: LABEL_WIDTH, x2: timeline.width - 8, y1: mid, y2: mid }, group);
    svg("polyline", { class: "clock", points: points.join(" "), "data-text": hoverText("tl", "clock offset of " + lane.node + " from true time (peak " + high + " µs)") }, group);
  }
  let lastX = -10;
  for (let i = lowerBound(lane.logs, timeline.from, (l) => l[0]); i < lane.logs.length && lane.logs[i][0] <= timeline.to; i++) {
    const x = xOf(lane.logs[i][0]);
    if (x - lastX < 3) continue;
    lastX = x;
    svg("rect", { class: "log-tick", x: x - 1, y: row.height - 7, width: 2, height: 6, "data-text": hoverText("tl", lane.node + " at t=" + sec(lane.logs[i][0]) + ": " + lane.logs[i][1]) }, group);
  }
}

function drawAxis() {
  const axis = timeline.axis;
  clear(axis);
  axis.setAttribute("width", timeline.width);
  const step = tickStep(timeline.to - timeline.from, Math.max(2, Math.floor(timeline.width / 110)));
  for (let t = Math.ceil(timeline.from / step) * step; t <= timeline.to; t += step) {
    const x = xOf(t);
    if (x < LABEL_WIDTH) continue;
    svg("line", { class: "tick", x1: x, x2: x, y1: 14, y2: 22 }, axis);
    svg("text", { class: "tick-label", x: x + 2, y: 11 }, axis).textContent = tickLabel(t, step);
  }
}
