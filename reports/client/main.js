// Draws every view once the data is read; any failure shows on the page and in the console (the
// browser test fails on console errors), rather than leaving an empty report.

try {
  drawSpacetime();
  drawLogViews();
  for (const surface of document.querySelectorAll(".hover-surface")) attachHover(surface);
  zoomToFocus();
  drawTimeline();
  // Open on the operation that cannot be linearized, else the first one a finding names.
  let first = data.ops.findIndex((op) => op[OP.mark] === 4);
  if (first < 0) first = data.ops.findIndex((op) => op[OP.mark] === 3);
  const linked = linkedOperation();
  if (linked >= 0) { selectOperation(linked, false); zoomToOperation(linked); drawTimeline(); }
  else if (first >= 0) selectOperation(first, false);
  // For bench/report.ts: when the page was drawn, counted from the start of navigation.
  window.faultlineDrawnMs = performance.now();
} catch (error) {
  const box = document.getElementById("render-error");
  if (box) { box.hidden = false; put(box, "This report could not be drawn: " + error); }
  console.error(error);
}
