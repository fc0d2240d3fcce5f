/** Completion: one sampled answer to a problem, with how generation ended. */
import { z } from "zod";

export const FinishReason = z.enum(["stop", "length", "error", "abort"]);
export type FinishReason = z.infer<typeof FinishReason>;

export const Completion = z.object({
  problem_id: z.union([z.string(), z.number()]).transform(String),
  sample_index: z.number().int().nonnegative(),
  prompt: z.string().optional(),
  completion: z.string(),
  /** `length` means the generation hit max_tokens: report it as truncation, never silently as wrong. */
  finish_reason: z.union([FinishReason, z.string()]).nullable().optional(),
  num_tokens: z.number().int().nonnegative().optional(),
  model: z.string().optional(),
  endpoint: z.string().optional(),
  seed: z.number().int().optional(),
  /** Per-token log-probabilities as the sampler reported them. */
  logprobs: z.array(z.number()).optional(),
});
export type Completion = z.infer<typeof Completion>;

/** Input record of `rlvr verify`: a completion with its gold answer. */
export const VerifyRecord = z.object({
  id: z.union([z.string(), z.number()]),
  gold: z.union([z.string(), z.number()]).transform(String),
  completion: z.string(),
  finish_reason: z.string().nullable().optional(),
});
export type VerifyRecord = z.infer<typeof VerifyRecord>;
