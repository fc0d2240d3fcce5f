import { test } from "node:test";
import assert from "node:assert/strict";
import { aggregateLoss, microBatchRanges } from "../../src/grpo/aggregate.js";
import { clippedSurrogate } from "../../src/grpo/surrogate.js";

// Two sequences: lengths 3 and 1 (mask), one ignored padding slot value 100.
const L = [
  [1, 2, 3],
  [4, 100, 100],
];
const M = [
  [1, 1, 1],
  [1, 0, 0],
];

test("grpo aggregation: token mean per sequence, then mean over sequences", () => {
  assert.equal(aggregateLoss(L, M, "grpo", { maxTokens: 3 }), ((1 + 2 + 3) / 3 + 4 / 1) / 2);
});

test("dapo aggregation: one token mean over the batch", () => {
  assert.equal(aggregateLoss(L, M, "dapo", { maxTokens: 3 }), (1 + 2 + 3 + 4) / 4);
});

test("dr_grpo aggregation: sum over max_tokens times sequences", () => {
  assert.equal(aggregateLoss(L, M, "dr_grpo", { maxTokens: 8 }), 10 / (8 * 2));
});

test("bnpo equals dapo with one micro-batch and differs with two", () => {
  assert.equal(aggregateLoss(L, M, "bnpo", { maxTokens: 3 }), aggregateLoss(L, M, "dapo", { maxTokens: 3 }));
  // micro-batches {0}, {1}: (6/3 + 4/1) / 2
  assert.equal(aggregateLoss(L, M, "bnpo", { maxTokens: 3, microBatches: 2 }), (2 + 4) / 2);
  assert.equal(aggregateLoss(L, M, "dapo", { maxTokens: 3, microBatches: 2 }), 10 / 4);
});

test("fully masked sequences contribute 0 and an empty batch gives 0, never NaN", () => {
  const v = aggregateLoss([[5, 5], [1, 1]], [[0, 0], [1, 1]], "grpo", { maxTokens: 2 });
  assert.equal(v, (0 + 1) / 2);
  for (const mode of ["grpo", "dapo", "dr_grpo", "bnpo"] as const) {
    assert.equal(aggregateLoss([[5]], [[0]], mode, { maxTokens: 1 }), 0);
    assert.equal(aggregateLoss([], [], mode, { maxTokens: 1 }), 0);
  }
});

test("microBatchRanges covers every sequence once", () => {
  assert.deepEqual(microBatchRanges(5, 2), [[0, 3], [3, 5]]);
  assert.deepEqual(microBatchRanges(4, 4), [[0, 1], [1, 2], [2, 3], [3, 4]]);
  assert.throws(() => microBatchRanges(2, 3), /cannot split/);
});

test("clipped surrogate: clipping flags and loss branches", () => {
  const eL = 0.2;
  const eH = 0.28;
  // A > 0, ratio above 1 + eps_high → clipped high, loss = -(1 + eH) A
  let s = clippedSurrogate(Math.log(1.5), 0, 2, eL, eH);
  assert.ok(s.clippedHigh && !s.clippedLow);
  assert.ok(Math.abs(s.loss - -(1 + eH) * 2) < 1e-12);
  // A > 0, ratio between 1 + eps_low and 1 + eps_high → not clipped (clip-higher)
  s = clippedSurrogate(Math.log(1.25), 0, 2, eL, eH);
  assert.ok(!s.clippedHigh);
  assert.ok(Math.abs(s.loss - -1.25 * 2) < 1e-12);
  // A < 0, ratio below 1 - eps_low → clipped low
  s = clippedSurrogate(Math.log(0.5), 0, -1, eL, eH);
  assert.ok(s.clippedLow && !s.clippedHigh);
  assert.ok(Math.abs(s.loss - (1 - eL)) < 1e-12);
  // A < 0, ratio high → not clipped (unbounded penalty)
  s = clippedSurrogate(Math.log(3), 0, -1, eL, eH);
  assert.ok(!s.clippedLow && !s.clippedHigh);
  assert.ok(Math.abs(s.loss - 3) < 1e-12);
  // ratio 1 → loss = -A
  assert.equal(clippedSurrogate(-0.7, -0.7, 0.4, eL, eH).loss, -0.4);
});
