import test from "ava";
import { zkRegister } from "../../scenarios/zk-register.ts";
import { runCase, type ScenarioCase } from "../../scenarios/runner.ts";
import type { ZkRegisterWorkload } from "../../scenarios/zk-workload.ts";
import { kafkaLog } from "../../scenarios/kafka-log.ts";
import { caseOfSeed } from "../../scenarios/runner.ts";
import type { ScheduledFault } from "../../scenarios/role-faults.ts";

// Cases the soak found, kept as they were shrunk (each was a real bug in faultline).

/** The properties a run did not pass, in words, for a failed assertion's message. */
function failing(result: { properties: Array<{ name: string; valid: boolean | "unknown"; summary: string }> }): string {
  return result.properties.filter((p) => p.valid !== true).map((p) => `${p.name}: ${p.summary}`).join("; ");
}

test("regression: zk-register seed 3087 elects a leader after the heal (the kernel once livelocked reconnections)", (t) => {
  // Two servers kept sending to each other while each still owed the other a "broken" notice;
  // every refused send re-armed the sender's notice, so the connection never reopened and the
  // election never finished. The kernel now lets the end that heard of the break reconnect, and
  // queues the new connection's traffic behind the peer's notice.
  const scenarioCase = CASE_3087;
  const result = runCase(zkRegister, 3087, scenarioCase);
  t.is(result.valid, true, result.properties.map((p) => `${p.name}: ${p.summary}`).join("; "));
});

const CASE_3087: ScenarioCase<ZkRegisterWorkload> = {"workload":{"cluster":{"servers":3,"tickUs":20000,"sessionTimeoutMs":400},"clients":7,"keys":2,"mix":{"read":2,"write":2,"cas":2},"operationsPerClientMax":625},"schedule":[{"atUs":444314,"kind":"power-loss","nodeId":"zk3","restartAfterUs":393866},{"atUs":624341,"kind":"crash","nodeId":"zk2","restartAfterUs":528414},{"atUs":856261,"kind":"latency-spike","extraUs":2857,"durationUs":658658},{"atUs":1188014,"kind":"pause","nodeId":"zk3","durationUs":559874},{"atUs":1371818,"kind":"power-loss","nodeId":"zk2","restartAfterUs":37731},{"kind":"partition","atUs":1435222,"durationUs":297504,"groups":[["zk3"],["zk1","zk2"]]},{"kind":"partition","atUs":1510001,"durationUs":461889,"groups":[["zk2"],["zk1","zk3"]]},{"atUs":1541025,"kind":"pause","nodeId":"zk2","durationUs":206822}]};

test("regression: kafka-log seed 15 recovers when the ensemble leader loses power as the controller lists brokers", (t) => {
  // Found by a role-aimed fault (--roles). The new controller listed /brokers/ids through the leader;
  // the leader lost power; each broker's registration read failed with connection-loss, and the
  // controller took all three brokers for gone: no leader was ever elected and nothing was acked.
  // A read that fails for any reason but no-node now makes the controller resign and bid again.
  const { workload } = caseOfSeed(kafkaLog, 15);
  const result = runCase(kafkaLog, 15, { workload, schedule: [{ atUs: 90_821, kind: "power-loss", nodeId: "zk3", restartAfterUs: 239_254 }] });
  t.is(result.valid, true, failing(result));
  t.true(result.history.some((op) => op.f === "send" && op.type === "ok"), "producers were acked");
});

test("regression: kafka-log seed 285 elects partition leaders when the controller is cut off while it writes the first states", (t) => {
  // Found by --roles on the correct build. The controller was isolated as it created the new
  // topics' state znodes: the parents' creates failed with connection-loss, the states' creates
  // then with no-node, and the controller kept its cache of unwritten states and waited for a
  // broker change that never came: no partition ever had a leader. A step's ZooKeeper request is
  // now sent until it is answered (Kafka retries until connected), and a create is fenced too.
  const { workload } = caseOfSeed(kafkaLog, 285);
  // Isolation starts swept across the first writes, so the test does not hang on one timing.
  for (let atUs = 88_000; atUs <= 128_000; atUs += 4_000) {
    const result = runCase(kafkaLog, 285, { workload, schedule: [{ atUs, kind: "isolate", target: "controller", durationUs: 372_478 }] });
    t.is(result.valid, true, `isolated at ${atUs} us: ` + failing(result));
  }
});

test("regression: kafka-log seed 500051 keeps acked records when an unanswered ISR expand is followed by a shrink", (t) => {
  // Found by --roles on the correct build: 396 acked records lost. A leader proposed adding b1 back to
  // the ISR just as b1, the controller, was cut off; the proposal went unanswered (the controller may
  // have written it), and the leader's next proposal, a shrink dropping b1, replaced it: the leader
  // stopped counting b1 and acked records b1 never had. Another controller later read the ISR b1 had
  // written and elected b1. Members of unanswered proposals now count until the controller confirms
  // a state (KIP-497: the leader acts on the maximal ISR).
  const { workload } = caseOfSeed(kafkaLog, 500051);
  const result = runCase(kafkaLog, 500051, { workload, schedule: [{"atUs":0,"kind":"clock-drift","nodeId":"b1","driftPpm":15695},{"atUs":30667,"kind":"power-loss","nodeId":"zk3","restartAfterUs":533480},{"atUs":449872,"kind":"crash","nodeId":"b1","restartAfterUs":376149},{"atUs":609674,"kind":"crash","nodeId":"b2","restartAfterUs":120029},{"kind":"partition","atUs":1108652,"durationUs":728016,"groups":[["b1"],["b2","b3","zk1","zk2","zk3"]]},{"kind":"partition","atUs":1409450,"durationUs":359359,"groups":[["b3"],["b1","b2","zk1","zk2","zk3"]]},{"atUs":1680355,"kind":"power-loss","nodeId":"b2","restartAfterUs":46558},{"atUs":2339522,"kind":"power-loss","nodeId":"b2","restartAfterUs":442526},{"atUs":2750218,"kind":"clock-drift","nodeId":"zk1","driftPpm":-20893}] });
  t.is(result.valid, true, failing(result));
});

test("regression: kafka-log seed 500381 resumes a partition from its committed offset after a rejoin cut short the offset fetch", (t) => {
  // Found by --roles on the correct build (C2: offset 32 committed after 968). c1 joined generation 3
  // and was cut off while it fetched the group's offsets, its positions still 0; it rejoined, the
  // generation was unchanged, and it kept those positions as if they had been fetched: it read
  // partition 0 again from offset 0 and committed 32. Positions now stand only once fetched.
  const { workload } = caseOfSeed(kafkaLog, 500381);
  const result = runCase(kafkaLog, 500381, { workload, schedule: [{"atUs":1105298,"kind":"latency-spike","extraUs":10452,"durationUs":992612},{"atUs":1350970,"kind":"crash","target":"partition-leader","restartAfterUs":10018,"resolvedTo":"b1"},{"atUs":1621349,"kind":"crash","nodeId":"c3","restartAfterUs":268723},{"atUs":1954489,"kind":"power-loss","target":"leader","restartAfterUs":444917,"resolvedTo":"zk3"},{"kind":"partition","atUs":2109409,"durationUs":50019,"groups":[["c1"],["b1","b2","b3","zk1","zk2","zk3","c2","c3"]]}] });
  t.is(result.valid, true, failing(result));
});

test("regression: kafka-log seed 500101 keeps a consumer's positions when its rejoin into an unchanged generation is retried", (t) => {
  // The first form of the seed-500381 fix forgot a member's positions on every rejoin not made while
  // consuming, a retried join included; the member then re-read from the committed offsets within the
  // same generation (C1 nonmonotonic-poll). Found by the next soak.
  const result = runCase(kafkaLog, 500101, caseOfSeed(kafkaLog, 500101));
  t.is(result.valid, true, failing(result));
});

test("regression: kafka-log seed 701299 applies the controller's orders that came before the broker knew its own epoch", (t) => {
  // Found by the soak on the correct build: b2 was cut off just after sending its registration; the
  // create's reply was lost, so b2 learned its broker epoch by a read, and the controller's
  // LeaderAndIsr for that epoch came first and was dropped. b2 never led events-1. Such orders are
  // now kept and applied once the broker knows its epoch.
  const { workload } = caseOfSeed(kafkaLog, 701299);
  const result = runCase(kafkaLog, 701299, { workload, schedule: [{ kind: "partition", atUs: 60_078, durationUs: 50_000, groups: [["b2"], ["b1", "b3", "zk1", "zk2", "zk3"]] }] });
  t.is(result.valid, true, failing(result));
});

test("regression: kafka-log seed 701117 does not take a closed ZooKeeper client's answer for its own session", (t) => {
  // Found by --roles --swarm on the correct build (K1: acked records missing from the drain). b1's
  // session expired twice in a row; its third client, on the connection the second had used, took the
  // second's connect answer (both had request number 1) and a session the server had not bound to the
  // connection, so b1 never saw its registration as its own, ignored every order and kept serving
  // partition 0 as the old leader. Each new session of a broker now numbers its requests afresh.
  const { workload } = caseOfSeed(kafkaLog, 701117);
  const result = runCase(kafkaLog, 701117, { workload, schedule: [{"atUs":1743363,"kind":"crash","target":"leader","restartAfterUs":638265,"resolvedTo":"zk3"},{"kind":"partition","atUs":1881607,"durationUs":572037,"groups":[["b1"],["b2","b3","zk1","zk2","zk3"]]},{"atUs":2263634,"kind":"pause","nodeId":"b1","durationUs":50009},{"atUs":2562788,"kind":"pause","nodeId":"b1","durationUs":435686}] });
  t.is(result.valid, true, failing(result));
});

test("regression: kafka-log seed 701162 keeps min.insync.replicas members in the ISR, so a leader's power loss loses nothing acked", (t) => {
  // Found by --roles --swarm on the correct build (K1: 7 acked records lost). b1, leading, came back
  // from a pause and shrank the ISR to itself (its followers looked lagging only because it had
  // stalled), then lost power: the only in-sync replica restarted without its unflushed tail and was
  // elected again, though b2 and b3 held the records. The ISR now never shrinks below
  // min.insync.replicas (a simpler form of KIP-966's eligible leader replicas).
  const { workload } = caseOfSeed(kafkaLog, 701162);
  const result = runCase(kafkaLog, 701162, { workload, schedule: [{"atUs":1237471,"kind":"pause","nodeId":"b1","durationUs":261474},{"atUs":1471904,"kind":"pause","nodeId":"b1","durationUs":70905},{"atUs":1549826,"kind":"power-loss","nodeId":"b1","restartAfterUs":565802}] });
  t.is(result.valid, true, failing(result));
});

test("regression: kafka-log seed 900842 keeps an away member in the ISR rather than leave only a replica that may have lost its tail", (t) => {
  // Found by --swarm on the correct build (K1: 39 acked records lost). The controller dropped the
  // leader b1 from the ISR when its session expired, leaving b3; b3 then lost power, and a later
  // controller, finding every ISR member restarted, elected b3 with its truncated log, though b1,
  // back and intact, held the records. The controller now keeps away members while the ISR would
  // fall below min.insync.replicas (KIP-966's eligible leader replicas, simplified).
  const { workload } = caseOfSeed(kafkaLog, 900842);
  const result = runCase(kafkaLog, 900842, { workload, schedule: [{"atUs":0,"kind":"power-loss","nodeId":"b2","restartAfterUs":478165},{"atUs":267399,"kind":"pause","nodeId":"zk2","durationUs":250833},{"atUs":538664,"kind":"power-loss","nodeId":"b3","restartAfterUs":10000}] });
  t.is(result.valid, true, failing(result));
});

test("regression: kafka-log seed 1301027 does not let a restarted broker's previous registration vouch for it", (t) => {
  // Found by --swarm on the correct build (K1: 64 acked records lost). b2 lost power and b1, the
  // controller, crashed. b2's registration from before the power loss lived on until its session
  // timed out, and the new controller, which had never seen b2's earlier epochs, took it for a
  // broker that lost nothing: it kept b2 in the ISR and dropped b1 as restarted. b1 held the records;
  // b2, elected, did not. A restarted broker now deletes its previous incarnation's registration.
  const { workload } = caseOfSeed(kafkaLog, 1301027);
  const result = runCase(kafkaLog, 1301027, { workload, schedule: [{"atUs":0,"kind":"clock-drift","nodeId":"b1","driftPpm":-11068},{"atUs":410999,"kind":"crash","nodeId":"b3","restartAfterUs":10009},{"atUs":2021659,"kind":"power-loss","nodeId":"b3","restartAfterUs":10000},{"atUs":2400582,"kind":"power-loss","nodeId":"b2","restartAfterUs":10000},{"atUs":2427593,"kind":"crash","nodeId":"b1","restartAfterUs":10001}] });
  t.is(result.valid, true, failing(result));
});

test("regression: kafka-log seed 2000360 keeps a broker's recovering flag from outliving its removal from the ISRs", (t) => {
  // Found by --swarm on the correct build (K1: 8 acked records lost). b1 crashed and registered as
  // recovering; the controller took it out of the ISRs, and b1's update of its registration went to
  // a server that had just crashed and was lost. b1 caught up and rejoined the ISRs, its registration
  // still saying it was recovering. b2, the controller and a leader, lost power; the new controller
  // dropped b1 as restarted and elected b2, which had lost its tail. A broker now sends the update
  // until it is written, and may not rejoin an ISR before it is.
  const { workload } = caseOfSeed(kafkaLog, 2000360);
  const result = runCase(kafkaLog, 2000360, { workload, schedule: [{"atUs":0,"kind":"pause","nodeId":"b3","durationUs":797786},{"atUs":486831,"kind":"crash","nodeId":"b1","restartAfterUs":10003},{"atUs":823830,"kind":"crash","nodeId":"zk1","restartAfterUs":799985},{"kind":"partition","atUs":1207370,"durationUs":471148,"groups":[["b3","zk1"],["b1","b2","zk2","zk3"]]},{"kind":"partition","atUs":1774475,"durationUs":351409,"groups":[["zk3"],["b1","b2","b3","zk1","zk2"]]},{"atUs":1860027,"kind":"power-loss","nodeId":"b2","restartAfterUs":10001}] });
  t.is(result.valid, true, failing(result));
});

test("regression: kafka-log seeds 2002110 and 2003665 keep a restarted replica as a candidate after it leaves the ISR", (t) => {
  // Found by --swarm on the correct build (K1: 19 and 10 acked records lost). A restarted broker was
  // dropped from an ISR whose leader had just lost power, its session not yet expired; the ISR was left
  // with the dead leader alone. When it came back it was the only candidate and was elected, its tail
  // gone, while the dropped replica, which had only crashed (2002110) or had flushed more (2003665),
  // held the records. A restarted replica now stays a suspect until it rejoins the ISR, and an
  // election among restarted replicas waits for the suspects and takes the longest log of them all.
  for (const [seed, schedule] of [[2002110, [{"atUs":1631315,"kind":"pause","nodeId":"zk3","durationUs":319053},{"atUs":1636576,"kind":"pause","nodeId":"b1","durationUs":181269},{"atUs":2041011,"kind":"power-loss","nodeId":"b3","restartAfterUs":222425},{"atUs":2052475,"kind":"crash","nodeId":"b2","restartAfterUs":10002}]], [2003665, [{"atUs":62330,"kind":"crash","nodeId":"b3","restartAfterUs":628267},{"atUs":71962,"kind":"crash","nodeId":"b2","restartAfterUs":306317},{"atUs":252587,"kind":"pause","nodeId":"zk3","durationUs":668594},{"kind":"partition","atUs":762257,"durationUs":497744,"groups":[["b1","b3","zk1","zk3"],["b2","zk2"]]},{"atUs":1254816,"kind":"pause","nodeId":"b3","durationUs":308328},{"atUs":1331254,"kind":"power-loss","nodeId":"b1","restartAfterUs":57803},{"atUs":1494977,"kind":"power-loss","nodeId":"b3","restartAfterUs":592828}]]] as Array<[number, ScheduledFault[]]>) {
    const { workload } = caseOfSeed(kafkaLog, seed);
    const result = runCase(kafkaLog, seed, { workload, schedule });
    t.is(result.valid, true, `seed ${seed}: ` + failing(result));
  }
});
