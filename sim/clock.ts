// A node's own clock: local = base + (true − trueBase) × rate. Drift changes the rate, offsets and
// jumps move the base. Timers are set on local deadlines, so skew and drift really move timeouts.
// A strobe is a transient step on top of that: its displacement is kept apart, so an offset set
// mid-strobe is where the clock ends, and a heal can end the strobe without leaving a step behind.

export class NodeClock {
  private trueBaseUs = 0;
  private localBaseUs = 0;
  private rate = 1;
  private driftPpmCurrent = 0;
  /** The sum of the strobe steps applied so far and not yet undone. */
  private strobeUs = 0;

  get driftPpm(): number {
    return this.driftPpmCurrent;
  }

  localAt(trueUs: number): number {
    return Math.floor(this.localBaseUs + (trueUs - this.trueBaseUs) * this.rate);
  }

  /** The first true time at which the local clock reads at least `localUs` (never before `nowUs`). */
  trueTimeOf(localUs: number, nowUs: number): number {
    if (this.localAt(nowUs) >= localUs) return nowUs;
    let trueUs = Math.ceil(this.trueBaseUs + (localUs - this.localBaseUs) / this.rate);
    // Floating point may leave us one tick short.
    while (this.localAt(trueUs) < localUs) trueUs++;
    return Math.max(trueUs, nowUs);
  }

  setDrift(nowUs: number, driftPpm: number): void {
    this.rebase(nowUs);
    this.driftPpmCurrent = driftPpm;
    this.rate = 1 + driftPpm / 1_000_000;
  }

  jump(nowUs: number, deltaUs: number): void {
    this.rebase(nowUs);
    this.localBaseUs += deltaUs;
  }

  /** Sets local − true × rate at `nowUs` to `offsetUs`, i.e. the skew a clock-offset fault names
   *  (on top of any strobe step in progress, which its own next step undoes). */
  setOffset(nowUs: number, offsetUs: number): void {
    this.rebase(nowUs);
    this.localBaseUs = nowUs + offsetUs + this.strobeUs;
  }

  strobeStep(nowUs: number, deltaUs: number): void {
    this.jump(nowUs, deltaUs);
    this.strobeUs += deltaUs;
  }

  /** Undoes the steps of strobes cut short (by a heal); returns whether the clock moved. */
  endStrobes(nowUs: number): boolean {
    if (this.strobeUs === 0) return false;
    this.jump(nowUs, -this.strobeUs);
    this.strobeUs = 0;
    return true;
  }

  private rebase(nowUs: number): void {
    this.localBaseUs = this.localBaseUs + (nowUs - this.trueBaseUs) * this.rate;
    this.trueBaseUs = nowUs;
  }
}
