import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { bootstrapMeanCI, bootstrapMeansCI, pairedBootstrap, quantileSorted } from "../../src/stats/bootstrap.js";
import { createRng } from "../../src/stats/rng.js";

/** Plain reference: the same resampling written out naively (same RNG stream, same quantile rule). */
function refBootstrap(xs: number[], B: number, seed: number): [number, number] {
  const rng = createRng(seed);
  const means: number[] = [];
  for (let b = 0; b < B; b++) {
    let s = 0;
    for (let i = 0; i < xs.length; i++) s += xs[Math.floor(rng() * xs.length)];
    means.push(s / xs.length);
  }
  means.sort((a, b) => a - b);
  const q = (p: number) => {
    const h = (means.length - 1) * p;
    const lo = Math.floor(h);
    return means[lo] + (h - lo) * (means[Math.min(lo + 1, means.length - 1)] - means[lo]);
  };
  return [q(0.025), q(0.975)];
}

const bernoulli = (rng: () => number, n: number, p: number) => Array.from({ length: n }, () => (rng() < p ? 1 : 0));

describe("bootstrapMeanCI", () => {
  test("matches a naive reference implementation of the percentile bootstrap", () => {
    const xs = bernoulli(createRng(1), 57, 0.4).map((x, i) => x * 0.5 + (i % 3) * 0.1);
    const got = bootstrapMeanCI(xs, { resamples: 500, seed: 9 });
    const ref = refBootstrap(xs, 500, 9);
    assert.ok(Math.abs(got.ci95[0] - ref[0]) < 1e-12 && Math.abs(got.ci95[1] - ref[1]) < 1e-12);
    assert.ok(Math.abs(got.estimate - xs.reduce((a, b) => a + b) / xs.length) < 1e-12);
  });
  test("is deterministic for a seed and changes with the seed", () => {
    const xs = bernoulli(createRng(2), 200, 0.3);
    assert.deepEqual(bootstrapMeanCI(xs, { seed: 5, resamples: 300 }), bootstrapMeanCI(xs, { seed: 5, resamples: 300 }));
    assert.notDeepEqual(bootstrapMeanCI(xs, { seed: 5, resamples: 300 }).ci95, bootstrapMeanCI(xs, { seed: 6, resamples: 300 }).ci95);
  });
  test("95% CIs cover the true mean in about 95% of simulated experiments", () => {
    const rng = createRng(11);
    const reps = 300;
    let covered = 0;
    for (let r = 0; r < reps; r++) {
      const xs = bernoulli(rng, 150, 0.3);
      const { ci95 } = bootstrapMeanCI(xs, { resamples: 400, seed: r });
      if (ci95[0] <= 0.3 && 0.3 <= ci95[1]) covered++;
    }
    // Binomial(300, 0.95) has sd ≈ 3.8 successes: allow the small-sample undercoverage of the percentile method.
    assert.ok(covered / reps > 0.89 && covered / reps < 0.99, `coverage ${covered / reps}`);
  });
  test("a constant column has a zero-width interval at the constant", () => {
    assert.deepEqual(bootstrapMeanCI([0.25, 0.25, 0.25]).ci95, [0.25, 0.25]);
  });
  test("several columns share one resample stream (same intervals as one at a time with the same seed)", () => {
    const a = bernoulli(createRng(3), 80, 0.5);
    const b = a.map((x) => 1 - x);
    const [ea, eb] = bootstrapMeansCI([a, b], { resamples: 200, seed: 4 });
    assert.deepEqual(ea, bootstrapMeanCI(a, { resamples: 200, seed: 4 }));
    // b = 1 − a in every resample, so the intervals mirror each other exactly.
    assert.ok(Math.abs(eb.ci95[0] - (1 - ea.ci95[1])) < 1e-12);
  });
  test("rejects empty input, NaN values, mismatched columns and bad options", () => {
    assert.throws(() => bootstrapMeanCI([]), /at least one problem/);
    assert.throws(() => bootstrapMeanCI([1, NaN]), /index 1 is NaN/);
    assert.throws(() => bootstrapMeansCI([[1, 2], [1]]), /column 1 has 1 values/);
    assert.throws(() => bootstrapMeanCI([1], { resamples: 0 }), /resamples must be a positive integer/);
    assert.throws(() => bootstrapMeanCI([1], { seed: NaN }), /seed must be a finite number/);
  });
});

describe("pairedBootstrap", () => {
  test("detects a real improvement: CI above 0 and small p", () => {
    const rng = createRng(21);
    const a = Array.from({ length: 300 }, () => rng());
    const b = a.map((x) => Math.min(1, x + 0.05 + (rng() - 0.5) * 0.2));
    const r = pairedBootstrap(a, b, { resamples: 2000, seed: 1 });
    assert.ok(r.estimate > 0.03 && r.ci95[0] > 0, JSON.stringify(r));
    assert.ok(r.p_value < 0.01, `p = ${r.p_value}`);
    assert.equal(r.n, 300);
  });
  test("does not flag a null difference: p-values below 0.05 in about 5% of null experiments", () => {
    const rng = createRng(22);
    let rejections = 0;
    const reps = 200;
    for (let t = 0; t < reps; t++) {
      const a = Array.from({ length: 100 }, () => (rng() < 0.4 ? 1 : 0));
      const b = Array.from({ length: 100 }, () => (rng() < 0.4 ? 1 : 0)); // independent, same rate
      const r = pairedBootstrap(a, b, { resamples: 300, seed: t });
      if (r.p_value < 0.05) rejections++;
    }
    assert.ok(rejections / reps > 0.01 && rejections / reps < 0.11, `false-positive rate ${rejections / reps}`);
  });
  test("identical runs give estimate 0, CI [0, 0] and p = 1", () => {
    const a = [0.1, 0.5, 0.9, 1];
    assert.deepEqual(pairedBootstrap(a, a.slice(), { resamples: 100 }), { estimate: 0, ci95: [0, 0], p_value: 1, n: 4 });
  });
  test("the sign convention is b − a", () => {
    const r = pairedBootstrap([1, 1, 1], [0, 0, 0], { resamples: 50 });
    assert.equal(r.estimate, -1);
    assert.equal(r.p_value, 1 / 51);
  });
  test("rejects unpaired or empty inputs", () => {
    assert.throws(() => pairedBootstrap([1, 2], [1]), /same problems/);
    assert.throws(() => pairedBootstrap([], []), /at least one problem/);
    assert.throws(() => pairedBootstrap([1], [Infinity]), /finite/);
  });
});

test("quantileSorted interpolates linearly between order statistics", () => {
  assert.equal(quantileSorted([1, 2, 3, 4], 0), 1);
  assert.equal(quantileSorted([1, 2, 3, 4], 1), 4);
  assert.equal(quantileSorted([1, 2, 3, 4], 0.5), 2.5);
  assert.ok(Math.abs(quantileSorted([10, 20], 0.025) - 10.25) < 1e-12);
  assert.throws(() => quantileSorted([], 0.5), /empty/);
});
