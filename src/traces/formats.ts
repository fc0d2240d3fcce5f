/**
 * What each trainer writes, read from the trainers' own source (not from memory), and how its names map onto
 * the metric vocabulary (src/schemas/metrics.ts). docs/traces.md has the same table with the source of each
 * name; keep the two together.
 *
 * Sources read (2026-12-01):
 * - TRL 1.13.0 `trl/trainer/grpo_trainer.py` (installed peers venv) and older `grpo_trainer.py` copies of the
 *   0.14–0.1x line (public forks): `completion_length` (before `completions/mean_length`), `rewards/<f>`
 *   (before `rewards/<f>/mean`), `reward_std` = mean of within-group stds (before 1.x's std of the batch);
 *   both use torch's Bessel-corrected std (n − 1). `sampling/sampling_logp_difference/mean` is the mean of
 *   |old − sampling| log-probs (an absolute value), `/max` its maximum. `kl` is the k3 estimator.
 *   `log_history[i].step` is `state.global_step` after the update: 1 for the first step.
 * - verl `verl/trainer/ppo/metric_utils.py` (`critic/score/*`, `response_length/*`), `ray_trainer.py`
 *   (`actor/entropy_loss`: entropy of the old log-probs in releases before `actor/entropy`; `critic/kl`: the
 *   in-reward KL penalty of `apply_kl_penalty`, `algorithm.kl_penalty` default "kl" = k1), `utils/tracking.py`
 *   `FileLogger` (`{"step": N, "data": {...}}` a line, json.dumps or orjson) and `utils/logger/aggregate_logger.py`
 *   `concat_dict_to_str` (console: `step:N - key:value - …`, values `{v:.3f}` in old releases, `pprint.pformat(v)`
 *   in newer ones). Training steps start at 1 (`global_steps`); step 0 holds validation-before-training only.
 * - Tinker cookbook `tinker_cookbook/rl/metric_util.py` (`env/all/reward/total`, `env/all/ac_tokens_per_turn`,
 *   `env/all/by_group/frac_all_good|frac_all_bad|frac_mixed`) and `rl/metrics.py` (`optim/kl_sample_train_v1` =
 *   mean(sampling − training logprob), signed; `optim/entropy` = −mean sampled logprob). Steps start at 0.
 */

export type TraceFormat = "rlvr" | "trl" | "verl" | "verl-console" | "tinker";
export const TRACE_FORMATS: readonly TraceFormat[] = ["rlvr", "trl", "verl", "verl-console", "tinker"];

const VERL: Record<string, string> = {
  "critic/score/mean": "reward/mean",
  "actor/entropy": "entropy",
  "actor/entropy_loss": "entropy",
  "actor/kl_loss": "kl/k3_mean",
  "critic/kl": "kl/k1_mean",
  "actor/reward_kl_penalty": "kl/k1_mean",
  "actor/grad_norm": "grad_norm",
  "actor/lr": "lr",
  "actor/pg_loss": "loss",
  "response_length/mean": "completions/mean_length",
  "response_length/max": "completions/max_length",
  "response_length/clip_ratio": "completions/truncated_frac",
};

/** Foreign name → vocabulary name. Names not listed are kept under their own names. */
export const NAME_MAPS: Record<TraceFormat, Record<string, string>> = {
  rlvr: {},
  trl: {
    reward: "reward/mean",
    reward_std: "reward/std",
    kl: "kl/k3_mean",
    "clip_ratio/low_mean": "clip_ratio/low",
    "clip_ratio/high_mean": "clip_ratio/high",
    learning_rate: "lr",
    completion_length: "completions/mean_length",
    "completions/clipped_ratio": "completions/truncated_frac",
    "sampling/sampling_logp_difference/mean": "logprob_diff/abs_mean",
    "sampling/sampling_logp_difference/max": "logprob_diff/max",
  },
  verl: VERL,
  "verl-console": VERL,
  tinker: {
    "env/all/reward/total": "reward/mean",
    "optim/entropy": "entropy",
    "optim/kl_sample_train_v1": "logprob_diff/mean",
    "optim/lr": "lr",
    "env/all/ac_tokens_per_turn": "completions/mean_length",
  },
};

/** The step number each format gives its first optimizer update (compare aligns runs on step − base). */
export const STEP_BASE: Record<TraceFormat, number> = { rlvr: 0, trl: 1, verl: 1, "verl-console": 1, tinker: 0 };

/** Where a mapped name's definition differs from the vocabulary's; shown with the trace. */
export const DEFINITION_NOTES: Partial<Record<TraceFormat, Record<string, string>>> = {
  trl: {
    "reward/std":
      "TRL reward_std is Bessel-corrected (n − 1); TRL 1.x computes it over the whole batch, earlier releases averaged the within-group stds",
  },
  tinker: { entropy: "Tinker optim/entropy is −mean log-prob of the sampled tokens (a sample estimate)" },
};

/** Derived vocabulary metrics a format implies but does not log under our name. */
export function deriveMetrics(format: TraceFormat, rec: Record<string, unknown>): void {
  if (format === "tinker" && rec.frac_reward_zero_std === undefined) {
    // Current cookbook: env/all/by_group/*; kept: the pre-by_group names some old logs carry.
    for (const prefix of ["env/all/by_group/", "env/all/"]) {
      const good = rec[`${prefix}frac_all_good`];
      const bad = rec[`${prefix}frac_all_bad`];
      if (typeof good === "number" && typeof bad === "number") {
        rec.frac_reward_zero_std = good + bad;
        break;
      }
    }
  }
}

/** TRL log_history entries that summarise the run (written once by `Trainer.train`), not a step. */
export function isSummaryRecord(format: TraceFormat, rec: Record<string, unknown>): boolean {
  return format === "trl" && ("train_runtime" in rec || "train_loss" in rec);
}
