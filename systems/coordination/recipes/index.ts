// systems/coordination/recipes/: what users build on the ensemble through its client: master election with
// fencing tokens and a lease on the master's own clock, the fenced resource the master writes to, and the
// recipe's bug switches.
export { ElectionCandidate, type CandidateConfig, type ClientFactory, type MasterObserver } from "./election.ts";
export { Lease, leaseMarginUs, type LeaseOptions } from "./lease.ts";
export { sequenceOf, standing, type Standing } from "./order.ts";
export { ProtectedResource, type ResourceMessage, type ResourceObserver, type ResourceOptions } from "./resource.ts";
export { LEASE_IGNORES_DRIFT, MASTER_NO_FENCING, RECIPE_BUGS } from "./bugs.ts";
