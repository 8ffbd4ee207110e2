// Small helpers shared by the models: canonical value keys, string hashing, and grouping calls by the keys
// they touch (P-compositionality).
import { HistoryError } from "../../history/index.ts";
import type { Operation } from "../../history/index.ts";

/** JSON with object keys sorted, so equal values give equal strings (register values may be any JSON). */
export function canonical(value: unknown): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const keys = Object.keys(value as object).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`;
}

/** FNV-1a over UTF-16 code units: a cheap 32-bit hash for state strings. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

export function badValue(op: Operation, expected: string): HistoryError {
  return new HistoryError(
    `operation ${op.index} (process ${op.process}, ${op.type} ${op.f}): value must be ${expected}, got ${shortJson(op.value)}`,
  );
}

export function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Groups calls into the connected components of the "touch a common key" relation. Two calls in different
 * components never share a key, so each component can be checked alone (Herlihy and Wing's locality).
 */
export function componentsByKeys(keysOfCall: readonly (readonly string[])[]): { keys: string[]; members: number[] }[] {
  const parent = new Map<string, string>();
  const find = (key: string): string => {
    let root = key;
    while (parent.get(root) !== root) root = parent.get(root)!;
    for (let at = key; at !== root; ) {
      const up = parent.get(at)!;
      parent.set(at, root);
      at = up;
    }
    return root;
  };
  for (const keys of keysOfCall) {
    for (const key of keys) if (!parent.has(key)) parent.set(key, key);
    for (let i = 1; i < keys.length; i++) {
      const a = find(keys[0]!);
      const b = find(keys[i]!);
      if (a !== b) parent.set(a < b ? b : a, a < b ? a : b);
    }
  }
  const byRoot = new Map<string, { keys: string[]; members: number[] }>();
  const groupOf = (root: string) => {
    let group = byRoot.get(root);
    if (!group) byRoot.set(root, (group = { keys: [], members: [] }));
    return group;
  };
  for (const key of [...parent.keys()].sort()) groupOf(find(key)).keys.push(key);
  keysOfCall.forEach((keys, position) => {
    if (keys.length > 0) groupOf(find(keys[0]!)).members.push(position);
  });
  return [...byRoot.values()].filter((group) => group.members.length > 0);
}
