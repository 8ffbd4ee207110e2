// A znode operation as the model reads it (znode.ts) and the narrowing rewrites it (znode-narrow.ts).

export type ZnodeInput =
  | { f: "create"; path: string; data: string; outcome: "ok" | "node-exists" | "no-node" }
  | { f: "delete"; path: string; version: number; outcome: "ok" | "no-node" | "bad-version" | "not-empty" }
  | {
      f: "set";
      path: string;
      data: string;
      version: number;
      outcome: "ok" | "no-node" | "bad-version";
      newVersion: number | null;
      /** Narrowed (znode-narrow.ts): the data asked for, when `data` is UNREAD. */
      written?: string;
      /** Narrowed: the versions completed sets returned, which this crashed one cannot make. */
      returnedVersions?: ReadonlySet<number>;
    }
  | { f: "get"; path: string; outcome: "ok" | "no-node"; data: string; version: number }
  | { f: "exists"; path: string; version: number | null };
