// Creating persistent znodes that may already exist, outermost first.
import type { ZkClientApi } from "../coordination/client/index.ts";

export function createPaths(zk: ZkClientApi, paths: readonly string[], done: () => void): void {
  const [first, ...rest] = paths;
  if (first === undefined) return done();
  zk.create(first, "", "persistent", () => createPaths(zk, rest, done));
}
