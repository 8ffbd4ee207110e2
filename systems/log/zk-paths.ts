// Creating persistent znodes that may already exist, outermost first.
import type { Result } from "../coordination/client/index.ts";

/** Sends one create of a persistent, empty znode (the caller chooses how: once, or until answered). */
export type CreateEmpty = (path: string, callback: (result: Result<{ path: string }>) => void) => void;

/** Creates each path in turn, whatever the last one's answer; `done(true)` when every one now exists (created or node-exists). */
export function createPaths(create: CreateEmpty, paths: readonly string[], done: (ok: boolean) => void, ok = true): void {
  const [first, ...rest] = paths;
  if (first === undefined) return done(ok);
  create(first, (result) => createPaths(create, rest, done, ok && (result.ok || result.error === "node-exists")));
}
