/**
 * Min and max of a numeric array by a loop. `Math.max(...xs)` throws "Maximum call stack size exceeded" once
 * xs has more than ~120k elements (a long run's per-token series easily does), so library code uses this.
 * NaN entries are skipped; an empty (or all-NaN) array gives [Infinity, -Infinity], like Math.min()/Math.max().
 */
export function extent(xs: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}

export function arrayMax(xs: ArrayLike<number>): number {
  return extent(xs)[1];
}
