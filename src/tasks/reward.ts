/**
 * Reward and format checks of the arithmetic task, decided by the project's GSM8K verifier.
 *
 *   strict   — the completion's final line is exactly `#### N` (N an integer, optional leading "-"; one
 *              trailing newline allowed) and it holds no other `####`, so "the first `####`" (the verifier's
 *              and lm-eval's rule) and "the final line" are the same answer;
 *   flexible — lm-eval's flexible-extract finds some number anywhere (`extractGsm8k`, mode lm-eval-flexible).
 *
 * `arithReward(problem, completion)`: fails closed when the format is not strict (status `unparseable`,
 * score 0, rule `arith/strict-format`, flag `arith:would-be-<status>` telling what the numeric verifier
 * would have said, so format failures and wrong answers can be told apart); otherwise the verdict of
 * `verifyGsm8k(gold, completion, { mode: "numeric" })` with the rule prefixed `arith/strict+`.
 */
import type { Problem } from "../schemas/problem.js";
import type { Verdict } from "../schemas/verdict.js";
import { extractGsm8k, verifyGsm8k } from "../verifiers/gsm8k/index.js";

const STRICT_FINAL_LINE = /(?:^|\n)#### -?[0-9]+\n?$/;

export function formatFlags(completion: string): { strict: boolean; flexible: boolean } {
  const strict = STRICT_FINAL_LINE.test(completion) && completion.indexOf("####") === completion.lastIndexOf("####");
  const flexible = extractGsm8k(completion, { mode: "lm-eval-flexible" }).extracted !== null;
  return { strict, flexible };
}

export function arithReward(problem: Pick<Problem, "gold" | "id">, completion: string): Verdict {
  const t0 = performance.now();
  const numeric = verifyGsm8k(problem.gold, completion, { mode: "numeric" });
  const { strict, flexible } = formatFlags(completion);
  if (!strict) {
    return {
      id: problem.id,
      status: "unparseable",
      score: 0,
      extracted: null,
      span: null,
      normalizedGold: numeric.normalizedGold,
      normalizedPred: null,
      rule: "arith/strict-format",
      ms: performance.now() - t0,
      flags: ["arith:format-not-strict", `arith:would-be-${numeric.status}`, ...(flexible ? ["arith:flexible-number"] : [])],
      message: "the completion must end with a final line `#### N` (and contain no other `####`)",
    };
  }
  return { ...numeric, id: problem.id, rule: `arith/strict+${numeric.rule}`, ms: performance.now() - t0 };
}
