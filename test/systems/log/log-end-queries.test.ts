// The controller's log-ends queries (systems/log/log-end-queries.ts) on a hand-driven context.
import test from "ava";
import { LogEndQueries } from "../../../systems/log/log-end-queries.ts";
import type { LogEnd, LogEndsRequest } from "../../../systems/log/messages.ts";
import type { NodeContext } from "../../../sim/types.ts";

function host(nodeId: string) {
  let nowUs = 0;
  const sent: Array<{ to: string; request: LogEndsRequest }> = [];
  const ctx = { nodeId, now: () => nowUs, send: (to: string, request: LogEndsRequest) => sent.push({ to, request }) } as unknown as NodeContext;
  const own: Record<string, LogEnd> = { "events-0": { epoch: 3, offset: 40 } };
  return { ctx, sent, logEnds: (partitions: readonly string[]) => Object.fromEntries(partitions.filter((p) => p in own).map((p) => [p, own[p]!])), advance: (us: number) => { nowUs += us; } };
}

const sameReign = <A extends unknown[]>(callback: (...args: A) => void) => callback;

test("answers come from the brokers asked, the controller's own at once, and the callback waits for all", (t) => {
  const h = host("b1");
  const queries = new LogEndQueries(h);
  let result: Map<string, Record<string, LogEnd>> | undefined;
  queries.ask(new Map([["b1", ["events-0"]], ["b2", ["events-0"]]]), 7, sameReign, (ends) => { result = ends; });
  t.is(result, undefined, "b2 has not answered");
  t.deepEqual(h.sent.map((s) => [s.to, s.request.controllerEpoch, s.request.partitions]), [["b2", 7, ["events-0"]]]);
  queries.onReply({ type: "k.log-ends-reply", id: h.sent[0]!.request.id, ends: { "events-0": { epoch: 3, offset: 52 } } });
  t.deepEqual(result?.get("b1"), { "events-0": { epoch: 3, offset: 40 } });
  t.deepEqual(result?.get("b2"), { "events-0": { epoch: 3, offset: 52 } });
});

test("a broker that does not answer in time, or whose connection breaks, is left out", (t) => {
  const h = host("b1");
  const queries = new LogEndQueries(h);
  let result: Map<string, Record<string, LogEnd>> | undefined;
  queries.ask(new Map([["b2", ["events-0"]], ["b3", ["events-0"]]]), 7, sameReign, (ends) => { result = ends; });
  queries.expire(0, "b3");
  t.is(result, undefined, "b2 is still within its time");
  h.advance(99_999);
  queries.expire(99_999);
  t.is(result, undefined);
  h.advance(1);
  queries.expire(100_000);
  t.is(result?.size, 0, "neither said");
  const late = h.sent.find((s) => s.to === "b2")!.request.id;
  t.notThrows(() => queries.onReply({ type: "k.log-ends-reply", id: late, ends: {} }), "a late answer is ignored");
});
