// Matches each invoke with its completion, the way every checker reads a history. Histories from the
// scenario runner come here without passing through a reader, so the pairing rules are checked again.
import { HistoryError } from "./error.ts";
import type { Operation } from "./operation.ts";

export interface OperationPair {
  invoke: Operation;
  /** ok, fail or info; null while still pending at the end of the history. */
  completion: Operation | null;
  /** Positions in the history array (the event order). */
  invokePosition: number;
  completionPosition: number | null;
}

export function pairOperations(history: readonly Operation[]): OperationPair[] {
  const pairs: OperationPair[] = [];
  const open = new Map<number, OperationPair>();
  let lastTime = -Infinity;
  for (let position = 0; position < history.length; position++) {
    const op = history[position]!;
    if (op.time < lastTime) throw unpaired(op, position, `time goes backwards: ${op.time} after ${lastTime}`);
    lastTime = op.time;
    const pending = open.get(op.process);
    if (op.type === "invoke") {
      if (pending) throw unpaired(op, position, `process ${op.process} invokes ${op.f} while its ${pending.invoke.f} (index ${pending.invoke.index}) is pending`);
      const pair: OperationPair = { invoke: op, completion: null, invokePosition: position, completionPosition: null };
      open.set(op.process, pair);
      pairs.push(pair);
      continue;
    }
    if (!pending) throw unpaired(op, position, `${op.type} ${op.f} of process ${op.process} completes no pending invoke`);
    if (pending.invoke.f !== op.f) throw unpaired(op, position, `process ${op.process} completes ${op.f}, but it invoked ${pending.invoke.f}`);
    pending.completion = op;
    pending.completionPosition = position;
    open.delete(op.process);
  }
  return pairs;
}

// Outside the loop: a closure made per operation was a tenth of what a simulated seed allocates.
function unpaired(op: Operation, position: number, what: string): HistoryError {
  return new HistoryError(`operation ${op.index ?? position}: ${what}`);
}
