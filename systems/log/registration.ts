// A broker's registration znode (/brokers/ids/<id>): where each of its logs ended when it registered,
// and whether it restarted (every restart here is unclean: a crash or a power loss), so that a
// controller takes a restarted broker out of the ISRs (KIP-966) and, when every in-sync replica
// restarted or re-registered, elects the one whose log reaches furthest.
import type { LogEnd } from "./partition-state.ts";

export interface Registration {
  recovering: boolean;
  /** Per partition name: the last leader epoch and the log end offset at registration. */
  logEnds: Record<string, LogEnd>;
}

export function encodeRegistration(registration: Registration): string {
  return JSON.stringify(registration);
}

export function decodeRegistration(data: string): Registration {
  if (!data.startsWith("{")) return { recovering: false, logEnds: {} };
  return JSON.parse(data) as Registration;
}
