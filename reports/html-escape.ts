// Escaping for the three places a report puts text: element content, attribute values, and the JSON
// inside a <script> block. Every value from a history, a schedule or a trace passes through one of these.

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** C0 controls (but tab and newline) and DEL shown as \uXXXX: a control character renders as text, not as nothing. */
function visibleControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export function escapeAttribute(text: string): string {
  return visibleControls(String(text)).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * Element content. Long values (paths, record values, JSON) may wrap after "=" (a <wbr>), the same
 * rule the page's script applies to what it draws, so the header and the views read alike.
 */
export function escapeText(text: string): string {
  return escapeAttribute(text).replace(/=/g, "=<wbr>");
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>`, `&`, `=`, `'` and U+2028/2029 as \u
 * escapes, so no value can close the block (`</script>`), open a comment (`<!--`), or appear as markup
 * in a serialized DOM. JSON.parse reads it back unchanged.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&='\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
