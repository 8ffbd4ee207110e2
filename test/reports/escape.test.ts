import test from "ava";
import { escapeAttribute, escapeText, scriptJson } from "../../reports/html-escape.ts";
import { renderReport } from "../../reports/report-html.ts";
import { HOSTILE_REGISTER } from "./fixtures.ts";
import { checkLinearizable } from "../../properties/linearizability/check.ts";
import { linearizabilityProperty } from "../../properties/linearizability/text.ts";
import type { Operation } from "../../properties/history/operation.ts";

test("escape: text and attributes cannot open markup; control characters stay visible", (t) => {
  t.is(escapeText(`<b id="x">&'`), "&lt;b id=<wbr>&quot;x&quot;&gt;&amp;&#39;");
  t.is(escapeAttribute(`"><script>`), "&quot;&gt;&lt;script&gt;");
  t.is(escapeText("a\u0007b\u0000"), "a\\u0007b\\u0000");
  t.is(escapeText("line\nnext\ttab"), "line\nnext\ttab");
});

test("escape: script JSON cannot close its block and reads back unchanged", (t) => {
  const value = { a: "</script><script>alert(1)</script>", b: "<!-- x=1 & y='2' -->", c: "\u2028\u2029", d: [1, null, "é"] };
  const text = scriptJson(value);
  t.false(/[<>&='\u2028\u2029]/.test(text), text);
  t.deepEqual(JSON.parse(text), value);
});

test("escape: a report of a hostile history holds no live markup from it", (t) => {
  const history = HOSTILE_REGISTER as Operation[];
  const result = checkLinearizable(history, "register", { statesMax: 10_000 });
  t.is(result.valid, false);
  const html = renderReport({
    kind: "check", source: "evil.json", history,
    model: "register",
    example: { scenario: "", seed: 0, bugs: [], schedule: [], replay: "npx faultline check evil.json --model register", properties: [linearizabilityProperty(result, "linearizable (register)")] },
  });
  t.false(html.includes("<img"), "no <img> element from a value");
  t.false(html.includes("<b id"), "no <b> element from a value");
  // The page has exactly its own two script blocks; none closed early by a value.
  t.is(html.split("</script>").length - 1, 2);
  t.is(html.split("<script").length - 1, 2);
  t.false(/id="?pwned/.test(html));
  t.true(html.includes("&lt;img src=<wbr>x id=<wbr>pwned"), "the value shows as text");
});
