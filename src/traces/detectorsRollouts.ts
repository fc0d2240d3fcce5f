/**
 * Detectors over rollout-level evidence (computed in DuckDB by src/traces/rollouts.ts): identical completions
 * within groups, sampler/trainer log-probability mismatch, a character that never appears in completions.
 */
import { arrayMax } from "../stats/extent.js";
import { mean } from "./noise.js";
import { r4, series, type DETECTOR_DEFAULTS, type DoctorInput, type Finding } from "./finding.js";

export function detectIdenticalCompletions(input: DoctorInput, o: typeof DETECTOR_DEFAULTS): Finding[] {
  const all = input.identical ?? [];
  const hits = all.filter((s) => s.frac_identical_groups > o.identicalShare);
  // A confident policy with short answers repeats itself on the odd step by chance: the bug shows on many steps.
  if (hits.length === 0 || hits.length < o.identicalStepShare * all.length) return [];
  // A near-deterministic policy also repeats itself: then the cause is low entropy, not the seed.
  const entropy = new Map(series(input.steps, "entropy").map((p) => [p.step, p.v]));
  const hitEntropy = hits.map((h) => entropy.get(h.step)).filter((v): v is number => v !== undefined);
  const lowEntropy = hitEntropy.length > 0 && mean(hitEntropy) < 0.3;
  // Every group identical at every step: no reward variance anywhere, nothing to learn from.
  const everyGroup = all.every((s) => s.frac_identical_groups >= 0.999);
  const evidence: Record<string, number | string> = {
    steps_affected: hits.length,
    max_share_of_groups: r4(arrayMax(hits.map((s) => s.frac_identical_groups))),
  };
  if (hitEntropy.length) evidence.mean_entropy_at_those_steps = r4(mean(hitEntropy));
  return [
    {
      id: "identical_completions",
      title: "Identical completions within groups",
      severity: !lowEntropy && everyGroup ? "critical" : "warning",
      steps: [hits[0].step, hits[hits.length - 1].step],
      evidence,
      cause: lowEntropy
        ? "Every sample of a group is the same text while the policy's entropy is low (< 0.3 nats/token): the policy is nearly deterministic on these prompts, so groups carry no reward variance. (With high entropy the usual cause is one seed shared by all samples.)"
        : "Every sample of a group is the same text although sampling is stochastic: one fixed seed shared by all samples (or temperature 0), so advantages are zero and the group is wasted.",
      check: lowEntropy
        ? "Check entropy and frac_reward_zero_std over steps; raise the sampling temperature or eps_high, add an entropy bonus, or use harder problems."
        : "Derive a distinct seed per (prompt, step, sample index); check the sampler's temperature.",
    },
  ];
}

const MISMATCH_CAUSE =
  "The trainer recomputes different log-probs for the sampled tokens than the sampler reported: temperature not applied in the trainer, different tokenisation/template, or numeric precision. Importance ratios and KL are then wrong from step 0.";
const MISMATCH_CHECK = "Apply the sampling temperature to the trainer's logits; compare tokenisations; look at the histogram tails, not the mean.";

/** Without per-token rollouts: the trace's signed logprob_diff/mean, off 0 on most steps (median |mean| > mismatchMean). */
function traceMismatch(input: DoctorInput, o: typeof DETECTOR_DEFAULTS): Finding[] {
  const d = series(input.steps, "logprob_diff/mean");
  if (d.length < 3) return [];
  const abs = d.map((p) => Math.abs(p.v)).sort((a, b) => a - b);
  const med = abs[abs.length >> 1];
  if (!(med > o.mismatchMean)) return [];
  const bad = d.filter((p) => Math.abs(p.v) > o.mismatchMean);
  return [
    {
      id: "logprob_mismatch",
      title: "Sampler and trainer log-probabilities disagree",
      severity: "warning",
      steps: [bad[0].step, bad[bad.length - 1].step],
      evidence: { source: "trace logprob_diff/mean", steps_with_mean_mismatch: bad.length, of_steps: d.length, median_abs_mean_diff: r4(med), threshold: o.mismatchMean },
      cause: MISMATCH_CAUSE,
      check: MISMATCH_CHECK,
    },
  ];
}

export function detectLogprobMismatch(input: DoctorInput, o: typeof DETECTOR_DEFAULTS): Finding[] {
  const m = input.mismatch;
  if (!m) return traceMismatch(input, o);
  if (m.quantiles.p99 <= o.mismatchP99 && Math.abs(m.mean) <= o.mismatchMean) return [];
  // The steps where the mismatch lives (|mean Δ| above the threshold); the whole run if it is only in the tails.
  const bad = m.byStep.filter((s) => Math.abs(s.mean) > o.mismatchMean);
  return [
    {
      id: "logprob_mismatch",
      title: "Sampler and trainer log-probabilities disagree",
      severity: "warning",
      steps: bad.length ? [bad[0].step, bad[bad.length - 1].step] : m.byStep.length ? [m.byStep[0].step, m.byStep[m.byStep.length - 1].step] : null,
      evidence: { steps_with_mean_mismatch: bad.length, tokens: m.tokens, mean_diff: r4(m.mean), p50_abs: r4(m.quantiles.p50), p99_abs: r4(m.quantiles.p99), max_abs: r4(m.maxAbs) },
      cause: "The trainer recomputes different log-probs for the sampled tokens than the sampler reported: temperature not applied in the trainer, different tokenisation/template, or numeric precision. Importance ratios and KL are then wrong from step 0.",
      check: "Apply the sampling temperature to the trainer's logits; compare tokenisations; look at the histogram tails, not the mean.",
    },
  ];
}

export function detectMissingCharacters(input: DoctorInput): Finding[] {
  const m = input.missingChars ?? [];
  if (m.length === 0) return [];
  return [
    {
      id: "missing_character",
      title: "A common character never appears in any completion",
      severity: "warning",
      steps: null,
      evidence: { characters: m.map((x) => JSON.stringify(x.char)).join(" "), prompt_share: r4(m[0].promptShare) },
      cause: "The character is cut out of (or cuts off) every completion: the pad (or EOS) token id equals the id of a real token, so decoding with special tokens skipped drops it, or generation/post-processing stops at it.",
      check: "Give PAD its own id that no real character uses; check which token id the stop/pad logic compares against.",
    },
  ];
}

