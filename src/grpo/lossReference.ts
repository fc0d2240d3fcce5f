/**
 * The whole GRPO policy loss in plain numbers — the reference the tfjs `grpoLoss` is tested against, and
 * the function the trainer uses for its logged statistics. Per token of completion i:
 *
 *   ℓ_{i,t} = −min(ρ_{i,t} A_i, clip(ρ_{i,t}, 1−ε_low, 1+ε_high) A_i)   (surrogate.ts)
 *             + β · k(π_θ, π_ref)_{i,t}          when klIn = "loss"        (kl.ts)
 *             − c_H · H_{i,t}                    entropy bonus, c_H = entropyCoef (entropyAggregation "loss")
 *
 * then aggregated by `aggregation` (aggregate.ts) over the unmasked tokens.
 *
 * `entropyAggregation` says how the entropy bonus is normalised:
 * - "loss" (default): −c_H·H_{i,t} is part of ℓ_{i,t}, so it is aggregated like the policy term (for `grpo` a
 *   per-sequence mean, for `dr_grpo` a sum over T_max·N, …): the bonus weighs each token as the loss does.
 * - "token_mean" (TRL 1.13 `_compute_loss`): the loss is agg(policy + KL) − c_H · (1/K) Σ_k Σ_{S_k} H·M / max(1, n_k),
 *   a plain token mean of the entropy per micro-batch whatever the aggregation (equal to "loss" for `dapo`
 *   and `bnpo` with K = 1).
 */
import { aggregateLoss, microBatchRanges, type Aggregation } from "./aggregate.js";
import { klToken, type KlEstimator } from "./kl.js";
import { clippedSurrogate } from "./surrogate.js";

export interface LossOptions {
  epsLow: number;
  epsHigh: number;
  /** KL coefficient β; the KL term enters the loss only when β > 0 and klIn = "loss". */
  beta: number;
  klEstimator: KlEstimator;
  klIn: "loss" | "reward";
  entropyCoef: number;
  aggregation: Aggregation;
  maxTokens: number;
  entropyAggregation?: "loss" | "token_mean";
}

export interface LossInputs {
  /** log π_θ per token, [N][T]. */
  logprobs: ArrayLike<number>[];
  /** log π_θ_old per token (the policy that sampled), [N][T]. */
  oldLogprobs: ArrayLike<number>[];
  /** log π_ref per token, [N][T]; needed for the KL term and KL statistics. */
  refLogprobs?: ArrayLike<number>[];
  /** Per-token entropy of π_θ, [N][T]; needed when entropyCoef ≠ 0. */
  entropy?: ArrayLike<number>[];
  /** 1 for completion tokens that count, 0 for padding / masked (e.g. truncated) sequences, [N][T]. */
  mask: ArrayLike<number>[];
  /** One advantage per sequence, [N]. */
  advantages: ArrayLike<number>;
}

export interface LossStats {
  loss: number;
  /** Fractions / means over the unmasked (loss) tokens; null when there are none (nothing to average). */
  clipLow: number | null;
  clipHigh: number | null;
  k1Mean: number | null;
  k3Mean: number | null;
  /** Largest per-token k3 over loss tokens (null when there are none; 0 without a reference). */
  klMax: number | null;
  entropyMean: number | null;
  tokens: number;
}

export function grpoLossReference(inputs: LossInputs, options: LossOptions, microBatches = 1): LossStats {
  const { logprobs, oldLogprobs, refLogprobs, entropy, mask, advantages } = inputs;
  const N = logprobs.length;
  const tokenMeanEntropy = options.entropyAggregation === "token_mean";
  const perToken: number[][] = [];
  let tokens = 0;
  let low = 0;
  let high = 0;
  let k1 = 0;
  let k3 = 0;
  let klMax = 0;
  let ent = 0;
  for (let i = 0; i < N; i++) {
    const row: number[] = [];
    for (let t = 0; t < logprobs[i].length; t++) {
      const s = clippedSurrogate(logprobs[i][t], oldLogprobs[i][t], advantages[i], options.epsLow, options.epsHigh);
      let l = s.loss;
      if (refLogprobs && options.beta > 0 && options.klIn === "loss")
        l += options.beta * klToken(logprobs[i][t], refLogprobs[i][t], options.klEstimator);
      if (entropy && options.entropyCoef !== 0 && tokenMeanEntropy === false) l -= options.entropyCoef * entropy[i][t];
      row.push(l);
      if (!mask[i][t]) continue;
      tokens++;
      if (s.clippedLow) low++;
      if (s.clippedHigh) high++;
      if (refLogprobs) {
        const a = klToken(logprobs[i][t], refLogprobs[i][t], "k1");
        const b = klToken(logprobs[i][t], refLogprobs[i][t], "k3");
        k1 += a;
        k3 += b;
        klMax = Math.max(klMax, b);
      }
      if (entropy) ent += entropy[i][t];
    }
    perToken.push(row);
  }
  let loss = aggregateLoss(perToken, mask, options.aggregation, { maxTokens: options.maxTokens, microBatches });
  if (entropy && options.entropyCoef !== 0 && tokenMeanEntropy) {
    const ranges = microBatchRanges(N, microBatches);
    for (const [a, b] of ranges) {
      let h = 0;
      let n = 0;
      for (let i = a; i < b; i++)
        for (let t = 0; t < mask[i].length; t++)
          if (mask[i][t]) {
            h += entropy[i][t];
            n++;
          }
      loss -= (options.entropyCoef * h) / Math.max(1, n) / ranges.length;
    }
  }
  const none = tokens === 0;
  return {
    loss,
    clipLow: none ? null : low / tokens,
    clipHigh: none ? null : high / tokens,
    k1Mean: none ? null : k1 / tokens,
    k3Mean: none ? null : k3 / tokens,
    klMax: none ? null : klMax,
    entropyMean: none || !entropy ? null : ent / tokens,
    tokens,
  };
}
