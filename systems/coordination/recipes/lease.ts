// The master's lease, measured on its own clock. A master acts only while
//   now < anchor + sessionTimeout − margin
// where `anchor` is the local SEND time of the latest request whose success proves the leader still
// held our session after it was sent: the session cannot expire before the leader's clock has run a
// full session timeout past that point. The margin covers the clocks' rates: in the worst case our
// clock runs slow by driftMax while the leader's runs fast by driftMax, so a local duration d may be
// d·(1+D)/(1−D) of the leader's; margin = T·2D/(1+D) keeps (T − margin) local ≤ T on the leader.
// Bug lease-ignores-drift: margin 0.

export interface LeaseOptions {
  sessionTimeoutUs: number;
  /** The configured bound on any clock's rate error, in parts per million. */
  driftPpmMax: number;
  ignoresDrift: boolean;
}

export function leaseMarginUs(options: LeaseOptions): number {
  if (options.ignoresDrift) return 0;
  const drift = options.driftPpmMax / 1_000_000;
  return Math.ceil((options.sessionTimeoutUs * 2 * drift) / (1 + drift));
}

export class Lease {
  private anchorLocalUs = Number.NEGATIVE_INFINITY;
  readonly lengthUs: number;

  constructor(options: LeaseOptions) {
    this.lengthUs = options.sessionTimeoutUs - leaseMarginUs(options);
  }

  /** A request sent at `sentLocalUs` came back proving the session alive after it was sent. */
  extend(sentLocalUs: number): void {
    this.anchorLocalUs = Math.max(this.anchorLocalUs, sentLocalUs);
  }

  /** Valid while within the length; a clock seen before the anchor (stepped back) voids it. */
  validAt(nowLocalUs: number): boolean {
    return nowLocalUs >= this.anchorLocalUs && nowLocalUs < this.anchorLocalUs + this.lengthUs;
  }

  clear(): void {
    this.anchorLocalUs = Number.NEGATIVE_INFINITY;
  }
}
