// A broker's registration znode (/brokers/ids/<id>): whether it restarted (every restart here is
// unclean: a crash or a power loss) and no controller has yet taken it out of the ISRs, so that a
// controller that never saw it restart still does (KIP-966's unclean shutdown detection).

export interface Registration {
  recovering: boolean;
}

export function encodeRegistration(registration: Registration): string {
  return JSON.stringify(registration);
}

export function decodeRegistration(data: string): Registration {
  if (!data.startsWith("{")) return { recovering: false };
  return { recovering: (JSON.parse(data) as Partial<Registration>).recovering === true };
}
