/**
 * TaskSpec: what GRPO needs to know about a task — typed data, not a plugin: the prompt template, the
 * verifier that turns a completion into a reward Verdict, the format checks behind `format/strict_rate`
 * and `format/flexible_rate`, and optionally a reference solution for the SFT warm-start.
 * `arithTask` (in arithTask.ts) is the one the project ships.
 */
import type { Problem } from "../schemas/problem.js";
import type { Verdict } from "../schemas/verdict.js";

export interface TaskSpec {
  name: string;
  /** The prompt text shown to the policy for a problem (template applied; BOS is added by the trainer). */
  prompt(problem: Problem): string;
  /** Verifier: reward = verdict.score (fail closed: unparseable/timeout score 0). */
  reward(problem: Problem, completion: string): Verdict;
  /** Strict: the answer is in the required format; flexible: some answer can be extracted at all. */
  format(completion: string): { strict: boolean; flexible: boolean };
  /** A correct completion for supervised warm-start steps (needed only when sftSteps > 0). */
  solution?(problem: Problem): string;
  /** Stop strings passed to the sampler. */
  stop?: string[];
}
