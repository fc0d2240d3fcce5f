/**
 * Trace records written by the trainer and read by trace analytics.
 * TraceStep: one line per optimizer step, metric names from `METRICS` (extra keys are kept).
 * RolloutRecord: one line per sampled completion during training.
 */
import { z } from "zod";

const num = z.number().nullable().optional();

export const TraceStep = z
  .object({
    step: z.number().int().nonnegative(),
    "reward/mean": num,
    "reward/std": num,
    frac_reward_zero_std: num,
    "kl/k1_mean": num,
    "kl/k3_mean": num,
    "kl/max": num,
    entropy: num,
    "clip_ratio/low": num,
    "clip_ratio/high": num,
    grad_norm: num,
    lr: num,
    loss: num,
    "completions/mean_length": num,
    "completions/max_length": num,
    "completions/truncated_frac": num,
    "format/strict_rate": num,
    "format/flexible_rate": num,
    "logprob_diff/mean": num,
    "logprob_diff/abs_mean": num,
    "logprob_diff/max": num,
  })
  .catchall(z.unknown());
export type TraceStep = z.infer<typeof TraceStep>;

export const RolloutRecord = z
  .object({
    step: z.number().int().nonnegative(),
    problem_id: z.union([z.string(), z.number()]).transform(String),
    sample_index: z.number().int().nonnegative(),
    prompt: z.string(),
    completion: z.string(),
    reward: z.number(),
    status: z.string(),
    /** The verdict's evidence, when the writer has it: gold answer, extracted answer, its span, the rule. */
    gold: z.string().optional(),
    extracted: z.string().nullable().optional(),
    span: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]).nullable().optional(),
    rule: z.string().optional(),
    num_tokens: z.number().int().nonnegative(),
    finish_reason: z.string().nullable(),
    /** Optional per-token logprobs as seen by the sampler and by the trainer (mismatch analysis). */
    sampler_logprobs: z.array(z.number()).optional(),
    trainer_logprobs: z.array(z.number()).optional(),
  })
  .catchall(z.unknown());
export type RolloutRecord = z.infer<typeof RolloutRecord>;
