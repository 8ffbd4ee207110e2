// Faults aimed at a role, not a node (Jepsen's "primaries"): `{"kind": "pause", "target": "leader"}`
// resolves, when it fires, to whichever node holds that role then, so a generator hits leaders
// without guessing from ids, and a shrunk schedule keeps hitting the leader even when removing other
// faults changed who leads. The kernel only knows nodes: the runner resolves each role fault through
// the scenario's `roles` hook at its time and hands the kernel a plain fault, which the trace records.
import type { Fault } from "../sim/faults.ts";
import type { NodeId } from "../sim/types.ts";
import { UserError } from "../sim/errors.ts";
import { validateFaults } from "../sim/fault-validation.ts";

/** The single-node kinds a role can be the target of; "isolate" cuts the holder off from every other node. */
export const ROLE_FAULT_KINDS = ["crash", "power-loss", "pause", "isolate", "clock-jump", "clock-drift"] as const;
export type RoleFaultKind = (typeof ROLE_FAULT_KINDS)[number];

export interface RoleFault {
  atUs: number;
  kind: RoleFaultKind;
  /** A role the scenario names (`faultline list scenarios` shows each scenario's roles). */
  target: string;
  restartAfterUs?: number;
  durationUs?: number;
  deltaUs?: number;
  driftPpm?: number;
  /** Written by the run: the node that held the role when the fault fired (null: nobody did, so
   *  nothing happened). For the reader; a replay resolves the role again, to the same node. */
  resolvedTo?: NodeId | null;
}

/** What a saved schedule holds: the kernel's faults and role faults, sorted by time. */
export type ScheduledFault = Fault | RoleFault;

export function isRoleFault(fault: ScheduledFault): fault is RoleFault {
  return typeof (fault as { target?: unknown }).target === "string";
}

/** The plain fault a role fault becomes once its holder is known. */
export function resolveRoleFault(fault: RoleFault, holder: NodeId, nodeIds: readonly NodeId[]): Fault {
  const { target: _target, resolvedTo: _resolved, kind, ...rest } = fault;
  if (kind === "isolate") {
    const others = nodeIds.filter((id) => id !== holder);
    return { atUs: fault.atUs, kind: "partition", groups: [[holder], others], ...(fault.durationUs === undefined ? {} : { durationUs: fault.durationUs }) };
  }
  return { ...rest, kind, nodeId: holder } as Fault;
}

/** Checks a schedule a person may have written: plain faults by the kernel's rules, role faults by their roles. */
export function validateSchedule(schedule: unknown, nodeIds: readonly NodeId[], roles: readonly string[]): asserts schedule is ScheduledFault[] {
  if (!Array.isArray(schedule)) throw new UserError("a fault schedule must be a JSON array of faults");
  schedule.forEach((fault: unknown, index) => {
    const where = (text: string) => new UserError(`fault ${index}: ${text}`);
    const checkPlain = (one: unknown) => {
      try {
        validateFaults([one], nodeIds);
      } catch (error) {
        throw where((error as Error).message.replace(/^fault 0: /, ""));
      }
    };
    if (typeof fault !== "object" || fault === null || !("target" in fault)) {
      checkPlain(fault);
      return;
    }
    const record = fault as Record<string, unknown>;
    if (typeof record.target !== "string" || !roles.includes(record.target)) {
      throw where(`target ${JSON.stringify(record.target)} is not a role of this scenario; its roles are ${roles.length > 0 ? roles.join(", ") : "none"}`);
    }
    if (!(ROLE_FAULT_KINDS as readonly unknown[]).includes(record.kind)) {
      throw where(`a fault with a target must be one of ${ROLE_FAULT_KINDS.join(", ")}, not ${JSON.stringify(record.kind)}`);
    }
    if ("nodeId" in record) throw where(`give a target or a nodeId, not both`);
    // The rest must be a valid fault of its kind aimed at some node.
    const { target: _target, resolvedTo: _resolved, kind, ...rest } = record;
    checkPlain(kind === "isolate" ? { ...rest, kind: "partition", groups: [[nodeIds[0]]] } : { ...rest, kind, nodeId: nodeIds[0] });
  });
}
