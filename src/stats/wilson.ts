/**
 * Wilson score interval for a binomial proportion (Wilson 1927): with p̂ = s/n and z the normal quantile,
 *
 *   center = (p̂ + z²/(2n)) / (1 + z²/n)
 *   half   = z / (1 + z²/n) · sqrt( p̂(1 − p̂)/n + z²/(4n²) )
 *   [lo, hi] = [center − half, center + half]
 *
 * Unlike the Wald interval p̂ ± z·sqrt(p̂(1−p̂)/n) it never leaves [0, 1] and keeps close to nominal coverage
 * at p̂ = 0 or 1 and small n. Use it for a single proportion of independent trials (e.g. accuracy over
 * problems with one sample each); for pass@k over problems use the bootstrap (bootstrap.ts).
 */

/** z for a two-sided 95% interval: Φ⁻¹(0.975). */
export const Z95 = 1.959963984540054;

/** Wilson score interval [lo, hi] for `successes` out of `n` trials; n = 0 gives the vacuous [0, 1]. */
export function wilson(successes: number, n: number, z: number = Z95): [number, number] {
  if (!Number.isFinite(successes) || !Number.isFinite(n) || !Number.isFinite(z))
    throw new RangeError(`wilson: successes, n and z must be finite numbers, got ${successes}, ${n}, ${z}`);
  if (n < 0 || successes < 0) throw new RangeError(`wilson: successes and n must be non-negative, got ${successes}, ${n}`);
  if (successes > n) throw new RangeError(`wilson: successes (${successes}) cannot exceed n (${n})`);
  if (z <= 0) throw new RangeError(`wilson: z must be positive, got ${z}`);
  if (n === 0) return [0, 1];
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Exact endpoints at the boundaries (the formula gives them up to rounding).
  const lo = successes === 0 ? 0 : Math.max(0, center - half);
  const hi = successes === n ? 1 : Math.min(1, center + half);
  return [lo, hi];
}
