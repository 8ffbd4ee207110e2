// Every fault kind with its parameters: the source of `faultline list faults` and of schedule validation.
import type { FaultKind } from "./faults.ts";

export type ParameterType = "node" | "nodes" | "groups" | "us" | "usPositive" | "usSigned" | "ppm" | "probability";

export interface FaultParameter {
  name: string;
  type: ParameterType;
  optional?: boolean;
  description: string;
}

export interface FaultKindInfo {
  kind: FaultKind;
  description: string;
  parameters: FaultParameter[];
}

const node: FaultParameter = { name: "nodeId", type: "node", description: "the node it hits" };
const duration = (what: string, optional = false): FaultParameter =>
  ({ name: "durationUs", type: "usPositive", optional, description: what });
const linkNodes: FaultParameter = { name: "nodes", type: "nodes", optional: true, description: "links touching these nodes (default: every link)" };
const restartAfter: FaultParameter = { name: "restartAfterUs", type: "us", optional: true, description: "restart the node this long after (default: stays down until a restart or the heal)" };

export const FAULT_KINDS: readonly FaultKindInfo[] = [
  { kind: "partition", description: "replace the network partition: listed nodes reach each other only within a shared group; unlisted nodes are unaffected; connections across it break and datagrams in flight across it are dropped",
    parameters: [{ name: "groups", type: "groups", description: "lists of node ids; overlapping groups make bridges and rings" }, duration("heal this partition after (default: until a heal)", true)] },
  { kind: "cut", description: "one-way cut: messages from `from` to `to` are dropped, in flight too; connections between them break; a pair two cuts hold stays cut until both end",
    parameters: [{ name: "from", type: "nodes", description: "senders" }, { name: "to", type: "nodes", description: "receivers" }, duration("remove the cut after (default: until a heal)", true)] },
  { kind: "heal", description: "remove every partition and cut", parameters: [] },
  { kind: "crash", description: "process crash: unsynced writes survive in the OS page cache", parameters: [node, restartAfter] },
  { kind: "power-loss", description: "power loss: unsynced writes are lost; the first may survive torn", parameters: [node, restartAfter] },
  { kind: "restart", description: "start a crashed node again; it sees only its disk", parameters: [node] },
  { kind: "pause", description: "the node processes nothing (messages and timers wait), as in a GC or VM freeze", parameters: [node, duration("resume after (default: until a resume or the heal)", true)] },
  { kind: "resume", description: "end a pause: held messages arrive, overdue timers fire", parameters: [node] },
  { kind: "clock-offset", description: "set the node's clock to true time plus an offset", parameters: [node, { name: "offsetUs", type: "usSigned", description: "skew from true time" }] },
  { kind: "clock-drift", description: "set the node's clock rate", parameters: [node, { name: "driftPpm", type: "ppm", description: "parts per million; +100000 = 10 % fast" }] },
  { kind: "clock-jump", description: "step the node's clock", parameters: [node, { name: "deltaUs", type: "usSigned", description: "negative steps back" }] },
  { kind: "clock-strobe", description: "step the clock forward and back rapidly; ends where it began (a heal ends it at once)",
    parameters: [node, { name: "amplitudeUs", type: "usPositive", description: "size of each step" }, { name: "periodUs", type: "usPositive", description: "time between steps" }, duration("how long it strobes")] },
  { kind: "latency-spike", description: "add latency to messages on some links",
    parameters: [{ name: "extraUs", type: "usPositive", description: "added to each message" }, duration("how long"), linkNodes] },
  { kind: "loss", description: "drop datagrams (connections hide loss)", parameters: [{ name: "probability", type: "probability", description: "per datagram" }, duration("how long"), linkNodes] },
  { kind: "duplication", description: "duplicate datagrams", parameters: [{ name: "probability", type: "probability", description: "per datagram" }, duration("how long"), linkNodes] },
  { kind: "reorder", description: "delay some datagrams so they overtake others", parameters: [{ name: "probability", type: "probability", description: "per datagram" }, duration("how long"), linkNodes] },
];
