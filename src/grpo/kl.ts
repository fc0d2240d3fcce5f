/**
 * Per-token KL estimators between the policy π_θ and a frozen reference π_ref (Schulman, "Approximating
 * KL divergence", 2020), evaluated on tokens sampled from π (so they estimate KL(π ‖ π_ref)).
 * With log-probs lp = log π(o_t | ·), lr = log π_ref(o_t | ·) and log-ratio δ = lr − lp (so r = π_ref/π = e^δ):
 *
 * - k1 = −δ = lp − lr              unbiased, high variance, can be negative
 * - k2 = ½ δ²                      biased, low variance, ≥ 0 (its gradient is that of the true KL's)
 * - k3 = (e^δ − 1) − δ             unbiased, low variance, ≥ 0 (DeepSeekMath eq. 4; TRL's "kl")
 *
 * Unbiasedness of k1 and k3 holds because E_π[e^δ] = E_π[π_ref/π] = 1.
 */

export type KlEstimator = "k1" | "k2" | "k3";

/** One token's estimate from its two log-probabilities. */
export function klToken(logp: number, refLogp: number, kind: KlEstimator): number {
  const delta = refLogp - logp;
  switch (kind) {
    case "k1":
      return logp - refLogp;
    case "k2":
      return 0.5 * delta * delta;
    case "k3":
      // expm1 keeps precision when δ ≈ 0 (e^δ − 1 − δ would cancel catastrophically).
      return Math.expm1(delta) - delta;
  }
}

/** Elementwise estimates for aligned arrays of log-probs. */
export function klEstimate(logp: ArrayLike<number>, refLogp: ArrayLike<number>, kind: KlEstimator): Float64Array {
  if (logp.length !== refLogp.length) throw new RangeError(`length mismatch: ${logp.length} vs ${refLogp.length}`);
  const out = new Float64Array(logp.length);
  for (let i = 0; i < logp.length; i++) out[i] = klToken(logp[i], refLogp[i], kind);
  return out;
}

/**
 * Sequence-level KL penalty folded into the reward ("KL in the reward", as in InstructGPT/PPO-RLHF):
 * r'_i = r_i − β · Σ_t mask_t · k(lp_t, lr_t). Used when `klIn = "reward"` instead of a loss term.
 */
export function klPenalizedRewards(
  rewards: ArrayLike<number>,
  logp: ArrayLike<number>[],
  refLogp: ArrayLike<number>[],
  mask: ArrayLike<number>[],
  beta: number,
  kind: KlEstimator,
): Float64Array {
  const out = new Float64Array(rewards.length);
  for (let i = 0; i < rewards.length; i++) {
    let kl = 0;
    for (let t = 0; t < mask[i].length; t++) if (mask[i][t]) kl += klToken(logp[i][t], refLogp[i][t], kind);
    out[i] = rewards[i] - beta * kl;
  }
  return out;
}
