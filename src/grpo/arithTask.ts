/**
 * The arithmetic task as GRPO sees it: prompt template, reward (strict `#### N` format, then the numeric
 * GSM8K verifier), format flags and worked solutions — all from src/tasks; nothing is redefined here.
 */
import { arithPrompt } from "../tasks/arith.js";
import { arithReward, formatFlags } from "../tasks/reward.js";
import type { TaskSpec } from "./task.js";

export const arithTask: TaskSpec = {
  name: "arith",
  prompt: arithPrompt,
  reward: arithReward,
  format: formatFlags,
  solution: (problem) => {
    const s = problem.metadata?.solution;
    if (typeof s !== "string") throw new Error(`problem ${problem.id} has no metadata.solution for SFT`);
    return s;
  },
};
