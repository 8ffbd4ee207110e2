// properties/log/: the log and consumer properties (K1–K3, C1–C3) over a log history. The front door for
// every other folder.
export { checkLog, LOG_PROPERTIES } from "./checks.ts";
export { LOG_FUNCTIONS, readLogHistory, type LogHistory } from "./history.ts";
