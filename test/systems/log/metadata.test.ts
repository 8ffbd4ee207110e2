// The metadata view clients and the final drain use to find leaders.
import test from "ava";
import { MetadataView, RequestTracker } from "../../../systems/log/client-requests.ts";
import type { NodeContext } from "../../../sim/types.ts";
import type { PartitionState } from "../../../systems/log/messages.ts";

/** A context that records sends; only what MetadataView and RequestTracker use. */
function fakeContext(sent: Array<{ to: string; message: { id: number } }>): NodeContext {
  return {
    now: () => 0,
    send: (to: string, message: { id: number }) => sent.push({ to, message }),
    rng: { pick: <T>(items: readonly T[]) => items[0]! },
  } as unknown as NodeContext;
}

function state(leader: string, leaderEpoch: number): PartitionState {
  return { topic: "events", partition: 0, replicas: ["b1", "b2", "b3"], leader, leaderEpoch, isr: [leader], zkVersion: leaderEpoch, controllerEpoch: 1 };
}

test("asking every broker, the drain takes the leader of the highest epoch, whoever answers first", (t) => {
  const sent: Array<{ to: string; message: { id: number } }> = [];
  const ctx = fakeContext(sent);
  const requests = new RequestTracker(ctx);
  const view = new MetadataView(ctx, requests, ["b1", "b2", "b3"]);
  let done = false;
  view.refresh(() => { done = true; }, "every broker");
  t.deepEqual(sent.map((s) => s.to), ["b1", "b2", "b3"]);
  // b1, deposed without knowing it, still names itself; b2 knows its successor's epoch; b3 is lost.
  const answer = (i: number, partitions: PartitionState[]) => requests.reply({ type: "k.metadata-reply", id: sent[i]!.message.id, partitions, controller: null });
  answer(0, [state("b1", 3)]);
  t.false(done, "done only once every broker answered");
  answer(1, [state("b2", 4)]);
  requests.broken("b3");
  t.true(done);
  t.is(view.leaderOf("events", 0), "b2");
  // A later, older answer does not take the view back.
  view.refresh(() => {}, "every broker");
  answer(3, [state("b1", 3)]);
  t.is(view.leaderOf("events", 0), "b2");
});

test("a plain refresh asks one broker", (t) => {
  const sent: Array<{ to: string; message: { id: number } }> = [];
  const ctx = fakeContext(sent);
  const view = new MetadataView(ctx, new RequestTracker(ctx), ["b1", "b2", "b3"]);
  view.refresh();
  t.is(sent.length, 1);
});
