// The log views: a strip per partition (every offset up to the highest, coloured by what the final
// drain holds against the acked sends; lost and duplicated records also listed), and per consumer
// group the committed offsets over time.

const OFFSET_CLASSES = ["drained", "acked", "lost", "duplicate", "conflict", "unacked"];
const OFFSET_WORDS = ["acked and in the final drain", "acked; partition never drained", "acked but missing from the final drain (lost)",
  "in the drain more than once (duplicated)", "the drain holds another value here than the one acked", "in the drain, never acked"];

function drawLogViews() {
  const root = document.getElementById("log-body");
  if (!root || !data.log) return;
  const width = Math.max(480, root.clientWidth);
  for (const partition of data.log.partitions) drawPartition(root, partition, width);
  if (data.log.commits.length > 0) {
    put(html("h3", "", root), "Committed offsets over time, per consumer group");
    const groups = [...new Set(data.log.commits.map((series) => series.group))];
    for (const group of groups) drawCommits(root, group, data.log.commits.filter((series) => series.group === group), width);
  }
}

function drawPartition(root, partition, width) {
  const box = html("div", "partition", root);
  put(html("h3", "", box), "partition " + partition.partition + ": " + partition.acked + " acked sends, " + partition.drained + " records in the final drain" +
    (partition.drainIndex === null ? " (never drained)" : "") + ", " + partition.lost.length + " lost, " + partition.duplicated.length + " duplicated" +
    (partition.conflicts.length ? ", " + partition.conflicts.length + " offsets holding another value" : ""));
  const last = partition.strip.length ? partition.strip[partition.strip.length - 1] : [0, 0];
  const offsets = Math.max(1, last[0] + last[1]);
  const strip = svg("svg", { class: "strip hover-surface", width, height: 30, viewBox: "0 0 " + width + " 30" }, box);
  const xOffset = (offset) => 40 + (offset / offsets) * (width - 48);
  for (const [start, count, status] of partition.strip) {
    if (status < 0) continue;
    const x0 = xOffset(start);
    // Lost, duplicated and conflicting runs are drawn at least 3 px wide: one lost record in 10,000 still shows.
    const minimum = status >= 2 && status <= 4 ? 3 : 0.5;
    svg("rect", { class: "offset o-" + OFFSET_CLASSES[status], x: x0, y: 4, width: Math.max(minimum, xOffset(start + count) - x0), height: 18,
      "data-text": hoverText("log", "offsets " + start + (count > 1 ? "–" + (start + count - 1) : "") + ": " + OFFSET_WORDS[status]) }, strip);
  }
  svg("text", { class: "tick-label", x: 2, y: 17 }, strip).textContent = "0";
  svg("text", { class: "tick-label", x: width - 6, y: 29, "text-anchor": "end" }, strip).textContent = String(offsets - 1);
  const lists = [
    ["lost (acked, not in the final drain)", partition.lost.map((r) => [r.index, "offset " + r.offset, r.value])],
    ["duplicated in the final drain", partition.duplicated.map((r) => [null, "offsets " + r.offsets.join(", "), r.value])],
    ["offsets holding another value", partition.conflicts.map((r) => [r.index, "offset " + r.offset, "acked " + r.acked + ", drained " + r.drained])],
  ];
  for (const [title, items] of lists) {
    if (items.length === 0) continue;
    const table = html("table", "records", box);
    put(html("caption", "", table), title);
    for (const [index, where, value] of items) {
      const row = html("tr", "", table);
      put(html("td", "", row), index === null ? "" : "#" + index);
      put(html("td", "", row), where);
      put(html("td", "", row), value);
      if (index !== null && positionOfIndex.has(index)) {
        row.classList.add("clickable");
        row.addEventListener("click", () => { selectOperation(positionOfIndex.get(index), true); zoomToOperation(positionOfIndex.get(index)); });
      }
    }
  }
}

function drawCommits(root, group, series, width) {
  const height = 140;
  const chart = svg("svg", { class: "commits hover-surface", width, height, viewBox: "0 0 " + width + " " + height }, html("div", "commit-chart", root));
  putSvg(svg("text", { class: "row-label", x: 4, y: 14 }, chart), "group " + group);
  let high = 1;
  for (const s of series) for (const point of s.points) high = Math.max(high, point[1]);
  const span = Math.max(data.endUs - data.startUs, 1);
  const x = (us) => 60 + ((us - data.startUs) / span) * (width - 70);
  const y = (offset) => height - 16 - (offset / high) * (height - 34);
  svg("text", { class: "tick-label", x: 4, y: y(high) + 4 }, chart).textContent = String(high);
  svg("text", { class: "tick-label", x: 4, y: y(0) + 4 }, chart).textContent = "0";
  for (const s of series) {
    const colour = FAMILY_COLOURS[series.indexOf(s) % FAMILY_COLOURS.length];
    let path = "";
    // A step line: a committed offset holds until the next commit.
    s.points.forEach(([t, offset], i) => { path += i === 0 ? "M" + x(t).toFixed(1) + " " + y(offset).toFixed(1) : " H" + x(t).toFixed(1) + " V" + y(offset).toFixed(1); });
    svg("path", { class: "commit-line", d: path, stroke: colour, "data-text": hoverText("log", "group " + group + ", partition " + s.partition + ": " + s.points.length + " commits") }, chart);
    for (const [t, offset, index] of s.points) {
      const position = positionOfIndex.get(index);
      const mark = position === undefined ? 0 : data.ops[position][OP.mark];
      if (mark < 2 && s.points.length > 300) continue;
      const dot = svg("circle", { class: "commit" + (mark >= 2 ? " m-finding" : ""), cx: x(t), cy: y(offset), r: mark >= 2 ? 4 : 2, fill: colour, "data-op-index": index }, chart);
      if (position !== undefined) dot.setAttribute("data-i", position);
    }
    const label = html("span", "legend-item", chart.parentElement);
    const swatch = html("span", "swatch", label);
    swatch.style.background = colour;
    put(label, "partition " + s.partition);
  }
}
