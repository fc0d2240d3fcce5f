/**
 * GPTConfig and SampleOptions: zod schemas with every default in one place.
 */
import { z } from "zod";
import { DEFAULT_ALPHABET } from "./tokenizer.js";

export const GPTConfigSchema = z
  .object({
    /** Characters of the CharTokenizer; vocabSize = alphabet length + 3 (PAD, BOS, EOS). */
    alphabet: z.string().min(1).default(DEFAULT_ALPHABET),
    /** PAD takes this alphabet character's id, so decoding drops the character: the pad-id bug, only to reproduce it. */
    padChar: z.string().optional(),
    /** Context length in tokens (positions 0 … blockSize-1). */
    blockSize: z.number().int().positive().default(96),
    nLayer: z.number().int().positive().default(2),
    nHead: z.number().int().positive().default(4),
    /** Embedding width C. */
    nEmbd: z.number().int().positive().default(64),
    /** MLP hidden width = mlpRatio · C. */
    mlpRatio: z.number().int().positive().default(4),
    /** Std of the normal weight init (nanoGPT: 0.02; residual projections get std / sqrt(2 · nLayer)). */
    initStd: z.number().positive().default(0.02),
  })
  .refine((c) => c.nEmbd % c.nHead === 0, {
    message: "nEmbd must be a multiple of nHead (head size = nEmbd / nHead); change one of them",
  })
  .refine((c) => c.padChar === undefined || (Array.from(c.padChar).length === 1 && c.alphabet.includes(c.padChar)), {
    message: "padChar must be one character of the alphabet (or unset: PAD then has its own id)",
    path: ["padChar"],
  });
/** Fully resolved config (all defaults applied). */
export type GPTConfig = z.output<typeof GPTConfigSchema>;
/** What `new GPT(config, seed)` accepts: any subset, defaults fill the rest. */
export type GPTConfigInput = z.input<typeof GPTConfigSchema>;

export function parseGPTConfig(input: unknown): GPTConfig {
  const r = GPTConfigSchema.safeParse(input ?? {});
  if (!r.success) {
    throw new Error(`invalid GPT config: ${r.error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`).join("; ")}`);
  }
  return r.data;
}

export const SampleOptionsSchema = z
  .object({
    /** Most tokens to generate per prompt (also capped by blockSize − prompt length). */
    maxTokens: z.number().int().nonnegative(),
    /** Softmax temperature; 0 = greedy argmax. */
    temperature: z.number().nonnegative().default(1),
    /** Nucleus sampling mass in (0, 1]; 1 = off. */
    topP: z.number().gt(0).max(1).default(1),
    /** Keep only the k most likely tokens; 0 = off. */
    topK: z.number().int().nonnegative().default(0),
    /** Generation ends when the text contains one of these; the text is cut before it (OpenAI semantics). */
    stop: z.array(z.string().min(1)).default([]),
    /** Seed of the per-sequence RNGs (sequence i uses hashSeed(seed, i)): same seed → same samples. */
    seed: z.number().int(),
    /** Reuse attention keys/values across steps (true) or recompute the whole context each step (false). */
    kvCache: z.boolean().default(true),
  });
export type SampleOptions = z.input<typeof SampleOptionsSchema>;

export function parseSampleOptions(input: unknown): z.output<typeof SampleOptionsSchema> {
  const r = SampleOptionsSchema.safeParse(input);
  if (!r.success) {
    throw new Error(`invalid sample options: ${r.error.issues.map((i) => `${i.path.join(".") || "options"}: ${i.message}`).join("; ")}`);
  }
  return r.data;
}

/** Matrices LoRA can target, per block (`attn.qkv`, `attn.proj`, `mlp.fc`, `mlp.proj`) and the `head`. */
export const LORA_TARGETS = ["attn.qkv", "attn.proj", "mlp.fc", "mlp.proj", "head"] as const;
export type LoRATarget = (typeof LORA_TARGETS)[number];

export interface LoRAConfig {
  rank: number;
  alpha: number;
  targets: LoRATarget[];
}
