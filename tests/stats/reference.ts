/** Plain reference implementations for the stats tests: brute force over subsets, BigInt binomials. */

/** Every k-subset of [0, n) (n ≤ ~16). */
export function* subsets(n: number, k: number): Generator<number[]> {
  const idx = Array.from({ length: k }, (_, i) => i);
  if (k > n) return;
  while (true) {
    yield idx.slice();
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i--;
    if (i < 0) return;
    idx[i]++;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1] + 1;
  }
}

/** Mean of f over every k-subset of n items. */
export function meanOverSubsets(n: number, k: number, f: (subset: number[]) => number): number {
  let s = 0;
  let count = 0;
  for (const sub of subsets(n, k)) {
    s += f(sub);
    count++;
  }
  return s / count;
}

export function binomBig(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let r = 1n;
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
  return r;
}

/** a / b for big integers as a double, to ~1e-15 relative. */
export function ratioBig(a: bigint, b: bigint): number {
  const SCALE = 10n ** 30n;
  return Number((a * SCALE) / b) / 1e30;
}
