/**
 * The one metric vocabulary. Slash-namespaced names used by the trainer's trace writer, the plots and
 * trace analytics; importers map foreign names (TRL, verl, Tinker) onto these. The glossary below is the
 * single definition of each name (README's glossary is generated from it).
 */
export const METRICS = {
  "reward/mean": "Mean reward over all completions sampled at this step.",
  "reward/std": "Standard deviation of reward over all completions at this step (population std).",
  frac_reward_zero_std:
    "Fraction of groups whose rewards are all equal: their GRPO advantages are zero, so they contribute no policy gradient.",
  "kl/k1_mean": "Mean per-token k1 estimator log(pi/pi_ref) (unbiased, can be negative). Over the step's loss tokens only (mask 1: truncated or filtered rows excluded); null when there are none.",
  "kl/k3_mean": "Mean per-token k3 estimator (r - 1) - log r with r = pi_ref/pi (unbiased, non-negative). Over the step's loss tokens only (mask 1: truncated or filtered rows excluded); null when there are none.",
  "kl/max": "Largest per-token KL estimate at this step: tails that a mean hides. Over the step's loss tokens only (mask 1: truncated or filtered rows excluded); null when there are none.",
  entropy: "Mean per-token entropy of the policy's next-token distribution (nats), first update of the step. Over the step's loss tokens only (mask 1: truncated or filtered rows excluded); null when there are none.",
  "clip_ratio/low": "Fraction of tokens with negative advantage whose ratio fell below 1 - eps_low (clipped), mean over the step's updates. Over the step's loss tokens only (mask 1: truncated or filtered rows excluded); null when there are none.",
  "clip_ratio/high": "Fraction of tokens with positive advantage whose ratio rose above 1 + eps_high (clipped), mean over the step's updates. Over the step's loss tokens only (mask 1: truncated or filtered rows excluded); null when there are none.",
  grad_norm: "Global L2 norm of the gradient before clipping.",
  lr: "Learning rate used for this step (after warmup/schedule).",
  loss: "Value of the policy loss that was minimised at this step.",
  "completions/mean_length": "Mean completion length in tokens.",
  "completions/max_length": "Longest completion at this step in tokens (at the generation cap, it shows truncation even where no truncated fraction is logged).",
  "completions/truncated_frac": "Fraction of completions that stopped because they hit max_tokens (finish_reason = length).",
  "format/strict_rate": "Fraction of completions whose answer satisfies the strict format (answer alone on a clean final line / exactly one marker).",
  "format/flexible_rate": "Fraction of completions from which a flexible extractor finds any answer.",
  "logprob_diff/mean":
    "Mean per-token (sampler − trainer) log-probability of the sampled tokens. Should be ~0; a non-zero value means the sampler and the trainer disagree (temperature, tokenisation, precision) and shows up as a KL spike.",
  "logprob_diff/abs_mean":
    "Mean per-token |sampler − trainer| log-probability difference (TRL's sampling/sampling_logp_difference/mean): never negative, so it is compared with its own later values, not with 0.",
  "logprob_diff/max": "Largest per-token |sampler − trainer| log-probability difference at this step.",
  "pass@k": "Unbiased estimate of the probability that at least one of k samples is correct (Codex estimator).",
} as const;

export type MetricName = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];
