// Moving around the timeline: the wheel zooms around the pointer, dragging pans, the overview strip
// (the whole run, aggregated into columns) jumps; hover shows an operation, a click pins it.

const OVERVIEW_HEIGHT = 34;

/** Operations per overview column, computed once: the overview shows the whole run at any zoom. */
const overviewBins = (() => {
  const bins = 400;
  const counts = new Array(bins).fill(0);
  const marked = new Array(bins).fill(0);
  const span = Math.max(data.endUs - data.startUs, 1);
  for (const op of data.ops) {
    const bin = Math.min(bins - 1, Math.floor(((op[OP.start] - data.startUs) / span) * bins));
    counts[bin]++;
    if (op[OP.mark] >= 2) marked[bin]++;
  }
  return { bins, counts, marked, peak: Math.max(1, ...counts) };
})();

function drawOverview() {
  const overview = timeline.overview;
  clear(overview);
  const width = timeline.width;
  overview.setAttribute("width", width);
  const span = Math.max(data.endUs - data.startUs, 1);
  const xWhole = (us) => LABEL_WIDTH + ((us - data.startUs) / span) * (width - LABEL_WIDTH - 8);
  svg("text", { class: "row-label", x: 4, y: 20 }, overview).textContent = "whole run";
  const binWidth = (width - LABEL_WIDTH - 8) / overviewBins.bins;
  overviewBins.counts.forEach((count, bin) => {
    if (count === 0) return;
    const height = Math.max(1, (count / overviewBins.peak) * (OVERVIEW_HEIGHT - 6));
    svg("rect", { class: overviewBins.marked[bin] ? "density marked" : "density", x: LABEL_WIDTH + bin * binWidth, y: OVERVIEW_HEIGHT - 2 - height, width: Math.max(1, binWidth - 0.3), height }, overview);
  });
  if (data.healUs !== null) svg("line", { class: "heal-line", x1: xWhole(data.healUs), x2: xWhole(data.healUs), y1: 0, y2: OVERVIEW_HEIGHT }, overview);
  if (data.focus) svg("rect", { class: "focus-band strong", x: xWhole(data.focus[0]) - 1, y: 0, width: Math.max(2, xWhole(data.focus[1]) - xWhole(data.focus[0]) + 2), height: OVERVIEW_HEIGHT }, overview);
  const x0 = Math.max(LABEL_WIDTH, xWhole(timeline.from));
  svg("rect", { class: "view-window", x: x0, y: 1, width: Math.max(3, Math.min(width - 8, xWhole(timeline.to)) - x0), height: OVERVIEW_HEIGHT - 2 }, overview);
}

function zoomBy(factor, aroundUs) {
  const from = aroundUs - (aroundUs - timeline.from) * factor;
  const to = aroundUs + (timeline.to - aroundUs) * factor;
  setView(from, to);
}

function panBy(fraction) {
  const span = timeline.to - timeline.from;
  setView(timeline.from + span * fraction, timeline.to + span * fraction);
}

function pointerX(event, element) {
  return event.clientX - element.getBoundingClientRect().left;
}

timeline.body.addEventListener("wheel", (event) => {
  event.preventDefault();
  if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
    panBy((event.deltaX || event.deltaY) / 1000);
    return;
  }
  zoomBy(Math.pow(1.0015, event.deltaY), usOf(pointerX(event, timeline.body)));
}, { passive: false });

let drag = null;
timeline.body.addEventListener("mousedown", (event) => {
  drag = { x: event.clientX, from: timeline.from, to: timeline.to, moved: false };
});
window.addEventListener("mousemove", (event) => {
  if (!drag) return;
  const dx = event.clientX - drag.x;
  if (Math.abs(dx) > 3) drag.moved = true;
  if (!drag.moved) return;
  const usPerPx = (drag.to - drag.from) / (timeline.width - LABEL_WIDTH - 8);
  setView(drag.from - dx * usPerPx, drag.to - dx * usPerPx);
});
window.addEventListener("mouseup", () => { setTimeout(() => { drag = null; }, 0); });

function overviewJump(event) {
  const span = Math.max(data.endUs - data.startUs, 1);
  const at = data.startUs + ((pointerX(event, timeline.overview) - LABEL_WIDTH) / (timeline.width - LABEL_WIDTH - 8)) * span;
  const half = (timeline.to - timeline.from) / 2;
  setView(at - half, at + half);
}
let overviewDrag = false;
timeline.overview.addEventListener("mousedown", (event) => { overviewDrag = true; overviewJump(event); });
window.addEventListener("mouseup", () => { overviewDrag = false; });
timeline.overview.addEventListener("mousemove", (event) => { if (overviewDrag) overviewJump(event); });

timeline.scroll.addEventListener("scroll", scheduleDraw);
window.addEventListener("resize", scheduleDraw);

/** Hover and click over any view: elements carry data-i (an operation), data-k (a merged cluster) or data-span / data-log. */
function describeTarget(target) {
  const position = target.getAttribute("data-i");
  if (position !== null) return fillTip(Number(position));
  const clusterIndex = target.getAttribute("data-k");
  if (clusterIndex !== null) {
    const cluster = timeline.clusters[Number(clusterIndex)];
    if (!cluster) return null;
    return (parent) => {
      put(html("strong", "", parent), cluster.count + " operation" + (cluster.count === 1 ? "" : "s") + " of process " + cluster.process);
      put(html("p", "", parent), sec(cluster.fromUs) + " – " + sec(cluster.toUs) + ": too narrow to draw apart; zoom in (wheel, or click) to see each");
    };
  }
  const text = target.getAttribute("data-text");
  if (text === null) return null;
  const [registry, index] = text.split(" ");
  const words = (hoverTexts[registry] || [])[Number(index)];
  return words === undefined ? null : (parent) => { put(html("span", "", parent), words); };
}

/** Called once the views are drawn: every element marked .hover-surface answers hover and click. */
function attachHover(surface) {
  surface.addEventListener("mousemove", (event) => {
    const fill = event.target instanceof Element ? describeTarget(event.target) : null;
    if (fill && !(drag && drag.moved)) showTip(event, fill); else hideTip();
  });
  surface.addEventListener("mouseleave", hideTip);
  surface.addEventListener("click", (event) => {
    if (drag && drag.moved) return;
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const position = target.getAttribute("data-i");
    if (position !== null) { selectOperation(Number(position), false); return; }
    const opIndex = target.getAttribute("data-op-index");
    if (opIndex !== null && positionOfIndex.has(Number(opIndex))) { selectOperation(positionOfIndex.get(Number(opIndex)), false); return; }
    const clusterIndex = target.getAttribute("data-k");
    if (clusterIndex !== null) {
      const cluster = timeline.clusters[Number(clusterIndex)];
      if (cluster) setView(cluster.fromUs - (cluster.toUs - cluster.fromUs) * 0.2, cluster.toUs + (cluster.toUs - cluster.fromUs) * 0.2);
    }
  });
}

selectedListeners.push((position) => { timeline.selected = position; scheduleDraw(); });

const buttons = {
  "zoom-all": () => setView(data.startUs, data.endUs),
  "zoom-focus": zoomToFocus,
  "zoom-in": () => zoomBy(0.5, (timeline.from + timeline.to) / 2),
  "zoom-out": () => zoomBy(2, (timeline.from + timeline.to) / 2),
  "pan-left": () => panBy(-0.4),
  "pan-right": () => panBy(0.4),
};
for (const id in buttons) {
  const button = document.getElementById(id);
  if (button) button.addEventListener("click", buttons[id]);
}
document.getElementById("timeline").addEventListener("keydown", (event) => {
  const key = { "+": "zoom-in", "=": "zoom-in", "-": "zoom-out", ArrowLeft: "pan-left", ArrowRight: "pan-right", "0": "zoom-all", f: "zoom-focus" }[event.key];
  if (key) { event.preventDefault(); buttons[key](); }
});
