// The coordination service's bug switches: each reproduces a real failure on purpose, so that the
// property it breaks is seen failing at least once (a checker never seen failing is not trusted).

/** Same shape as scenarios' BugSwitch (systems/ may not import scenarios/). */
export interface CoordinationBug {
  name: string;
  description: string;
  /** The property (PropertyResult.name) this bug is expected to break. */
  breaks: string;
}

export const ACK_BEFORE_FSYNC = "ack-before-fsync";
export const SKIP_TRUNC = "skip-trunc";
export const NO_EPOCH_CHECK = "no-epoch-check";
export const EPHEMERAL_LEAK = "ephemeral-leak";
export const FOLLOWER_LOCAL_READS = "follower-local-reads";

export const coordinationBugs: readonly CoordinationBug[] = [
  {
    name: ACK_BEFORE_FSYNC,
    description: "a follower ACKs a proposal before its fsync completes; power loss then loses a committed write (ZOOKEEPER-4646 family)",
    breaks: "linearizable znode reads",
  },
  {
    name: SKIP_TRUNC,
    description: "recovery never truncates a follower's uncommitted proposals of an old epoch: that server diverges",
    breaks: "linearizable znode reads",
  },
  {
    name: NO_EPOCH_CHECK,
    description: "followers accept proposals, commits and pings from a deposed leader of an older epoch",
    breaks: "linearizable znode reads",
  },
  {
    name: EPHEMERAL_LEAK,
    description: "session expiry forgets to delete the session's ephemeral znodes (ZOOKEEPER-2355)",
    breaks: "master-liveness",
  },
  {
    name: FOLLOWER_LOCAL_READS,
    description: "reads use the `local` mode: the connected server answers from its own, possibly stale, state",
    breaks: "linearizable znode reads",
  },
];

/** The server-side switches as booleans, looked up once per server instead of per message. */
export interface ServerBugs {
  ackBeforeFsync: boolean;
  skipTrunc: boolean;
  noEpochCheck: boolean;
  ephemeralLeak: boolean;
  /** True when any switch that may legitimately make replicas diverge is on: divergence asserts relax. */
  divergenceAllowed: boolean;
}

export function serverBugs(names: readonly string[]): ServerBugs {
  const on = (name: string) => names.includes(name);
  const ackBeforeFsync = on(ACK_BEFORE_FSYNC);
  const skipTrunc = on(SKIP_TRUNC);
  const noEpochCheck = on(NO_EPOCH_CHECK);
  return {
    ackBeforeFsync,
    skipTrunc,
    noEpochCheck,
    ephemeralLeak: on(EPHEMERAL_LEAK),
    divergenceAllowed: ackBeforeFsync || skipTrunc || noEpochCheck,
  };
}
