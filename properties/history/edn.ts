// Jepsen / Knossos EDN histories: one vector `[...]` or list `(...)` of operation maps, or a bare sequence
// of maps, with `;` comments anywhere. Keywords become strings, nil null, vectors and lists arrays, maps
// objects (edn-data). Operations of `:process :nemesis` are dropped.
//
// A small scanner finds each top-level map first and edn-data parses that map alone: a file of noise fails
// at its first bad character instead of being parsed whole, and errors name the line.
// Time is the position in the file, as Knossos orders operations: `:time` is not monotone in some files.
import { parseEDNString } from "edn-data";
import { HistoryError } from "./error.ts";
import { HistoryBuilder, printable, type ReadOptions } from "./builder.ts";
import type { Operation } from "./operation.ts";

const MAP_CHARS_MAX = 1 << 20;
const CLOSERS: Record<string, string> = { "[": "]", "(": ")", "{": "}" };

export function readEdnHistory(text: string, options: ReadOptions = {}): Operation[] {
  const builder = new HistoryBuilder({ time: "position", pairing: options.pairing });
  const scan = new Scanner(text);
  scan.skipBlank();
  if (scan.atEnd()) throw new HistoryError("empty file: no operations");
  const opener = text[scan.at]!;
  if (opener !== "[" && opener !== "(" && opener !== "{") {
    throw scan.error(`expected [, ( or { to start an EDN history, found "${printable(opener, 4)}"`);
  }
  const close = opener === "{" ? null : CLOSERS[opener]!;
  const openLine = scan.line();
  if (close) scan.at++;
  for (;;) {
    scan.skipBlank();
    if (scan.atEnd()) {
      if (close) throw scan.error(`the history's "${opener}" (line ${openLine}) is never closed: truncated file?`);
      break;
    }
    if (text[scan.at] === close) {
      scan.at++;
      scan.skipBlank();
      if (!scan.atEnd()) throw scan.error("text after the end of the history");
      break;
    }
    if (text[scan.at] !== "{") throw scan.error(`expected an operation map {...}, found "${printable(text.slice(scan.at, scan.at + 12), 16)}"`);
    const line = scan.line();
    const end = scan.formEnd();
    builder.add(parseMap(text.slice(scan.at, end), line), line);
    scan.at = end;
  }
  return builder.finish();
}

/** Parses one EDN map into plain JSON-like data. Exported for the kv log reader's slow path. */
export function parseMap(source: string, line: number): unknown {
  let value: unknown;
  try {
    value = parseEDNString(source, {
      mapAs: "object",
      keywordAs: "string",
      listAs: "array",
      setAs: "array",
      charAs: "string",
      symbolAs: "string",
    });
  } catch (error) {
    throw new HistoryError(`line ${line}: bad EDN (${printable((error as Error).message, 60)})`);
  }
  return plain(value);
}

/** BigInts and #inst dates into JSON-able values; tagged values keep {tag, val}. */
function plain(value: unknown): unknown {
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

class Scanner {
  at = 0;
  private lineAt = 0;
  private lineCount = 1;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.at >= this.text.length;
  }

  /** 1-based line of the current position (positions only move forward). */
  line(): number {
    for (; this.lineAt < this.at; this.lineAt++) if (this.text.charCodeAt(this.lineAt) === 10) this.lineCount++;
    return this.lineCount;
  }

  error(what: string): HistoryError {
    return new HistoryError(`line ${this.line()}: ${what}`);
  }

  /** Skips whitespace, commas and `;` comments. */
  skipBlank(): void {
    const text = this.text;
    while (this.at < text.length) {
      const c = text[this.at]!;
      if (c === ";") {
        const end = text.indexOf("\n", this.at);
        this.at = end === -1 ? text.length : end + 1;
      } else if (c === " " || c === "\n" || c === "\t" || c === "\r" || c === ",") {
        this.at++;
      } else {
        return;
      }
    }
  }

  /** The end (exclusive) of the form opening at `at`: brackets balanced, strings and comments skipped. */
  formEnd(): number {
    const text = this.text;
    const expected: string[] = [];
    for (let i = this.at; i < text.length; i++) {
      if (i - this.at > MAP_CHARS_MAX) throw this.error("an operation longer than 1 MiB: not a history");
      const c = text[i]!;
      if (c === '"') i = this.stringEnd(i);
      else if (c === ";") i = text.indexOf("\n", i) === -1 ? text.length : text.indexOf("\n", i);
      else if (c === "\\") i++; // a character literal such as \] or \;
      else if (c === "[" || c === "(" || c === "{") expected.push(CLOSERS[c]!);
      else if (c === "]" || c === ")" || c === "}") {
        if (expected.pop() !== c) throw this.error(`unbalanced "${c}" in the operation starting here`);
        if (expected.length === 0) return i + 1;
      }
    }
    throw this.error("the operation starting here is never closed: truncated file?");
  }

  private stringEnd(start: number): number {
    const text = this.text;
    for (let i = start + 1; i < text.length; i++) {
      if (text[i] === "\\") i++;
      else if (text[i] === '"') return i;
    }
    throw this.error("a string in the operation starting here is never closed: truncated file?");
  }
}
