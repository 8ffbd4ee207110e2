// K3 producer-reorder: an idempotent producer's acked sends to one partition land in the order it sent
// them (invoke order); retries with several requests in flight break this without idempotence, so a
// producer that says `"idempotent": false` is not judged.
import type { PropertyResult } from "../result.ts";
import type { LogHistory, SendAck } from "./history.ts";
import type { Finding } from "../findings.ts";
import { at, plural, verdictOf } from "../findings.ts";

export const PRODUCER_REORDER = "K3 producer-reorder";

export function checkProducerOrder(log: LogHistory): PropertyResult {
  const streams = new Map<string, SendAck[]>();
  for (const send of log.sends) {
    if (!send.idempotent) continue;
    const stream = JSON.stringify([send.producer, send.partition]);
    const sends = streams.get(stream);
    if (sends) sends.push(send);
    else streams.set(stream, [send]);
  }
  const findings: Finding[] = [];
  let judged = 0;
  for (const sends of streams.values()) {
    judged += sends.length;
    findings.push(...reorders(sends.sort((a, b) => a.invokeOrder - b.invokeOrder)));
  }
  return verdictOf(PRODUCER_REORDER, findings,
    `${plural(judged, "acked idempotent send")} from ${plural(streams.size, "producer-partition stream")} are in send order`);
}

/** Each send acked below an earlier send's offset is out of order with the highest earlier one. */
function reorders(sendsInSendOrder: readonly SendAck[]): Finding[] {
  const findings: Finding[] = [];
  let highest: SendAck | undefined;
  for (const send of sendsInSendOrder) {
    if (highest && send.offset < highest.offset) {
      findings.push({
        anomaly: "producer-reorder",
        detail: `producer ${JSON.stringify(send.producer)} sent ${send.valueKey} (${at(send.ok)}) after ${highest.valueKey} ` +
          `(${at(highest.ok)}), yet partition ${send.partition} holds it at offset ${send.offset} < ${highest.offset}`,
        operations: [highest.ok, send.ok],
      });
    }
    if (!highest || send.offset > highest.offset) highest = send;
  }
  return findings;
}
