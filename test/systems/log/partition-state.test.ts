// The controller's pure election rule (systems/log/partition-state.ts nextState), case by case.
import test from "ava";
import { nextState, recoveryCandidates, type LogEnd } from "../../../systems/log/partition-state.ts";
import type { PartitionState } from "../../../systems/log/messages.ts";

const REPLICAS = ["b1", "b2", "b3"];
const MIN_ISR = 2;

function state(leader: string | null, isr: string[], suspects?: string[]): PartitionState {
  const s: PartitionState = { topic: "events", partition: 0, replicas: REPLICAS, leader, leaderEpoch: 4, isr, zkVersion: 7, controllerEpoch: 1 };
  if (suspects !== undefined) s.suspects = suspects;
  return s;
}

/** nextState with `live` brokers, of which `restarted` are not trusted, and these log ends. */
function next(from: PartitionState, live: string[], restarted: string[], ends: Record<string, LogEnd> = {}) {
  const usable = new Set(live.filter((broker) => !restarted.includes(broker)));
  return nextState(from, new Set(live), usable, false, 2, (broker) => ends[broker], MIN_ISR);
}

test("a restarted member leaves the ISR of a partition whose leader stays, and becomes a suspect", (t) => {
  const after = next(state("b3", ["b3", "b1"]), REPLICAS, ["b1"]);
  t.deepEqual(after?.isr, ["b3"]);
  t.is(after?.leader, "b3");
  t.is(after?.leaderEpoch, 4, "the leader did not change: no new epoch");
  t.deepEqual(after?.suspects, ["b1"]);
});

test("when the leader left in the ISR comes back restarted, the suspect with the longer log leads", (t) => {
  // kafka-log seed 2003665: b1 was dropped as restarted, then b3, the leader left alone, lost power.
  const offline = next(state("b3", ["b3"], ["b1"]), ["b1", "b2"], ["b1"]);
  t.is(offline?.leader, null, "b3 may hold more than b1: nobody leads while it is away");
  t.deepEqual(offline?.suspects, ["b1"]);
  const ends = { b1: { epoch: 2, offset: 12 }, b3: { epoch: 2, offset: 9 }, b2: { epoch: 0, offset: 40 } };
  const back = next(offline!, REPLICAS, ["b1", "b3"], ends);
  t.is(back?.leader, "b1", "b1's log reaches further than b3's");
  t.deepEqual(back?.isr, ["b1"]);
  t.deepEqual(back?.suspects, ["b3"], "b3, restarted and dropped, stays a candidate; b1, elected, is cleared");
  t.is(back?.leaderEpoch, offline!.leaderEpoch + 1);
});

test("an election among restarted replicas waits for a suspect that is away", (t) => {
  const after = next(state(null, ["b3"], ["b1"]), ["b2", "b3"], ["b3"], { b3: { epoch: 2, offset: 9 } });
  t.is(after?.leader, null, "b1 may hold more than b3: nobody leads while it is away");
  t.deepEqual(after?.suspects, ["b1", "b3"], "b3, back restarted, is marked too");
  t.is(after?.leaderEpoch, 4, "still offline: no new epoch");
  t.is(next(after!, ["b2", "b3"], ["b3"]), undefined, "nothing new: nothing to write");
});

test("a usable ISR member leads before any suspect, whatever their logs", (t) => {
  const after = next(state("b1", ["b1", "b2"], ["b3"]), ["b2", "b3"], ["b3"], { b3: { epoch: 9, offset: 999 } });
  t.is(after?.leader, "b2");
  t.deepEqual(after?.suspects, ["b3"]);
});

test("a replica that was never in the ISR nor a suspect is no candidate", (t) => {
  const after = next(state(null, ["b1"]), REPLICAS, ["b1"], { b1: { epoch: 1, offset: 5 }, b2: { epoch: 3, offset: 50 } });
  t.is(after?.leader, "b1", "b2 was out of sync: clean election never picks it");
});

test("an election among restarted replicas waits for every candidate to say where its log ends", (t) => {
  const from = state(null, ["b3"], ["b1"]);
  t.deepEqual(recoveryCandidates(from, new Set(REPLICAS), new Set(["b2"])), ["b1", "b3"]);
  const partial = next(from, REPLICAS, ["b3"], { b3: { epoch: 2, offset: 9 } });
  t.is(partial?.leader ?? null, null, "b1 did not answer: it may hold the most");
  const answered = next(from, REPLICAS, ["b3"], { b3: { epoch: 2, offset: 9 }, b1: { epoch: 2, offset: 12 } });
  t.is(answered?.leader, "b1");
  t.is(recoveryCandidates(state("b1", ["b1", "b2"]), new Set(REPLICAS), new Set(["b2"])), undefined, "b2 is trusted: a clean election");
});
