/**
 * How noisy a metric is, measured on the run itself, so detectors fire only beyond it.
 *
 * `pointNoise` is the per-step standard deviation of a series around its local level, estimated from first
 * differences: for y_t = μ_t + ε_t with slowly moving μ, y_t − y_{t−1} ≈ ε_t − ε_{t−1} has variance 2σ², so
 * σ ≈ 1.4826 · MAD(Δy) / √2. Trends and level shifts barely move it (a shift adds one outlying difference; the
 * median ignores it), which a plain std over the run would not.
 */

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);

/** Robust per-point noise σ of a series (see the module comment); 0 for fewer than 3 points. */
export function pointNoise(ys: readonly number[]): number {
  if (ys.length < 3) return 0;
  const d: number[] = [];
  for (let i = 1; i < ys.length; i++) d.push(ys[i] - ys[i - 1]);
  const m = median(d);
  return (1.4826 * median(d.map((x) => Math.abs(x - m)))) / Math.SQRT2;
}

/**
 * The drop from the best earlier window to the final window of a series, as a z statistic against the run's
 * own noise: windows of `w` points, the peak window ending before the final window starts;
 * z = (peak − final) / (σ · √(2/w)), effect size d = (peak − final) / σ. σ has a floor (`sigmaFloor`) so a
 * noise-free series does not make every wobble infinitely significant.
 */
export function windowDrop(
  ys: readonly number[],
  w: number,
  sigmaFloor = 1e-6,
): { peak: number; peakEnd: number; final: number; drop: number; sigma: number; z: number; d: number } | null {
  const n = ys.length;
  if (n < 2 * w + 1) return null;
  let sum = 0;
  let best = -Infinity;
  let bestEnd = -1;
  for (let i = 0; i < n - w; i++) {
    sum += ys[i];
    if (i >= w) sum -= ys[i - w];
    if (i >= w - 1 && sum / w > best) {
      best = sum / w;
      bestEnd = i;
    }
  }
  const final = mean(ys.slice(n - w));
  const sigma = Math.max(pointNoise(ys), sigmaFloor);
  const drop = best - final;
  return { peak: best, peakEnd: bestEnd, final, drop, sigma, z: drop / (sigma * Math.sqrt(2 / w)), d: drop / sigma };
}
