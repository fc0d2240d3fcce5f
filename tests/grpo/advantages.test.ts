import { test } from "node:test";
import assert from "node:assert/strict";
import { computeAdvantages, fracZeroStd, groupStats } from "../../src/grpo/advantages.js";

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol, `index ${i}: ${a[i]} vs ${b[i]}`);
};

test("grpo advantages are the group z-score with population std and eps", () => {
  const r = [1, 0, 0, 1, /* group 2 */ 0, 0, 0, 1];
  const A = computeAdvantages(r, 4, { estimator: "grpo", eps: 1e-4 });
  // group 1: mean .5, std .5 ; group 2: mean .25, std sqrt(3)/4
  const s2 = Math.sqrt(3) / 4;
  close(A, [0.5 / 0.5001, -0.5 / 0.5001, -0.5 / 0.5001, 0.5 / 0.5001, -0.25 / (s2 + 1e-4), -0.25 / (s2 + 1e-4), -0.25 / (s2 + 1e-4), 0.75 / (s2 + 1e-4)]);
});

test("grpo sample std divides by G - 1", () => {
  const A = computeAdvantages([1, 0], 2, { stdKind: "sample", eps: 1e-6 });
  const std = Math.SQRT1_2; // sqrt(((.5)^2 + (.5)^2) / 1)
  close(A, [0.5 / (std + 1e-6), -0.5 / (std + 1e-6)]);
  assert.equal(groupStats([1, 0], "sample").std, std);
});

test("all-equal rewards give zero advantages, not NaN, for every estimator", () => {
  for (const estimator of ["grpo", "dr_grpo", "rloo"] as const) {
    for (const r of [[1, 1, 1], [0, 0, 0], [0.3, 0.3, 0.3]]) {
      const A = computeAdvantages(r, 3, { estimator });
      assert.deepEqual(Array.from(A), [0, 0, 0], `${estimator} ${r}`);
    }
  }
});

test("a single-sample group gets advantage 0 (grpo, rloo) and 0 (dr_grpo)", () => {
  for (const estimator of ["grpo", "dr_grpo", "rloo"] as const) {
    const A = computeAdvantages([1, 0, 0.5], 1, { estimator });
    assert.deepEqual(Array.from(A), [0, 0, 0]);
  }
});

test("dr_grpo is r minus the group mean", () => {
  close(computeAdvantages([1, 0, 0, 3, 1, 2], 3, { estimator: "dr_grpo" }), [2 / 3, -1 / 3, -1 / 3, 1, -1, 0]);
});

test("rloo matches a direct leave-one-out reference", () => {
  const r = [0.1, 0.9, 0.4, 0.4, 1, 0, 0, 0, 1, 1];
  const G = 5;
  const ref = r.map((ri, i) => {
    const b = Math.floor(i / G);
    const others = r.slice(b * G, b * G + G).filter((_, j) => j !== i % G);
    return ri - others.reduce((s, x) => s + x, 0) / others.length;
  });
  close(computeAdvantages(r, G, { estimator: "rloo" }), ref, 1e-12);
});

test("advantages reject NaN rewards, a bad G and eps <= 0", () => {
  assert.throws(() => computeAdvantages([1, NaN], 2), /not finite/);
  assert.throws(() => computeAdvantages([1, 0, 1], 2), /multiple of G/);
  assert.throws(() => computeAdvantages([1, 0], 0), /positive integer/);
  assert.throws(() => computeAdvantages([1, 0], 2, { eps: 0 }), /eps/);
});

test("huge rewards stay finite and keep the z-score", () => {
  const A = computeAdvantages([1e300, -1e300], 2);
  assert.ok(A.every(Number.isFinite));
  close(A, [1, -1], 1e-9);
});

test("empty input gives empty advantages and frac_reward_zero_std 0", () => {
  assert.equal(computeAdvantages([], 4).length, 0);
  assert.equal(fracZeroStd([], 4), 0);
});

test("fracZeroStd counts groups whose rewards are all equal", () => {
  assert.equal(fracZeroStd([1, 1, 0, 1, 0, 0, 1, 0], 2), 0.5);
  assert.equal(fracZeroStd([1, 1, 1, 1], 2), 1);
});
