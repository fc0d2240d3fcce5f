import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/policy/backend.js";
import type { GPT } from "../../src/policy/gpt.js";
import { gelu, setGeluKernel } from "../../src/policy/gelu.js";
import { sampleGroups, setDecodeBatching, type SampleResult } from "../../src/policy/sample.js";
import { tinyGPT } from "./helpers.js";

before(async () => {
  await initBackend();
});

function close(a: SampleResult[], b: SampleResult[]): void {
  assert.deepEqual(a.map((r) => r.ids), b.map((r) => r.ids));
  assert.deepEqual(a.map((r) => r.finishReason), b.map((r) => r.finishReason));
  a.forEach((r, i) => r.logprobsRaw.forEach((v, j) => assert.ok(Math.abs(v - b[i].logprobsRaw[j]) < 1e-4, `row ${i} token ${j}`)));
}

describe("batched decoding (every prompt of a call in one batch)", () => {
  let model: GPT;
  before(() => {
    model = tinyGPT(21, { blockSize: 16 });
  });
  after(() => model.dispose());
  // Prompt lengths 1 (BOS only), 2, 3, 5; the same prompt 3 times and unequal group sizes.
  const prompts = [[1, 3, 4], [1], [1, 5], [1, 3, 4], [1, 6, 6, 5, 4], [1, 3, 4], [1, 5]];

  test("one batch gives the same samples as one batch per distinct prompt and as one call per prompt", () => {
    const opts = { maxTokens: 9, temperature: 1.3, seed: 4 };
    const all = model.sample(prompts, opts);
    setDecodeBatching("per-prompt");
    let per: SampleResult[];
    try {
      per = model.sample(prompts, opts);
    } finally {
      setDecodeBatching("all");
    }
    close(all, per);
    assert.ok(all.some((r) => r.finishReason === "stop") || all.some((r) => r.ids.length === 9));
    // Unbatched: the row's index fixes its RNG, so pad the call with the same prompts in front.
    prompts.forEach((p, i) => close([all[i]], [model.sample([...prompts.slice(0, i), p], opts)[i]]));
  });

  test("rows that finish leave the batch without changing the others; budgets differ by prompt length", () => {
    // topK 2 at a small temperature: rows end at different steps (EOS or their budget).
    const opts = { maxTokens: 20, temperature: 0.5, topK: 2, seed: 8 };
    const r = model.sample(prompts, opts);
    prompts.forEach((p, i) => assert.ok(r[i].ids.length <= 16 - p.length, `row ${i} exceeds its budget`));
    const long = model.sample([[1, 6, 6, 5, 4]], opts)[0];
    assert.ok(long.ids.length <= 11);
  });

  test("sampleGroups uses each group's seed exactly as a separate sampleGPT call would", () => {
    const opts = { maxTokens: 7, temperature: 1.2 };
    const groups = [{ prompt: [1, 3], n: 3, seed: 11 }, { prompt: [1, 5, 5, 6], n: 2, seed: 12 }, { prompt: [1, 3], n: 1, seed: 13 }];
    const got = sampleGroups(model, groups, opts);
    groups.forEach((g, j) => close(got[j], model.sample(Array.from({ length: g.n }, () => g.prompt), { ...opts, seed: g.seed })));
  });

  test("leaves no tensors behind", () => {
    model.sample(prompts, { maxTokens: 5, seed: 1 });
    const n = tf.memory().numTensors;
    model.sample(prompts, { maxTokens: 5, seed: 2 });
    sampleGroups(model, [{ prompt: [1, 3], n: 2, seed: 1 }], { maxTokens: 3 });
    assert.equal(tf.memory().numTensors, n);
  });
});

describe("GELU via sigmoid", () => {
  test("values and gradients equal the tanh form (½ x (1 + tanh u) = x σ(2u)) on a wide range", () => {
    const x = tf.linspace(-8, 8, 161);
    const run = () => {
      const y = gelu(x);
      const g = tf.grad((z: tf.Tensor) => gelu(z).mul(tf.range(0, 161).div(50).add(0.5)).sum())(x);
      return [Array.from(y.dataSync()), Array.from(g.dataSync())];
    };
    const [ys, gs] = run();
    setGeluKernel("tanh");
    let yt: number[];
    let gt: number[];
    try {
      [yt, gt] = run();
    } finally {
      setGeluKernel("sigmoid");
    }
    const xs = Array.from(x.dataSync());
    xs.forEach((v, i) => {
      const ref = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
      assert.ok(Math.abs(ys[i] - ref) < 1e-5, `gelu(${v})`);
      assert.ok(Math.abs(ys[i] - yt[i]) < 1e-5);
      assert.ok(Math.abs(gs[i] - gt[i]) < 1e-5, `gelu'(${v}): ${gs[i]} vs ${gt[i]}`);
    });
    x.dispose();
  });
});
