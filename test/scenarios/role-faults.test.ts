// Faults aimed at a role resolve, when they fire, to whoever holds the role then; the trace and the
// saved schedule name that node, and the run replays to the same hash.
import test from "ava";
import { caseOfSeed, runCase } from "../../scenarios/runner.ts";
import { zkRegister } from "../../scenarios/zk-register.ts";
import { kafkaLog } from "../../scenarios/kafka-log.ts";
import { validateSchedule, type RoleFault } from "../../scenarios/role-faults.ts";
import { establishedLeader } from "../../systems/coordination/ensemble.ts";
import { Simulation } from "../../sim/simulation.ts";

test("role faults: a pause aimed at the leader pauses the leader of that moment, in the trace and the saved schedule", (t) => {
  const base = caseOfSeed(zkRegister, 5);
  const aimed: RoleFault = { atUs: 800_000, kind: "pause", target: "leader", durationUs: 600_000 };
  const scenarioCase = { ...base, schedule: [aimed] };
  const result = runCase(zkRegister, 5, scenarioCase, { trace: true });
  const saved = result.case.schedule[0] as RoleFault;
  t.regex(String(saved.resolvedTo), /^zk\d$/);
  t.is(aimed.resolvedTo, undefined, "the case given is not mutated");
  const fault = result.trace!.find((line) => line.kind === "fault");
  t.like(fault?.detail as object, { kind: "pause", nodeId: saved.resolvedTo, atUs: 800_000 });
  // Who led at 800 ms without the fault: the same server the fault hit.
  const sim = new Simulation({ seed: 5 });
  zkRegister.build(sim, base.workload, []);
  sim.run({ untilUs: 800_000 });
  t.is(establishedLeader(sim, sim.nodeIds().filter((id) => id.startsWith("zk"))), saved.resolvedTo ?? "none");
  // A replay of the saved schedule (resolvedTo included) is the same run.
  t.is(runCase(zkRegister, 5, { ...base, schedule: result.case.schedule }).traceHash, result.traceHash);
});

test("role faults: the log's controller and partition leader resolve to brokers; nobody in the role means no fault", (t) => {
  const base = caseOfSeed(kafkaLog, 2);
  const schedule: RoleFault[] = [
    { atUs: 0, kind: "crash", target: "controller", restartAfterUs: 100_000 },
    { atUs: 1_500_000, kind: "isolate", target: "partition-leader", durationUs: 400_000 },
    { atUs: 1_600_000, kind: "power-loss", target: "controller", restartAfterUs: 200_000 },
  ];
  const result = runCase(kafkaLog, 2, { ...base, schedule });
  const resolved = (result.case.schedule as RoleFault[]).map((fault) => fault.resolvedTo);
  t.is(resolved[0], null, "no controller is elected at time 0");
  t.regex(String(resolved[1]), /^b\d$/);
  t.regex(String(resolved[2]), /^b\d$/);
});

test("role faults: a schedule naming an unknown role or mixing a target with a node is one clear error", (t) => {
  const nodes = ["zk1", "zk2", "zk3"];
  t.throws(() => validateSchedule([{ atUs: 0, kind: "pause", target: "king", durationUs: 5 }], nodes, ["leader"]), { message: /fault 0: target "king" is not a role of this scenario; its roles are leader/ });
  t.throws(() => validateSchedule([{ atUs: 0, kind: "pause", target: "leader", nodeId: "zk1" }], nodes, ["leader"]), { message: /a target or a nodeId, not both/ });
  t.throws(() => validateSchedule([{ atUs: 0, kind: "cut", target: "leader" }], nodes, ["leader"]), { message: /must be one of crash, power-loss, pause, isolate/ });
  t.throws(() => validateSchedule([{ atUs: 0, kind: "pause", nodeId: "zk1" }, { atUs: -1, kind: "crash", target: "leader" }], nodes, ["leader"]), { message: /^fault 1: \(crash\) atUs/ });
  t.notThrows(() => validateSchedule([{ atUs: 0, kind: "isolate", target: "leader", durationUs: 10 }], nodes, ["leader"]));
});
