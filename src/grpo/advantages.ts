/**
 * Group-relative advantages: the critic-free baselines of GRPO and its variants.
 *
 * Rewards arrive flat, grouped by prompt: `r` has length B·G, and r[b·G + g] is the reward of completion g
 * of prompt b. Each completion gets one scalar advantage A_i, shared by all its tokens.
 *
 * - `grpo`    (Shao et al. 2024, DeepSeekMath eq. 3):  A_i = (r_i − mean(r_group)) / (std(r_group) + eps)
 * - `dr_grpo` (Liu et al. 2025, "Understanding R1-Zero"): A_i = r_i − mean(r_group)   (no std division: the
 *             std term up-weights groups that are almost all right or all wrong, a difficulty bias)
 * - `rloo`    (Ahmadian et al. 2024): A_i = r_i − mean_{j≠i}(r_j) = G/(G−1) · (r_i − mean(r_group));
 *             a single-sample group (G = 1) has no leave-one-out baseline and gets A = 0.
 *
 * `std` is the population std (divide by G) by default, as the DeepSeekMath formula reads (a z-score of the
 * group's own rewards); `stdKind: "sample"` divides by G − 1, as TRL 1.13 does (`trl.trainer.utils.nanstd`,
 * Bessel's correction). At G = 8 the two differ by √(8/7) ≈ 1.07×, at G = 4 by 1.15×. A group of one has std 0.
 *
 * `scale: "batch"` (TRL 1.13 `scale_rewards="batch"`, PPO-Lite) keeps the per-group mean but divides by ONE
 * std over all B·G rewards of the step: A_i = (r_i − mean(r_group)) / (std(r_batch) + eps), with the same
 * `stdKind`. `scale: "group"` (default) is the per-group std above; TRL's `"none"` is `estimator: "dr_grpo"`.
 * `eps` keeps the division finite: a group whose rewards are all equal has r_i − mean = 0 exactly, so its
 * advantages are 0 — never NaN — whatever eps is (eps > 0 is still required for groups with tiny std).
 */

export type AdvantageEstimator = "grpo" | "dr_grpo" | "rloo";

export interface AdvantageOptions {
  estimator?: AdvantageEstimator;
  /** Added to the std in the GRPO denominator. Must be > 0. */
  eps?: number;
  /** "population" (÷G) or "sample" (÷(G−1)) standard deviation for GRPO. */
  stdKind?: "population" | "sample";
  /** GRPO's denominator: each group's own std ("group") or one std over the whole batch ("batch"). */
  scale?: "group" | "batch";
}

/** Mean and std of one group: two passes, deviations scaled by their largest magnitude so 1e300 cannot overflow. */
export function groupStats(r: ArrayLike<number>, stdKind: "population" | "sample" = "population"): { mean: number; std: number } {
  const n = r.length;
  if (n === 0) return { mean: NaN, std: NaN };
  let mean = 0;
  for (let i = 0; i < n; i++) mean += r[i] / n;
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(r[i] - mean));
  const denom = stdKind === "sample" ? n - 1 : n;
  if (scale === 0 || denom <= 0) return { mean, std: 0 };
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((r[i] - mean) / scale) ** 2;
  return { mean, std: scale * Math.sqrt(ss / denom) };
}

/** True when every reward of the group is equal (up to `tol`): such a group carries no GRPO signal. */
export function isZeroStdGroup(r: ArrayLike<number>, tol = 0): boolean {
  for (let i = 1; i < r.length; i++) if (Math.abs(r[i] - r[0]) > tol) return false;
  return true;
}

/**
 * Advantages for B groups of G rewards each (flat, group-major). Throws when the length is not a
 * multiple of G or a reward is not finite — a NaN reward is a verifier bug, not something to train on.
 */
export function computeAdvantages(rewards: ArrayLike<number>, G: number, options: AdvantageOptions = {}): Float64Array {
  const estimator = options.estimator ?? "grpo";
  const eps = options.eps ?? 1e-4;
  const stdKind = options.stdKind ?? "population";
  if (!Number.isInteger(G) || G < 1) throw new RangeError(`group size G must be a positive integer, got ${G}`);
  if (rewards.length % G !== 0) throw new RangeError(`${rewards.length} rewards is not a multiple of G = ${G}`);
  if (!(eps > 0)) throw new RangeError(`eps must be > 0, got ${eps}`);
  const scale = options.scale ?? "group";
  const A = new Float64Array(rewards.length);
  for (let i = 0; i < rewards.length; i++)
    if (!Number.isFinite(rewards[i])) throw new RangeError(`reward ${i} is not finite (${rewards[i]}); fix the verifier`);
  const batchStd = scale === "batch" ? groupStats(rewards, stdKind).std : 0;
  for (let b = 0; b < rewards.length / G; b++) {
    const group = Array.from({ length: G }, (_, g) => rewards[b * G + g]);
    const { mean, std: groupStd } = groupStats(group, stdKind);
    const std = scale === "batch" ? batchStd : groupStd;
    for (let g = 0; g < G; g++) {
      const centred = isZeroStdGroup(group) ? 0 : group[g] - mean;
      A[b * G + g] =
        estimator === "grpo" ? centred / (std + eps) : estimator === "dr_grpo" ? centred : G > 1 ? (centred * G) / (G - 1) : 0;
    }
  }
  return A;
}

/** Fraction of the B groups whose rewards are all equal (`frac_reward_zero_std`). 0 for no groups. */
export function fracZeroStd(rewards: ArrayLike<number>, G: number): number {
  const B = rewards.length / G;
  if (B === 0) return 0;
  let n = 0;
  for (let b = 0; b < B; b++) if (isZeroStdGroup(Array.from({ length: G }, (_, g) => rewards[b * G + g]))) n++;
  return n / B;
}
