// JSON histories (docs/histories.md): one JSON array of operations, or JSON lines (one operation a line).
import { HistoryError } from "./error.ts";
import { HistoryBuilder, printable, type ReadOptions } from "./builder.ts";
import type { Operation } from "./operation.ts";

export function readJsonHistory(text: string, options: ReadOptions = {}): Operation[] {
  const builder = new HistoryBuilder({ time: "field", pairing: options.pairing });
  const start = text.search(/\S/);
  if (start === -1) throw new HistoryError("empty file: no operations");
  if (text[start] === "[") {
    const records = parseJson(text, 1);
    if (!Array.isArray(records)) throw new HistoryError("expected a JSON array of operations");
    for (const record of records) builder.add(record);
    return builder.finish();
  }
  let line = 0;
  for (let at = 0; at < text.length; ) {
    const end = nextNewline(text, at);
    line++;
    const row = text.slice(at, end);
    at = end + 1;
    if (row.trim() === "") continue;
    builder.add(parseJson(row, line), line);
  }
  return builder.finish();
}

function nextNewline(text: string, from: number): number {
  const end = text.indexOf("\n", from);
  return end === -1 ? text.length : end;
}

/** JSON.parse with a one-line error naming the line (V8 reports a character position). */
function parseJson(text: string, firstLine: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position ? firstLine + countNewlines(text, Number(position[1])) : firstLine;
    throw new HistoryError(`line ${line}: not JSON (${printable(message.split("\n")[0]!, 80)})`);
  }
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) count++;
  return count;
}
