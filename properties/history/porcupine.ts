// Porcupine's two test-log formats, etcd's and kv's (docs/histories.md says what we read of them).
// Neither has timestamps: line order is the clock, so time = line number. Every non-blank line must be
// an operation; the first line that is not ends the read with an error (Porcupine skips such lines,
// but a checker that ignores what it cannot read would call a file of noise "linearizable").
import { HistoryError } from "./error.ts";
import { HistoryBuilder, printable } from "./builder.ts";
import { parseMap } from "./edn.ts";
import type { Operation } from "./operation.ts";

/** `INFO  jepsen.util - <process> <type> <f> <value>`, fields separated by tabs or runs of spaces. */
const ETCD_LINE = /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail|info)\s+:(read|write|cas)\s+(.*?)\s*$/;
const ETCD_VALUE = /^(?:nil|(-?\d+)|\[(-?\d+)\s+(-?\d+)\]|:([a-z-]+))$/;

/** `{:process P, :type T, :f F, :key "K", :value V}` in this key order; anything else goes through EDN. */
const KV_LINE = /^\{:process (\d+), :type :(invoke|ok|fail|info), :f :(get|put|append), :key "((?:[^"\\]|\\.)*)", :value (nil|"((?:[^"\\]|\\.)*)")\}$/;

export function readPorcupineEtcdLog(text: string): Operation[] {
  return readLines(text, (row, line) => {
    const match = ETCD_LINE.exec(row);
    const value = match ? ETCD_VALUE.exec(match[4]!) : null;
    if (!match || !value) throw new HistoryError(`line ${line}: not a Jepsen etcd log line: "${printable(row, 60)}"`);
    const record: Record<string, unknown> = { process: Number(match[1]), type: match[2], f: match[3] };
    if (value[1] !== undefined) record.value = Number(value[1]);
    else if (value[2] !== undefined) record.value = [Number(value[2]), Number(value[3])];
    else if (value[4] !== undefined) record.error = value[4]; // :timed-out
    return record;
  });
}

export function readPorcupineKvLog(text: string): Operation[] {
  return readLines(text, (row, line) => {
    const match = KV_LINE.exec(row);
    if (match) {
      const value = match[5] === "nil" ? null : unescape(match[6]!, line);
      return { process: Number(match[1]), type: match[2], f: match[3], value: { key: unescape(match[4]!, line), value } };
    }
    if (!row.startsWith("{") || !row.trimEnd().endsWith("}")) {
      throw new HistoryError(`line ${line}: not a kv log line: "${printable(row, 60)}"`);
    }
    const fields = parseMap(row, line);
    if (typeof fields !== "object" || fields === null) throw new HistoryError(`line ${line}: not a kv log line`);
    const { key, value, ...rest } = fields as Record<string, unknown>;
    return { ...rest, value: { key, value: value ?? null } };
  });
}

function readLines(text: string, recordOf: (row: string, line: number) => unknown): Operation[] {
  if (text.trim() === "") throw new HistoryError("empty file: no operations");
  const builder = new HistoryBuilder({ time: "line" });
  let line = 0;
  for (let at = 0; at < text.length; ) {
    let end = text.indexOf("\n", at);
    if (end === -1) end = text.length;
    line++;
    const row = text.slice(at, end).replace(/\r$/, "");
    at = end + 1;
    if (row.trim() !== "") builder.add(recordOf(row, line), line);
  }
  return builder.finish();
}

/** EDN string escapes are JSON's, less \u surrogates: JSON.parse reads them. */
function unescape(body: string, line: number): string {
  if (!body.includes("\\")) return body;
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    throw new HistoryError(`line ${line}: bad string escape in "${printable(body, 40)}"`);
  }
}
