// The report page's shared helpers. The client files are concatenated in one function scope (see
// reports/report-html.ts), so each file's top-level functions are visible to the others.
// Every text from a history goes through put(): text nodes only, never innerHTML.

const SVG_NS = "http://www.w3.org/2000/svg";
const OUTCOMES = ["ok", "fail", "info", "pending", "event"];
const MARKS = ["", "prefix", "window", "finding", "culprit"];
const MARK_WORDS = ["", "in the linearizable prefix", "concurrent with the violation", "named by a finding", "cannot be linearized"];
const data = JSON.parse(document.getElementById("faultline-data").textContent);

function svg(name, attributes, parent) {
  const node = document.createElementNS(SVG_NS, name);
  for (const key in attributes) node.setAttribute(key, String(attributes[key]));
  if (parent) parent.appendChild(node);
  return node;
}

function html(name, className, parent) {
  const node = document.createElement(name);
  if (className) node.className = className;
  if (parent) parent.appendChild(node);
  return node;
}

/**
 * Appends text as text nodes. Long values wrap after "=" (a <wbr>), and C0 controls show as \uXXXX,
 * so neither a hostile value nor a control character can become markup or vanish.
 */
function put(parent, text) {
  const visible = String(text).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g,
    (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
  const parts = visible.split("=");
  parts.forEach((part, i) => {
    if (i > 0) {
      parent.appendChild(document.createTextNode("="));
      parent.appendChild(document.createElement("wbr"));
    }
    if (part) parent.appendChild(document.createTextNode(part));
  });
  return parent;
}

/** SVG <text> cannot hold <wbr>: split at "=" into tspans instead. */
function putSvg(parent, text) {
  const visible = String(text).replace(/[\u0000-\u001f\u007f]/g, "\u00b7");
  visible.split("=").forEach((part, i) => {
    if (i > 0) svg("tspan", {}, parent).textContent = "=";
    if (part) svg("tspan", {}, parent).textContent = part;
  });
  return parent;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/** True time in seconds, exact to the microsecond. */
function sec(us) {
  return (us / 1e6).toFixed(6).replace(/\.?0+$/, "") + " s";
}

function shortText(text, max) {
  return text.length > max ? text.slice(0, Math.max(1, max - 1)) + "…" : text;
}

/** A readable tick step (1, 2, 5 × 10^k µs) for about `count` ticks over `span` µs. */
function tickStep(span, count) {
  const raw = Math.max(1, span / count);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= raw) return factor * power;
  return 10 * power;
}

function tickLabel(us, step) {
  const digits = Math.max(0, Math.min(6, Math.ceil(-Math.log10(step / 1e6))));
  return (us / 1e6).toFixed(digits) + " s";
}

/** A fixed palette for message families: few and distinct, assigned in sorted order. */
const FAMILY_COLOURS = ["#1971c2", "#e8590c", "#2f9e44", "#9c36b5", "#c2255c", "#0c8599", "#f08c00", "#5f3dc4", "#495057"];

/** A stable colour per name (node ids): the same node has the same colour in every view. */
function colourOf(name) {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) >>> 0;
  return "hsl(" + (hash % 360) + ", 55%, 45%)";
}

/** The first position in a sorted list whose key is >= value. */
function lowerBound(list, value, key) {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (key(list[middle]) < value) low = middle + 1; else high = middle;
  }
  return low;
}

/** Fields worth reading at a glance in an operation's value (offsets, versions, zxids, tokens). */
function keyFacts(jsonText) {
  const facts = [];
  let value;
  try { value = JSON.parse(jsonText); } catch (e) { return facts; }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return facts;
  for (const key of ["path", "key", "partition", "offset", "zxid", "version", "token", "generation", "node", "accepted"]) {
    if (key in value) facts.push([key, JSON.stringify(value[key])]);
  }
  return facts;
}

// ---- the tooltip and the details panel, shared by every view ----

/**
 * Hover texts live here and elements name them by number (data-text="tl 12"): values from the trace
 * and the history never sit in attributes, where a serialized DOM would show them as markup-like text.
 */
const hoverTexts = { tl: [], st: [], log: [] };
function hoverText(registry, text) {
  hoverTexts[registry].push(text);
  return registry + " " + (hoverTexts[registry].length - 1);
}

const tip = html("div", "tip", document.body);
tip.setAttribute("role", "tooltip");
tip.hidden = true;

function showTip(event, fill) {
  clear(tip);
  fill(tip);
  tip.hidden = false;
  const x = Math.min(event.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
  const y = event.clientY + 16 + tip.offsetHeight > window.innerHeight ? event.clientY - tip.offsetHeight - 10 : event.clientY + 16;
  tip.style.left = Math.max(4, x) + "px";
  tip.style.top = Math.max(4, y) + "px";
}

function hideTip() {
  tip.hidden = true;
}

/** Lines of [label, text] as a small table. */
function factTable(parent, rows) {
  const table = html("table", "facts", parent);
  for (const [label, text] of rows) {
    const row = html("tr", "", table);
    put(html("th", "", row), label);
    put(html("td", "", row), text);
  }
  return table;
}
