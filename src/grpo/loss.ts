/**
 * The GRPO policy loss on tensors — the differentiable twin of `grpoLossReference` (lossReference.ts has
 * the formula; tests check both agree to 1e-5 and that gradients match finite differences).
 *
 * Inputs are one micro-batch of N = B·G sequences (or part of them) padded to T completion tokens:
 * log-probs [N, T] (differentiable), old/ref log-probs [N, T] (constants), mask [N, T] float 0/1,
 * advantages [N]. Masked positions are zeroed before any exp, so padding can never make an Inf/NaN
 * that a mask multiply would turn into a NaN gradient.
 */
import * as tf from "@tensorflow/tfjs";
import type { LossOptions } from "./lossReference.js";

export interface LossTensors {
  logprobs: tf.Tensor2D; // [N, T] log π_θ
  oldLogprobs: tf.Tensor2D; // [N, T] log π_θ_old
  refLogprobs?: tf.Tensor2D; // [N, T] log π_ref
  entropy?: tf.Tensor2D; // [N, T] H(π_θ(·|o_<t))
  mask: tf.Tensor2D; // [N, T] 1 = counts
  advantages: tf.Tensor1D; // [N]
}

/** Where this micro-batch sits in the step: K micro-batches, n unmasked tokens in the whole step (dapo). */
export interface MicroBatchContext {
  microBatches: number;
  totalTokens: number;
}

/** Scalar loss of one micro-batch; summing it over the K micro-batches of a step gives the step's loss. */
export function grpoLoss(x: LossTensors, options: LossOptions, ctx?: MicroBatchContext): tf.Scalar {
  return tf.tidy(() => {
    const M = x.mask; // [N, T]
    const [N] = M.shape;
    const K = ctx?.microBatches ?? 1;
    const lp = x.logprobs.mul(M); // [N, T]
    const old = x.oldLogprobs.mul(M); // [N, T]
    const A = x.advantages.reshape([N, 1]); // [N, 1]
    const rho = tf.exp(lp.sub(old)); // [N, T] ρ = π_θ / π_θ_old
    const rhoClipped = tf.clipByValue(rho, 1 - options.epsLow, 1 + options.epsHigh); // [N, T]
    let perToken = tf.neg(tf.minimum(rho.mul(A), rhoClipped.mul(A))) as tf.Tensor2D; // [N, T]
    if (x.refLogprobs && options.beta > 0 && options.klIn === "loss") {
      const delta = x.refLogprobs.mul(M).sub(lp); // [N, T] log(π_ref / π_θ)
      const kl =
        options.klEstimator === "k1"
          ? tf.neg(delta)
          : options.klEstimator === "k2"
            ? delta.square().mul(0.5)
            : tf.exp(delta).sub(1).sub(delta); // [N, T]
      perToken = perToken.add(kl.mul(options.beta));
    }
    const tokenMeanEntropy = options.entropyAggregation === "token_mean";
    if (x.entropy && options.entropyCoef !== 0 && !tokenMeanEntropy) perToken = perToken.sub(x.entropy.mul(M).mul(options.entropyCoef));
    const masked = perToken.mul(M); // [N, T]
    const rowCount = M.sum(1); // [N]
    const aggregated = (() => {
      switch (options.aggregation) {
        case "grpo":
          return masked.sum(1).div(tf.maximum(rowCount, 1)).mean().div(K);
        case "dapo":
          return masked.sum().div(Math.max(1, ctx?.totalTokens ?? M.sum().dataSync()[0]));
        case "dr_grpo":
          return masked.sum().div(options.maxTokens * N * K);
        case "bnpo":
          return masked.sum().div(tf.maximum(M.sum(), 1)).div(K);
      }
    })();
    if (!(x.entropy && options.entropyCoef !== 0 && tokenMeanEntropy)) return aggregated as tf.Scalar;
    // TRL 1.13: − c_H · (token mean of H over this micro-batch's loss tokens) / K, for every aggregation.
    const meanH = x.entropy.mul(M).sum().div(tf.maximum(M.sum(), 1)).div(K);
    return aggregated.sub(meanH.mul(options.entropyCoef)) as tf.Scalar;
  });
}
