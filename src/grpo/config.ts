/**
 * TrainConfig: every knob of GRPO training and of the `rlvr start` evaluation, with its default, in one
 * place. `z.infer` gives the type; `parseTrainConfig` is the boundary (CLI flags, JSON files) and returns
 * messages that name the field and say how to fix it. Docs point here instead of restating defaults.
 */
import { z } from "zod";
import { LORA_TARGETS } from "../policy/config.js";

const posInt = z.number().int().positive();
const nonNegInt = z.number().int().nonnegative();
const prob = z.number().min(0).max(1);

export const TrainConfig = z
  .object({
    /** Run seed: sampling seeds are hashSeed(seed, problem id, step, sample index). */
    seed: z.number().int().default(1),
    /**
     * Optimizer steps of GRPO (each = one batch of B·G rollouts). 400, chosen on the validation split by
     * scripts/tune.ts (+6.5 points of tuned pass@1 over 250 steps, paired 95% CI [2.6, 10.3]; docs/grpo.md).
     */
    steps: nonNegInt.default(400),
    /** B: prompts per step. */
    promptsPerStep: posInt.default(8),
    /** G: completions sampled per prompt. */
    groupSize: posInt.default(8),
    /** Completion budget in tokens; a completion that hits it has finish_reason "length". */
    maxTokens: posInt.default(28),
    /**
     * Sampling temperature during training rollouts (the policy's logprobs are tempered the same way).
     * Above 1 by default: more groups with mixed rewards, and a policy sharp at τ = 1.5 is sharper still
     * at the evaluation temperature 1 (+3.6 points over τ = 1 on the previous split; on the validation split
     * the two tie, +0.1 [−3.3, 3.6], so it stays: docs/grpo.md, "How the defaults were chosen").
     */
    temperature: z.number().positive().default(1.5),
    /**
     * Temperature the trainer divides logits by when it recomputes log-probs (and the reference's); unset =
     * `temperature`. Set differently only to reproduce the sampler/trainer temperature mismatch bug.
     */
    trainerTemperature: z.number().positive().optional(),
    /**
     * "derived": each group's seed is hashSeed(seed, problem, step, try). "fixed": every request (each
     * completion) is sampled with the run seed itself — the shared-seed bug, kept to reproduce it.
     */
    samplingSeed: z.enum(["derived", "fixed"]).default("derived"),
    topP: z.number().gt(0).max(1).default(1),
    /** 0 = off. */
    topK: nonNegInt.default(0),

    /** Peak learning rate (reached after warmup). */
    lr: z.number().positive().default(1e-3),
    /** Linear warmup from 0 to lr over this many optimizer updates (DESIGN: no warmup + eps 1e-7 made KL explode). */
    warmupSteps: nonNegInt.default(5),
    /** After warmup: keep lr constant or decay it linearly to 0 at the last step. */
    lrDecay: z.enum(["none", "linear"]).default("linear"),
    adamBeta1: prob.default(0.9),
    adamBeta2: prob.default(0.999),
    /**
     * Adam's ε. 1e-5 as in CleanRL's PPO, not PyTorch's 1e-8: the update is lr·m/(√v + ε), so with a tiny
     * ε a parameter whose policy-gradient is almost pure noise (|g| ≪ 1e-5) still moves by ≈ lr every step.
     * Measured on the previous split (docs/grpo.md, earlier sweeps): ε 1e-5 vs 1e-8 gives +3.3 points of tuned pass@1
     * (paired, 95% CI [0.1, 6.4]) and half the KL to the base over the last 50 steps.
     */
    adamEps: z.number().positive().default(1e-5),
    /** Clip the gradient's global L2 norm to this; 0 = no clipping. */
    maxGradNorm: z.number().nonnegative().default(1),
    /** μ: optimizer updates on each sampled batch (μ > 1 makes the ratio ≠ 1 and the clip matter). */
    innerUpdates: posInt.default(1),
    /**
     * Where log π_θ_old comes from: "trainer" recomputes it with the training forward pass (same
     * arithmetic as log π_θ, so ρ = 1 exactly at the first update); "sampler" uses the sampler's
     * processed log-probs (differences in arithmetic then show up as ρ ≠ 1: the train/infer mismatch).
     */
    oldLogprobs: z.enum(["trainer", "sampler"]).default("trainer"),
    /** K: gradient-accumulation micro-batches per update (memory; changes `bnpo`'s normaliser). */
    microBatches: posInt.default(1),

    advantage: z.enum(["grpo", "dr_grpo", "rloo"]).default("grpo"),
    /** ε in (r − mean)/(std + ε). */
    advEps: z.number().positive().default(1e-4),
    /**
     * The std in the grpo advantage: "population" (÷G, the DeepSeekMath z-score of the group) or "sample"
     * (÷(G−1), TRL 1.13's default). Population by default: the defaults were tuned with it (advantages.ts).
     */
    stdKind: z.enum(["population", "sample"]).default("population"),
    /** grpo advantage denominator: each group's std, or one std over the step's B·G rewards (TRL scale_rewards="batch"). */
    scaleRewards: z.enum(["group", "batch"]).default("group"),
    aggregation: z.enum(["grpo", "dapo", "dr_grpo", "bnpo"]).default("dapo"),
    epsLow: z.number().min(0).lt(1).default(0.2),
    epsHigh: z.number().min(0).default(0.28),
    /** β: KL coefficient (0 = no KL term; KL vs the frozen base is still logged when klMetrics). */
    beta: z.number().nonnegative().default(0),
    klEstimator: z.enum(["k1", "k2", "k3"]).default("k3"),
    /** Put β·KL in the per-token loss, or subtract β·Σ_t KL from each completion's reward. */
    klIn: z.enum(["loss", "reward"]).default("loss"),
    /** Compute reference log-probs every step for the kl/* metrics even when β = 0 (one extra forward). */
    klMetrics: z.boolean().default(true),
    /** c_H: entropy bonus coefficient (loss −= c_H · H). */
    entropyCoef: z.number().default(0),
    /** "loss": the bonus is aggregated like the loss; "token_mean": a token mean for every aggregation (TRL 1.13). */
    entropyAggregation: z.enum(["loss", "token_mean"]).default("loss"),
    /** Drop completions with finish_reason "length" from the loss (their tokens get mask 0). */
    maskTruncated: z.boolean().default(true),
    /** Drop groups whose rewards are all equal from the loss (DAPO dynamic sampling). */
    filterZeroStd: z.boolean().default(false),
    /** Re-sample an all-equal group up to this many times with fresh seeds before training on it. */
    resampleTries: nonNegInt.default(0),
    /**
     * DAPO dynamic sampling with over-provisioning: sample groups for B + this many prompts and train on B of
     * them, taking groups with mixed rewards first (in draw order), then all-equal ones to fill B.
     * Costs sampling time only; the trained batch keeps B·G rows.
     */
    oversamplePrompts: nonNegInt.default(0),

    /**
     * Train LoRA adapters (W + (alpha/rank)·A·B on `targets`) instead of every weight; merged into the weights
     * when training ends, so the tuned checkpoint is a plain policy. Absent = full fine-tuning.
     */
    lora: z
      .object({
        rank: posInt,
        alpha: z.number().positive().optional(),
        targets: z.array(z.enum(LORA_TARGETS)).nonempty().default(["attn.qkv", "attn.proj"]),
      })
      .strict()
      .optional(),

    /** Supervised warm-start steps on (prompt, gold solution) before GRPO; 0 = none. */
    sftSteps: nonNegInt.default(0),
    sftLr: z.number().positive().default(3e-3),
    sftBatch: posInt.default(32),

    /** Training problems generated for the train split (sampled with replacement per step). */
    trainProblems: posInt.default(2000),
    /**
     * Held-out problems evaluated before and after training (the same problems both times), drawn from
     * `evalSplit` with distinct arithmetic (src/tasks/arithSplit.ts).
     */
    heldout: posInt.default(200),
    /** Which held-out split to evaluate: "validation" to choose hyper-parameters, "test" to report. */
    evalSplit: z.enum(["validation", "test"]).default("test"),
    /** n: completions sampled per held-out problem for pass@k. */
    evalSamples: posInt.default(4),
    evalTemperature: z.number().positive().default(1),
    /** k values reported as pass@k (each ≤ evalSamples). */
    passK: z.array(posInt).nonempty().default([1, 4]),
    /** Bootstrap resamples for CIs. */
    resamples: posInt.default(2000),

    backend: z.enum(["wasm", "cpu", "tensorflow"]).optional(),
    /** Write per-token sampler/trainer log-probs into rollouts.jsonl. */
    logprobsInRollouts: z.boolean().default(true),
    /** Print a progress line every this many steps (0 = quiet). */
    logEvery: nonNegInt.default(5),
  })
  .strict()
  .superRefine((c, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (c.groupSize < 2 && c.advantage !== "dr_grpo")
      issue("groupSize", `groupSize ${c.groupSize} gives every ${c.advantage} advantage 0; set groupSize ≥ 2`);
    if (c.microBatches > c.promptsPerStep * c.groupSize)
      issue("microBatches", `microBatches ${c.microBatches} > promptsPerStep·groupSize = ${c.promptsPerStep * c.groupSize}; lower it`);
    if (c.warmupSteps > c.steps * c.innerUpdates && c.steps > 0)
      issue("warmupSteps", `warmupSteps ${c.warmupSteps} exceeds the ${c.steps * c.innerUpdates} updates of the run; lower it or raise steps`);
    const kMax = Math.max(...c.passK);
    if (kMax > c.evalSamples) issue("passK", `pass@${kMax} needs evalSamples ≥ ${kMax}; raise evalSamples or drop k = ${kMax}`);
    if (c.scaleRewards === "batch" && c.advantage !== "grpo")
      issue("scaleRewards", `scaleRewards "batch" scales the grpo advantage; ${c.advantage} has no std to scale by: set advantage "grpo" or scaleRewards "group"`);
    if (c.klIn === "reward" && c.beta === 0) issue("beta", `klIn "reward" with beta 0 does nothing; set beta > 0 or klIn "loss"`);
    if (c.filterZeroStd && c.resampleTries === 0 && c.advantage === "grpo" && c.beta === 0 && c.entropyCoef === 0 && c.aggregation === "grpo")
      issue("filterZeroStd", `with grpo aggregation and no KL/entropy term, all-equal groups already contribute 0: filterZeroStd only changes normalisers; drop it or set resampleTries > 0`);
  });
export type TrainConfig = z.infer<typeof TrainConfig>;
export type TrainConfigInput = z.input<typeof TrainConfig>;

/** Validate a config object; on failure the error lists every bad field with how to fix it. */
export function parseTrainConfig(input: unknown): TrainConfig {
  const r = TrainConfig.safeParse(input ?? {});
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `  ${i.path.join(".") || "(config)"}: ${i.message}`);
  throw new ConfigError(`invalid training config:\n${lines.join("\n")}`);
}

export class ConfigError extends Error {}

/** lr at optimizer update u (0-based) of U: linear warmup to `lr`, then constant or linear decay to 0. */
export function learningRate(c: Pick<TrainConfig, "lr" | "warmupSteps" | "lrDecay">, u: number, U: number): number {
  if (c.warmupSteps > 0 && u < c.warmupSteps) return (c.lr * (u + 1)) / c.warmupSteps;
  if (c.lrDecay === "none" || U <= c.warmupSteps) return c.lr;
  return c.lr * Math.max(0, 1 - (u - c.warmupSteps) / (U - c.warmupSteps));
}
