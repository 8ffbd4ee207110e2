// Reading a history file's text in any of the formats `faultline check` accepts.
import { extname } from "node:path";
import type { ReadOptions } from "./builder.ts";
import { HistoryError } from "./error.ts";
import { readEdnHistory } from "./edn.ts";
import { readJsonHistory } from "./json.ts";
import { readPorcupineEtcdLog, readPorcupineKvLog } from "./porcupine.ts";
import type { Operation } from "./operation.ts";

export const HISTORY_FORMATS = ["json", "edn", "porcupine-etcd", "porcupine-kv"] as const;
export type HistoryFormat = (typeof HISTORY_FORMATS)[number];

const BY_EXTENSION: Record<string, HistoryFormat> = {
  ".json": "json",
  ".jsonl": "json",
  ".ndjson": "json",
  ".edn": "edn",
  ".log": "porcupine-etcd",
  ".txt": "porcupine-kv",
};

/** The format a file name implies, or null. */
export function formatFromPath(path: string): HistoryFormat | null {
  return BY_EXTENSION[extname(path).toLowerCase()] ?? null;
}

export function isHistoryFormat(name: string): name is HistoryFormat {
  return (HISTORY_FORMATS as readonly string[]).includes(name);
}

export function parseHistory(text: string, format: HistoryFormat, options: ReadOptions = {}): Operation[] {
  if (text.trim() === "") throw new HistoryError("empty file: no operations");
  switch (format) {
    case "json":
      return readJsonHistory(text, options);
    case "edn":
      return readEdnHistory(text, options);
    case "porcupine-etcd":
      return readPorcupineEtcdLog(text);
    case "porcupine-kv":
      return readPorcupineKvLog(text);
  }
}
