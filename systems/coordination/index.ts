// systems/coordination/: the ZooKeeper-style ensemble. The front door for the harness (scenarios/, tests):
// placing an ensemble and looking at it, its configuration and bug switches, the client library, the recipes.
// server/ (one server's roles) and state/ (its replicated state and disk) are the ensemble's own.
export { addEnsemble, committedDisagreement, establishedLeader, inspectEnsemble, type ServerView } from "./ensemble.ts";
export { ensembleConfig, quorumSize, type EnsembleConfig } from "./config.ts";
export {
  ACK_BEFORE_FSYNC, coordinationBugs, EPHEMERAL_LEAK, FOLLOWER_LOCAL_READS, NO_EPOCH_CHECK, SKIP_TRUNC, type CoordinationBug,
} from "./bugs.ts";
export * from "./client/index.ts";
export * from "./recipes/index.ts";
