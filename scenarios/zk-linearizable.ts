// The zk-register linearizability property: the znode model, checked per path, with a budget in
// explored states (so a replay gives the same verdict).
import type { Operation } from "../properties/history/index.ts";
import type { PropertyResult } from "./types.ts";
import { checkLinearizable } from "../properties/linearizability/index.ts";
import { undecidedNames } from "../properties/linearizability/index.ts";

export const LINEARIZABLE_ZNODES = "linearizable znode reads";

/** Counted in explored states, so a replay gets the same verdict. A valid busy path (seed 987:
 *  1,300 operations, 65 unknown outcomes) needed 3M; most need under 10k. */
export const ZNODE_STATES_MAX = 10_000_000;

export function checkZnodeLinearizable(history: readonly Operation[], statesMax = ZNODE_STATES_MAX): PropertyResult {
  const result = checkLinearizable(history, "znode", { statesMax });
  const scope = `${result.operations} operations on ${result.partitions} paths, ${result.statesExplored} states`;
  if (result.valid === true) {
    return { name: LINEARIZABLE_ZNODES, valid: true, anomalies: [], summary: `linearizable (${scope})` };
  }
  if (result.valid === "unknown") {
    return { name: LINEARIZABLE_ZNODES, valid: "unknown", anomalies: [], evidence: result,
      summary: `undecided (${result.reason}) on ${undecidedNames(result)} (${scope}); the budget counts states, so a replay gives this verdict again: to decide it, check the run's history.json with \`faultline check FILE --model znode --states-max N\` (N above ${statesMax}), adding --timeout SECONDS to bound the wall time` };
  }
  const first = result.failures[0]!;
  return {
    name: LINEARIZABLE_ZNODES, valid: false, anomalies: ["non-linearizable"], evidence: result.failures,
    summary: `${first.key}: ${first.culprit.description} (process ${first.culprit.process}, index ${first.culprit.index}) cannot be placed after ${first.prefix.length} operations (${scope})`,
  };
}
