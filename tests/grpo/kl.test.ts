import { test } from "node:test";
import assert from "node:assert/strict";
import { klEstimate, klPenalizedRewards, klToken } from "../../src/grpo/kl.js";
import { createRng } from "../../src/stats/rng.js";

test("k1, k2, k3 match their definitions", () => {
  const lp = Math.log(0.3);
  const lr = Math.log(0.5);
  const r = 0.5 / 0.3; // pi_ref / pi
  assert.ok(Math.abs(klToken(lp, lr, "k1") - Math.log(0.3 / 0.5)) < 1e-15);
  assert.ok(Math.abs(klToken(lp, lr, "k2") - 0.5 * Math.log(r) ** 2) < 1e-15);
  assert.ok(Math.abs(klToken(lp, lr, "k3") - (r - 1 - Math.log(r))) < 1e-15);
});

test("k3 and k2 are non-negative and zero when the policies agree", () => {
  const rng = createRng(3);
  for (let i = 0; i < 1000; i++) {
    const lp = -10 * rng();
    const lr = -10 * rng();
    assert.ok(klToken(lp, lr, "k3") >= 0);
    assert.ok(klToken(lp, lr, "k2") >= 0);
  }
  for (const k of ["k1", "k2", "k3"] as const) assert.equal(klToken(-1.3, -1.3, k), 0);
});

test("k3 keeps precision for tiny log-ratios", () => {
  const d = 1e-9; // k3 ≈ d²/2 = 5e-19, which exp(d) - 1 - d would round to 0 or noise
  const k3 = klToken(0, d, "k3");
  assert.ok(Math.abs(k3 - d * d / 2) / (d * d / 2) < 1e-6, String(k3));
});

test("k1 and k3 are unbiased estimates of KL(pi || ref) on samples from pi", () => {
  const pi = [0.6, 0.3, 0.1];
  const ref = [0.2, 0.5, 0.3];
  const trueKl = pi.reduce((s, p, i) => s + p * Math.log(p / ref[i]), 0);
  // exact expectation over the categorical (no sampling noise): E_pi[k]
  for (const kind of ["k1", "k3"] as const) {
    const e = pi.reduce((s, p, i) => s + p * klToken(Math.log(p), Math.log(ref[i]), kind), 0);
    assert.ok(Math.abs(e - trueKl) < 1e-12, `${kind}: ${e} vs ${trueKl}`);
  }
  // and Monte Carlo on seeded samples agrees within 4 standard errors
  const rng = createRng(11);
  const n = 20000;
  let s = 0;
  let s2 = 0;
  for (let j = 0; j < n; j++) {
    const u = rng();
    const i = u < pi[0] ? 0 : u < pi[0] + pi[1] ? 1 : 2;
    const k = klToken(Math.log(pi[i]), Math.log(ref[i]), "k1");
    s += k;
    s2 += k * k;
  }
  const mean = s / n;
  const se = Math.sqrt((s2 / n - mean * mean) / n);
  assert.ok(Math.abs(mean - trueKl) < 4 * se, `${mean} vs ${trueKl} (se ${se})`);
});

test("klEstimate is elementwise and checks lengths", () => {
  assert.deepEqual(Array.from(klEstimate([-1, -2], [-1, -1], "k1")), [0, -1]);
  assert.throws(() => klEstimate([1], [1, 2], "k1"), /length mismatch/);
});

test("KL in the reward subtracts beta times the masked sequence KL", () => {
  const out = klPenalizedRewards([1, 0], [[-1, -2, -9], [-1, -1, -1]], [[-1.5, -1, 0], [-1, -1, -1]], [[1, 1, 0], [1, 1, 1]], 0.1, "k1");
  assert.ok(Math.abs(out[0] - (1 - 0.1 * (0.5 + -1))) < 1e-12);
  assert.equal(out[1], 0);
});
