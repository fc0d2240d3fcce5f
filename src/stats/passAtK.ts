/**
 * Per-problem sample-based estimators: pass@k, pass^k and mean@k from (n samples, c correct).
 *
 * All three are unbiased estimators of a property of k i.i.d. draws from the model, computed from n ≥ k
 * samples by averaging over every k-subset of the n samples (Chen et al. 2021, "Evaluating Large Language
 * Models Trained on Code", the Codex paper):
 *
 *   pass@k = 1 − C(n−c, k) / C(n, k)        P(at least one of k samples is correct)
 *   pass^k =     C(c,   k) / C(n, k)        P(all k samples are correct)        (τ-bench's "pass^k")
 *   mean@k =     c / n                      expected accuracy of k samples (the same for every k ≤ n)
 *
 * The binomial coefficients overflow a double near n ≈ 1030, so both ratios are computed as running
 * products of factors in [0, 1] (no overflow, relative error ~ k·ε):
 *
 *   C(n−c, k) / C(n, k) = prod_{i=n−c+1..n} (1 − k/i)       (and = 0 when n − c < k, so pass@k = 1)
 *   C(c,   k) / C(n, k) = prod_{j=0..k−1} (c − j)/(n − j)    (and = 0 when c < k)
 *
 * Every function validates its inputs and throws a RangeError that says what is wrong: n, c, k must be
 * integers with n ≥ 1, 0 ≤ c ≤ n and 1 ≤ k ≤ n (an estimate for k > n does not exist without a model).
 */

/** Throw a RangeError unless (n, c, k) are integers with 1 ≤ k ≤ n and 0 ≤ c ≤ n. */
export function validateNCK(n: number, c: number, k: number, fn = "passAtK"): void {
  for (const [name, v] of [
    ["n", n],
    ["c", c],
    ["k", k],
  ] as const) {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new RangeError(`${fn}: ${name} must be a finite number, got ${v}`);
    if (!Number.isInteger(v)) throw new RangeError(`${fn}: ${name} must be an integer, got ${v}`);
    if (v < 0) throw new RangeError(`${fn}: ${name} must be non-negative, got ${v}`);
  }
  if (n < 1) throw new RangeError(`${fn}: n (samples) must be at least 1, got ${n}`);
  if (k < 1) throw new RangeError(`${fn}: k must be at least 1, got ${k}`);
  if (c > n) throw new RangeError(`${fn}: c (correct) = ${c} cannot exceed n (samples) = ${n}`);
  if (k > n)
    throw new RangeError(`${fn}: k = ${k} exceeds n = ${n} samples; draw at least k samples per problem or lower k`);
}

/**
 * Unbiased pass@k (Codex estimator) for one problem with n samples of which c are correct:
 * `1 − C(n−c, k)/C(n, k)`, computed as `1 − prod_{i=n−c+1..n} (1 − k/i)`; exactly 1 when `n − c < k`.
 * For k = 1 this is c/n.
 */
export function passAtK(n: number, c: number, k: number): number {
  validateNCK(n, c, k, "passAtK");
  if (n - c < k) return 1;
  let prod = 1;
  for (let i = n - c + 1; i <= n; i++) prod *= 1 - k / i;
  return 1 - prod;
}

/**
 * Unbiased pass^k ("all k correct") for one problem: `C(c, k)/C(n, k)`, computed as
 * `prod_{j=0..k−1} (c − j)/(n − j)`; exactly 0 when `c < k`. For k = 1 this is c/n.
 */
export function passHatK(n: number, c: number, k: number): number {
  validateNCK(n, c, k, "passHatK");
  if (c < k) return 0;
  let prod = 1;
  for (let j = 0; j < k; j++) prod *= (c - j) / (n - j);
  return prod;
}

/**
 * mean@k: the expected fraction correct among k samples, `c / n` (unbiased for every k ≤ n; k only has
 * to be valid, so that a table of mean@k next to pass@k refuses the same impossible k).
 */
export function meanAtK(n: number, c: number, k: number): number {
  validateNCK(n, c, k, "meanAtK");
  return c / n;
}

/**
 * pass@k for many problems at once: `counts` are parallel arrays of n_i and c_i. Returns one value per
 * problem, NaN where n_i < k (callers decide whether to skip or fail; see summarizePassAtK).
 */
export function passAtKMany(n: ArrayLike<number>, c: ArrayLike<number>, k: number): Float64Array {
  if (n.length !== c.length) throw new RangeError(`passAtKMany: n and c differ in length (${n.length} vs ${c.length})`);
  const out = new Float64Array(n.length);
  for (let p = 0; p < n.length; p++) out[p] = n[p] < k ? NaN : passAtK(n[p], c[p], k);
  return out;
}
