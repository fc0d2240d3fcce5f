/**
 * Held-out evaluation: n completions per problem at the evaluation temperature, scored by the task's
 * verifier, summarised as pass@k with bootstrap 95% CIs (src/stats). Seeds depend only on (seed, position
 * of the problem in the list, sample index), so evaluating the base and the tuned policy on the same list
 * with the same seed uses common random numbers — the paired comparison then sees the policies'
 * difference, not sampling luck.
 */
import type { GPT } from "../policy/gpt.js";
import type { Problem } from "../schemas/problem.js";
import { hashSeed } from "../stats/rng.js";
import { summarizePassAtK, type PassAtKSummary } from "../stats/summary.js";
import { wilson } from "../stats/wilson.js";
import type { TaskSpec } from "./task.js";

export interface EvalOptions {
  n: number;
  ks: number[];
  temperature: number;
  maxTokens: number;
  seed: number;
  resamples: number;
}

export interface Estimate95 {
  estimate: number;
  ci95: [number, number];
}

export interface EvalResult {
  /** Per problem, in input order: correct count c_i out of n. */
  perProblem: { problem_id: string; n: number; c: number }[];
  /** c_i / n per problem — the paired unit of the base-vs-tuned bootstrap. */
  pass1PerProblem: number[];
  "pass@1": Estimate95 & { wilson95: [number, number]; n_problems: number; n_samples: number };
  "pass@k": Record<string, Estimate95>;
  format: { strict_rate: number; flexible_rate: number };
  summary: PassAtKSummary;
  seconds: number;
}

export function evaluatePolicy(policy: GPT, task: TaskSpec, problems: Problem[], o: EvalOptions): EvalResult {
  const t0 = performance.now();
  const tok = policy.tokenizer;
  const perProblem: EvalResult["perProblem"] = [];
  const samples: { problem_id: string; correct: boolean }[] = [];
  let strict = 0;
  let flexible = 0;
  // One sampler call for all n·|P| prompts: the sampler batches equal-length prompts together (far fewer
  // decode steps than one call per problem), and sequence i's RNG is mixSeed(seed, i), so sample j of
  // problem k is fixed by (seed, k·n + j) — the same for the base and the tuned policy.
  const prompts = problems.flatMap((p) => {
    const ids = tok.encodePrompt(task.prompt(p));
    return Array.from({ length: o.n }, () => ids);
  });
  const results = policy.sample(prompts, { maxTokens: o.maxTokens, temperature: o.temperature, stop: task.stop ?? [], seed: hashSeed(o.seed, "eval") });
  problems.forEach((p, k) => {
    let c = 0;
    for (const r of results.slice(k * o.n, (k + 1) * o.n)) {
      const ok = task.reward(p, r.text).status === "correct";
      const f = task.format(r.text);
      strict += f.strict ? 1 : 0;
      flexible += f.flexible ? 1 : 0;
      c += ok ? 1 : 0;
      samples.push({ problem_id: p.id, correct: ok });
    }
    perProblem.push({ problem_id: p.id, n: o.n, c });
  });
  const summary = summarizePassAtK(samples, o.ks, { resamples: o.resamples, seed: o.seed, onWarning: () => {} });
  const total = samples.length;
  const correct = samples.filter((s) => s.correct).length;
  const p1 = summary["pass@k"]["1"]; // keys are String(k)
  const passK: Record<string, Estimate95> = {};
  for (const [k, e] of Object.entries(summary["pass@k"])) passK[k] = { estimate: e.estimate, ci95: e.ci95 };
  return {
    perProblem,
    pass1PerProblem: perProblem.map((x) => x.c / x.n),
    "pass@1": {
      estimate: p1?.estimate ?? correct / Math.max(1, total),
      ci95: p1?.ci95 ?? wilson(correct, total),
      wilson95: wilson(correct, total),
      n_problems: problems.length,
      n_samples: total,
    },
    "pass@k": passK,
    format: { strict_rate: strict / Math.max(1, total), flexible_rate: flexible / Math.max(1, total) },
    summary,
    seconds: (performance.now() - t0) / 1000,
  };
}
