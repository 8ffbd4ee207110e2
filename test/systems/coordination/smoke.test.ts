import test from "ava";
import { ClientActor, SERVERS3, Sequencer, clientOptions, makeEnsemble, MS, SECOND } from "./harness.ts";

test("ensemble: elects a leader and serves create/get/set (seed 1)", (t) => {
  const zk = makeEnsemble({ seed: 1 });
  let sequencer!: Sequencer;
  zk.sim.addNode("c1", () => new ClientActor(clientOptions(SERVERS3), (actor) => {
    sequencer = new Sequencer(actor);
    const c = actor.client;
    c.onSessionState = (state) => {
      if (state !== "connected" || sequencer.results.length > 0) return;
      sequencer.run([
      ["create", (done) => c.create("/a", "1", "persistent", done)],
      ["get", (done) => c.getData("/a", {}, done)],
      ["set", (done) => c.setData("/a", "2", 0, done)],
      ["get2", (done) => c.getData("/a", { mode: "local" }, done)],
      ["badset", (done) => c.setData("/a", "3", 0, done)],
    ]);
    };
  }));
  zk.sim.run({ untilUs: 1 * SECOND });
  t.truthy(zk.leader());
  t.is(sequencer.results.length, 5);
  t.deepEqual(sequencer.results.map((r) => r.result.ok), [true, true, true, true, false]);
});
