// What a znode partition proves about its crashed (unknown-outcome) sets, before the search
// (LinearizabilityModel.narrow). Crashed writes never expire, so the search would otherwise try each of
// them in every state it meets, and remember every subset of them spent.
//
// - Versions: while a path is never deleted its version only rises, one per set, and a completed set that
//   returned version w took it from w-1 to w; no other set can make w, or that one could not follow. So a
//   crashed set may only make a version no completed set returned: a conditional one whose version + 1
//   was returned is dropped, an unconditional one carries the returned versions and is illegal where it
//   would make one of them.
// - Data: a value no read of the path saw can be told apart from another such value by no step (reads
//   compare data; writes and deletes ignore it), so a crashed set writes UNREAD instead. Crashed sets then
//   differ only in version, and identical ones are twins, spent in call order (../problem.ts).
import type { Call } from "../model.ts";
import type { ZnodeInput } from "./znode-input.ts";

/** Data no read saw; not JSON, so it equals no canonical value a get reports. */
export const UNREAD = "(data no read saw)";

type SetInput = Extract<ZnodeInput, { f: "set" }>;
type ZnodeCall = Call<ZnodeInput, null>;

interface PathFacts {
  deleted: boolean;
  /** Versions completed sets returned. */
  returned: Set<number>;
  /** Data completed gets saw. */
  read: Set<string>;
}

export function narrowZnodes(calls: readonly ZnodeCall[], optional: readonly boolean[]): (ZnodeCall | null)[] {
  const facts = factsByPath(calls);
  return calls.map((call, i) => {
    const { input } = call;
    if (!optional[i] || input.f !== "set" || input.outcome !== "ok") return call;
    const path = facts.get(input.path)!;
    const narrower: SetInput = path.read.has(input.data) ? { ...input } : { ...input, data: UNREAD, written: input.data };
    if (!path.deleted) {
      if (input.version !== -1 && path.returned.has(input.version + 1)) return null;
      if (input.version === -1) narrower.returnedVersions = path.returned;
    }
    return { input: narrower, output: call.output };
  });
}

function factsByPath(calls: readonly ZnodeCall[]): Map<string, PathFacts> {
  const facts = new Map<string, PathFacts>();
  const of = (path: string) => {
    let known = facts.get(path);
    if (!known) facts.set(path, (known = { deleted: false, returned: new Set(), read: new Set() }));
    return known;
  };
  for (const { input } of calls) {
    const path = of(input.path);
    if (input.f === "delete" && input.outcome === "ok") path.deleted = true;
    if (input.f === "set" && input.newVersion !== null) path.returned.add(input.newVersion);
    if (input.f === "get" && input.outcome === "ok") path.read.add(input.data);
  }
  return facts;
}
