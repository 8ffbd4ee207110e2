// The scenario around the user's system: workload, fault targets, and the one property it promises
// (every acknowledged value is on disk at the end), all through faultline's exported API.
import * as fc from "fast-check";
import { HistoryRecorder, type Scenario, type PropertyResult, type Operation } from "faultline";
import { LogClient, LogServer } from "./system.ts";

export interface DurableLogWorkload {
  clients: number;
  valuesPerClient: number;
}

export const durableLog: Scenario<DurableLogWorkload> = {
  name: "example-durable-log",
  description: "a user's one-server log: acknowledged values must survive power loss",
  bugs: [{ name: "ack-before-fsync", description: "acknowledge before the fsync completes", breaks: "no acknowledged loss" }],
  phases: { faultsUs: 2_000_000, quietUs: 500_000 },
  workload: () => fc.record({ clients: fc.integer({ min: 1, max: 4 }), valuesPerClient: fc.integer({ min: 1, max: 200 }) }),
  faultTargets: () => ["server"],
  build(sim, workload, bugs) {
    const history = new HistoryRecorder(sim);
    sim.addNode("server", () => new LogServer(bugs.includes("ack-before-fsync")));
    for (let client = 0; client < workload.clients; client++) {
      const values = Array.from({ length: workload.valuesPerClient }, (_, i) => client * 1_000_000 + i);
      // A fresh process id per attempt after an unknown outcome, as Jepsen does.
      let process = history.newProcess();
      const record = {
        invoke: (value: number) => history.invoke(process, "append", value),
        ok: (value: number) => history.ok(process, value),
        info: () => { history.info(process, "connection-lost"); process = history.newProcess(); },
      };
      sim.addNode(`client${client}`, () => new LogClient("server", values, record));
    }
    return {
      finish() {
        history.closePending();
        const operations = history.operations();
        const onDisk = new Set(sim.actorOf<LogServer>("server")?.values() ?? []);
        return { history: operations, properties: [noAckedLoss(operations, onDisk)] };
      },
    };
  },
};

function noAckedLoss(history: Operation[], onDisk: Set<number>): PropertyResult {
  const lost = history.filter((op) => op.type === "ok" && !onDisk.has(op.value as number));
  return {
    name: "no acknowledged loss",
    valid: lost.length === 0,
    anomalies: lost.length === 0 ? [] : ["lost-write"],
    summary: lost.length === 0
      ? `${history.filter((op) => op.type === "ok").length} acknowledged values all on disk`
      : `${lost.length} acknowledged values missing from the disk, first ${lost[0]!.value} (op ${lost[0]!.index})`,
    evidence: lost,
  };
}
