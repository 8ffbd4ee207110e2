// One lane per node: the spans its faults held it in (crashed, paused, partitioned from whom, a cut, a
// slow or lossy link), its clock's offset from true time as a line, and the leader of each epoch —
// all from the faults the kernel applied and the lines the nodes logged (trace.json).
import type { TraceFacts } from "./report-files.ts";

export interface Span {
  kind: "crash" | "pause" | "partition" | "cut" | "link";
  fromUs: number;
  toUs: number;
  label: string;
}

export interface NodeLane {
  node: string;
  spans: Span[];
  /** [true time, clock offset µs] at each change; absent when the clock was never touched. */
  clock: Array<[number, number]>;
  /** Lines the node logged: [true time, text]. */
  logs: Array<[number, string]>;
}

export interface LeaderSpan {
  /** "ensemble" for the coordination service's leader; a partition ("events-0") for a log's. */
  scope: string;
  node: string;
  fromUs: number;
  toUs: number;
  label: string;
}

type AnyFault = Record<string, unknown> & { kind?: string; nodeId?: string };

export function nodeLanes(trace: TraceFacts): NodeLane[] {
  const lanes = new Map<string, NodeLane>();
  const lane = (node: string) => {
    let found = lanes.get(node);
    if (!found) lanes.set(node, found = { node, spans: [], clock: [], logs: [] });
    return found;
  };
  for (const node of [...(trace.targets ?? []), ...trace.nodes]) lane(node);
  // healAll at the end of the faults phase restarts, resumes and reconnects everything (not traced).
  const healUs = trace.phases.faultsUs;
  const closeAt = (fromUs: number) => fromUs < healUs ? healUs : trace.endUs;
  const openDown = new Map<string, Span>();
  const openPause = new Map<string, Span>();
  let openPartition: { spans: Span[]; endsUs: number | null } | null = null;
  const openCuts: Array<{ key: string; spans: Span[] }> = [];
  const clocks = new Map<string, { atUs: number; offsetUs: number; driftPpm: number }>();
  const clockAt = (node: string, atUs: number) => {
    const clock = clocks.get(node) ?? { atUs: 0, offsetUs: 0, driftPpm: 0 };
    return clock.offsetUs + ((atUs - clock.atUs) * clock.driftPpm) / 1e6;
  };
  const setClock = (node: string, atUs: number, offsetUs: number, driftPpm: number) => {
    const points = lane(node).clock;
    const before = clockAt(node, atUs);
    if (points.length === 0) points.push([0, 0]);
    points.push([atUs, Math.round(before)], [atUs, Math.round(offsetUs)]);
    clocks.set(node, { atUs, offsetUs, driftPpm });
  };
  const endPartition = (atUs: number) => {
    for (const span of openPartition?.spans ?? []) span.toUs = atUs;
    openPartition = null;
  };
  const endCuts = (atUs: number, key?: string) => {
    for (let i = openCuts.length - 1; i >= 0; i--) {
      if (key !== undefined && openCuts[i]!.key !== key) continue;
      for (const span of openCuts[i]!.spans) span.toUs = atUs;
      openCuts.splice(i, 1);
    }
  };
  for (const { timeUs, fault } of trace.faults as Array<{ timeUs: number; fault: AnyFault }>) {
    const node = typeof fault.nodeId === "string" ? fault.nodeId : "";
    switch (fault.kind) {
      case "crash":
      case "power-loss": {
        if (openDown.has(node)) break;
        const span: Span = { kind: "crash", fromUs: timeUs, toUs: closeAt(timeUs), label: fault.kind === "crash" ? "crashed (process)" : "crashed (power loss: unsynced writes lost)" };
        lane(node).spans.push(span);
        openDown.set(node, span);
        break;
      }
      case "restart":
        if (openDown.has(node)) { openDown.get(node)!.toUs = timeUs; openDown.delete(node); }
        break;
      case "pause": {
        if (openPause.has(node)) break;
        const span: Span = { kind: "pause", fromUs: timeUs, toUs: closeAt(timeUs), label: "paused" };
        lane(node).spans.push(span);
        openPause.set(node, span);
        break;
      }
      case "end-pause":
      case "resume":
        if (openPause.has(node)) { openPause.get(node)!.toUs = timeUs; openPause.delete(node); }
        break;
      case "partition": {
        endPartition(timeUs);
        const groups = (Array.isArray(fault.groups) ? fault.groups : []) as string[][];
        const listed = [...new Set(groups.flat())];
        const durationUs = typeof fault.durationUs === "number" ? fault.durationUs : null;
        const spans: Span[] = [];
        for (const member of listed) {
          const reach = new Set(groups.filter((group) => group.includes(member)).flat());
          const cutFrom = listed.filter((other) => !reach.has(other));
          if (cutFrom.length === 0) continue;
          const span: Span = { kind: "partition", fromUs: timeUs, toUs: closeAt(timeUs), label: `partitioned from ${cutFrom.join(", ")}` };
          if (durationUs !== null) span.toUs = Math.min(span.toUs, timeUs + durationUs);
          lane(member).spans.push(span);
          spans.push(span);
        }
        openPartition = { spans, endsUs: durationUs === null ? null : timeUs + durationUs };
        break;
      }
      case "end-partition":
        // Ends the partition that scheduled it, not a later one.
        if (openPartition?.endsUs === timeUs) endPartition(timeUs);
        break;
      case "cut": {
        const from = (fault.from ?? []) as string[];
        const to = (fault.to ?? []) as string[];
        const spans: Span[] = [];
        const toUs = typeof fault.durationUs === "number" ? Math.min(closeAt(timeUs), timeUs + fault.durationUs) : closeAt(timeUs);
        for (const source of from) spans.push({ kind: "cut", fromUs: timeUs, toUs, label: `cannot send to ${to.join(", ")}` });
        for (const target of to) spans.push({ kind: "cut", fromUs: timeUs, toUs, label: `cannot hear ${from.join(", ")}` });
        [...from, ...to].forEach((member, i) => lane(member).spans.push(spans[i]!));
        openCuts.push({ key: JSON.stringify([from, to]), spans });
        break;
      }
      case "end-cut":
        endCuts(timeUs, JSON.stringify([fault.from ?? [], fault.to ?? []]));
        break;
      case "heal":
        endPartition(timeUs);
        endCuts(timeUs);
        break;
      case "clock-offset":
        setClock(node, timeUs, Number(fault.offsetUs), clocks.get(node)?.driftPpm ?? 0);
        break;
      case "clock-drift":
        setClock(node, timeUs, clockAt(node, timeUs), Number(fault.driftPpm));
        break;
      case "clock-jump":
      case "strobe-step":
        setClock(node, timeUs, clockAt(node, timeUs) + Number(fault.deltaUs), clocks.get(node)?.driftPpm ?? 0);
        break;
      case "latency-spike":
      case "loss":
      case "duplication":
      case "reorder": {
        const members = Array.isArray(fault.nodes) ? fault.nodes as string[] : trace.nodes;
        const durationUs = Number(fault.durationUs);
        const label = fault.kind === "latency-spike" ? `+${String(fault.extraUs)} µs latency` : `${fault.kind} p=${String(fault.probability)}`;
        for (const member of members) lane(member).spans.push({ kind: "link", fromUs: timeUs, toUs: timeUs + durationUs, label });
        break;
      }
    }
  }
  for (const [node] of clocks) lane(node).clock.push([trace.endUs, Math.round(clockAt(node, trace.endUs))]);
  for (const log of trace.logs) lane(log.node).logs.push([log.timeUs, log.line]);
  // Clients with no faults would only clutter: keep the fault targets and every node that was hit or logged.
  const targets = new Set(trace.targets ?? []);
  return [...lanes.values()].filter((l) => targets.has(l.node) || l.spans.length > 0 || l.clock.length > 0 || l.logs.length > 0);
}

/**
 * The leader of each epoch: the ensemble's from the nodes' own log lines ("leader of epoch 3
 * established"), each partition's from the announcements in trace.json. A span ends at the next
 * leader of its scope, or when its node crashes.
 */
export function leaderSpans(trace: TraceFacts, lanes: readonly NodeLane[]): LeaderSpan[] {
  const announced: Array<{ timeUs: number; scope: string; node: string; epoch: string }> = [];
  for (const log of trace.logs) {
    const match = /leader of epoch (\d+)/i.exec(log.line);
    if (match) announced.push({ timeUs: log.timeUs, scope: "ensemble", node: log.node, epoch: match[1]! });
  }
  for (const leader of trace.leaders ?? []) announced.push({ ...leader, epoch: String(leader.epoch) });
  const spans: LeaderSpan[] = [];
  const last = new Map<string, LeaderSpan>();
  for (const { timeUs, scope, node, epoch } of announced) {
    const previous = last.get(scope);
    if (previous && previous.toUs > timeUs) previous.toUs = timeUs;
    const crash = lanes.find((l) => l.node === node)?.spans.find((span) => span.kind === "crash" && span.fromUs >= timeUs);
    const span = { scope, node, fromUs: timeUs, toUs: crash?.fromUs ?? trace.endUs, label: `${node} leads ${scope === "ensemble" ? "" : `${scope} `}epoch ${epoch}` };
    spans.push(span);
    last.set(scope, span);
  }
  return spans;
}
