// The log and consumer properties (docs/histories.md: K1–K3, C1–C3) over one history (docs/histories.md).
// Pure functions of data: they run as-is on histories recorded elsewhere.
import type { Operation } from "../history/index.ts";
import type { PropertyResult } from "../result.ts";
import { readLogHistory } from "./history.ts";
import { checkLostWrites, LOST_WRITE } from "./lost-write.ts";
import { checkPositions, INCONSISTENT_OFFSETS } from "./positions.ts";
import { checkProducerOrder, PRODUCER_REORDER } from "./producer-order.ts";
import { checkPollOrder, NONMONOTONIC_POLL } from "./poll-order.ts";
import { checkCommitOrder, NONMONOTONIC_COMMIT } from "./commit-order.ts";
import { checkPollSkips, POLL_SKIP } from "./poll-skip.ts";

/** The result names, in the order checkLog returns them (bug switches name these in `breaks`). */
export const LOG_PROPERTIES = [LOST_WRITE, INCONSISTENT_OFFSETS, PRODUCER_REORDER, NONMONOTONIC_POLL, NONMONOTONIC_COMMIT, POLL_SKIP] as const;

/** Throws a HistoryError (userError, one line naming the operation) when an operation is malformed. */
export function checkLog(history: readonly Operation[]): PropertyResult[] {
  const log = readLogHistory(history);
  return [checkLostWrites(log), checkPositions(log), checkProducerOrder(log), checkPollOrder(log), checkCommitOrder(log), checkPollSkips(log)];
}
