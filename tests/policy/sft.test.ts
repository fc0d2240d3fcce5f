import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/policy/backend.js";
import { loadBaseCheckpoint } from "../../src/policy/base.js";
import { padBatch, sftStep } from "../../src/policy/sft.js";
import { arithPrompt, generateArithProblems } from "../../src/tasks/arith.js";
import { evaluateArith } from "../../src/tasks/evalArith.js";
import { tinyGPT } from "./helpers.js";

before(async () => {
  await initBackend();
});

test("padBatch right-pads with PAD and masks exactly the completion targets", () => {
  const { tokens, mask } = padBatch({ sequences: [[1, 3, 4, 5, 2], [1, 3, 2]], promptLens: [2, 2] }, 0);
  assert.deepEqual(tokens, [[1, 3, 4, 5, 2], [1, 3, 2, 0, 0]]);
  // targets are tokens[1..]; trained: positions ≥ promptLen and < length
  assert.deepEqual(mask, [[0, 1, 1, 1], [0, 1, 0, 0]]);
  assert.throws(() => padBatch({ sequences: [], promptLens: [] }, 0), /empty/);
  assert.throws(() => padBatch({ sequences: [[1, 2]], promptLens: [] }, 0), /promptLens/);
});

test("sftStep lowers the loss on a repeated batch and leaves tensor count flat", () => {
  const model = tinyGPT(21);
  const opt = tf.train.adam(0.01);
  const batch = { sequences: [[1, 3, 4, 5, 2], [1, 4, 3, 6, 6, 2]], promptLens: [2, 3] };
  const first = sftStep(model, opt, batch);
  const n0 = tf.memory().numTensors;
  let last = first;
  for (let i = 0; i < 30; i++) last = sftStep(model, opt, batch);
  assert.equal(tf.memory().numTensors, n0);
  assert.ok(Number.isFinite(first) && last < first * 0.5, `loss ${first} → ${last}`);
  model.dispose();
  opt.dispose();
});

test("sftStep refuses a frozen copy", () => {
  const model = tinyGPT(22);
  const frozen = model.copy();
  assert.throws(() => sftStep(frozen, tf.train.sgd(0.1), { sequences: [[1, 3, 2]], promptLens: [1] }), /no trainable/);
  model.dispose();
  frozen.dispose();
});

test("loadBaseCheckpoint loads the shipped policy, which solves some test-split problems greedily", async () => {
  const { model, tokenizer } = await loadBaseCheckpoint();
  assert.equal(tokenizer.vocabSize, model.tokenizer.vocabSize);
  const problems = generateArithProblems({ seed: 99, n: 40, split: "test", levels: [1, 2] });
  const ev = evaluateArith(model, problems, { temperature: 0 });
  assert.ok(ev.correct > 0, "the base model should already solve some one-step test problems (arithmetic it never saw)");
  assert.ok(ev.strictRate > 0.5, `strict format rate ${ev.strictRate}`);
  const [r] = model.sample([tokenizer.encodePrompt(arithPrompt(problems[0]))], { maxTokens: 30, seed: 1 });
  assert.ok(r.text.length > 0);
  model.dispose();
});
