/**
 * Real reproductions of the debug notes: each runs the project's GRPO trainer (src/grpo) on a tiny random-init
 * policy (src/policy) for a few steps with one bug switched on, writes trace.jsonl and rollouts.jsonl like
 * `rlvr train` does, and names the finding the doctor must report. A control run is the same config with the
 * bug switched off. Seconds each on one core; the number generators in repro.ts stay as fast unit fixtures.
 *
 * | name                  | the bug, as a config change                          | the doctor must say |
 * |-----------------------|------------------------------------------------------|---------------------|
 * | temperature_mismatch  | sample at τ 0.7, trainer log-probs at τ 1.0          | logprob_mismatch    |
 * | shared_seed           | every request sampled with the same seed             | identical_completions |
 * | max_tokens_too_small  | maxTokens 1 while answers need a few tokens and `#`  | truncation_high, length_pinned |
 *
 * tfjs and the trainer load lazily: importing rlvr-lab's traces does not start tfjs.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { TaskSpec } from "../grpo/task.js";
import type { TrainConfigInput } from "../grpo/config.js";
import type { Problem } from "../schemas/problem.js";

export type RealReproName = "temperature_mismatch" | "shared_seed" | "max_tokens_too_small";

/** Toy task: the answer is a letter a–d followed, within 4 characters, by the end marker `#`. */
const ALPHABET = "abcdefgh#:\n ";
export const REPRO_TASK: TaskSpec = {
  name: "repro-toy",
  prompt: (p) => `${p.question}:`,
  reward: (p, completion) => {
    const ok = /^[a-d][^#]{0,3}#/.test(completion);
    const strict = /^[a-d]#/.test(completion);
    return { status: ok ? "correct" : "wrong", score: ok ? 1 : 0, extracted: completion.slice(0, 1), span: null, normalizedGold: p.gold, normalizedPred: completion.slice(0, 1), rule: strict ? "strict" : "flexible", ms: 0 };
  },
  format: (c) => ({ strict: /^[a-d]#/.test(c), flexible: /^[a-d]/.test(c) }),
  solution: () => "a#",
  stop: ["\n"],
};
const PROBLEMS: Problem[] = Array.from({ length: 8 }, (_, i) => ({ id: `p${i}`, question: "ab".repeat(1 + (i % 4)), gold: "a" }));

/** The healthy base config every reproduction changes one thing of. */
export const REPRO_BASE: TrainConfigInput = {
  steps: 6,
  promptsPerStep: 4,
  groupSize: 8,
  maxTokens: 20,
  temperature: 1,
  lr: 3e-3,
  warmupSteps: 2,
  heldout: 1,
  evalSamples: 1,
  passK: [1],
  logEvery: 0,
  seed: 3,
};

/** `setup` applies to the bug and its control; `bug` only to the bug run. */
export const REAL_REPROS: Record<RealReproName, { setup?: TrainConfigInput; bug: TrainConfigInput; expect: string[]; note: string }> = {
  // A random-init policy is almost uniform, where temperature changes nothing: a short supervised warm-start
  // gives it peaked logits first, as any pretrained policy has.
  temperature_mismatch: { setup: { sftSteps: 15, temperature: 0.7 }, bug: { trainerTemperature: 1.0 }, expect: ["logprob_mismatch"], note: "sampler at τ 0.7, trainer recomputes log-probs at τ 1.0" },
  shared_seed: { bug: { samplingSeed: "fixed" }, expect: ["identical_completions"], note: "every completion requested with the same seed" },
  max_tokens_too_small: { bug: { maxTokens: 1 }, expect: ["truncation_high", "length_pinned"], note: "max tokens 1: no answer fits, every completion is cut and scored wrong" },
};

export interface ReproRun {
  name: RealReproName;
  variant: "bug" | "control";
  dir: string;
  trace: string;
  rollouts: string;
  seconds: number;
}

/** Run one reproduction (the bug, or its control) into `dir` (replaced): trace.jsonl + rollouts.jsonl. */
export async function runRealRepro(name: RealReproName, dir: string, variant: "bug" | "control" = "bug"): Promise<ReproRun> {
  const [{ initBackend }, { GPT }, { parseTrainConfig }, { trainGRPO }, { JsonlAppender }] = await Promise.all([
    import("../policy/backend.js"),
    import("../policy/gpt.js"),
    import("../grpo/config.js"),
    import("../grpo/trainer.js"),
    import("../schemas/jsonl.js"),
  ]);
  await initBackend();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const c = parseTrainConfig({ ...REPRO_BASE, ...REAL_REPROS[name].setup, ...(variant === "bug" ? REAL_REPROS[name].bug : {}) });
  const policy = new GPT({ alphabet: ALPHABET, blockSize: 32, nLayer: 1, nHead: 2, nEmbd: 16 }, 7);
  const trace = new JsonlAppender(join(dir, "trace.jsonl"));
  const rollouts = new JsonlAppender(join(dir, "rollouts.jsonl"));
  const t0 = performance.now();
  try {
    await trainGRPO(policy, REPRO_TASK, PROBLEMS, c, { trace, rollouts });
  } finally {
    trace.close();
    rollouts.close();
    policy.dispose();
  }
  return { name, variant, dir, trace: join(dir, "trace.jsonl"), rollouts: join(dir, "rollouts.jsonl"), seconds: (performance.now() - t0) / 1000 };
}
