/**
 * A one-line progress bar for stderr, drawn only when the stream is a TTY (so logs and CI output
 * stay clean) and at most every `intervalMs`:
 *
 *   sweep [##########··········]  512/1024  50.0%  38.2/s  trunc 3  err 0  eta 13s
 */

export interface ProgressCounts {
  done: number;
  total: number;
  truncated: number;
  errors: number;
}

export class ProgressBar {
  private last = 0;
  private readonly t0 = performance.now();
  private readonly enabled: boolean;
  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly options: { label?: string; width?: number; intervalMs?: number; force?: boolean } = {},
  ) {
    this.enabled = options.force ?? stream.isTTY === true;
  }

  /** Format the line (exported for tests; no terminal needed). */
  static format(c: ProgressCounts, elapsedS: number, label = "sweep", width = 20): string {
    const frac = c.total === 0 ? 1 : c.done / c.total;
    const filled = Math.round(frac * width);
    const rate = elapsedS > 0 ? c.done / elapsedS : 0;
    const eta = rate > 0 ? Math.ceil((c.total - c.done) / rate) : NaN;
    return `${label} [${"#".repeat(filled)}${"·".repeat(width - filled)}] ${String(c.done).padStart(String(c.total).length)}/${c.total} ${(frac * 100).toFixed(1).padStart(5)}% ${rate.toFixed(1)}/s trunc ${c.truncated} err ${c.errors}${Number.isFinite(eta) ? ` eta ${eta}s` : ""}`;
  }

  update(c: ProgressCounts, force = false): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (!force && now - this.last < (this.options.intervalMs ?? 100)) return;
    this.last = now;
    this.stream.write(`\r${ProgressBar.format(c, (now - this.t0) / 1000, this.options.label, this.options.width)}\x1b[K`);
  }

  done(c: ProgressCounts): void {
    if (!this.enabled) return;
    this.update(c, true);
    this.stream.write("\n");
  }
}
