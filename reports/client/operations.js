// Operations: lookup by history index, the words for one operation, and the details panel that a
// click on any view (timeline bar, failing-operations row, log table) fills.

const OP = { index: 0, process: 1, name: 2, start: 3, end: 4, outcome: 5, mark: 6, completion: 7 };
const positionOfIndex = new Map();
data.ops.forEach((op, position) => {
  positionOfIndex.set(op[OP.index], position);
  if (op[OP.completion] >= 0) positionOfIndex.set(op[OP.completion], position);
});
/** Open-ended bars (info, pending) run to the end of the history. */
function endOf(op) {
  return op[OP.end] < 0 ? data.endUs : op[OP.end];
}

function opTitle(position) {
  const op = data.ops[position];
  return "#" + op[OP.index] + " process " + op[OP.process] + ": " + data.names[op[OP.name]];
}

function opRows(position) {
  const op = data.ops[position];
  const [argument, result, error] = data.texts[position];
  const outcome = OUTCOMES[op[OP.outcome]];
  const rows = [];
  if (outcome === "event") {
    rows.push(["recorded", "t=" + sec(op[OP.start])], ["value", result]);
  } else {
    rows.push(["invoked", "t=" + sec(op[OP.start])], ["argument", argument]);
    if (outcome === "info") rows.push(["completed", "outcome unknown (info): it may take effect at any time after the invoke"]);
    else if (outcome === "pending") rows.push(["completed", "never (pending at the end of the history)"]);
    else rows.push(["completed", "t=" + sec(op[OP.end]) + " (" + (op[OP.end] - op[OP.start]) + " µs)"]);
    rows.push(["outcome", outcome + (error ? " (" + error + ")" : "")]);
    if (result) rows.push(["result", result]);
  }
  for (const [key, value] of keyFacts(result || argument)) rows.push([key, value]);
  if (op[OP.mark] > 0) rows.push(["marked", MARK_WORDS[op[OP.mark]]]);
  return rows;
}

function fillTip(position) {
  return (parent) => {
    put(html("strong", "", parent), opTitle(position));
    factTable(parent, opRows(position));
    const tried = data.tried[String(data.ops[position][OP.index])];
    if (tried) put(html("p", "hint", parent), "tried in " + tried.length + " state" + (tried.length === 1 ? "" : "s") + ": click for the model states");
  };
}

const details = document.getElementById("details-body");
const selectedListeners = [];

/** Shows one operation in the details panel and tells every view to mark it. */
function selectOperation(position, scroll) {
  if (position === undefined || position < 0 || position >= data.ops.length) return;
  const op = data.ops[position];
  clear(details);
  put(html("h3", "", details), opTitle(position));
  factTable(details, opRows(position));
  for (const why of data.why[String(op[OP.index])] || []) put(html("p", "why", details), why);
  const tried = data.tried[String(op[OP.index])];
  if (tried) {
    put(html("h4", "", details), "The model states it was tried in (where the search could go no further)");
    const table = html("table", "tried", details);
    const head = html("tr", "", table);
    for (const title of ["state", "legal?", "what the model said"]) put(html("th", "", head), title);
    for (const step of tried) {
      const row = html("tr", step.ok ? "legal" : "illegal", table);
      put(html("td", "", row), step.state);
      put(html("td", "", row), step.ok ? "yes" : "no");
      put(html("td", "", row), step.result);
    }
  }
  const zoom = html("button", "", details);
  zoom.type = "button";
  put(zoom, "zoom the timeline to it");
  zoom.addEventListener("click", () => zoomToOperation(position));
  for (const listener of selectedListeners) listener(position);
  if (scroll) details.scrollIntoView({ block: "nearest" });
}

/** Rows of the header's failing-operations table select their operation. */
for (const row of document.querySelectorAll("[data-op-index]")) {
  const position = positionOfIndex.get(Number(row.getAttribute("data-op-index")));
  if (position === undefined) continue;
  row.classList.add("clickable");
  row.tabIndex = 0;
  const choose = () => { selectOperation(position, true); zoomToOperation(position); };
  row.addEventListener("click", choose);
  row.addEventListener("keydown", (event) => { if (event.key === "Enter") choose(); });
}
