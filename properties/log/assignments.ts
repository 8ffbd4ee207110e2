// Assignments: a consumer's (generation, partition) is one stream of polls. Where it was due to start is
// the group's committed offset when the assignment began, when the history lets us know the group.
// Acknowledged commits that overlap in real time may have taken effect in either order (a paused
// consumer's reply arriving after a later commit's), so the committed offset is any commit that no
// other acknowledged commit was invoked after: the last acknowledged, or one that overlapped it.
import type { Id } from "../history/index.ts";
import type { Assign, Commit, LogHistory } from "./history.ts";

export function assignmentStream(consumer: Id, generation: number, partition: number): string {
  return JSON.stringify([consumer, generation, partition]);
}

export interface StartOffset {
  offset: number;
  commit: Commit;
  assign: Assign;
  /** Offsets of commits in flight when the assign completed (unknown outcome, or acknowledged later),
   *  and of acknowledged commits real time does not order before `commit`: any may be the committed
   *  offset the consumer reads instead. */
  uncertain: number[];
}

/** Per assignment stream: the offset its group had committed for the partition when the assign completed. */
export function startOffsets(log: LogHistory): Map<string, StartOffset> {
  const groups = groupsOfConsumers(log);
  // Per group-partition, the acknowledged commits no later-invoked acknowledged commit supersedes, in
  // the order they were acknowledged.
  const committed = new Map<string, Commit[]>();
  const starts = new Map<string, StartOffset>();
  let commitsSeen = 0;
  for (const assign of log.assigns) {
    for (; commitsSeen < log.commits.length && log.commits[commitsSeen]!.order < assign.order; commitsSeen++) {
      const commit = log.commits[commitsSeen]!;
      const key = JSON.stringify([commit.group, commit.partition]);
      const standing = (committed.get(key) ?? []).filter((earlier) => earlier.order > commit.invokeOrder);
      committed.set(key, [...standing, commit]);
    }
    const group = groups.get(assign.consumer);
    if (group === undefined) continue;
    for (const partition of assign.partitions) {
      const standing = committed.get(JSON.stringify([group, partition])) ?? [];
      const commit = standing.at(-1);
      const stream = assignmentStream(assign.consumer, assign.generation, partition);
      if (commit && !starts.has(stream)) {
        // In flight when the assignment completed: each may land before the consumer reads its start.
        const inFlight = (other: Commit) => other.invokeOrder < assign.order && other.group === group && other.partition === partition;
        const uncertain = [...standing.slice(0, -1), ...log.uncertainCommits.filter(inFlight), ...log.commits.filter((other) => other.order > assign.order && inFlight(other))]
          .map((other) => other.offset);
        starts.set(stream, { offset: commit.offset, commit, assign, uncertain });
      }
    }
  }
  return starts;
}

/**
 * A consumer's group, from the first of: its assign naming the group; a commit made by it (by name, or by
 * the process that polled for it); the only group the history commits for.
 */
export function groupsOfConsumers(log: LogHistory): Map<Id, Id> {
  const groups = new Map<Id, Id>();
  const learn = (consumer: Id | undefined, group: Id | undefined): void => {
    if (consumer !== undefined && group !== undefined && !groups.has(consumer)) groups.set(consumer, group);
  };
  for (const assign of log.assigns) learn(assign.consumer, assign.group);
  for (const commit of log.commits) learn(commit.consumer, commit.group);
  const committing = new Set(log.commits.map((commit) => commit.group));
  if (committing.size === 1) {
    const [only] = committing;
    for (const assign of log.assigns) learn(assign.consumer, only);
  }
  return groups;
}
