/**
 * Detectors for the failures real RLVR runs hit. Each is a pure function of the per-step trace (and, when
 * available, rollout-level aggregates) returning findings with the step range, the numbers behind them,
 * a plain-language likely cause and what to check. Thresholds are options with documented defaults in
 * `DETECTOR_DEFAULTS`; none of them is hidden in the code.
 */
import type { TraceStep } from "../schemas/trace.js";
import type { LogprobMismatch, RolloutStepSummary } from "./rollouts.js";
import { arrayMax } from "../stats/extent.js";

export type Severity = "info" | "warning" | "critical";

export interface Finding {
  id: string;
  title: string;
  severity: Severity;
  /** First and last step concerned, or null when the finding is about the whole run. */
  steps: [number, number] | null;
  evidence: Record<string, number | string>;
  cause: string;
  check: string;
}

export interface DoctorInput {
  steps: readonly TraceStep[];
  rollouts?: readonly RolloutStepSummary[];
  /** Per step, the share of multi-sample groups whose completions are all identical. */
  identical?: readonly { step: number; frac_identical_groups: number }[];
  mismatch?: LogprobMismatch | null;
  missingChars?: readonly { char: string; promptShare: number }[];
}

export const DETECTOR_DEFAULTS = {
  /** Steps counted as "the first steps" for the early KL spike. */
  earlyWindow: 3,
  /** Early KL this many times the later median is a spike (and above `klFloor`). */
  klSpikeFactor: 5,
  klFloor: 0.01,
  /** kl/max over the KL mean beyond this ratio (on `tailStepShare` of steps) means means hide the tails. */
  klTailRatio: 50,
  tailStepShare: 0.2,
  /** Entropy below this share of its initial value is a collapse. */
  entropyCollapseShare: 0.1,
  /** Reward falling below this share of its rolling peak is a collapse. */
  rewardCollapseShare: 0.5,
  rollingWindow: 5,
  /** grad_norm this many times the median of the previous steps is a spike. */
  gradSpikeFactor: 10,
  /** Mean fraction of zero-variance groups above this starves the gradient. */
  zeroStdShare: 0.5,
  /** Truncated fraction above this is high. */
  truncatedShare: 0.1,
  /** Strict-format rate falling by this much while flexible holds (within `flexibleTolerance`) is drift. */
  formatDrop: 0.2,
  flexibleTolerance: 0.05,
  /** Groups whose completions are all identical, above this share: seed bug. */
  identicalShare: 0.2,
  /** |sampler − trainer| logprob p99 above this, or |mean| above `mismatchMean`: mismatch. */
  mismatchP99: 0.1,
  mismatchMean: 0.01,
} as const;
export type DetectorOptions = Partial<{ -readonly [K in keyof typeof DETECTOR_DEFAULTS]: number }>;

type Pt = { step: number; v: number };

export function series(steps: readonly TraceStep[], name: string): Pt[] {
  const out: Pt[] = [];
  for (const s of steps) {
    const v = (s as Record<string, unknown>)[name];
    if (typeof v === "number" && Number.isFinite(v)) out.push({ step: s.step, v });
  }
  return out;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
const r4 = (x: number) => Number(x.toPrecision(4));

function klSeries(steps: readonly TraceStep[]): { name: string; pts: Pt[] } {
  for (const name of ["kl/k3_mean", "kl/k1_mean"]) {
    const pts = series(steps, name);
    if (pts.length) return { name, pts };
  }
  return { name: "kl/k3_mean", pts: [] };
}

export function detectKlSpikeEarly(input: DoctorInput, o: typeof DETECTOR_DEFAULTS): Finding[] {
  const { name, pts } = klSeries(input.steps);
  const diff = series(input.steps, "logprob_diff/mean");
  const early = pts.slice(0, o.earlyWindow);
  const later = pts.slice(o.earlyWindow);
  const earlyMax = arrayMax(early.map((p) => p.v));
  const laterMed = median(later.map((p) => p.v));
  const spike = early.length > 0 && later.length >= 3 && earlyMax > o.klFloor && earlyMax > o.klSpikeFactor * Math.max(laterMed, 1e-12);
  const earlyDiff = diff.slice(0, o.earlyWindow).map((p) => Math.abs(p.v));
  const mismatch = earlyDiff.length > 0 && arrayMax(earlyDiff) > o.mismatchMean;
  if (!spike && !mismatch) return [];
  const evidence: Record<string, number | string> = {};
  if (spike) Object.assign(evidence, { metric: name, early_max: r4(earlyMax), later_median: r4(laterMed), ratio: r4(earlyMax / Math.max(laterMed, 1e-12)) });
  if (mismatch) evidence["early_|logprob_diff/mean|_max"] = r4(arrayMax(earlyDiff));
  return [
    {
      id: "kl_spike_early",
      title: "KL spike in the first steps",
      severity: "critical",
      steps: [pts[0]?.step ?? diff[0].step, (early[early.length - 1] ?? diff[Math.min(diff.length, o.earlyWindow) - 1]).step],
      evidence,
      cause:
        "At step 0 the policy equals the reference, so KL should start near 0. A spike there means the log-probabilities used for the loss do not match the ones the sampler used: typically sampling at one temperature (e.g. 0.7) while the trainer computes log-probs at another (1.0), a different tokenisation or chat template, or precision differences between the inference engine and the trainer.",
      check: "Compare sampler vs trainer log-probs on the same tokens at step 0 (rlvr traces doctor with rollouts carrying both); make the trainer divide logits by the sampling temperature; check the tokenizer/template match.",
    },
  ];
}

export function detectKlTail(input: DoctorInput, o: typeof DETECTOR_DEFAULTS): Finding[] {
  const { name, pts } = klSeries(input.steps);
  const max = new Map(series(input.steps, "kl/max").map((p) => [p.step, p.v]));
  const hits = pts.filter((p) => max.has(p.step) && max.get(p.step)! > 0.1 && max.get(p.step)! > o.klTailRatio * Math.max(p.v, 1e-12));
  if (pts.length === 0 || hits.length < Math.max(1, o.tailStepShare * pts.length)) return [];
  const worst = hits.reduce((a, b) => (max.get(b.step)! / b.v > max.get(a.step)! / a.v ? b : a));
  return [
    {
      id: "kl_tail_hidden",
      title: "KL max far above the KL mean",
      severity: "warning",
      steps: [hits[0].step, hits[hits.length - 1].step],
      evidence: { steps_affected: hits.length, of_steps: pts.length, worst_step: worst.step, [`${name}`]: r4(worst.v), "kl/max": r4(max.get(worst.step)!) },
      cause: "A few tokens diverge strongly from the reference while the average looks healthy; means hide the tails that dominate importance ratios and clipping.",
      check: "Look at the per-token KL/logprob-difference histogram and the completions containing the worst tokens; consider token-level clipping or a KL penalty on the max.",
    },
  ];
}

export function detectEntropyCollapse(input: DoctorInput, o: typeof DETECTOR_DEFAULTS): Finding[] {
  const pts = series(input.steps, "entropy");
  if (pts.length < 2 * o.rollingWindow) return [];
  const initial = median(pts.slice(0, o.rollingWindow).map((p) => p.v));
  const final = median(pts.slice(-o.rollingWindow).map((p) => p.v));
  if (!(initial > 0.05) || final >= o.entropyCollapseShare * initial) return [];
  const start = pts.find((p) => p.v < 2 * o.entropyCollapseShare * initial) ?? pts[pts.length - 1];
  return [
    {
      id: "entropy_collapse",
      title: "Entropy collapse",
      severity: "warning",
      steps: [start.step, pts[pts.length - 1].step],
      evidence: { initial_median: r4(initial), final_median: r4(final), share: r4(final / initial) },
      cause: "The policy has become nearly deterministic: groups of samples become identical, reward variance and with it the GRPO signal vanish, exploration stops.",
      check: "Lower the learning rate, raise the clip-higher bound (eps_high), add a small entropy bonus, or sample at a higher temperature; check frac_reward_zero_std rising alongside.",
    },
  ];
}

export function detectRewardCollapse(input: DoctorInput, o: typeof DETECTOR_DEFAULTS): Finding[] {
  const pts = series(input.steps, "reward/mean");
  const w = o.rollingWindow;
  if (pts.length < 2 * w) return [];
  const roll = pts.map((_, i) => mean(pts.slice(Math.max(0, i - w + 1), i + 1).map((p) => p.v)));
  let peakI = w - 1;
  for (let i = w - 1; i < roll.length; i++) if (roll[i] > roll[peakI]) peakI = i;
  const last = roll[roll.length - 1];
  if (!(roll[peakI] >= 0.2) || last >= o.rewardCollapseShare * roll[peakI] || peakI >= roll.length - w) return [];
  return [
    {
      id: "reward_collapse",
      title: "Reward collapse",
      severity: "critical",
      steps: [pts[peakI].step, pts[pts.length - 1].step],
      evidence: { peak_rolling_mean: r4(roll[peakI]), peak_step: pts[peakI].step, final_rolling_mean: r4(last) },
      cause: "Reward rose then fell and stayed down: usually an optimisation blow-up (KL or grad-norm spike just before), entropy collapse onto a wrong mode, or a verifier/format change mid-run.",
      check: "Look at kl/*, grad_norm and entropy around the peak step; compare completions before and after it in the rollouts gallery.",
    },
  ];
}

export function detectGradNormSpikes(input: DoctorInput, o: typeof DETECTOR_DEFAULTS): Finding[] {
  const pts = series(input.steps, "grad_norm");
  const spikes: { step: number; v: number; base: number }[] = [];
  for (let i = 3; i < pts.length; i++) {
    const base = median(pts.slice(Math.max(0, i - 10), i).map((p) => p.v));
    if (base > 0 && pts[i].v > o.gradSpikeFactor * base) spikes.push({ step: pts[i].step, v: pts[i].v, base });
  }
  if (spikes.length === 0) return [];
  const worst = spikes.reduce((a, b) => (b.v / b.base > a.v / a.base ? b : a));
  return [
    {
      id: "grad_norm_spike",
      title: "Gradient-norm spikes",
      severity: "warning",
      steps: [spikes[0].step, spikes[spikes.length - 1].step],
      evidence: { spikes: spikes.length, worst_step: worst.step, worst_grad_norm: r4(worst.v), preceding_median: r4(worst.base) },
      cause: "Large, sudden updates: commonly Adam with a tiny eps (e.g. 1e-7 → near-zero second-moment estimates blow up steps on rare tokens) and no learning-rate warmup, or a too-high learning rate.",
      check: "Use Adam eps ≥ 1e-8 with warmup, clip the global grad norm, and check whether the spike precedes a KL jump or reward drop.",
    },
  ];
}

export function detectZeroVariance(input: DoctorInput, o: typeof DETECTOR_DEFAULTS): Finding[] {
  let pts = series(input.steps, "frac_reward_zero_std");
  if (pts.length === 0 && input.rollouts)
    pts = input.rollouts.flatMap((r) => (r.frac_reward_zero_std === null ? [] : [{ step: r.step, v: r.frac_reward_zero_std }]));
  const m = mean(pts.map((p) => p.v));
  if (pts.length === 0 || !(m > o.zeroStdShare)) return [];
  return [
    {
      id: "zero_variance_groups",
      title: "Most groups have zero reward variance",
      severity: "warning",
      steps: [pts[0].step, pts[pts.length - 1].step],
      evidence: { mean_frac_reward_zero_std: r4(m), steps: pts.length },
      cause: "When every completion in a group gets the same reward, GRPO advantages are exactly zero and the group contributes no gradient: the task is too easy or too hard for the current policy, or the group size is too small.",
      check: "Filter or resample zero-variance groups (dynamic sampling), raise the group size G, or rebalance problem difficulty.",
    },
  ];
}

export function detectTruncation(input: DoctorInput, o: typeof DETECTOR_DEFAULTS): Finding[] {
  let pts = series(input.steps, "completions/truncated_frac");
  if (pts.length === 0 && input.rollouts) pts = input.rollouts.map((r) => ({ step: r.step, v: r["completions/truncated_frac"] }));
  const hits = pts.filter((p) => p.v > o.truncatedShare);
  if (hits.length === 0) return [];
  return [
    {
      id: "truncation_high",
      title: "Many completions hit max tokens",
      severity: "warning",
      steps: [hits[0].step, hits[hits.length - 1].step],
      evidence: { steps_affected: hits.length, max_truncated_frac: r4(arrayMax(hits.map((p) => p.v))), mean_truncated_frac: r4(mean(pts.map((p) => p.v))) },
      cause: "Truncated completions have no final answer and are scored as wrong, which teaches the model nothing about correctness: max_tokens is too small, or a base-model prompt has no stop sequence so it rambles into a new question.",
      check: "Raise max_tokens or add stop sequences; mask truncated completions out of the loss; report truncation separately from wrong answers.",
    },
  ];
}

export function detectFormatDrift(input: DoctorInput, o: typeof DETECTOR_DEFAULTS): Finding[] {
  const strict = series(input.steps, "format/strict_rate");
  const flex = new Map(series(input.steps, "format/flexible_rate").map((p) => [p.step, p.v]));
  const w = o.rollingWindow;
  if (strict.length < 2 * w) return [];
  const s0 = mean(strict.slice(0, w).map((p) => p.v));
  const s1 = mean(strict.slice(-w).map((p) => p.v));
  const f0 = mean(strict.slice(0, w).map((p) => flex.get(p.step) ?? Number.NaN));
  const f1 = mean(strict.slice(-w).map((p) => flex.get(p.step) ?? Number.NaN));
  if (!(s0 - s1 >= o.formatDrop) || !(f1 >= f0 - o.flexibleTolerance)) return [];
  return [
    {
      id: "format_drift",
      title: "Format drift: strict rate falling while flexible holds",
      severity: "warning",
      steps: [strict[0].step, strict[strict.length - 1].step],
      evidence: { strict_early: r4(s0), strict_late: r4(s1), flexible_early: r4(f0), flexible_late: r4(f1) },
      cause: "The model still produces answers a flexible extractor finds, but less and less in the required format (e.g. `#### N` on the last line): the reward does not pay for the format, or pays for correctness found anywhere.",
      check: "Score with the strict rule (or add a format reward), and compare strict vs flexible verdicts side by side (rlvr verify --side-by-side) on recent rollouts.",
    },
  ];
}

export function detectFormatHacking(input: DoctorInput, o: typeof DETECTOR_DEFAULTS): Finding[] {
  const cols = new Set<string>();
  for (const s of input.steps.slice(0, 50)) for (const k of Object.keys(s)) cols.add(k);
  const fmt = [...cols].find((c) => /format/i.test(c) && /reward/i.test(c) && !/std/i.test(c));
  const cor = [...cols].find((c) => /(correct|accuracy|acc\b|answer)/i.test(c) && /reward/i.test(c) && !/std/i.test(c));
  if (!fmt || !cor) return [];
  const f = series(input.steps, fmt);
  const c = series(input.steps, cor);
  const w = o.rollingWindow;
  if (f.length < 2 * w || c.length < 2 * w) return [];
  const df = mean(f.slice(-w).map((p) => p.v)) - mean(f.slice(0, w).map((p) => p.v));
  const dc = mean(c.slice(-w).map((p) => p.v)) - mean(c.slice(0, w).map((p) => p.v));
  if (!(df >= o.formatDrop) || Math.abs(dc) >= o.flexibleTolerance) return [];
  return [
    {
      id: "format_reward_hacking",
      title: "Format reward rising, correctness flat",
      severity: "warning",
      steps: [f[0].step, f[f.length - 1].step],
      evidence: { format_metric: fmt, format_change: r4(df), correctness_metric: cor, correctness_change: r4(dc) },
      cause: "The policy learned to satisfy the format reward without getting more answers right: the run is optimising the cheap part of the reward.",
      check: "Down-weight or gate the format reward on correctness; inspect high-reward wrong completions.",
    },
  ];
}

export function detectIdenticalCompletions(input: DoctorInput, o: typeof DETECTOR_DEFAULTS): Finding[] {
  const hits = (input.identical ?? []).filter((s) => s.frac_identical_groups > o.identicalShare);
  if (hits.length === 0) return [];
  // A near-deterministic policy also repeats itself: then the cause is low entropy, not the seed.
  const entropy = new Map(series(input.steps, "entropy").map((p) => [p.step, p.v]));
  const hitEntropy = hits.map((h) => entropy.get(h.step)).filter((v): v is number => v !== undefined);
  const lowEntropy = hitEntropy.length > 0 && mean(hitEntropy) < 0.3;
  const evidence: Record<string, number | string> = {
    steps_affected: hits.length,
    max_share_of_groups: r4(arrayMax(hits.map((s) => s.frac_identical_groups))),
  };
  if (hitEntropy.length) evidence.mean_entropy_at_those_steps = r4(mean(hitEntropy));
  return [
    {
      id: "identical_completions",
      title: "Identical completions within groups",
      severity: lowEntropy ? "warning" : "critical",
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

export function detectLogprobMismatch(input: DoctorInput, o: typeof DETECTOR_DEFAULTS): Finding[] {
  const m = input.mismatch;
  if (!m || (m.quantiles.p99 <= o.mismatchP99 && Math.abs(m.mean) <= o.mismatchMean)) return [];
  // The steps where the mismatch lives (|mean Δ| above the threshold); the whole run if it is only in the tails.
  const bad = m.byStep.filter((s) => Math.abs(s.mean) > o.mismatchMean);
  return [
    {
      id: "logprob_mismatch",
      title: "Sampler and trainer log-probabilities disagree",
      severity: "critical",
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
      severity: "critical",
      steps: null,
      evidence: { characters: m.map((x) => JSON.stringify(x.char)).join(" "), prompt_share: r4(m[0].promptShare) },
      cause: "Completions are cut wherever this character would appear: the pad (or EOS) token id equals the id of a real token (e.g. pad id 0 = the character that token 0 encodes), so generation or post-processing stops there.",
      check: "Give PAD its own id that no real character uses; check which token id the stop/pad logic compares against.",
    },
  ];
}

export const DETECTORS = [
  detectKlSpikeEarly,
  detectKlTail,
  detectEntropyCollapse,
  detectRewardCollapse,
  detectGradNormSpikes,
  detectZeroVariance,
  detectTruncation,
  detectFormatDrift,
  detectFormatHacking,
  detectIdenticalCompletions,
  detectLogprobMismatch,
  detectMissingCharacters,
];

/** Run every detector; findings sorted by severity (critical first), then by first step. */
export function diagnose(input: DoctorInput, options: DetectorOptions = {}): Finding[] {
  const o = { ...DETECTOR_DEFAULTS, ...options } as typeof DETECTOR_DEFAULTS;
  const rank: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
  return DETECTORS.flatMap((d) => d(input, o)).sort((a, b) => rank[a.severity] - rank[b.severity] || (a.steps?.[0] ?? 0) - (b.steps?.[0] ?? 0));
}
