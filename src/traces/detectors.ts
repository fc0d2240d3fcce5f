/**
 * Detectors for the failures real RLVR runs hit. Each is a pure function of the per-step trace (and, when
 * available, rollout-level aggregates) returning findings with the step range, the numbers behind them,
 * a plain-language likely cause and what to check. Thresholds are options with documented defaults in
 * `DETECTOR_DEFAULTS` (src/traces/finding.ts); none of them is hidden in the code. Detectors over rollouts
 * live in detectorsRollouts.ts, over the run's bookkeeping (NaN, restarts, length cap) in detectorsRun.ts.
 */
import type { TraceStep } from "../schemas/trace.js";
import { arrayMax } from "../stats/extent.js";
import { mean, median, pointNoise, windowDrop } from "./noise.js";
import { DETECTOR_DEFAULTS, r4, series, type DetectorOptions, type DoctorInput, type Finding, type Pt, type Severity } from "./finding.js";
import { detectFirstUpdateJump, detectLengthPinned, detectNonFinite, detectRestart } from "./detectorsRun.js";
import { detectIdenticalCompletions, detectLogprobMismatch, detectMissingCharacters } from "./detectorsRollouts.js";

export * from "./finding.js";
export { median } from "./noise.js";
export { detectFirstUpdateJump, detectLengthPinned, detectNonFinite, detectRestart } from "./detectorsRun.js";
export { detectIdenticalCompletions, detectLogprobMismatch, detectMissingCharacters } from "./detectorsRollouts.js";

function klSeries(steps: readonly TraceStep[]): { name: string; pts: Pt[] } {
  for (const name of ["kl/k3_mean", "kl/k1_mean"]) {
    const pts = series(steps, name);
    if (pts.length) return { name, pts };
  }
  return { name: "kl/k3_mean", pts: [] };
}

export function detectKlSpikeEarly(input: DoctorInput, o: typeof DETECTOR_DEFAULTS): Finding[] {
  const { name, pts } = klSeries(input.steps);
  const early = pts.slice(0, o.earlyWindow);
  const later = pts.slice(o.earlyWindow);
  const earlyMax = arrayMax(early.map((p) => p.v));
  const laterMed = median(later.map((p) => p.v));
  const spike = early.length > 0 && later.length >= 3 && earlyMax > o.klFloor && earlyMax > o.klSpikeFactor * Math.max(laterMed, 1e-12);
  // Sampler − trainer log-prob difference at the start: signed mean (rlvr, Tinker) against 0, or the mean of
  // |Δ| (TRL) against its own later values — |Δ| is never 0 across engines, so 0 is not its baseline.
  const evidence: Record<string, number | string> = {};
  let diffPts: Pt[] = [];
  for (const [metric, abs, floor] of [["logprob_diff/mean", false, o.mismatchMean], ["logprob_diff/abs_mean", true, o.absDiffFloor]] as const) {
    const d = series(input.steps, metric);
    if (d.length === 0) continue;
    const e = d.slice(0, o.earlyWindow).map((p) => Math.abs(p.v));
    const l = d.slice(o.earlyWindow).map((p) => Math.abs(p.v));
    const eMax = arrayMax(e);
    const lMed = l.length >= 3 ? median(l) : abs ? Number.NaN : 0;
    if (e.length && eMax > floor && eMax > o.klSpikeFactor * Math.max(lMed, 1e-12)) {
      diffPts = d;
      evidence[`early_|${metric}|_max`] = r4(eMax);
      evidence[`later_|${metric}|_median`] = Number.isFinite(lMed) ? r4(lMed) : "n/a";
    }
  }
  if (!spike && diffPts.length === 0) return [];
  if (spike) Object.assign(evidence, { metric: name, early_max: r4(earlyMax), later_median: r4(laterMed), ratio: r4(earlyMax / Math.max(laterMed, 1e-12)) });
  const ref = spike ? pts : diffPts;
  return [
    {
      id: "kl_spike_early",
      title: "KL spike in the first steps",
      severity: "warning",
      steps: [ref[0].step, ref[Math.min(ref.length, o.earlyWindow) - 1].step],
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
  const w = Math.max(o.rollingWindow, Math.floor(pts.length / 5));
  const r = windowDrop(pts.map((p) => p.v), w);
  if (!r || !(r.peak >= 0.05) || r.final > o.rewardCollapseShare * r.peak || r.z < o.rewardCollapseZ) return [];
  const peakStart = pts[r.peakEnd - w + 1].step;
  return [
    {
      id: "reward_collapse",
      title: "Reward collapse",
      severity: "critical",
      steps: [peakStart, pts[pts.length - 1].step],
      evidence: {
        window_n: w,
        peak_window_mean: r4(r.peak),
        peak_window: `${peakStart}–${pts[r.peakEnd].step}`,
        final_window_mean: r4(r.final),
        drop: r4(r.drop),
        step_noise_sd: r4(r.sigma),
        z: r4(r.z),
        effect_size_d: r4(r.d),
      },
      cause: "Reward rose then fell and stayed down, by far more than the run's own step-to-step noise: usually an optimisation blow-up (KL or grad-norm spike just before), entropy collapse onto a wrong mode, or a verifier/format change mid-run.",
      check: "Look at kl/*, grad_norm and entropy around the peak window; compare completions before and after it in the rollouts gallery.",
    },
  ];
}

export function detectGradNormSpikes(input: DoctorInput, o: typeof DETECTOR_DEFAULTS): Finding[] {
  // A step's gradient comes only from groups with reward variance: steps where (almost) every group had
  // zero variance have near-zero gradients by construction and must not set the baseline, and the others
  // are compared per contributing-group share, g / (1 − frac_reward_zero_std).
  const zero = new Map(series(input.steps, "frac_reward_zero_std").map((p) => [p.step, p.v]));
  const pts = series(input.steps, "grad_norm").flatMap((p) => {
    const f = zero.get(p.step);
    if (f !== undefined && f >= o.zeroStdStep) return [];
    return p.v > 0 ? [{ step: p.step, v: p.v, g: p.v / Math.max(1 - (f ?? 0), 0.05) }] : [];
  });
  const spikes: { step: number; v: number; g: number; base: number }[] = [];
  for (let i = 3; i < pts.length; i++) {
    const base = median(pts.slice(Math.max(0, i - 10), i).map((p) => p.g));
    if (base > 0 && pts[i].g > o.gradSpikeFactor * base) spikes.push({ ...pts[i], base });
  }
  if (spikes.length === 0) return [];
  const worst = spikes.reduce((a, b) => (b.g / b.base > a.g / a.base ? b : a));
  return [
    {
      id: "grad_norm_spike",
      title: "Gradient-norm spikes",
      severity: "warning",
      steps: [spikes[0].step, spikes[spikes.length - 1].step],
      evidence: {
        spikes: spikes.length,
        comparable_steps: pts.length,
        worst_step: worst.step,
        worst_grad_norm: r4(worst.v),
        ratio_to_comparable_median: r4(worst.g / worst.base),
        ...(zero.size ? { normalised_by: "1 − frac_reward_zero_std" } : {}),
      },
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
  const all = pts.length >= 3 && pts.every((p) => p.v >= 0.999);
  return [
    {
      id: "zero_variance_groups",
      title: all ? "Every group has zero reward variance: no policy gradient at all" : "Most groups have zero reward variance",
      severity: all ? "critical" : "warning",
      steps: [pts[0].step, pts[pts.length - 1].step],
      evidence: { mean_frac_reward_zero_std: r4(m), steps: pts.length, steps_with_every_group_zero: pts.filter((p) => p.v >= 0.999).length },
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
  const w = Math.max(o.rollingWindow, Math.floor(strict.length / 5));
  if (strict.length < 2 * w) return [];
  const s0 = mean(strict.slice(0, w).map((p) => p.v));
  const s1 = mean(strict.slice(-w).map((p) => p.v));
  const f0 = mean(strict.slice(0, w).map((p) => flex.get(p.step) ?? Number.NaN));
  const f1 = mean(strict.slice(-w).map((p) => flex.get(p.step) ?? Number.NaN));
  const sigma = Math.max(pointNoise(strict.map((p) => p.v)), 1e-6);
  const z = (s0 - s1) / (sigma * Math.sqrt(2 / w));
  if (!(s0 - s1 >= o.formatDrop) || !(z >= o.formatZ) || !(f1 >= f0 - o.flexibleTolerance)) return [];
  return [
    {
      id: "format_drift",
      title: "Format drift: strict rate falling while flexible holds",
      severity: "warning",
      steps: [strict[0].step, strict[strict.length - 1].step],
      evidence: { window_n: w, strict_early: r4(s0), strict_late: r4(s1), flexible_early: r4(f0), flexible_late: r4(f1), z: r4(z) },
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
  detectNonFinite,
  detectLengthPinned,
  detectRestart,
  detectFirstUpdateJump,
];

/** Run every detector; findings sorted by severity (critical first), then by first step. */
export function diagnose(input: DoctorInput, options: DetectorOptions = {}): Finding[] {
  const o = { ...DETECTOR_DEFAULTS, ...options } as typeof DETECTOR_DEFAULTS;
  const rank: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
  return DETECTORS.flatMap((d) => d(input, o)).sort((a, b) => rank[a.severity] - rank[b.severity] || (a.steps?.[0] ?? 0) - (b.steps?.[0] ?? 0));
}
