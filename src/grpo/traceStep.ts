/**
 * One trace.jsonl line per optimizer step, using exactly the metric vocabulary of src/schemas/metrics.ts
 * (plus `step` and `seconds`). Statistics that cannot be measured in a run (KL without a reference
 * policy, or `kl/*`, `entropy`, `clip_ratio/*` in a step whose every token is masked out of the loss) are
 * written as null, never as a made-up 0.
 */
import type { TraceStep } from "../schemas/trace.js";
import type { LossStats } from "./lossReference.js";
import { groupStats } from "./advantages.js";

export interface StepTraceInput {
  step: number;
  seconds: number;
  /** Verifier rewards of all N completions (before any KL penalty). */
  rewards: ArrayLike<number>;
  /** Fraction of the B groups whose rewards were all equal as first sampled. */
  fracZeroStd: number;
  /** Loss statistics of each of the μ updates (first = the sampling policy). */
  stats: LossStats[];
  gradNorms: number[];
  lr: number;
  hasRef: boolean;
  completions: { text: string; tokens: number; finishReason: string }[];
  format: (text: string) => { strict: boolean; flexible: boolean };
  /** Per completion token: sampler (processed) minus trainer log-prob of the sampled token. */
  logprobDiffs: number[];
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
/** Mean of per-update statistics; null when no update had loss tokens to measure them on. */
const meanOrNull = (xs: (number | null)[]): number | null => {
  const ok = xs.filter((x): x is number => x !== null);
  return ok.length ? mean(ok) : null;
};

export type StepTrace = TraceStep & { step: number; seconds: number };

export function stepTrace(x: StepTraceInput): StepTrace {
  const { mean: rMean, std: rStd } = groupStats(x.rewards, "population");
  const first = x.stats[0];
  const fmt = x.completions.map((c) => x.format(c.text));
  const n = Math.max(1, x.completions.length);
  return {
    step: x.step,
    seconds: x.seconds,
    "reward/mean": x.rewards.length ? rMean : null,
    "reward/std": x.rewards.length ? rStd : null,
    frac_reward_zero_std: x.fracZeroStd,
    "kl/k1_mean": x.hasRef ? first.k1Mean : null,
    "kl/k3_mean": x.hasRef ? first.k3Mean : null,
    "kl/max": x.hasRef ? first.klMax : null,
    entropy: first.entropyMean,
    "clip_ratio/low": meanOrNull(x.stats.map((s) => s.clipLow)),
    "clip_ratio/high": meanOrNull(x.stats.map((s) => s.clipHigh)),
    grad_norm: mean(x.gradNorms),
    lr: x.lr,
    loss: mean(x.stats.map((s) => s.loss)),
    "completions/mean_length": mean(x.completions.map((c) => c.tokens)),
    "completions/max_length": x.completions.length ? x.completions.reduce((m, c) => Math.max(m, c.tokens), 0) : null,
    "completions/truncated_frac": x.completions.filter((c) => c.finishReason === "length").length / n,
    "format/strict_rate": fmt.filter((f) => f.strict).length / n,
    "format/flexible_rate": fmt.filter((f) => f.flexible).length / n,
    "logprob_diff/mean": x.logprobDiffs.length ? mean(x.logprobDiffs) : null,
    "logprob_diff/abs_mean": x.logprobDiffs.length ? mean(x.logprobDiffs.map(Math.abs)) : null,
    "logprob_diff/max": x.logprobDiffs.length ? x.logprobDiffs.reduce((m, d) => Math.max(m, Math.abs(d)), 0) : null,
  };
}
