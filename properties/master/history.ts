// A master history (docs/histories.md "Master histories"): `ok` operations the harness records in true time.
// Invokes, fails and infos of these functions carry no fact about who acted, so they are only checked for shape.
import type { Operation } from "../history/index.ts";
import type { Id, Place } from "../history/index.ts";
import { booleanField, fail, idField, numberField, objectValue } from "../history/index.ts";
import { checkedOperation } from "../history/index.ts";

export const MASTER_FUNCTIONS: ReadonlySet<string> = new Set(["master", "resource-write"]);

/** An interval [startUs, endUs) during which `node` acted as master holding `token`. */
export interface MasterInterval {
  node: Id;
  token: number;
  startUs: number;
  endUs: number;
  op: Operation;
  /** Position in the history: "before" in every check means a lower order. */
  order: number;
}

export interface ResourceWrite {
  node: Id;
  token: number;
  accepted: boolean;
  op: Operation;
  order: number;
}

export interface MasterHistory {
  intervals: MasterInterval[];
  /** Both lists keep history order. */
  writes: ResourceWrite[];
}

export function readMasterHistory(history: readonly Operation[]): MasterHistory {
  const read: MasterHistory = { intervals: [], writes: [] };
  history.forEach((raw, order) => {
    const op = checkedOperation(raw, order, MASTER_FUNCTIONS, "master");
    if (op.type !== "ok") return;
    const place: Place = { index: op.index, what: `${op.f} value` };
    const fields = objectValue(op.value, place);
    const node = idField(fields, "node", place);
    const token = numberField(fields, "token", place);
    if (op.f === "resource-write") {
      read.writes.push({ node, token, accepted: booleanField(fields, "accepted", place), op, order });
      return;
    }
    const startUs = numberField(fields, "startUs", place);
    const endUs = numberField(fields, "endUs", place);
    if (endUs < startUs) throw fail(place, `ends (endUs ${endUs}) before it starts (startUs ${startUs})`);
    read.intervals.push({ node, token, startUs, endUs, op, order });
  });
  return read;
}
