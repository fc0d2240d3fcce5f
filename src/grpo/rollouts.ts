/**
 * Rollouts: for each of the B prompts of a step, sample a group of G completions from the current policy
 * and score each with the task's verifier. Seeds are derived, never drawn: completion g of problem p at
 * step s on try j uses sequence g of `policy.sample(…, seed = hashSeed(runSeed, p.id, s, j))`, so a rollout
 * depends only on (weights, run seed, problem id, step, sample index) — not on batch composition.
 *
 * Adaptive resampling (DAPO "dynamic sampling", without over-provisioning): a group whose rewards are all
 * equal carries no group-relative signal; it is sampled again with the next try's seed, up to
 * `resampleTries` times, and the last try is kept. The sample index of try j, completion g is j·G + g.
 * All groups of a try are decoded in one sampler batch (`sampleGroups`: shared prompt prefixes, finished
 * rows leave the batch); the derived seeds make that identical to one call per group up to float rounding.
 */
import type { GPT } from "../policy/gpt.js";
import { sampleGroups, type SampleResult } from "../policy/sample.js";
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

/** The sampler requests of one problem's group: one request of G (derived seeds) or G requests of 1 ("fixed"). */
function requests(promptIds: number[], problem: Problem, o: RolloutOptions, attempt: number): { prompt: number[]; n: number; seed: number }[] {
  return o.samplingSeed === "fixed"
    ? Array.from({ length: o.groupSize }, () => ({ prompt: promptIds, n: 1, seed: o.seed }))
    : [{ prompt: promptIds, n: o.groupSize, seed: hashSeed(o.seed, problem.id, o.step, attempt) }];
}

/**
 * Sample and score the groups of several problems on try `attempt`, all in one sampler batch (each group's
 * rows draw with its own seeds, so results equal one call per group up to float rounding).
 */
function sampleGroupsOf(policy: GPT, task: TaskSpec, problems: Problem[], o: RolloutOptions, attempt: number): Rollout[][] {
  const tok = policy.tokenizer;
  const opts = { maxTokens: o.maxTokens, temperature: o.temperature, topP: o.topP, topK: o.topK, stop: task.stop ?? [] };
  const reqs = problems.map((p) => requests(tok.encodePrompt(task.prompt(p)), p, o, attempt));
  const results = sampleGroups(policy, reqs.flat(), opts);
  let at = 0;
  return problems.map((problem, j) => {
    const rs = results.slice(at, (at += reqs[j].length)).flat();
    return rs.map((result, g) => {
      const verdict = task.reward(problem, result.text);
      return { sampleIndex: attempt * o.groupSize + g, result, verdict, reward: verdict.score };
    });
  });
}

/** Sample and score one group of G completions for one problem. */
export function sampleGroup(policy: GPT, task: TaskSpec, problem: Problem, o: RolloutOptions, attempt = 0): Rollout[] {
  return sampleGroupsOf(policy, task, [problem], o, attempt)[0];
}

/** B groups, with adaptive resampling of all-equal groups (each try of every group that needs it in one batch). */
export function collectGroups(policy: GPT, task: TaskSpec, problems: Problem[], o: RolloutOptions): Group[] {
  const rollouts = sampleGroupsOf(policy, task, problems, o, 0);
  const initiallyZeroStd = rollouts.map((r) => isZeroStdGroup(r.map((x) => x.reward)));
  const tries = problems.map(() => 1);
  for (let attempt = 1; attempt <= o.resampleTries; attempt++) {
    const again = problems.map((_, j) => j).filter((j) => isZeroStdGroup(rollouts[j].map((x) => x.reward)));
    if (again.length === 0) break;
    const fresh = sampleGroupsOf(policy, task, again.map((j) => problems[j]), o, attempt);
    again.forEach((j, k) => {
      rollouts[j] = fresh[k];
      tries[j] = attempt + 1;
    });
  }
  return problems.map((problem, j) => {
    const prompt = task.prompt(problem);
    return { problem, prompt, promptIds: policy.tokenizer.encodePrompt(prompt), rollouts: rollouts[j], tries: tries[j], initiallyZeroStd: initiallyZeroStd[j] };
  });
}
