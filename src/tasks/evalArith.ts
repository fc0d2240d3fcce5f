/**
 * pass@1 of a policy on arithmetic problems: one seeded sample per problem, scored by `arithReward`.
 *
 *   pass@1 = (# problems whose sample is correct) / n,   95% CI = Wilson score interval.
 * Also reports the strict/flexible format rates and pass@1 per level. Used by scripts/pretrain.ts and
 * available to GRPO runs for before/after comparisons.
 */
import type { GPT } from "../policy/gpt.js";
import type { Problem } from "../schemas/problem.js";
import { wilson } from "../stats/wilson.js";
import { arithPrompt } from "./arith.js";
import { arithReward, formatFlags } from "./reward.js";

export interface ArithEvalOptions {
  temperature?: number;
  topP?: number;
  topK?: number;
  maxTokens?: number;
  seed?: number;
  /** Prompts per `sample` call (bounds memory). */
  batchSize?: number;
}

export interface ArithEval {
  n: number;
  correct: number;
  passAt1: number;
  ci95: [number, number];
  strictRate: number;
  flexibleRate: number;
  byLevel: Record<string, { n: number; correct: number; passAt1: number }>;
  /** One record per problem: id, completion text, verdict status, finish reason. */
  samples: { id: string; text: string; status: string; finishReason: string }[];
}

export function evaluateArith(model: GPT, problems: Problem[], options: ArithEvalOptions = {}): ArithEval {
  const { temperature = 1, topP = 1, topK = 0, maxTokens = 40, seed = 0, batchSize = 64 } = options;
  const tok = model.tokenizer;
  const samples: ArithEval["samples"] = [];
  let correct = 0;
  let strict = 0;
  let flexible = 0;
  const byLevel: ArithEval["byLevel"] = {};
  for (let start = 0; start < problems.length; start += batchSize) {
    const chunk = problems.slice(start, start + batchSize);
    const results = model.sample(
      chunk.map((p) => tok.encodePrompt(arithPrompt(p))),
      { maxTokens, temperature, topP, topK, seed: seed + start },
    );
    chunk.forEach((p, i) => {
      const r = results[i];
      const v = arithReward(p, r.text);
      const f = formatFlags(r.text);
      const ok = v.status === "correct";
      correct += ok ? 1 : 0;
      strict += f.strict ? 1 : 0;
      flexible += f.flexible ? 1 : 0;
      const level = String(p.metadata?.level ?? "?");
      const b = (byLevel[level] ??= { n: 0, correct: 0, passAt1: 0 });
      b.n++;
      b.correct += ok ? 1 : 0;
      samples.push({ id: p.id, text: r.text, status: v.status, finishReason: r.finishReason });
    });
  }
  const n = problems.length;
  for (const b of Object.values(byLevel)) b.passAt1 = b.correct / b.n;
  return {
    n,
    correct,
    passAt1: n ? correct / n : 0,
    ci95: n ? wilson(correct, n) : [0, 1],
    strictRate: n ? strict / n : 0,
    flexibleRate: n ? flexible / n : 0,
    byLevel,
    samples,
  };
}
