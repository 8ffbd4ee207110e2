// M2 fencing: the protected resource never accepts a token lower than one it accepted before (in history
// order), and no token is held by two nodes, whether as master intervals or as accepted writes: a
// duplicated token defeats fencing as surely as a stale one (KAFKA-6082's class of bugs).
import type { PropertyResult } from "../result.ts";
import type { Id } from "../history/index.ts";
import type { MasterHistory, ResourceWrite } from "./history.ts";
import type { Operation } from "../history/index.ts";
import type { Finding } from "../findings.ts";
import { at, plural, verdictOf } from "../findings.ts";

export const FENCING = "M2 fencing";

export function checkFencing(masters: MasterHistory): PropertyResult {
  const accepted = masters.writes.filter((write) => write.accepted);
  const findings = [...staleTokens(accepted), ...duplicateTokens(masters, accepted)];
  return verdictOf(FENCING, findings,
    `${plural(accepted.length, "accepted write")} never go back in token, and ${plural(masters.intervals.length, "master interval")} ` +
    `hold tokens no other node holds`);
}

function staleTokens(accepted: readonly ResourceWrite[]): Finding[] {
  const findings: Finding[] = [];
  let highest: ResourceWrite | undefined;
  for (const write of accepted) {
    if (highest && write.token < highest.token) {
      findings.push({
        anomaly: "stale-token-accepted",
        detail: `the resource accepted token ${write.token} from ${JSON.stringify(write.node)} (${at(write.op)}) ` +
          `after token ${highest.token} from ${JSON.stringify(highest.node)} (${at(highest.op)})`,
        operations: [highest.op, write.op],
      });
    }
    if (!highest || write.token > highest.token) highest = write;
  }
  return findings;
}

/** One finding per (token, second node): a deposed master writing on and on with a copied token is one fault. */
function duplicateTokens(masters: MasterHistory, accepted: readonly ResourceWrite[]): Finding[] {
  const claims = [...masters.intervals, ...accepted].sort((a, b) => a.order - b.order);
  const holders = new Map<number, { node: Id; op: Operation }>();
  const reported = new Set<string>();
  const findings: Finding[] = [];
  for (const claim of claims) {
    const holder = holders.get(claim.token);
    if (!holder) {
      holders.set(claim.token, claim);
      continue;
    }
    const pair = JSON.stringify([claim.token, claim.node]);
    if (holder.node === claim.node || reported.has(pair)) continue;
    reported.add(pair);
    findings.push({
      anomaly: "duplicate-token",
      detail: `token ${claim.token} is held by ${JSON.stringify(holder.node)} (${at(holder.op)}) and by ${JSON.stringify(claim.node)} (${at(claim.op)})`,
      operations: [holder.op, claim.op],
    });
  }
  return findings;
}
