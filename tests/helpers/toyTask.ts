/** The toy GRPO task shared by tests/grpo/trainer.test.ts and tests/policy/fused-attention.test.ts. */
import type { Problem } from "../../src/schemas/problem.js";
import type { TaskSpec } from "../../src/grpo/task.js";

/** A toy task with reward variance under a random policy: reward 1 when the first character is in the first half of the alphabet. */
export const ALPHABET = "abcdefgh#:\n ";
export const toyTask: TaskSpec = {
  name: "toy",
  prompt: (p) => `${p.question}:`,
  reward: (p, completion) => {
    const ok = completion.length > 0 && "abcd".includes(completion[0]);
    return { status: ok ? "correct" : "wrong", score: ok ? 1 : 0, extracted: completion.slice(0, 1), span: null, normalizedGold: p.gold, normalizedPred: completion.slice(0, 1), rule: "toy", ms: 0 };
  },
  format: (c) => ({ strict: c.startsWith("a"), flexible: c.length > 0 }),
  solution: () => "a",
};
export const problems: Problem[] = Array.from({ length: 6 }, (_, i) => ({ id: `p${i}`, question: "ab".repeat(1 + (i % 3)), gold: "a" }));
