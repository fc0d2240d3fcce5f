/**
 * Real reproductions of the debug notes: each runs the project's GRPO trainer (src/grpo) on a tiny random-init
 * policy (src/policy) for a few steps with one bug switched on, writes trace.jsonl and rollouts.jsonl like
 * `rlvr train` does, and names the finding the doctor must report. A control run is the same setup with the
 * bug switched off. Seconds each on one core; the number generators in repro.ts stay as fast unit fixtures.
 *
 * | name                  | the bug, as a change of config, tokenizer or reward  | the doctor must say |
 * |-----------------------|------------------------------------------------------|---------------------|
 * | temperature_mismatch  | sample at τ 0.7, trainer log-probs at τ 1.0          | logprob_mismatch    |
 * | shared_seed           | every request sampled with the same seed             | identical_completions |
 * | max_tokens_too_small  | maxTokens 1 while answers need a few tokens and `#`  | truncation_high, length_pinned |
 * | pad_token_collision   | PAD takes the id of '0' (tokenizer `padChar`)        | missing_character   |
 * | format_drift          | reward finds the answer anywhere, not `X#` exactly   | format_drift        |
 * | adam_eps_no_warmup    | Adam ε 1e-7 and no warmup (control: ε 1e-5, warmup)  | first_update_jump   |
 *
 * A supervised warm-start in `setup` runs once before training, with the setup's config, so the bug run and
 * its control start from the same weights even when the bug is an optimizer setting.
 * tfjs and the trainer load lazily: importing rlvr-lab's traces does not start tfjs.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { TaskSpec } from "../grpo/task.js";
import type { TrainConfigInput } from "../grpo/config.js";
import type { GPTConfigInput } from "../policy/config.js";
import type { Problem } from "../schemas/problem.js";
import type { Verdict } from "../schemas/verdict.js";

export type RealReproName = "temperature_mismatch" | "shared_seed" | "max_tokens_too_small" | "pad_token_collision" | "format_drift" | "adam_eps_no_warmup";

const verdict = (ok: boolean, completion: string, gold: string, rule: string): Verdict => ({
  status: ok ? "correct" : "wrong", score: ok ? 1 : 0, extracted: completion.slice(0, 1), span: null, normalizedGold: gold, normalizedPred: completion.slice(0, 1), rule, ms: 0,
});

/** Toy task: the answer is a letter a–d followed, within 4 characters, by the end marker `#`. */
const ALPHABET = "abcdefgh#:\n ";
export const REPRO_TASK: TaskSpec = {
  name: "repro-toy",
  prompt: (p) => `${p.question}:`,
  reward: (p, completion) => verdict(/^[a-d][^#]{0,3}#/.test(completion), completion, p.gold, /^[a-d]#/.test(completion) ? "strict" : "flexible"),
  format: (c) => ({ strict: /^[a-d]#/.test(c), flexible: /^[a-d]/.test(c) }),
  solution: () => "a#",
  stop: ["\n"],
};
const PROBLEMS: Problem[] = Array.from({ length: 8 }, (_, i) => ({ id: `p${i}`, question: "ab".repeat(1 + (i % 4)), gold: "a" }));

/** The pad reproduction's prompts carry digits (the doctor looks for a digit or letter missing from completions). */
const DIGIT_PROBLEMS: Problem[] = Array.from({ length: 8 }, (_, i) => ({ id: `d${i}`, question: `${"ab".repeat(1 + (i % 4))}${i}0`, gold: "a" }));

/**
 * Answer task: the prompt repeats the gold letter ("ccc:"); the required format is the letter and `#`, nothing
 * else. The strict reward pays exactly that; the lenient one (the bug) pays for the gold letter anywhere in the
 * completion (a search where a full match was meant), so longer, letter-strewn completions earn more.
 */
const answerTask = (lenient: boolean): TaskSpec => ({
  name: lenient ? "repro-answer-anywhere" : "repro-answer-strict",
  prompt: (p) => `${p.question}:`,
  reward: (p, c) => verdict(lenient ? c.includes(p.gold) : c === `${p.gold}#`, c, p.gold, lenient ? "anywhere" : "strict"),
  format: (c) => ({ strict: /^[a-d]#$/.test(c), flexible: /[a-d]/.test(c) }),
  solution: (p) => `${p.gold}#`,
  stop: ["\n"],
});
const ANSWER_PROBLEMS: Problem[] = Array.from({ length: 8 }, (_, i) => ({ id: `q${i}`, question: "abcd"[i % 4].repeat(2 + (i % 3)), gold: "abcd"[i % 4] }));

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

/** One side of a reproduction: training config, policy config (tokenizer knobs), task and problems. */
export interface ReproChange {
  config?: TrainConfigInput;
  policy?: GPTConfigInput;
  task?: TaskSpec;
  problems?: Problem[];
}

/** `setup` applies to the bug and its control; `bug` only to the bug run. */
export const REAL_REPROS: Record<RealReproName, { setup?: ReproChange; bug: ReproChange; expect: string[]; note: string; control: string }> = {
  // A random-init policy is almost uniform, where temperature changes nothing: a short supervised warm-start
  // gives it peaked logits first, as any pretrained policy has.
  temperature_mismatch: {
    setup: { config: { sftSteps: 15, temperature: 0.7 } },
    bug: { config: { trainerTemperature: 1.0 } },
    expect: ["logprob_mismatch"],
    note: "sampler at τ 0.7, trainer recomputes log-probs at τ 1.0",
    control: "both at τ 0.7",
  },
  shared_seed: { bug: { config: { samplingSeed: "fixed" } }, expect: ["identical_completions"], note: "every completion requested with the same seed", control: "a seed per (problem, step, sample)" },
  max_tokens_too_small: { bug: { config: { maxTokens: 1 } }, expect: ["truncation_high", "length_pinned"], note: "max tokens 1: no answer fits, every completion is cut and scored wrong", control: "max tokens 20" },
  pad_token_collision: {
    setup: { policy: { alphabet: `${ALPHABET}0123456789` }, problems: DIGIT_PROBLEMS },
    bug: { policy: { padChar: "0" } },
    expect: ["missing_character"],
    note: "PAD has the id of '0': decoding drops PAD, so '0' vanishes from every completion",
    control: "PAD has its own id",
  },
  // The warm-start teaches the strict form first (most completions are exactly `X#`); the lenient reward then
  // pays for strewing letters, the strict one keeps the form.
  format_drift: {
    setup: { config: { sftSteps: 80, steps: 20, maxTokens: 8, lr: 6e-3 }, task: answerTask(false), problems: ANSWER_PROBLEMS },
    bug: { task: answerTask(true) },
    expect: ["format_drift"],
    note: "the reward finds the gold letter anywhere in the completion; only `X#` is the format",
    control: "the reward requires exactly `X#`",
  },
  // A sharp (warm-started) policy, as any pretrained one is: there the first full-size Adam step is what moves
  // it. On this toy ε alone changes nothing measurable (its gradient entries are ≫ 1e-5); the warmup does.
  adam_eps_no_warmup: {
    setup: { config: { sftSteps: 80, steps: 12, lrDecay: "none", warmupSteps: 4 }, task: answerTask(false), problems: ANSWER_PROBLEMS },
    bug: { config: { adamEps: 1e-7, warmupSteps: 0 } },
    expect: ["first_update_jump"],
    note: "Adam ε 1e-7 and no learning-rate warmup",
    control: "Adam ε 1e-5 and 4 warmup steps",
  },
};

export interface ReproRun {
  name: RealReproName;
  variant: "bug" | "control";
  dir: string;
  trace: string;
  rollouts: string;
  seconds: number;
}

/**
 * Run one reproduction (the bug, or its control) into `dir` (replaced): trace.jsonl + rollouts.jsonl. `extra`
 * changes the run further (e.g. one half of a two-part bug), on top of the bug or control.
 */
export async function runRealRepro(name: RealReproName, dir: string, variant: "bug" | "control" = "bug", extra: ReproChange = {}): Promise<ReproRun> {
  const [{ initBackend }, { GPT }, { parseTrainConfig }, { trainGRPO, sftWarmStart }, { JsonlAppender }] = await Promise.all([
    import("../policy/backend.js"),
    import("../policy/gpt.js"),
    import("../grpo/config.js"),
    import("../grpo/trainer.js"),
    import("../schemas/jsonl.js"),
  ]);
  await initBackend();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const { setup = {}, bug } = REAL_REPROS[name];
  const picked: ReproChange = variant === "bug" ? bug : {};
  const on: ReproChange = { ...picked, ...extra, config: { ...picked.config, ...extra.config }, policy: { ...picked.policy, ...extra.policy } };
  const setupConfig = parseTrainConfig({ ...REPRO_BASE, ...setup.config });
  const c = parseTrainConfig({ ...REPRO_BASE, ...setup.config, ...on.config, sftSteps: 0 });
  const problems = on.problems ?? setup.problems ?? PROBLEMS;
  const policy = new GPT({ alphabet: ALPHABET, blockSize: 32, nLayer: 1, nHead: 2, nEmbd: 16, ...setup.policy, ...on.policy }, 7);
  const trace = new JsonlAppender(join(dir, "trace.jsonl"));
  const rollouts = new JsonlAppender(join(dir, "rollouts.jsonl"));
  const t0 = performance.now();
  try {
    // The warm-start belongs to the setup (its task's solutions, its optimizer settings): the same for both runs.
    if (setupConfig.sftSteps > 0) sftWarmStart(policy, setup.task ?? REPRO_TASK, problems, setupConfig);
    await trainGRPO(policy, on.task ?? setup.task ?? REPRO_TASK, problems, c, { trace, rollouts });
  } finally {
    trace.close();
    rollouts.close();
    policy.dispose();
  }
  return { name, variant, dir, trace: join(dir, "trace.jsonl"), rollouts: join(dir, "rollouts.jsonl"), seconds: (performance.now() - t0) / 1000 };
}
