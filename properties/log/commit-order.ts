// C2 nonmonotonic-commit: a group's committed offset for a partition never moves backwards. A commit
// moved it back when it was invoked after a commit of a higher offset had succeeded: real time puts
// the two in that order. Commits that overlap (a paused consumer's reply arriving late, say) may have
// taken effect in either order, so they are not compared. The broker allows a backward commit;
// keeping commits monotonic is the client's duty. Committing the same offset again is legal.
import type { PropertyResult } from "../result.ts";
import type { Commit, LogHistory } from "./history.ts";
import type { Finding } from "../findings.ts";
import { at, plural, verdictOf } from "../findings.ts";

export const NONMONOTONIC_COMMIT = "C2 nonmonotonic-commit";

export function checkCommitOrder(log: LogHistory): PropertyResult {
  // Per group-partition, in the order the commits succeeded, the highest offset committed so far.
  const streams = new Map<string, { done: Commit[]; highest: Commit[] }>();
  const findings: Finding[] = [];
  for (const commit of log.commits) {
    const key = JSON.stringify([commit.group, commit.partition]);
    let stream = streams.get(key);
    if (!stream) streams.set(key, stream = { done: [], highest: [] });
    const before = lastBefore(stream.done, commit.invokeOrder);
    const previous = before < 0 ? undefined : stream.highest[before]!;
    if (previous && commit.offset < previous.offset) {
      findings.push({
        anomaly: "nonmonotonic-commit",
        detail: `group ${JSON.stringify(commit.group)} partition ${commit.partition} committed offset ${commit.offset} ` +
          `(${at(commit.ok)}), invoked after offset ${previous.offset} was committed (${at(previous.ok)})`,
        operations: [previous.ok, commit.ok],
      });
    }
    const top = stream.highest.at(-1);
    stream.done.push(commit);
    stream.highest.push(top === undefined || commit.offset > top.offset ? commit : top);
  }
  return verdictOf(NONMONOTONIC_COMMIT, findings,
    `${plural(log.commits.length, "commit")} over ${plural(streams.size, "group-partition")} never move backwards`);
}

/** The last commit (by position in `done`, which is in success order) that succeeded before `invokeOrder`; -1 if none. */
function lastBefore(done: readonly Commit[], invokeOrder: number): number {
  let low = 0;
  let high = done.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (done[middle]!.order < invokeOrder) low = middle + 1; else high = middle;
  }
  return low - 1;
}
