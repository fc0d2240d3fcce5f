/**
 * The whole GRPO policy loss in plain numbers — the reference the tfjs `grpoLoss` is tested against, and
 * the function the trainer uses for its logged statistics. Per token of completion i:
 *
 *   ℓ_{i,t} = −min(ρ_{i,t} A_i, clip(ρ_{i,t}, 1−ε_low, 1+ε_high) A_i)   (surrogate.ts)
 *             + β · k(π_θ, π_ref)_{i,t}          when klIn = "loss"        (kl.ts)
 *             − c_H · H_{i,t}                    entropy bonus, c_H = entropyCoef
 *
 * then aggregated by `aggregation` (aggregate.ts) over the unmasked tokens.
 */
import { aggregateLoss, type Aggregation } from "./aggregate.js";
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
  /** Fractions over unmasked tokens (0 when there are none). */
  clipLow: number;
  clipHigh: number;
  k1Mean: number;
  k3Mean: number;
  /** Largest per-token k3 (0 when there are no tokens or no reference). */
  klMax: number;
  entropyMean: number;
  tokens: number;
}

export function grpoLossReference(inputs: LossInputs, options: LossOptions, microBatches = 1): LossStats {
  const { logprobs, oldLogprobs, refLogprobs, entropy, mask, advantages } = inputs;
  const N = logprobs.length;
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
      if (entropy && options.entropyCoef !== 0) l -= options.entropyCoef * entropy[i][t];
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
  const d = Math.max(1, tokens);
  return {
    loss: aggregateLoss(perToken, mask, options.aggregation, { maxTokens: options.maxTokens, microBatches }),
    clipLow: low / d,
    clipHigh: high / d,
    k1Mean: k1 / d,
    k3Mean: k3 / d,
    klMax,
    entropyMean: ent / d,
    tokens,
  };
}
