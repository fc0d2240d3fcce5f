import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { grpoLoss, type LossTensors } from "../../src/grpo/loss.js";
import { grpoLossReference, type LossInputs, type LossOptions } from "../../src/grpo/lossReference.js";
import { microBatchRanges } from "../../src/grpo/aggregate.js";
import { initBackend } from "../../src/policy/backend.js";
import { createRng } from "../../src/stats/rng.js";

before(async () => {
  await initBackend();
});

const N = 6;
const T = 5;

/** Random inputs with ratios spread around 1 so both clip branches fire, and ragged masks. */
function randomInputs(seed: number): LossInputs {
  const rng = createRng(seed);
  const rows = (f: () => number) => Array.from({ length: N }, () => Array.from({ length: T }, f));
  const logprobs = rows(() => -3 * rng() - 0.05);
  const oldLogprobs = logprobs.map((r) => r.map((x) => x + 0.6 * (rng() - 0.5)));
  const refLogprobs = logprobs.map((r) => r.map((x) => x + 0.8 * (rng() - 0.5)));
  const entropy = rows(() => 2 * rng());
  const mask = Array.from({ length: N }, (_, i) => Array.from({ length: T }, (_, t) => (t < T - (i % 3) ? 1 : 0)));
  mask[N - 1] = mask[N - 1].map(() => 0); // one fully masked sequence
  const advantages = Array.from({ length: N }, () => 2 * rng() - 1);
  return { logprobs, oldLogprobs, refLogprobs, entropy, mask, advantages };
}

const toTensors = (x: LossInputs): LossTensors => ({
  logprobs: tf.tensor2d(x.logprobs.map((r) => Array.from(r))),
  oldLogprobs: tf.tensor2d(x.oldLogprobs.map((r) => Array.from(r))),
  refLogprobs: tf.tensor2d(x.refLogprobs!.map((r) => Array.from(r))),
  entropy: tf.tensor2d(x.entropy!.map((r) => Array.from(r))),
  mask: tf.tensor2d(x.mask.map((r) => Array.from(r))),
  advantages: tf.tensor1d(Array.from(x.advantages)),
});

const base: LossOptions = {
  epsLow: 0.1,
  epsHigh: 0.15,
  beta: 0.05,
  klEstimator: "k3",
  klIn: "loss",
  entropyCoef: 0.01,
  aggregation: "grpo",
  maxTokens: 7,
};

const variants: LossOptions[] = [];
for (const aggregation of ["grpo", "dapo", "dr_grpo", "bnpo"] as const)
  for (const klEstimator of ["k1", "k2", "k3"] as const) variants.push({ ...base, aggregation, klEstimator });
variants.push({ ...base, beta: 0, entropyCoef: 0 }, { ...base, klIn: "reward" });

test("tfjs grpoLoss equals the pure reference to 1e-5 for every aggregation and KL estimator", () => {
  const x = randomInputs(1);
  const t = toTensors(x);
  for (const o of variants) {
    const got = tf.tidy(() => grpoLoss(t, o).dataSync()[0]);
    const want = grpoLossReference(x, o).loss;
    assert.ok(Math.abs(got - want) < 1e-5, `${JSON.stringify(o)}: ${got} vs ${want}`);
  }
  tf.dispose(Object.values(t));
});

test("micro-batch losses sum to the pure loss with K micro-batches", () => {
  const x = randomInputs(2);
  const K = 3;
  const totalTokens = x.mask.flat().reduce((s: number, m) => s + Number(m), 0);
  for (const aggregation of ["grpo", "dapo", "dr_grpo", "bnpo"] as const) {
    const o = { ...base, aggregation };
    let sum = 0;
    for (const [a, b] of microBatchRanges(N, K)) {
      const part: LossInputs = {
        logprobs: x.logprobs.slice(a, b),
        oldLogprobs: x.oldLogprobs.slice(a, b),
        refLogprobs: x.refLogprobs!.slice(a, b),
        entropy: x.entropy!.slice(a, b),
        mask: x.mask.slice(a, b),
        advantages: Array.from(x.advantages).slice(a, b),
      };
      const t = toTensors(part);
      sum += tf.tidy(() => grpoLoss(t, o, { microBatches: K, totalTokens }).dataSync()[0]);
      tf.dispose(Object.values(t));
    }
    const want = grpoLossReference(x, o, K).loss;
    assert.ok(Math.abs(sum - want) < 1e-5, `${aggregation}: ${sum} vs ${want}`);
  }
});

test("gradient of grpoLoss w.r.t. per-token logprobs matches central finite differences of the pure loss", () => {
  const x = randomInputs(3);
  // move ratios away from the clip kinks so the loss is differentiable at every point probed
  const h = 1e-4;
  for (const o of [variants[0], variants[5], variants[7], variants[11]]) {
    const t = toTensors(x);
    const g = tf.grad((lp: tf.Tensor) => grpoLoss({ ...t, logprobs: lp as tf.Tensor2D }, o))(t.logprobs);
    const analytic = g.arraySync() as number[][];
    tf.dispose([...Object.values(t), g]);
    for (let i = 0; i < N; i++)
      for (let j = 0; j < T; j++) {
        const at = (d: number) => {
          const lp = x.logprobs.map((r) => Array.from(r));
          lp[i][j] += d;
          return grpoLossReference({ ...x, logprobs: lp }, o).loss;
        };
        const ratio = Math.exp(x.logprobs[i][j] - x.oldLogprobs[i][j]);
        const nearKink = Math.abs(ratio - (1 - o.epsLow)) < 1e-3 || Math.abs(ratio - (1 + o.epsHigh)) < 1e-3;
        if (nearKink) continue;
        const numeric = (at(h) - at(-h)) / (2 * h);
        assert.ok(Math.abs(numeric - analytic[i][j]) < 2e-4, `${o.aggregation}/${o.klEstimator} [${i},${j}]: ${analytic[i][j]} vs ${numeric}`);
        if (!x.mask[i][j]) assert.ok(analytic[i][j] === 0, `masked positions get no gradient, got ${analytic[i][j]}`);
      }
  }
});

test("clipped tokens get zero gradient from the surrogate", () => {
  const t: LossTensors = {
    logprobs: tf.tensor2d([[Math.log(2), Math.log(0.5)]]),
    oldLogprobs: tf.tensor2d([[0, 0]]),
    mask: tf.tensor2d([[1, 1]]),
    advantages: tf.tensor1d([1]),
  };
  const o = { ...base, beta: 0, entropyCoef: 0 };
  const g = tf.grad((lp: tf.Tensor) => grpoLoss({ ...t, logprobs: lp as tf.Tensor2D }, o))(t.logprobs);
  const [g0, g1] = g.dataSync();
  assert.equal(g0, 0); // ratio 2 > 1 + eps_high with A > 0: clipped
  assert.ok(g1 < 0); // ratio 0.5 with A > 0: not clipped, gradient pushes logprob up
  tf.dispose([...Object.values(t), g]);
});

test("padding with extreme logprobs cannot produce NaN loss or gradient", () => {
  const t: LossTensors = {
    logprobs: tf.tensor2d([[-1, -200]]),
    oldLogprobs: tf.tensor2d([[-1, 0]]),
    refLogprobs: tf.tensor2d([[-1, 0]]),
    mask: tf.tensor2d([[1, 0]]),
    advantages: tf.tensor1d([1]),
  };
  const { value, grad: grads } = tf.tidy(() => {
    const f = (lp: tf.Tensor) => grpoLoss({ ...t, logprobs: lp as tf.Tensor2D }, { ...base, beta: 1 });
    return tf.valueAndGrad(f)(t.logprobs);
  });
  assert.ok(Number.isFinite(value.dataSync()[0]));
  assert.ok(Array.from(grads.dataSync()).every(Number.isFinite));
  tf.dispose([...Object.values(t), value, grads]);
});

test("grpoLoss leaves no tensors behind", () => {
  const x = randomInputs(4);
  const t = toTensors(x);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 5; i++) tf.dispose(grpoLoss(t, variants[i]));
  assert.equal(tf.memory().numTensors, before);
  tf.dispose(Object.values(t));
});

test("gradient of grpoLoss w.r.t. a tiny policy's parameters matches finite differences", async () => {
  const { GPT } = await import("../../src/policy/gpt.js");
  const policy = new GPT({ alphabet: "abcd", blockSize: 8, nLayer: 1, nHead: 1, nEmbd: 8 }, 5);
  const tokens = tf.tensor2d([[1, 3, 4, 5, 2], [1, 4, 4, 6, 0], [1, 5, 3, 3, 3]], undefined, "int32"); // [N, L]
  const mask = tf.tensor2d([[0, 1, 1, 1], [0, 1, 1, 0], [0, 1, 1, 1]]);
  const lp0 = tf.tidy(() => policy.tokenLogprobs(tokens).logprobs);
  const oldLogprobs = tf.tidy(() => lp0.add(tf.tensor2d([[0, 0.05, -0.3, 0.02], [0, -0.02, 0.01, 0], [0, 0.3, 0.03, -0.04]])) as tf.Tensor2D);
  const refLogprobs = tf.tidy(() => lp0.sub(0.1) as tf.Tensor2D);
  const advantages = tf.tensor1d([1, -0.5, -1]);
  const o: LossOptions = { ...base, aggregation: "dapo" };
  const lossOf = () =>
    tf.tidy(() => {
      const { logprobs, entropy } = policy.tokenLogprobs(tokens);
      return grpoLoss({ logprobs, entropy, oldLogprobs, refLogprobs, mask, advantages }, o);
    });
  const vars = policy.trainableVariables();
  const { value, grads } = tf.variableGrads(lossOf, vars);
  value.dispose();
  let checked = 0;
  for (const [name, v] of [...policy.params].filter(([n]) => /wte|head|attn.wqkv|mlp.wfc|ln1.g/.test(n))) {
    const g = grads[v.name].dataSync();
    // probe the entry with the largest gradient (most informative under float32 noise)
    let j = 0;
    for (let k = 1; k < g.length; k++) if (Math.abs(g[k]) > Math.abs(g[j])) j = k;
    const data = v.dataSync().slice();
    const at = (d: number) => {
      const p = data.slice();
      p[j] += d;
      v.assign(tf.tensor(p, v.shape));
      const l = lossOf();
      const x = l.dataSync()[0];
      l.dispose();
      return x;
    };
    const h = 1e-2;
    const numeric = (at(h) - at(-h)) / (2 * h);
    v.assign(tf.tensor(data, v.shape));
    assert.ok(Math.abs(numeric - g[j]) <= 0.05 * Math.abs(g[j]) + 1e-4, `${name}[${j}]: analytic ${g[j]} vs numeric ${numeric}`);
    checked++;
  }
  assert.ok(checked >= 4);
  tf.dispose([...Object.values(grads), tokens, mask, lp0, oldLogprobs, refLogprobs, advantages]);
  policy.dispose();
});
