// The package's exports: what people use to check their own systems in their own tests.
export type { Actor, ActorFactory, NodeContext, NodeId, Disk, DiskRecord, Random } from "./sim/types.ts";
export type { Fault, FaultKind } from "./sim/faults.ts";
export { Simulation, type SimulationOptions, type RunStats } from "./sim/simulation.ts";
export { TORN } from "./sim/disk.ts";
export { UserError, InvariantError } from "./sim/errors.ts";
export { FAULT_KINDS } from "./sim/fault-catalogue.ts";
export type { Operation, OperationType } from "./properties/history/index.ts";
export type { PropertyResult } from "./properties/result.ts";
export type { Scenario, BugSwitch, BuiltRun, Phases } from "./scenarios/types.ts";
export { HistoryRecorder } from "./scenarios/history-recorder.ts";
export { faultSchedule } from "./scenarios/fault-arbitrary.ts";
export { runScenario, runCase, caseOfSeed, caseArbitrary, property, type RunResult, type RunOptions, type ScenarioCase } from "./scenarios/runner.ts";
export { runSeed } from "./scenarios/shrink.ts";
export { SCENARIOS } from "./scenarios/catalogue.ts";
