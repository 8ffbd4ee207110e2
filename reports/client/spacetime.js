// The space-time diagram of the messages around the violation: one vertical line per node, time
// running down, an arrow per delivered message (from its estimated send to its delivery), crosses
// for crashes, shaded spans for pauses and partitions, the violation's interval as a red band.

const SPACETIME_TOP = 34;
const SPACETIME_LEFT = 92;

function drawSpacetime() {
  const target = document.getElementById("spacetime-svg");
  const w = data.window;
  if (!target || !w || data.columns.length === 0) return;
  const columns = data.columns;
  const width = Math.max(480, target.parentElement.clientWidth);
  const columnWidth = Math.max(56, (width - SPACETIME_LEFT - 16) / columns.length);
  const height = Math.max(420, Math.min(5200, w.messages.length * 9));
  const span = Math.max(w.toUs - w.fromUs, 1);
  const y = (us) => SPACETIME_TOP + ((us - w.fromUs) / span) * (height - SPACETIME_TOP - 12);
  const x = (node) => SPACETIME_LEFT + columnWidth * (columns.indexOf(node) + 0.5);
  const fullWidth = SPACETIME_LEFT + columnWidth * columns.length + 16;
  target.setAttribute("width", fullWidth);
  target.setAttribute("height", height);
  target.setAttribute("viewBox", "0 0 " + fullWidth + " " + height);
  const defs = svg("defs", {}, target);
  const families = [...new Set(w.messages.map((m) => familyOf(m.type)))].sort();
  const colourOfFamily = (family) => FAMILY_COLOURS[families.indexOf(family) % FAMILY_COLOURS.length];
  for (const family of families) {
    const marker = svg("marker", { id: "arrow-" + family, viewBox: "0 0 8 8", refX: 7, refY: 4, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" }, defs);
    svg("path", { d: "M0 0 L8 4 L0 8 z", fill: colourOfFamily(family) }, marker);
  }
  svg("rect", { class: "focus-band", x: SPACETIME_LEFT - 8, y: y(w.focusFromUs) - 1, width: fullWidth - SPACETIME_LEFT, height: Math.max(2, y(w.focusToUs) - y(w.focusFromUs) + 2) }, target);
  const step = tickStep(span, Math.max(3, Math.floor(height / 60)));
  for (let t = Math.ceil(w.fromUs / step) * step; t <= w.toUs; t += step) {
    svg("line", { class: "tick", x1: SPACETIME_LEFT - 14, x2: fullWidth - 8, y1: y(t), y2: y(t) }, target);
    svg("text", { class: "tick-label", x: 4, y: y(t) + 4 }, target).textContent = tickLabel(t, step);
  }
  // Column names in their own strip above the scrolling diagram, so they stay in view.
  const head = document.getElementById("spacetime-head");
  head.setAttribute("width", fullWidth);
  for (const node of columns) {
    putSvg(svg("text", { class: "column-label", x: x(node), y: 16, "text-anchor": "middle" }, head), node);
    svg("line", { class: "node-line", x1: x(node), x2: x(node), y1: SPACETIME_TOP - 8, y2: height - 6 }, target);
  }
  for (const lane of data.nodes) {
    if (!columns.includes(lane.node)) continue;
    for (const fault of lane.spans) {
      if (fault.toUs < w.fromUs || fault.fromUs > w.toUs) continue;
      const y0 = y(Math.max(fault.fromUs, w.fromUs));
      const y1 = y(Math.min(fault.toUs, w.toUs));
      const half = fault.kind === "crash" || fault.kind === "pause" ? 0.14 : 0.07;
      svg("rect", { class: "fault s-" + fault.kind, x: x(lane.node) - columnWidth * half, y: y0, width: columnWidth * half * 2, height: Math.max(2, y1 - y0),
        "data-text": hoverText("st", lane.node + ": " + fault.label + " [" + sec(fault.fromUs) + " – " + sec(fault.toUs) + "]") }, target);
      if (fault.kind === "crash" && fault.fromUs >= w.fromUs) {
        const cx = x(lane.node);
        const cy = y(fault.fromUs);
        svg("path", { class: "crash-cross", d: "M" + (cx - 7) + " " + (cy - 7) + " l14 14 M" + (cx + 7) + " " + (cy - 7) + " l-14 14", "data-text": hoverText("st", lane.node + " " + fault.label + " at t=" + sec(fault.fromUs)) }, target);
      }
    }
  }
  for (const notice of w.connections) {
    if (!columns.includes(notice.node) || notice.state !== "broken") continue;
    svg("circle", { class: "broken", cx: x(notice.node), cy: y(notice.timeUs), r: 3, "data-text": hoverText("st", notice.node + " hears its connection to " + notice.peer + " broke, t=" + sec(notice.timeUs)) }, target);
  }
  for (const message of w.messages) {
    if (!columns.includes(message.from) || !columns.includes(message.to)) continue;
    const family = familyOf(message.type);
    const inFocus = message.deliverUs >= w.focusFromUs && message.sendUs <= w.focusToUs;
    svg("line", { class: "message" + (inFocus ? " in-focus" : ""), x1: x(message.from), y1: y(message.sendUs), x2: x(message.to), y2: y(message.deliverUs),
      stroke: colourOfFamily(family), "marker-end": "url(#arrow-" + family + ")",
      "data-text": hoverText("st", message.type + ": " + message.from + " → " + message.to + ", sent ≈" + sec(message.sendUs) + ", delivered " + sec(message.deliverUs) + "  " + message.detail) }, target);
  }
  // Open with the violation in view (the window starts well before it).
  const scroller = document.getElementById("spacetime-scroll");
  if (scroller) scroller.scrollTop = Math.max(0, y(w.focusFromUs) + 22 - scroller.clientHeight / 3);
  const legend = document.getElementById("spacetime-legend");
  for (const family of families) {
    const item = html("span", "legend-item", legend);
    const swatch = html("span", "swatch", item);
    swatch.style.background = colourOfFamily(family);
    put(item, family === "-" ? "other" : family + " messages");
  }
}

/** "l.proposal" → "l": messages of one role share a colour (election, leader, follower, client, log…). */
function familyOf(type) {
  const dot = type.indexOf(".");
  const family = dot > 0 ? type.slice(0, dot) : type;
  return family.replace(/[^A-Za-z0-9_-]/g, "") || "-";
}
