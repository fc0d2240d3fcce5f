import { test } from "node:test";
import assert from "node:assert/strict";
import { regressionGate, gateDecision } from "../../src/stats/regressionGate.js";
import { ProblemCounts } from "../../src/stats/problemCounts.js";
import { passAtK } from "../../src/stats/passAtK.js";
import { createRng } from "../../src/stats/rng.js";

/** A run: P problems × S samples, problem i correct with probability q_i + delta. */
function run(P: number, S: number, delta: number, seed: number, base = 11): ProblemCounts {
  const latent = createRng(base);
  const q = Array.from({ length: P }, () => latent() * 0.8);
  const rng = createRng(seed);
  const c = new ProblemCounts();
  for (let i = 0; i < P; i++) for (let s = 0; s < S; s++) c.add(`p${i}`, rng() < Math.min(1, Math.max(0, q[i] + delta)));
  return c;
}

test("regressionGate fails a candidate that drops more than the margin with a CI excluding zero", () => {
  const r = regressionGate(run(400, 8, 0, 1), run(400, 8, -0.15, 2), { ks: [1, 4], maxDrop: 0.02, resamples: 500 });
  assert.equal(r.passed, false);
  for (const m of r.metrics) {
    assert.equal(m.failed, true, m.reason);
    assert.ok(m.diff < -0.02 && m.ci95[1] < 0);
    assert.equal(m.n_problems, 400);
  }
  assert.match(r.metrics[0].reason, /excludes 0/);
});

test("regressionGate passes an equal-quality rerun (noise only)", () => {
  const r = regressionGate(run(400, 8, 0, 1), run(400, 8, 0, 3), { ks: [1, 4], maxDrop: 0.02, resamples: 500 });
  assert.equal(r.passed, true, JSON.stringify(r.metrics.map((m) => m.reason)));
});

test("regressionGate passes a significant drop that is within the margin", () => {
  const r = regressionGate(run(2000, 16, 0, 1), run(2000, 16, -0.03, 4), { ks: [1], maxDrop: 0.05, resamples: 400 });
  assert.equal(r.passed, true);
  assert.ok(r.metrics[0].ci95[1] < 0, "the drop is real");
  assert.match(r.metrics[0].reason, /within max-drop/);
});

test("regressionGate passes a large drop that is not significant (tiny eval)", () => {
  const base = new ProblemCounts();
  const cand = new ProblemCounts();
  for (const [id, b, c] of [["a", true, false], ["b", false, true], ["c", true, false]] as const) {
    base.add(id, b);
    cand.add(id, c);
  }
  const r = regressionGate(base, cand, { ks: [1], maxDrop: 0.02, resamples: 500 });
  assert.ok(-r.metrics[0].diff > 0.02);
  assert.equal(r.passed, true, r.metrics[0].reason);
  assert.match(r.metrics[0].reason, /includes 0/);
});

test("regressionGate pairs problems by id, ignores unpaired ones and computes per-k means on the pairs", () => {
  const base = new ProblemCounts();
  const cand = new ProblemCounts();
  base.add("x", true); base.add("x", false); base.add("only-base", true); base.add("only-base", true);
  cand.add("y", false); cand.add("y", false); cand.add("x", false); cand.add("x", false);
  const r = regressionGate(base, cand, { ks: [1, 2], maxDrop: 0.5, resamples: 50 });
  assert.equal(r.only_in_baseline, 1);
  assert.equal(r.only_in_candidate, 1);
  assert.equal(r.metrics[0].n_problems, 1);
  assert.equal(r.metrics[0].baseline, passAtK(2, 1, 1));
  assert.equal(r.metrics[1].baseline, 1);
  assert.equal(r.metrics[1].candidate, 0);
  assert.equal(r.metrics[1].failed, true); // drop 1 > 0.5 and the CI [−1, −1] excludes 0
});

test("regressionGate fails when no problem is shared (cannot judge) and rejects a bad margin", () => {
  const a = new ProblemCounts();
  const b = new ProblemCounts();
  a.add("a", true);
  b.add("b", true);
  const r = regressionGate(a, b, { ks: [1], maxDrop: 0.02 });
  assert.equal(r.passed, false);
  assert.match(r.metrics[0].reason, /cannot judge/);
  assert.throws(() => regressionGate(a, b, { ks: [1], maxDrop: -0.1 }), /maxDrop must be in \[0, 1\]/);
  assert.throws(() => regressionGate(a, b, { ks: [1], maxDrop: NaN }), /maxDrop/);
});

test("gateDecision needs both a drop beyond the margin and a CI below zero", () => {
  assert.equal(gateDecision(-0.05, [-0.08, -0.02], 0.02).failed, true);
  assert.equal(gateDecision(-0.05, [-0.1, 0.01], 0.02).failed, false);
  assert.equal(gateDecision(-0.01, [-0.015, -0.005], 0.02).failed, false);
  assert.equal(gateDecision(0.03, [0.01, 0.05], 0.02).failed, false);
  assert.equal(gateDecision(-0.02, [-0.03, -0.01], 0.02).failed, false); // exactly at the margin passes
});
