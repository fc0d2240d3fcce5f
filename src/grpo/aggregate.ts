/**
 * Loss aggregation: how per-token losses ℓ[i][t] (sequence i, token t, mask M[i][t] ∈ {0,1}) become one
 * scalar. The choice decides how much each token weighs — a real bias, not a detail (Dr. GRPO, DAPO).
 *
 * The N = B·G sequences of a step may be split into K micro-batches S_1..S_K (gradient accumulation; one
 * optimizer step per K micro-batches). With n_k = Σ_{i∈S_k,t} M[i][t] and n = Σ_k n_k:
 *
 * - `grpo`    (DeepSeekMath eq. 3): (1/K) Σ_k (1/|S_k|) Σ_{i∈S_k} (Σ_t ℓ M / max(1, Σ_t M))
 *             — token mean per sequence, then mean over sequences; long sequences' tokens weigh less.
 * - `dapo`    (DAPO eq. 8):         Σ_{i,t} ℓ M / max(1, n)  — one token mean over the whole step's batch,
 *             whatever K is.
 * - `dr_grpo` (Dr. GRPO):           (1/K) Σ_k Σ_{i∈S_k,t} ℓ M / (T_max · |S_k|) — a constant normaliser
 *             (T_max = max_tokens), so no length bias.
 * - `bnpo`    (TRL "bnpo"):         (1/K) Σ_k Σ_{i∈S_k,t} ℓ M / max(1, n_k) — token mean per micro-batch;
 *             equals `dapo` when K = 1.
 *
 * A sequence with no unmasked tokens counts in |S_k| and contributes 0 (as TRL's clamp(min=1) does).
 */

export type Aggregation = "grpo" | "dapo" | "dr_grpo" | "bnpo";

/** Contiguous, near-equal micro-batch ranges [start, end) over N sequences. */
export function microBatchRanges(N: number, K: number): [number, number][] {
  if (!Number.isInteger(K) || K < 1) throw new RangeError(`micro-batch count must be a positive integer, got ${K}`);
  if (K > N && N > 0) throw new RangeError(`cannot split ${N} sequences into ${K} micro-batches`);
  const out: [number, number][] = [];
  const size = Math.ceil(N / K);
  for (let s = 0; s < N; s += size) out.push([s, Math.min(N, s + size)]);
  return out;
}

export interface AggregateOptions {
  /** T_max for `dr_grpo`. */
  maxTokens: number;
  /** K, the number of micro-batches (default 1). */
  microBatches?: number;
}

/** The scalar loss of one optimizer step from per-token losses and mask ([N][T] each). */
export function aggregateLoss(loss: ArrayLike<number>[], mask: ArrayLike<number>[], mode: Aggregation, options: AggregateOptions): number {
  const N = loss.length;
  if (mask.length !== N) throw new RangeError(`loss has ${N} rows, mask ${mask.length}`);
  if (N === 0) return 0;
  const rowSum = (i: number) => {
    let s = 0;
    for (let t = 0; t < mask[i].length; t++) if (mask[i][t]) s += loss[i][t];
    return s;
  };
  const rowCount = (i: number) => {
    let c = 0;
    for (let t = 0; t < mask[i].length; t++) c += mask[i][t] ? 1 : 0;
    return c;
  };
  const ranges = microBatchRanges(N, options.microBatches ?? 1);
  const K = ranges.length;
  if (mode === "dapo") {
    let s = 0;
    let n = 0;
    for (let i = 0; i < N; i++) {
      s += rowSum(i);
      n += rowCount(i);
    }
    return s / Math.max(1, n);
  }
  let total = 0;
  for (const [a, b] of ranges) {
    let part = 0;
    if (mode === "grpo") {
      for (let i = a; i < b; i++) part += rowSum(i) / Math.max(1, rowCount(i));
      part /= b - a;
    } else {
      let s = 0;
      let n = 0;
      for (let i = a; i < b; i++) {
        s += rowSum(i);
        n += rowCount(i);
      }
      part = mode === "dr_grpo" ? s / (options.maxTokens * (b - a)) : s / Math.max(1, n);
    }
    total += part / K;
  }
  return total;
}
