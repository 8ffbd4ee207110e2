// zk-sync-read: zk-register, but every read is ZooKeeper's advice for a fresh read — sync, then read.
// It is still not linearizable (ZOOKEEPER-1675, and the ZooKeeper Programmer's Guide): the sync goes
// to whichever server the reader's server follows, and a leader deposed by a pause or a partition
// that has not yet noticed answers it from its own, stale state. The finding is expected; the
// scenario exists to show it, and to keep showing it (a checker that stopped finding it is broken).
import type { Scenario } from "./types.ts";
import type { ZkRegisterWorkload } from "./zk-workload.ts";
import { zkRegister, buildRegister } from "./zk-register.ts";
import { LINEARIZABLE_ZNODES } from "./zk-linearizable.ts";

export const zkSyncRead: Scenario<ZkRegisterWorkload> = {
  ...zkRegister,
  name: "zk-sync-read",
  description: "zk-register with sync-then-read reads; expected to fail (ZooKeeper's documented behaviour, ZOOKEEPER-1675): a deposed leader that has not noticed can answer a sync with stale data",
  // Its violation is the finding: a bug switch on top would blur which one a failure shows.
  bugs: [],
  build: (sim, workload, bugs) => buildRegister(sim, workload, bugs, "sync"),
  expectedFinding: {
    property: LINEARIZABLE_ZNODES,
    reference: "ZOOKEEPER-1675",
    why: "sync is answered by the leader the reader's server follows; a leader that lost its quorum but has not noticed answers it with stale data",
  },
};
