// Finding an operation among thousands: "#123" jumps to history index 123; any other text finds the
// next operation whose name, argument, result or error contains it. The selection lives in the URL
// (#op-123), so a link to a report can point at one operation.

const findInput = document.getElementById("find-input");
const findStatus = document.getElementById("find-status");
let findFrom = -1;

function findNext(query) {
  const text = query.trim();
  if (!text) return -1;
  const exact = /^#?(\d+)$/.exec(text);
  if (exact && text.startsWith("#")) return positionOfIndex.has(Number(exact[1])) ? positionOfIndex.get(Number(exact[1])) : -1;
  const needle = text.toLowerCase();
  for (let step = 1; step <= data.ops.length; step++) {
    const position = (findFrom + step) % data.ops.length;
    const [argument, result, error] = data.texts[position];
    const haystack = (data.names[data.ops[position][OP.name]] + " " + argument + " " + result + " " + error).toLowerCase();
    if (haystack.includes(needle)) return position;
  }
  return -1;
}

if (findInput) {
  findInput.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const position = findNext(findInput.value);
    clear(findStatus);
    if (position < 0) { put(findStatus, "not found"); return; }
    findFrom = position;
    put(findStatus, opTitle(position));
    selectOperation(position, false);
    zoomToOperation(position);
  });
}

selectedListeners.push((position) => {
  const hash = "#op-" + data.ops[position][OP.index];
  if (location.hash !== hash && history.replaceState) history.replaceState(null, "", hash);
});

/** The operation a link names (#op-123), if any: main.js opens on it instead of the culprit. */
function linkedOperation() {
  const match = /^#op-(\d+)$/.exec(location.hash);
  return match && positionOfIndex.has(Number(match[1])) ? positionOfIndex.get(Number(match[1])) : -1;
}
