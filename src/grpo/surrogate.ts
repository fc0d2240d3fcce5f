/**
 * PPO's clipped surrogate per token, with separate lower/upper clip ranges ("clip-higher", DAPO §3.1):
 *
 *   ρ_t = exp(log π_θ(o_t) − log π_θ_old(o_t))
 *   ℓ_t = −min( ρ_t · A,  clip(ρ_t, 1 − ε_low, 1 + ε_high) · A )
 *
 * A token is "clipped" when the min picks the constant branch, so it gets no gradient:
 * low  — A < 0 and ρ_t < 1 − ε_low  (`clip_ratio/low`),
 * high — A > 0 and ρ_t > 1 + ε_high (`clip_ratio/high`).
 * With μ = 1 inner update, π_θ = π_θ_old at the only step, ρ = 1 and ℓ_t = −A (the policy gradient).
 */

export interface SurrogateToken {
  /** ℓ_t, the per-token loss (to be minimised). */
  loss: number;
  ratio: number;
  clippedLow: boolean;
  clippedHigh: boolean;
}

export function clippedSurrogate(logp: number, oldLogp: number, A: number, epsLow: number, epsHigh: number): SurrogateToken {
  const ratio = Math.exp(logp - oldLogp);
  const clipped = Math.min(Math.max(ratio, 1 - epsLow), 1 + epsHigh);
  return {
    loss: -Math.min(ratio * A, clipped * A),
    ratio,
    clippedLow: A < 0 && ratio < 1 - epsLow,
    clippedHigh: A > 0 && ratio > 1 + epsHigh,
  };
}
