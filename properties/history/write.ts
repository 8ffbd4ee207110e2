// Writing histories so others can read them: JSON lines (ours) and EDN (Jepsen's, Knossos').
import { toEDNStringFromSimpleObject } from "edn-data";
import type { Operation } from "./operation.ts";

export function toJsonLines(history: readonly Operation[]): string {
  return history.map((op) => JSON.stringify(op)).join("\n") + "\n";
}

/** One EDN map a line inside a vector; `type` and `f` become keywords as Jepsen writes them. */
export function toEdn(history: readonly Operation[]): string {
  const maps = history.map((op) => {
    const fields: string[] = [`:process ${op.process}`, `:type :${op.type}`, `:f :${op.f}`];
    fields.push(`:value ${toEDNStringFromSimpleObject(op.value as never)}`);
    fields.push(`:time ${op.time}`, `:index ${op.index}`);
    if (op.error !== undefined) fields.push(`:error ${JSON.stringify(op.error)}`);
    return ` {${fields.join(", ")}}`;
  });
  return `[${maps.join("\n").slice(1)}]\n`;
}
