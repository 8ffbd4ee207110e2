import test from "ava";
import { HistoryRecorder } from "../../scenarios/history-recorder.ts";

function clockAt(startUs: number) {
  return { nowUs: startUs };
}

test("history recorder: stamps true time and positions, pairs completions with their invoke", (t) => {
  const clock = clockAt(100);
  const history = new HistoryRecorder(clock);
  const client = history.client();
  client.invoke("set", { path: "/k0", data: "a", version: -1 });
  clock.nowUs = 250;
  client.ok({ version: 1 });
  clock.nowUs = 300;
  client.invoke("get", { path: "/k0" });
  client.fail("no-node");
  t.deepEqual(history.operations(), [
    { process: 0, type: "invoke", f: "set", value: { path: "/k0", data: "a", version: -1 }, time: 100, index: 0 },
    { process: 0, type: "ok", f: "set", value: { version: 1 }, time: 250, index: 1 },
    { process: 0, type: "invoke", f: "get", value: { path: "/k0" }, time: 300, index: 2 },
    { process: 0, type: "fail", f: "get", value: { path: "/k0" }, time: 300, index: 3, error: "no-node" },
  ]);
});

test("history recorder: after info a client goes on under a fresh process; the old one never invokes again", (t) => {
  const clock = clockAt(0);
  const history = new HistoryRecorder(clock);
  const first = history.client();
  const second = history.client();
  first.invoke("set", { path: "/k0", data: "x", version: -1 });
  first.info("connection-loss");
  t.is(first.process, 2, "a process id no one has used");
  t.deepEqual(first.processes, [0, 2]);
  first.invoke("get", { path: "/k0" });
  t.throws(() => history.invoke(0, "get", { path: "/k0" }), { message: /after an info/ });
  t.throws(() => first.invoke("get", { path: "/k0" }), { message: /pending/ });
  second.invoke("get", { path: "/k0" });
  history.closePending();
  const closing = history.operations().slice(-2);
  t.deepEqual(closing.map((op) => [op.process, op.type, op.error]), [[1, "info", "pending-at-end"], [2, "info", "pending-at-end"]]);
});

test("history recorder: harness events are ok operations; time never goes back", (t) => {
  const clock = clockAt(10);
  const history = new HistoryRecorder(clock);
  history.event(history.newProcess(), "master", { node: "c1", token: 5, startUs: 1, endUs: 9 });
  t.like(history.operations()[0], { type: "ok", f: "master", time: 10 });
  clock.nowUs = 5;
  t.throws(() => history.event(0, "resource-write", { node: "c1", token: 5, accepted: true }), { message: /time went back/ });
  t.throws(() => history.ok(7, {}), { message: /nothing pending/ });
});
