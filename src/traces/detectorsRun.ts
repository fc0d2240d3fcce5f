/**
 * Detectors over the run's bookkeeping rather than its learning curves:
 * - `non_finite`     — NaN/±Infinity in a metric (critical for loss and grad_norm: the update is garbage);
 * - `length_pinned`  — mean completion length at the generation cap (truncation, even where no truncated
 *                      fraction is logged);
 * - `run_restarted`  — the step sequence starts again inside one file (a resumed or relaunched run appended);
 * - `first_update_jump` — no learning-rate warmup (lr at its peak on the first step) and the very first update
 *                      already moved the policy `firstUpdateKl` nats/token away from its start.
 */
import { type DETECTOR_DEFAULTS, r4, series, type DoctorInput, type Finding } from "./finding.js";

const FATAL = new Set(["loss", "grad_norm"]);

export function detectNonFinite(input: DoctorInput): Finding[] {
  const nf = input.nonFinite ?? [];
  if (nf.length === 0) return [];
  const out: Finding[] = [];
  for (const fatal of [true, false]) {
    const hits = nf.filter((x) => FATAL.has(x.metric) === fatal);
    if (hits.length === 0) continue;
    const metrics = [...new Set(hits.map((h) => h.metric))];
    const stepsHit = [...new Set(hits.map((h) => h.step))].sort((a, b) => a - b);
    out.push({
      id: "non_finite",
      title: fatal ? `Non-finite ${metrics.join(" / ")}` : "Non-finite metric values",
      severity: fatal ? "critical" : "warning",
      steps: [stepsHit[0], stepsHit[stepsHit.length - 1]],
      evidence: {
        metrics: metrics.slice(0, 6).join(", "),
        steps_affected: stepsHit.length,
        first_step: stepsHit[0],
        first_value: hits[0].value,
        first_line: hits[0].line,
      },
      cause: fatal
        ? "A NaN or infinite loss or gradient norm means the update at that step was not a number: the weights are corrupted from there on unless the optimizer skipped it. Usual causes: log of zero (a probability underflow), division by a zero std in advantage normalisation, an overflow in half precision, or an Adam eps too small for the gradient scale."
        : "A logged statistic was NaN or infinite: an empty set averaged (no tokens, no valid rewards), a division by zero, or an overflow. The other metrics of those steps are still analysed.",
      check: fatal
        ? "Find the first non-finite step and the batch that produced it; check advantage normalisation (std + eps), log-prob clamping, mixed-precision loss scaling, and grad-norm clipping."
        : "Check which metric it is and whether its denominator can be 0 (e.g. no terminated completions for a terminated-length mean).",
    });
  }
  return out;
}

export function detectLengthPinned(input: DoctorInput, o: typeof DETECTOR_DEFAULTS): Finding[] {
  const meanLen = series(input.steps, "completions/mean_length");
  const maxLen = new Map(series(input.steps, "completions/max_length").map((p) => [p.step, p.v]));
  if (maxLen.size === 0 && input.rollouts) for (const r of input.rollouts) if (r.max_tokens !== null) maxLen.set(r.step, r.max_tokens);
  let pts = meanLen;
  if (pts.length === 0 && input.rollouts) pts = input.rollouts.flatMap((r) => (r["completions/mean_length"] === null ? [] : [{ step: r.step, v: r["completions/mean_length"] }]));
  if (pts.length < 3 || maxLen.size === 0) return [];
  const cap = Math.max(...maxLen.values());
  if (!(cap > 0)) return [];
  // Identical completions (one shared seed) also have mean = max: where a truncated fraction is logged, the
  // pinned steps must be mostly truncated too.
  const trunc = new Map(series(input.steps, "completions/truncated_frac").map((p) => [p.step, p.v]));
  const pinned = pts.filter((p) => p.v >= o.pinnedShare * cap && (trunc.get(p.step) ?? 1) >= 0.5);
  if (pinned.length < 3 || pinned.length < o.pinnedStepShare * pts.length) return [];
  return [
    {
      id: "length_pinned",
      title: "Completion length pinned at the generation cap",
      severity: "warning",
      steps: [pinned[0].step, pinned[pinned.length - 1].step],
      evidence: {
        cap_tokens: r4(cap),
        cap_from: series(input.steps, "completions/max_length").length ? "max of completions/max_length" : "max num_tokens in rollouts",
        steps_pinned: pinned.length,
        of_steps: pts.length,
        threshold_share_of_cap: o.pinnedShare,
        last_mean_length: r4(pts[pts.length - 1].v),
      },
      cause: "The mean completion is (almost) as long as the longest one allowed: nearly every completion is cut at max tokens, so answers are missing and scored as wrong, whether or not the trainer logs a truncated fraction.",
      check: "Raise the generation cap (max_completion_length / max_tokens / response_length) or add stop sequences; report truncated completions separately from wrong ones.",
    },
  ];
}

export function detectRestart(input: DoctorInput): Finding[] {
  const segs = input.segments ?? [];
  if (segs.length < 2) return [];
  const restarts = segs.slice(1);
  return [
    {
      id: "run_restarted",
      title: "The run restarts inside the file",
      severity: "warning",
      steps: [restarts[0].firstStep, segs[segs.length - 1].lastStep],
      evidence: {
        segments: segs.length,
        restarts_at_lines: restarts.map((s) => s.firstLine).join(", "),
        steps_logged_again: restarts.map((s, i) => `${s.firstStep}–${Math.min(s.lastStep, segs[i].lastStep)}`).join(", "),
      },
      cause: "The step number goes back: a run resumed from a checkpoint (or relaunched) appended to the same log. Curves that mix the segments jump at the restart; steps logged twice were analysed from the latest segment.",
      check: "Keep one log per launch, or cut the file at the restart line; check that the resumed run loaded the optimizer state and the data position, not only the weights.",
    },
  ];
}

/**
 * No warmup, and the first update jumped. Adam's first step is lr·m̂/(√v̂ + ε) with m̂ = g, v̂ = g²: lr·sign(g)
 * for every parameter with |g| ≫ ε (a tiny ε makes that almost every parameter), the largest coordinated
 * move of the run. Read from the trace alone: the lr column at the first step equals its maximum, and the KL to
 * the start policy at the second KL point (after one update; the first is the start itself) exceeds the floor.
 */
export function detectFirstUpdateJump(input: DoctorInput, o: typeof DETECTOR_DEFAULTS): Finding[] {
  const lr = series(input.steps, "lr");
  let kl = series(input.steps, "kl/k3_mean");
  if (kl.length === 0) kl = series(input.steps, "kl/k1_mean");
  if (lr.length < 2 || kl.length < 2) return [];
  const peak = lr.reduce((m, p) => Math.max(m, p.v), 0);
  if (!(peak > 0) || lr[0].v < 0.99 * peak || !(kl[1].v > o.firstUpdateKl)) return [];
  return [
    {
      id: "first_update_jump",
      title: "No warmup: the first update moved the policy far from its start",
      severity: "warning",
      steps: [kl[0].step, kl[1].step],
      evidence: { kl_after_first_update: r4(kl[1].v), threshold: o.firstUpdateKl, first_lr: r4(lr[0].v), peak_lr: r4(peak), kl_at_start: r4(kl[0].v) },
      cause:
        "The learning rate starts at its peak: Adam's first step is lr·sign(g) on every parameter whose gradient is above ε (with ε 1e-7 or 1e-8, nearly all of them), so one update moves the whole policy at once and KL jumps before the second moment has any estimate. With a tiny ε, later steps on rare-token parameters stay at full size too (KL/grad-norm explosion).",
      check: "Warm the learning rate up over the first steps (e.g. 5–10 % of the run) and use Adam ε ≈ 1e-5 … 1e-6 rather than 1e-7/1e-8; watch kl/* and grad_norm in the first steps.",
    },
  ];
}
