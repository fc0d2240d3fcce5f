/**
 * GRPO step anatomy on the default-size policy: where a step's time goes, with baselines from the same run.
 *
 *   rollouts (B calls of G)    — what the trainer does (per-problem seeds)   vs  one call of B·G prompts
 *   reference forward          — the extra pass spent on kl/* metrics
 *   GRPO update (fwd+bwd+Adam) vs  a plain SFT step on the same tokens (same forward/backward, no RL)
 *
 *   node scripts/run-bench.mjs grpo      (env BENCH_REPS, default 3)
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/policy/backend.js";
import { GPT } from "../src/policy/gpt.js";
import { sftStep } from "../src/policy/sft.js";
import { generateArithProblems } from "../src/tasks/arith.js";
import { arithTask } from "../src/grpo/arithTask.js";
import { collectGroups } from "../src/grpo/rollouts.js";
import { buildBatch } from "../src/grpo/batch.js";
import { logprobsOf, trainGRPO } from "../src/grpo/trainer.js";
import { parseTrainConfig } from "../src/grpo/config.js";

const reps = Number(process.env.BENCH_REPS ?? 3);
const { backend } = await initBackend();
const policy = new GPT({ blockSize: 112 }, 1);
const B = 8;
const G = 8;
const problems = generateArithProblems({ seed: 1, n: B, split: "train" });
const time = (f: () => void) => {
  f(); // warm-up
  const t = performance.now();
  for (let r = 0; r < reps; r++) f();
  return (performance.now() - t) / reps;
};
const o = { seed: 1, step: 0, groupSize: G, maxTokens: 24, temperature: 1, topP: 1, topK: 0, resampleTries: 0 };
const perGroup = time(() => void collectGroups(policy, arithTask, problems, o));
const oneCall = time(() => {
  const prompts = problems.flatMap((p) => Array.from({ length: G }, () => policy.tokenizer.encodePrompt(arithTask.prompt(p))));
  policy.sample(prompts, { maxTokens: 24, temperature: 1, seed: 1 });
});
const groups = collectGroups(policy, arithTask, problems, o);
const batch = buildBatch(groups, { padId: 0, maskTruncated: true });
const tokens = tf.tensor2d(batch.tokens, undefined, "int32");
const ref = time(() => void logprobsOf(policy, tokens, 1));
const opt = tf.train.adam(1e-4);
const prompts = groups.flatMap((g) => g.rollouts.map(() => g.promptIds.length));
const sft = time(() => void sftStep(policy, opt, { sequences: batch.tokens.map((r) => r.filter((x) => x !== 0)), promptLens: prompts }));
const cfg = parseTrainConfig({ steps: 1, promptsPerStep: B, groupSize: G, maxTokens: 24, warmupSteps: 0, klMetrics: false, logEvery: 0 });
await trainGRPO(policy, arithTask, problems, cfg); // warm-up
const t0 = performance.now();
for (let r = 0; r < reps; r++) await trainGRPO(policy, arithTask, problems, cfg);
const grpoStep = (performance.now() - t0) / reps;
const update = grpoStep - perGroup;
console.log(`backend ${backend}; B=${B} G=${G}; tokens [${tokens.shape}]; reps ${reps}`);
console.table([
  { what: "rollouts, B calls of G (trainer)", ms: perGroup.toFixed(0), ratio: `${(perGroup / oneCall).toFixed(2)}× one call of B·G` },
  { what: "rollouts, one call of B·G", ms: oneCall.toFixed(0), ratio: "1.00× (baseline)" },
  { what: "reference forward (kl metrics)", ms: ref.toFixed(0), ratio: `${(ref / sft).toFixed(2)}× SFT step` },
  { what: "GRPO step (rollouts + update)", ms: grpoStep.toFixed(0), ratio: "" },
  { what: "  of which update (step − rollouts)", ms: update.toFixed(0), ratio: `${(update / sft).toFixed(2)}× SFT step` },
  { what: "SFT step, same tokens (baseline)", ms: sft.toFixed(0), ratio: "1.00× (baseline)" },
]);
tokens.dispose();
