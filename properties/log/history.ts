// A log and consumer history (docs/histories.md "Log and consumer histories") read into typed completions.
// Pairing follows Jepsen: one pending invoke per process; only `ok` completions say what happened, so
// `fail` and `info` are read for pairing alone (a failed or unknown send is never judged lost).
import type { Operation } from "../history/index.ts";
import { HistoryError, where } from "../history/index.ts";
import { readAssign, readCommit, readDrain, readPoll, readSendAck, readInvokeValue } from "./values.ts";
import type { Assign, Commit, Drain, Poll, SendAck } from "./values.ts";
import type { Id } from "../history/index.ts";
import { show } from "../history/index.ts";
import { checkedOperation } from "../history/index.ts";

export type { Assign, Commit, Drain, LogRecord, Poll, SendAck } from "./values.ts";

export const LOG_FUNCTIONS: ReadonlySet<string> = new Set(["send", "poll", "commit", "assign", "drain"]);

export interface LogHistory {
  sends: SendAck[];
  polls: Poll[];
  commits: Commit[];
  /** Commits whose outcome is unknown (`info`, or never completed): each may have taken effect. */
  uncertainCommits: Commit[];
  assigns: Assign[];
  drains: Drain[];
  /** Per sent value: false when its send invoke said `"idempotent": false` (its duplicates are then legal). */
  idempotentByValue: Map<string, boolean>;
}

interface Pending {
  invoke: Operation;
  order: number;
}

export function readLogHistory(history: readonly Operation[]): LogHistory {
  const log: LogHistory = { sends: [], polls: [], commits: [], uncertainCommits: [], assigns: [], drains: [], idempotentByValue: new Map() };
  const pending = new Map<unknown, Pending>();
  // A commit names its group, not its consumer; the process that polled as a consumer links the two.
  const consumerOfProcess = new Map<unknown, Id>();
  history.forEach((raw, order) => {
    const op = checkedOperation(raw, order, LOG_FUNCTIONS, "log");
    if (op.type === "invoke") {
      const waiting = pending.get(op.process);
      if (waiting) throw new HistoryError(`${where(op.index)}: process ${show(op.process)} invokes while its ${where(waiting.invoke.index)} is pending`);
      const read = readInvokeValue(op);
      if (read.consumer !== undefined) consumerOfProcess.set(op.process, read.consumer);
      if (read.sentKey !== undefined) log.idempotentByValue.set(read.sentKey, read.idempotent);
      pending.set(op.process, { invoke: op, order });
      return;
    }
    const waiting = pending.get(op.process);
    if (!waiting) throw new HistoryError(`${where(op.index)}: ${op.type} of process ${show(op.process)} has no pending invoke`);
    if (waiting.invoke.f !== op.f) {
      throw new HistoryError(`${where(op.index)}: ${op.f} ${op.type} completes a ${waiting.invoke.f} invoke (${where(waiting.invoke.index)})`);
    }
    pending.delete(op.process);
    if (op.type === "ok") readCompletion(log, waiting, op, order, consumerOfProcess.get(op.process));
    else if (op.type === "info" && op.f === "commit") log.uncertainCommits.push(readCommit(waiting.invoke, waiting.invoke, waiting.order, consumerOfProcess.get(op.process)));
  });
  for (const [process, waiting] of pending) {
    if (waiting.invoke.f === "commit") log.uncertainCommits.push(readCommit(waiting.invoke, waiting.invoke, waiting.order, consumerOfProcess.get(process)));
  }
  log.uncertainCommits.sort((a, b) => a.order - b.order);
  return log;
}

function readCompletion(log: LogHistory, waiting: Pending, ok: Operation, order: number, consumer: Id | undefined): void {
  const { invoke } = waiting;
  switch (ok.f) {
    case "send": log.sends.push(readSendAck(invoke, ok, order, waiting.order)); break;
    case "poll": log.polls.push(readPoll(invoke, ok, order)); break;
    case "commit": log.commits.push(readCommit(invoke, ok, order, consumer, waiting.order)); break;
    case "assign": log.assigns.push(readAssign(invoke, ok, order)); break;
    case "drain": log.drains.push(readDrain(invoke, ok, order, waiting.order)); break;
  }
}
