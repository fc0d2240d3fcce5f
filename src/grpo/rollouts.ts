/**
 * Rollouts: for each of the B prompts of a step, sample a group of G completions from the current policy
 * and score each with the task's verifier. Seeds are derived, never drawn: completion g of problem p at
 * step s on try j uses sequence g of `policy.sample(…, seed = hashSeed(runSeed, p.id, s, j))`, so a rollout
 * depends only on (weights, run seed, problem id, step, sample index) — not on batch composition.
 *
 * Adaptive resampling (DAPO "dynamic sampling", without over-provisioning): a group whose rewards are all
 * equal carries no group-relative signal; it is sampled again with the next try's seed, up to
 * `resampleTries` times, and the last try is kept. The sample index of try j, completion g is j·G + g.
 */
import type { GPT } from "../policy/gpt.js";
import type { SampleResult } from "../policy/sample.js";
import type { Problem } from "../schemas/problem.js";
import type { Verdict } from "../schemas/verdict.js";
import { hashSeed } from "../stats/rng.js";
import { isZeroStdGroup } from "./advantages.js";
import type { TaskSpec } from "./task.js";

export interface Rollout {
  sampleIndex: number;
  result: SampleResult;
  verdict: Verdict;
  reward: number;
}

export interface Group {
  problem: Problem;
  prompt: string;
  /** [BOS, ...encode(prompt)]. */
  promptIds: number[];
  rollouts: Rollout[];
  /** Tries used (1 = no resampling); `initiallyZeroStd` tells whether the first try had all-equal rewards. */
  tries: number;
  initiallyZeroStd: boolean;
}

export interface RolloutOptions {
  seed: number;
  step: number;
  groupSize: number;
  maxTokens: number;
  temperature: number;
  topP: number;
  topK: number;
  resampleTries: number;
  /** "fixed": every completion is its own request with the run seed (the shared-seed bug). */
  samplingSeed?: "derived" | "fixed";
}

/** Sample and score one group of G completions for one problem. */
export function sampleGroup(policy: GPT, task: TaskSpec, problem: Problem, o: RolloutOptions, attempt = 0): Rollout[] {
  const tok = policy.tokenizer;
  const promptIds = tok.encodePrompt(task.prompt(problem));
  const opts = { maxTokens: o.maxTokens, temperature: o.temperature, topP: o.topP, topK: o.topK, stop: task.stop ?? [] };
  const results =
    o.samplingSeed === "fixed"
      ? Array.from({ length: o.groupSize }, () => policy.sample([promptIds], { ...opts, seed: o.seed })[0])
      : policy.sample(
          Array.from({ length: o.groupSize }, () => promptIds),
          { ...opts, seed: hashSeed(o.seed, problem.id, o.step, attempt) },
        );
  return results.map((result, g) => {
    const verdict = task.reward(problem, result.text);
    return { sampleIndex: attempt * o.groupSize + g, result, verdict, reward: verdict.score };
  });
}

/** B groups, with adaptive resampling of all-equal groups. */
export function collectGroups(policy: GPT, task: TaskSpec, problems: Problem[], o: RolloutOptions): Group[] {
  return problems.map((problem) => {
    const prompt = task.prompt(problem);
    const promptIds = policy.tokenizer.encodePrompt(prompt);
    let rollouts = sampleGroup(policy, task, problem, o, 0);
    const initiallyZeroStd = isZeroStdGroup(rollouts.map((r) => r.reward));
    let tries = 1;
    while (tries <= o.resampleTries && isZeroStdGroup(rollouts.map((r) => r.reward))) {
      rollouts = sampleGroup(policy, task, problem, o, tries);
      tries++;
    }
    return { problem, prompt, promptIds, rollouts, tries, initiallyZeroStd };
  });
}
