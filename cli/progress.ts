// A sweep's progress on stderr: a bar on a terminal (seeds done / total, violations so far, seeds/s,
// ETA), plain lines every tenth of the work elsewhere (CI logs). Never on stdout, so `--json` stays
// one JSON object.
import cliProgress from "cli-progress";

export class Progress {
  private readonly tty = process.stderr.isTTY === true;
  private bars?: cliProgress.MultiBar;
  private bar?: cliProgress.SingleBar;
  private done = 0;
  private total = 0;
  private label = "";
  private started = 0;

  /** A phase of `total` jobs begins ("seeds", "shrinking"). */
  phase(label: string, total: number): void {
    this.finish();
    this.label = label;
    this.done = 0;
    this.total = total;
    this.started = performance.now(); // wall-clock-ok: seeds/s for the reader only
    if (total === 0 || !this.tty) return;
    this.bars = new cliProgress.MultiBar({
      stream: process.stderr, hideCursor: true, clearOnComplete: false, etaBuffer: 50,
      format: `{label} [{bar}] {value}/{total} | {violations} violations | {rate}/s | ETA {eta_formatted}`,
    }, cliProgress.Presets.shades_classic);
    this.bar = this.bars.create(total, 0, { label, violations: 0, rate: "0.0" });
  }

  tick(violations: number): void {
    this.done++;
    const rate = (this.done / Math.max((performance.now() - this.started) / 1000, 1e-3)).toFixed(1); // wall-clock-ok
    if (this.bar !== undefined) this.bar.update(this.done, { violations, rate });
    else if (this.done === this.total || this.done % Math.max(1, Math.ceil(this.total / 10)) === 0) {
      process.stderr.write(`[${this.done}/${this.total}] ${this.label}: ${violations} violations, ${rate}/s\n`);
    }
  }

  /** A line above the bar (a failure found, a seed undecided). */
  note(line: string): void {
    if (this.bars !== undefined) this.bars.log(`${line}\n`);
    else process.stderr.write(`${line}\n`);
  }

  finish(): void {
    this.bars?.stop();
    this.bars = undefined;
    this.bar = undefined;
  }
}
