import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/policy/backend.js";
import { Adam } from "../../src/grpo/adam.js";

before(async () => {
  await initBackend();
});

/** Plain scalar Adam, the reference: returns θ after each step. */
function adamReference(grads: number[], lr: number, eps: number, beta1 = 0.9, beta2 = 0.999): number[] {
  let m = 0, v = 0, θ = 0;
  return grads.map((g, i) => {
    m = beta1 * m + (1 - beta1) * g;
    v = beta2 * v + (1 - beta2) * g * g;
    θ -= (lr * (m / (1 - beta1 ** (i + 1)))) / (Math.sqrt(v / (1 - beta2 ** (i + 1))) + eps);
    return θ;
  });
}

function runAdam(grads: number[], lr: number, eps: number): number[] {
  const p = tf.variable(tf.scalar(0));
  const opt = new Adam([p], { beta1: 0.9, beta2: 0.999, eps });
  const out = grads.map((g) => {
    const gt = tf.scalar(g);
    opt.step([gt], lr, 0);
    gt.dispose();
    return p.dataSync()[0];
  });
  opt.dispose();
  p.dispose();
  return out;
}

test("Adam matches a plain scalar reference step by step", () => {
  const grads = [0.3, -0.1, 0.05, 0.2, -0.4, 0.01];
  const ref = adamReference(grads, 1e-2, 1e-8);
  const got = runAdam(grads, 1e-2, 1e-8);
  got.forEach((x, i) => assert.ok(Math.abs(x - ref[i]) < 1e-6, `step ${i}: ${x} vs ${ref[i]}`));
});

test("ε sets how far a parameter with a near-zero gradient moves: ≈ lr per step at 1e-8, ≈ 0 at 1e-5", () => {
  // A parameter the policy gradient barely touches (|g| = 1e-7, e.g. the logit of a token never sampled).
  const grads = Array.from({ length: 20 }, () => 1e-7);
  const lr = 1e-3;
  const tiny = runAdam(grads, lr, 1e-8);
  const cleanRl = runAdam(grads, lr, 1e-5);
  const refTiny = adamReference(grads, lr, 1e-8);
  const refClean = adamReference(grads, lr, 1e-5);
  assert.ok(Math.abs(tiny[19] - refTiny[19]) < 1e-6 && Math.abs(cleanRl[19] - refClean[19]) < 1e-7);
  assert.ok(-tiny[19] > 0.8 * 20 * lr, `ε 1e-8: moved ${-tiny[19]} in 20 steps (≈ lr per step)`);
  assert.ok(-cleanRl[19] < 0.02 * 20 * lr, `ε 1e-5: moved ${-cleanRl[19]} in 20 steps (≈ 1% of lr per step)`);
});
