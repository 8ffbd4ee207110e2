// A linearizability verdict in words: the line a person reads first, the witness below it, and the
// PropertyResult shape the scenario runner collects.
import type { LinearizabilityResult, OperationRef, PartitionFailure, Undecided } from "./result.ts";
import type { PropertyResult } from "../result.ts";

const ORDER_SHOWN_MAX = 40;
const UNDECIDED_SHOWN_MAX = 5;

export function verdictLine(result: LinearizabilityResult): string {
  const counts = `model ${result.model}, ${result.operations} operations, ${plural(result.partitions, "partition")}, ${plural(result.statesExplored, "state")} explored`;
  if (result.valid === true) return `linearizable (${counts})`;
  if (result.valid === false) return `NOT linearizable (${counts})`;
  const why = result.reason === "timeout" ? "the time limit ran out" : "the state budget ran out";
  return `unknown: ${why} before ${plural(result.undecided.length, "partition")} could be decided (${counts})`;
}

/** The partitions left undecided, by name. A model that does not split the history has one
 *  partition with no key: that is the whole history, and saying "(none)" would read as no partition. */
export function undecidedNames(result: Undecided, shownMax = UNDECIDED_SHOWN_MAX): string {
  const names = result.undecided.map((key) => (key === "" ? "the whole history (this model checks it as one)" : key));
  const shown = names.slice(0, shownMax).join("; ");
  return names.length > shownMax ? `${shown} … (${names.length - shownMax} more; --json has all)` : shown;
}

/** What to try when a check ran out: the caller knows its own knobs and may say it better. */
function defaultAdvice(result: Undecided): string {
  return result.reason === "timeout"
    ? "allow more time: the wall-clock limit ran out first"
    : `allow more states: the budget ran out after ${plural(result.statesExplored, "state")}`;
}

export function summaryLine(result: LinearizabilityResult): string {
  if (result.valid === true) return verdictLine(result);
  if (result.valid === "unknown") return `${verdictLine(result)}; undecided: ${undecidedNames(result)}`;
  const failure = result.failures[0]!;
  const where = failure.key ? ` in ${failure.key}` : "";
  if (failure.refutation) return `operation ${failure.culprit.index} (process ${failure.culprit.process}: ${failure.culprit.description}) cannot be linearized${where}: a stale read`;
  return `operation ${failure.culprit.index} (process ${failure.culprit.process}: ${failure.culprit.description}) cannot be linearized${where} after a ${failure.prefix.length}-operation prefix`;
}

/** The verdict line, then the witness: the linearization, or per failing partition why not, or what
 *  was left undecided and `advice` on deciding it. */
export function describeLinearizability(result: LinearizabilityResult, advice?: string): string[] {
  const lines = [verdictLine(result)];
  if (result.valid === true) {
    for (const { key, order } of result.linearizations) {
      const shown = order.slice(0, ORDER_SHOWN_MAX).map((index) => `#${index}`).join(" ");
      const more = order.length > ORDER_SHOWN_MAX ? ` … (${order.length - ORDER_SHOWN_MAX} more; --json has all)` : "";
      lines.push(`  ${key ? `${key}: ` : ""}linearization: ${shown || "(nothing to place)"}${more}`);
    }
  } else if (result.valid === false) {
    for (const failure of result.failures) lines.push(...describeFailure(failure));
  } else {
    lines.push(`  undecided: ${undecidedNames(result, Infinity)}`);
    lines.push(`  to decide it: ${advice ?? defaultAdvice(result)}`);
  }
  return lines;
}

function describeFailure(failure: PartitionFailure): string[] {
  const { culprit } = failure;
  const lines = failure.key ? [`  in ${failure.key}:`] : [];
  lines.push(`  operation #${culprit.index} cannot be placed: ${operationLine(culprit)}`);
  if (failure.refutation) {
    lines.push(`  why (no search needed): ${failure.refutation.why}`);
    lines.push(`  the operations that proof rests on:`);
    for (const { operation } of failure.window) lines.push(`    ${operationLine(operation)}`);
    return lines;
  }
  lines.push(`  the linearizable prefix that gets furthest: ${prefixText(failure.prefix)}; then the state is ${failure.stateAfterPrefix}`);
  lines.push(`  operations concurrent with #${culprit.index}, tried in each state the search stood in when it could go no further:`);
  for (const { operation, inPrefix, tried } of failure.window) {
    lines.push(`    ${operationLine(operation)}${inPrefix ? "  (placed in that prefix)" : ""}`);
    for (const step of tried) lines.push(`        in ${step.state}: ${step.ok ? `legal ${step.result}` : step.result}`);
  }
  return lines;
}

function operationLine(op: OperationRef): string {
  const end = op.completionTime !== null ? `completed ${op.completionTime}` : op.outcome === "info" ? "outcome unknown (info)" : "never completed";
  return `#${op.index} process ${op.process} ${op.description}  [invoked ${op.invokeTime}, ${end}]`;
}

function prefixText(prefix: readonly number[]): string {
  if (prefix.length === 0) return "none (nothing could be placed)";
  const ids = prefix.map((index) => `#${index}`);
  const shown = ids.length <= 12 ? ids.join(" ") : `${ids.slice(0, 3).join(" ")} … ${ids.slice(-6).join(" ")}`;
  return `${plural(prefix.length, "operation")} (${shown})`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** The verdict as one property of a run (anomaly "non-linearizable", docs/histories.md). */
export function linearizabilityProperty(result: LinearizabilityResult, name: string): PropertyResult {
  return {
    name,
    valid: result.valid,
    anomalies: result.valid === false ? ["non-linearizable"] : [],
    summary: summaryLine(result),
    evidence: result.valid === false ? result.failures : result.valid === "unknown" ? { undecided: result.undecided, reason: result.reason } : undefined,
  };
}
