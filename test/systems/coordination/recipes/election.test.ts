import test from "ava";
import { Simulation } from "../../../../sim/simulation.ts";
import { ElectionCandidate } from "../../../../systems/coordination/recipes/election.ts";
import { ProtectedResource } from "../../../../systems/coordination/recipes/resource.ts";
import { HistoryRecorder } from "../../../../scenarios/history-recorder.ts";
import { MasterRecorder } from "../../../../scenarios/zk-master-recorder.ts";
import { candidateConfig, RESOURCE_ID } from "../../../../scenarios/zk-master.ts";
import { placeEnsemble, zkClientFactory } from "../../../../scenarios/zk-ensemble.ts";
import { checkMaster } from "../../../../properties/master/checks.ts";

const workload = { cluster: { servers: 3, tickUs: 20_000, sessionTimeoutMs: 400 }, candidates: 3 };

function electionRun(seed: number, bugs: string[] = []) {
  const sim = new Simulation({ seed });
  const history = new HistoryRecorder(sim);
  const masters = new MasterRecorder(history);
  placeEnsemble(sim, workload.cluster, bugs);
  sim.addNode(RESOURCE_ID, () => new ProtectedResource({ fencing: true }, masters));
  const config = candidateConfig(workload, bugs);
  for (const id of ["c1", "c2", "c3"]) sim.addNode(id, () => new ElectionCandidate(config, zkClientFactory, masters));
  const roles = () => ["c1", "c2", "c3"].map((id) => sim.actorOf<ElectionCandidate>(id)?.state.role ?? "down");
  return { sim, history, masters, roles };
}

test("recipe: one master, and the master role passes to the next candidate after the master crashes", (t) => {
  const { sim, history, masters, roles } = electionRun(7);
  sim.run({ untilUs: 1_000_000 });
  const before = roles();
  t.is(before.filter((role) => role === "master").length, 1, `roles ${before.join(",")}`);
  const first = ["c1", "c2", "c3"][before.indexOf("master")]!;
  const tokenFirst = sim.actorOf<ElectionCandidate>(first)!.state.token!;
  sim.apply({ atUs: 0, kind: "crash", nodeId: first });
  // The crashed master's session expires after its timeout; its successor then takes over.
  sim.run({ untilUs: 2_500_000 });
  const after = ["c1", "c2", "c3"].filter((id) => sim.actorOf<ElectionCandidate>(id)?.state.role === "master");
  t.is(after.length, 1, `roles after the crash ${roles().join(",")}`);
  t.not(after[0], first);
  t.true(sim.actorOf<ElectionCandidate>(after[0]!)!.state.token! > tokenFirst, "the new master's token is higher");
  masters.finish();
  const results = checkMaster(history.operations(), { livenessFromUs: 2_000_000, livenessDeadlineUs: 2_500_000 });
  t.deepEqual(results.map((result) => [result.name, result.valid]), [["M1 single-master", true], ["M2 fencing", true], ["master-liveness", true]]);
  const resource = sim.actorOf<ProtectedResource>(RESOURCE_ID)!;
  t.true(resource.accepted.some((write) => write.node === first) && resource.accepted.some((write) => write.node === after[0]));
});

test("recipe: with ephemeral-leak the crashed master's znode outlives its session and no one takes over", (t) => {
  const { sim, roles } = electionRun(7, ["ephemeral-leak"]);
  sim.run({ untilUs: 1_000_000 });
  const first = ["c1", "c2", "c3"][roles().indexOf("master")]!;
  sim.apply({ atUs: 0, kind: "crash", nodeId: first });
  sim.run({ untilUs: 2_500_000 });
  t.deepEqual(roles().filter((role) => role === "master"), []);
});
