// The single-master properties (docs/histories.md: M1 and M2) over one master history (docs/histories.md), plus
// master liveness when the caller names a deadline. Pure functions of data.
import type { Operation } from "../history/index.ts";
import type { PropertyResult } from "../result.ts";
import { readMasterHistory } from "./history.ts";
import { checkSingleMaster, SINGLE_MASTER } from "./overlap.ts";
import { checkFencing, FENCING } from "./fencing.ts";
import { checkMasterLiveness, MASTER_LIVENESS } from "./liveness.ts";

export { SINGLE_MASTER, FENCING, MASTER_LIVENESS };

export interface MasterCheckOptions {
  /** When given, also judge liveness: some node is master at this true time (or in the window below). */
  livenessDeadlineUs?: number;
  /** The start of the liveness window (e.g. the heal); defaults to the deadline itself. */
  livenessFromUs?: number;
}

/** Throws a HistoryError (userError, one line naming the operation) when an operation is malformed. */
export function checkMaster(history: readonly Operation[], options: MasterCheckOptions = {}): PropertyResult[] {
  const masters = readMasterHistory(history);
  const results = [checkSingleMaster(masters), checkFencing(masters)];
  if (options.livenessDeadlineUs !== undefined) {
    results.push(checkMasterLiveness(masters, { livenessDeadlineUs: options.livenessDeadlineUs, livenessFromUs: options.livenessFromUs }));
  }
  return results;
}
