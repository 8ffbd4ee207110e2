// The log's bug switches: each reproduces a real Kafka failure on purpose, so that the property it
// breaks is seen failing (a checker never seen failing is not trusted). `breaks` names the
// PropertyResult that must catch it.

export interface LogBug {
  name: string;
  description: string;
  breaks: string;
}

export const ACKS_1 = "acks-1";
export const UNCLEAN_LEADER_ELECTION = "unclean-leader-election";
export const HW_TRUNCATION = "hw-truncation";
export const STALE_CONTROLLER = "stale-controller";
export const NO_IDEMPOTENCE = "no-idempotence";
export const COMMIT_BEFORE_PROCESS = "commit-before-process";
export const NONMONOTONIC_COMMIT_BUG = "nonmonotonic-commit";

export const logBugs: readonly LogBug[] = [
  { name: ACKS_1, breaks: "K1 lost-write",
    description: "producers ask for acks=1: the leader acknowledges alone, and a failover loses the record (Jepsen's 2013 Kafka result)" },
  { name: UNCLEAN_LEADER_ELECTION, breaks: "K1 lost-write",
    description: "min.insync.replicas=1 and unclean leader election: an out-of-sync replica becomes leader and acked records vanish" },
  { name: HW_TRUNCATION, breaks: "K1 lost-write",
    description: "a restarted or demoted follower truncates to its own high watermark, not to the leader's epoch end (pre-KIP-101: KAFKA-1211)" },
  // Seen so far as partitions left leaderless for the drain, not (yet) as a lost record.
  { name: STALE_CONTROLLER, breaks: "log liveness after heal",
    description: "no controller-epoch fencing: a controller that lost its session keeps acting from its cache, writes partition state unconditionally, and brokers obey it (KAFKA-6082 class)" },
  { name: NO_IDEMPOTENCE, breaks: "K2 inconsistent-offsets",
    description: "the producer retries without a producer id and sequence numbers: a retried record is written twice" },
  { name: COMMIT_BEFORE_PROCESS, breaks: "C3 poll-skip",
    description: "the consumer commits a batch's offsets before processing it: a crash in between skips the batch" },
  { name: NONMONOTONIC_COMMIT_BUG, breaks: "C2 nonmonotonic-commit",
    description: "after a rebalance a consumer resumes from the position it remembered, not the group's committed offset, and commits it" },
];

/** The switches as booleans, looked up once per actor. */
export interface LogBugFlags {
  acks1: boolean;
  unclean: boolean;
  hwTruncation: boolean;
  staleController: boolean;
  noIdempotence: boolean;
  commitBeforeProcess: boolean;
  nonmonotonicCommit: boolean;
}

export function logBugFlags(names: readonly string[]): LogBugFlags {
  const on = (name: string) => names.includes(name);
  return {
    acks1: on(ACKS_1), unclean: on(UNCLEAN_LEADER_ELECTION), hwTruncation: on(HW_TRUNCATION),
    staleController: on(STALE_CONTROLLER), noIdempotence: on(NO_IDEMPOTENCE),
    commitBeforeProcess: on(COMMIT_BEFORE_PROCESS), nonmonotonicCommit: on(NONMONOTONIC_COMMIT_BUG),
  };
}
