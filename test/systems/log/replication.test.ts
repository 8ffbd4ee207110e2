// Replication of the kafka-style log (systems/log/) under hand-written fault schedules. Each
// schedule lives in schedules/<name>.json and replays with
//   npx faultline replay --scenario kafka-log --seed N --schedule test/systems/log/schedules/<name>.json
import test from "ava";
import type { ExecutionContext } from "ava";
import type { PropertyResult } from "../../../scenarios/types.ts";
import type { Operation } from "../../../properties/history/operation.ts";
import { BROKERS, leaderOf, loadSchedule, makeCluster, replica, runToEnd, type Cluster } from "./harness.ts";

const PARTITIONS = ["events-0", "events-1"];
const SENDS = 1_500; // enough that producers are still sending when the faults hit

function assertValid(t: ExecutionContext, properties: readonly PropertyResult[], names: readonly string[] = ["K1", "K2"]): void {
  for (const name of names) {
    const property = properties.find((p) => p.name.startsWith(name));
    t.truthy(property, `no ${name} property`);
    t.is(property!.valid, true, `${property!.name}: ${property!.summary}`);
  }
}

function ackedSends(history: readonly Operation[]): number {
  return history.filter((op) => op.f === "send" && op.type === "ok").length;
}

function everyPartitionLed(t: ExecutionContext, cluster: Cluster): void {
  for (const partition of PARTITIONS) t.not(leaderOf(cluster, partition), null, `${partition} has no single leader`);
}

test("leader failover inside the ISR loses no acknowledged write", (t) => {
  const cluster = makeCluster({ seed: 11, consumers: 2, sendsMax: SENDS });
  // b1 leads events-0 from the start (partition p's replicas start at broker p mod n).
  cluster.sim.run({ untilUs: 350_000 });
  t.is(leaderOf(cluster, "events-0"), "b1");
  t.deepEqual(replica(cluster, "b1", "events-0")!.isr.sort(), ["b1", "b2", "b3"]);
  cluster.sim.addFaults(loadSchedule("leader-failover"));
  cluster.sim.run({ untilUs: 1_200_000 }); // b1 down 0.4 s – 1.4 s; its session (400 ms) expires first
  const during = leaderOf(cluster, "events-0");
  t.true(during === "b2" || during === "b3", `events-0 led by ${during} while b1 is down`);
  t.true(replica(cluster, during!, "events-0")!.leaderEpoch >= 1);
  const { history, properties } = runToEnd(cluster, 3_000_000);
  t.true(ackedSends(history) > 1_000);
  assertValid(t, properties, ["K1", "K2", "K3"]);
  t.true(cluster.drainer()?.finished, "the drain did not finish");
  everyPartitionLed(t, cluster);
});

test("a paused follower leaves the ISR and rejoins it after the pause", (t) => {
  const cluster = makeCluster({ seed: 12, consumers: 2, sendsMax: SENDS });
  // b2 paused 0.4 s – 0.9 s (b2 is not the controller of this seed: b3 is, and ISR changes go through it).
  cluster.sim.addFaults(loadSchedule("isr-shrink-expand"));
  cluster.sim.run({ untilUs: 350_000 });
  t.deepEqual(replica(cluster, "b1", "events-0")!.isr.sort(), ["b1", "b2", "b3"]);
  t.deepEqual(cluster.inspect().controllers, ["b3"]);
  cluster.sim.run({ untilUs: 750_000 });
  t.is(leaderOf(cluster, "events-0"), "b1");
  const shrunk = replica(cluster, "b1", "events-0")!.isr.sort();
  t.deepEqual(shrunk, ["b1", "b3"], "the leader kept the paused follower in its ISR");
  cluster.sim.run({ untilUs: 1_900_000 });
  const leader = leaderOf(cluster, "events-0")!;
  t.deepEqual(replica(cluster, leader, "events-0")!.isr.sort(), ["b1", "b2", "b3"], "the follower did not rejoin the ISR");
  const { properties } = runToEnd(cluster, 2_000_000);
  assertValid(t, properties);
});

test("a restarted follower truncates by leader epoch and ends identical to the leader", (t) => {
  const cluster = makeCluster({ seed: 13, consumers: 2, sendsMax: SENDS });
  cluster.sim.addFaults(loadSchedule("follower-truncation"));
  cluster.sim.run({ untilUs: 1_200_000 });
  // b3 (0.3 s – 1.5 s) and b1 (0.6 s – 1.3 s) are down: b2 leads events-0 in a new epoch.
  const during = replica(cluster, "b2", "events-0")!;
  t.is(during.role, "leader");
  t.true(during.leaderEpoch >= 1);
  const { properties } = runToEnd(cluster, 3_000_000);
  assertValid(t, properties, ["K1", "K2", "K3"]);
  t.true(cluster.drainer()?.finished, "the drain did not finish");
  everyPartitionLed(t, cluster);
  for (const partition of PARTITIONS) {
    const views = cluster.inspect().replicas.filter((r) => r.partition === partition);
    t.is(views.length, 3, `${partition} is not hosted by all three brokers`);
    const [first, ...rest] = views;
    for (const view of rest) {
      t.is(view.logEndOffset, first!.logEndOffset, `${partition}: ${view.broker} LEO ${view.logEndOffset} vs ${first!.broker} ${first!.logEndOffset}`);
      t.is(view.highWatermark, first!.highWatermark, `${partition}: ${view.broker} HW differs`);
      t.is(view.leaderEpoch, first!.leaderEpoch, `${partition}: ${view.broker} epoch differs`);
    }
    const logs = BROKERS.map((id) => {
      const log = cluster.broker(id).partitions.get(partition)!.log;
      return log.read(log.logStartOffset, 1e9).map((r) => JSON.stringify([r.offset, r.leaderEpoch, r.value]));
    });
    t.true(logs[0]!.length > 0);
    t.deepEqual(logs[1], logs[0], `${partition}: b2's records differ from b1's`);
    t.deepEqual(logs[2], logs[0], `${partition}: b3's records differ from b1's`);
  }
});

test("pausing the controller past its session moves the controller to another broker", (t) => {
  const cluster = makeCluster({ seed: 14, consumers: 2, sendsMax: SENDS });
  cluster.sim.run({ untilUs: 350_000 });
  const schedule = loadSchedule("controller-failover"); // pauses b3 0.4 s – 1.3 s, session 400 ms
  const paused = (schedule[0] as { nodeId: string }).nodeId;
  t.deepEqual(cluster.inspect().controllers, [paused], "the schedule must pause this seed's controller");
  cluster.sim.addFaults(schedule);
  cluster.sim.run({ untilUs: 1_250_000 });
  const others = cluster.inspect().controllers.filter((id) => id !== paused);
  t.is(others.length, 1, `controllers while b1 is paused: ${cluster.inspect().controllers.join(",")}`);
  const { properties } = runToEnd(cluster, 3_000_000);
  assertValid(t, properties, ["K1", "K2", "K3"]);
  const after = cluster.inspect().controllers;
  t.is(after.length, 1, `controllers after the run: ${after.join(",")}`);
  t.true(cluster.drainer()?.finished);
  everyPartitionLed(t, cluster);
});

test("retention moves the log start; reads below it restart at the log start", (t) => {
  const cluster = makeCluster({
    seed: 15, consumers: 2, sendsMax: 300, overrides: { retentionRecordsMax: 100, segmentRecordsMax: 20 },
  });
  cluster.sim.addFaults(loadSchedule("retention"));
  const { history, properties } = runToEnd(cluster, 2_000_000);
  assertValid(t, properties, ["K2", "K3"]); // K1 cannot hold: retention deleted acked records before the drain
  for (const partition of PARTITIONS) {
    const leader = leaderOf(cluster, partition)!;
    const view = replica(cluster, leader, partition)!;
    t.true(view.logStartOffset > 0, `${partition}: log start ${view.logStartOffset}`);
    t.true(view.logEndOffset - view.logStartOffset <= 100 + 20, `${partition}: ${view.logEndOffset - view.logStartOffset} records retained`);
    t.is(view.logStartOffset % 20, 0, "retention deletes whole segments");
    t.deepEqual(cluster.broker(leader).partitions.get(partition)!.log.read(0, 10), [], "records below the log start are still readable");
  }
  // The drainer starts at offset 0, is told offset-out-of-range and restarts at the log start.
  const drains = history.filter((op) => op.f === "drain" && op.type === "ok");
  t.is(drains.length, 2);
  for (const drain of drains) {
    const records = (drain.value as { records: Array<{ offset: number }> }).records;
    t.true(records.length > 0);
    const starts = PARTITIONS.map((p) => replica(cluster, leaderOf(cluster, p)!, p)!.logStartOffset);
    t.true(starts.includes(records[0]!.offset), `drain starts at ${records[0]!.offset}, log starts ${starts.join(",")}`);
  }
});

// When the paused follower is also the controller (b3 in this seed), the leader's AlterIsr to it goes
// unanswered; it once had no deadline, so the shrink stayed in flight and b3 was never added back.
// The broker now gives up on an unanswered AlterIsr after a deadline (alterIsrPending).
test("the ISR re-expands after a pause of a follower that is also the controller", (t) => {
  const cluster = makeCluster({ seed: 12, consumers: 2, sendsMax: SENDS });
  cluster.sim.run({ untilUs: 350_000 });
  t.deepEqual(cluster.inspect().controllers, ["b3"]);
  cluster.sim.addFaults(loadSchedule("isr-expand-after-controller-pause"));
  cluster.sim.run({ untilUs: 1_900_000 });
  const leader = leaderOf(cluster, "events-0")!;
  t.deepEqual(replica(cluster, leader, "events-0")!.isr.sort(), ["b1", "b2", "b3"], "b3 did not rejoin the ISR");
});

test("a restarted follower does not rejoin an ISR before its registration stops saying it is recovering", (t) => {
  const cluster = makeCluster({ seed: 15, consumers: 0, sendsMax: SENDS });
  cluster.sim.run({ untilUs: 350_000 });
  const leader = leaderOf(cluster, "events-0")!;
  const follower = BROKERS.find((id) => id !== leader && !cluster.inspect().controllers.includes(id))!;
  cluster.sim.addFaults([{ atUs: 400_000, kind: "crash", nodeId: follower, restartAfterUs: 10_000 }]);
  cluster.sim.run({ untilUs: 420_000 });
  // The controller's orders reach the follower (it follows again) while its registration is unchanged:
  // then cut it off from the ensemble, so that the update saying it has recovered cannot be written.
  const ordered = () => replica(cluster, follower, "events-0")?.role === "follower";
  while (!ordered() && cluster.sim.nowUs < 1_500_000) cluster.sim.run({ untilUs: cluster.sim.nowUs + 500 });
  t.true(ordered(), `${follower} never followed after its restart`);
  t.true(cluster.broker(follower).registrationRecovering());
  const cutUs = cluster.sim.nowUs;
  cluster.sim.apply({ atUs: cutUs, kind: "partition", groups: [[follower], ["zk1", "zk2", "zk3"]], durationUs: 300_000 });
  for (let atUs = cutUs + 10_000; atUs < cutUs + 290_000; atUs += 10_000) {
    cluster.sim.run({ untilUs: atUs });
    const inSync = replica(cluster, leaderOf(cluster, "events-0")!, "events-0")!.isr;
    t.false(inSync.includes(follower), `${follower} rejoined the ISR at ${atUs} us, its registration saying it is recovering`);
  }
  t.true(replica(cluster, follower, "events-0")!.logEndOffset > 0, `${follower} did not fetch while cut off from the ensemble`);
  cluster.sim.run({ untilUs: cutUs + 1_200_000 });
  t.false(cluster.broker(follower).registrationRecovering(), "the registration was never updated");
  const leaderNow = leaderOf(cluster, "events-0")!;
  t.true(replica(cluster, leaderNow, "events-0")!.isr.includes(follower), `${follower} did not rejoin the ISR`);
});
