// properties/master/: the single-master properties (M1 single master, M2 fencing) and master liveness over
// a master history. The front door for every other folder.
export { checkMaster, FENCING, MASTER_LIVENESS, SINGLE_MASTER, type MasterCheckOptions } from "./checks.ts";
export { MASTER_FUNCTIONS } from "./history.ts";
