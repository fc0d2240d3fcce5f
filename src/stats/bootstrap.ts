/**
 * Nonparametric bootstrap over problems (Efron 1979), percentile method.
 *
 * The unit of resampling is the *problem*, never the sample: a benchmark is a sample of problems, and the
 * k samples of one problem are not independent evidence about the benchmark. Given per-problem values
 * x_1..x_N (e.g. each problem's unbiased pass@k), one resample draws N indices uniformly with replacement
 * and takes the mean; after B resamples the 95% CI is the (2.5%, 97.5%) quantiles of the B means
 * (linear interpolation between order statistics, "type 7"). The point estimate is the plain mean of the
 * x_i, not the bootstrap mean.
 *
 * Seeded with createRng(seed), so the same data, seed and B give the same interval on every machine.
 * Several columns measured on the same problems (pass@1, pass@8, …) share one index stream
 * (`bootstrapMeansCI`), so their intervals come from the same resamples.
 */
import { createRng } from "./rng.js";

export interface BootstrapOptions {
  /** Number of bootstrap resamples B. */
  resamples?: number;
  /** Seed of the resampling RNG. */
  seed?: number;
  /** Two-sided confidence level (0.95 gives the 2.5% and 97.5% quantiles). */
  level?: number;
}

/** Defaults, in one place. */
export const BOOTSTRAP_DEFAULTS = { resamples: 2000, seed: 0, level: 0.95 } as const;

export interface Estimate {
  estimate: number;
  ci95: [number, number];
}

/** Resolve and validate options; throws a RangeError naming the bad option. */
export function bootstrapOptions(options: BootstrapOptions = {}): Required<BootstrapOptions> {
  const resamples = options.resamples ?? BOOTSTRAP_DEFAULTS.resamples;
  const seed = options.seed ?? BOOTSTRAP_DEFAULTS.seed;
  const level = options.level ?? BOOTSTRAP_DEFAULTS.level;
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`bootstrap: resamples must be a positive integer, got ${resamples}`);
  if (!Number.isFinite(seed)) throw new RangeError(`bootstrap: seed must be a finite number, got ${seed}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`bootstrap: level must be in (0, 1), got ${level}`);
  return { resamples, seed, level };
}

/** Quantile q ∈ [0, 1] of an ascending-sorted array, linear interpolation between order statistics. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError("quantileSorted: empty array");
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function checkColumn(xs: ArrayLike<number>, name: string): void {
  for (let i = 0; i < xs.length; i++)
    if (!Number.isFinite(xs[i])) throw new RangeError(`${name}: value at index ${i} is ${xs[i]}; every value must be finite`);
}

function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

/**
 * Percentile-bootstrap CIs of the mean for several columns over the same N problems, with one shared
 * stream of resample indices. Returns one {estimate, ci95} per column, in order.
 */
export function bootstrapMeansCI(columns: readonly ArrayLike<number>[], options: BootstrapOptions = {}): Estimate[] {
  const { resamples, seed, level } = bootstrapOptions(options);
  if (columns.length === 0) return [];
  const N = columns[0].length;
  if (N === 0) throw new RangeError("bootstrapMeansCI: no values to resample (need at least one problem)");
  columns.forEach((col, j) => {
    if (col.length !== N) throw new RangeError(`bootstrapMeansCI: column ${j} has ${col.length} values, column 0 has ${N}`);
    checkColumn(col, `bootstrapMeansCI column ${j}`);
  });
  const J = columns.length;
  const cols = columns.map((c) => Float64Array.from(c as ArrayLike<number>));
  const means = cols.map(() => new Float64Array(resamples));
  const rng = createRng(seed);
  const sums = new Float64Array(J);
  for (let b = 0; b < resamples; b++) {
    sums.fill(0);
    for (let i = 0; i < N; i++) {
      const idx = (rng() * N) | 0;
      for (let j = 0; j < J; j++) sums[j] += cols[j][idx];
    }
    for (let j = 0; j < J; j++) means[j][b] = sums[j] / N;
  }
  const alpha = (1 - level) / 2;
  return cols.map((col, j) => {
    const m = means[j].sort();
    return { estimate: mean(col), ci95: [quantileSorted(m, alpha), quantileSorted(m, 1 - alpha)] as [number, number] };
  });
}

/** Percentile-bootstrap CI of the mean of `xs` (one value per problem). */
export function bootstrapMeanCI(xs: ArrayLike<number>, options: BootstrapOptions = {}): Estimate {
  return bootstrapMeansCI([xs], options)[0];
}

export interface PairedResult extends Estimate {
  /** Two-sided bootstrap p-value for H0: mean(b − a) = 0 (see pairedBootstrap). */
  p_value: number;
  n: number;
}

/**
 * Paired bootstrap for B vs A on the same problems: d_i = b_i − a_i, estimate = mean(d),
 * ci95 = percentile bootstrap of mean(d) over problems.
 *
 * p-value: the bootstrap distribution of mean(d*) is shifted to the null (centred at 0) and p is the
 * fraction of resamples at least as extreme as the observed difference, with the +1 correction that keeps
 * it away from an impossible 0:  p = (1 + #{b : |mean(d*_b) − d̄| ≥ |d̄|}) / (B + 1), capped at 1.
 * So p ≥ 1/(B+1): to report p < 0.001, use B ≥ 1000. Identical runs give d̄ = 0 and p = 1.
 */
export function pairedBootstrap(a: ArrayLike<number>, b: ArrayLike<number>, options: BootstrapOptions = {}): PairedResult {
  const { resamples, seed, level } = bootstrapOptions(options);
  if (a.length !== b.length)
    throw new RangeError(`pairedBootstrap: a and b must hold the same problems in the same order (lengths ${a.length} vs ${b.length})`);
  const N = a.length;
  if (N === 0) throw new RangeError("pairedBootstrap: no paired values (need at least one problem in both runs)");
  checkColumn(a, "pairedBootstrap a");
  checkColumn(b, "pairedBootstrap b");
  const d = new Float64Array(N);
  for (let i = 0; i < N; i++) d[i] = b[i] - a[i];
  const dbar = mean(d);
  const rng = createRng(seed);
  const m = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < N; i++) s += d[(rng() * N) | 0];
    m[r] = s / N;
  }
  // Tolerance so that floating-point noise in resampled means of an all-zero or constant d is not "extreme".
  const eps = 1e-12 * Math.max(1, Math.abs(dbar));
  let extreme = 0;
  for (let r = 0; r < resamples; r++) if (Math.abs(m[r] - dbar) >= Math.abs(dbar) - eps) extreme++;
  m.sort();
  const alpha = (1 - level) / 2;
  return {
    estimate: dbar,
    ci95: [quantileSorted(m, alpha), quantileSorted(m, 1 - alpha)],
    p_value: Math.min(1, (1 + extreme) / (resamples + 1)),
    n: N,
  };
}
