// C2 nonmonotonic-commit: a group's committed offset for a partition never moves backwards, in the order
// the commits succeeded. The broker allows it; keeping commits monotonic is the client's duty.
// Committing the same offset again is legal (an idle consumer re-commits its position).
import type { PropertyResult } from "../result.ts";
import type { Commit, LogHistory } from "./history.ts";
import type { Finding } from "../findings.ts";
import { at, plural, verdictOf } from "../findings.ts";

export const NONMONOTONIC_COMMIT = "C2 nonmonotonic-commit";

export function checkCommitOrder(log: LogHistory): PropertyResult {
  const last = new Map<string, Commit>();
  const findings: Finding[] = [];
  for (const commit of log.commits) {
    const stream = JSON.stringify([commit.group, commit.partition]);
    const previous = last.get(stream);
    if (previous && commit.offset < previous.offset) {
      findings.push({
        anomaly: "nonmonotonic-commit",
        detail: `group ${JSON.stringify(commit.group)} partition ${commit.partition} committed offset ${commit.offset} ` +
          `(${at(commit.ok)}) after offset ${previous.offset} (${at(previous.ok)})`,
        operations: [previous.ok, commit.ok],
      });
    }
    last.set(stream, commit);
  }
  return verdictOf(NONMONOTONIC_COMMIT, findings,
    `${plural(log.commits.length, "commit")} over ${plural(last.size, "group-partition")} never move backwards`);
}
