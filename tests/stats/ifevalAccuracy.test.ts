import { test } from "node:test";
import assert from "node:assert/strict";
import { ifevalAccuracy } from "../../src/stats/ifevalAccuracy.js";
import { wilson } from "../../src/stats/wilson.js";

test("ifevalAccuracy: prompt-level is all-or-nothing, instruction-level is lm-eval's pooled ratio, meanScore the mean fraction", () => {
  const rows = [[true, true], [true, false, false, false], [false]];
  const a = ifevalAccuracy(rows, { seed: 1 });
  assert.equal(a.n, 3);
  assert.equal(a.instructions, 7);
  assert.equal(a.promptLevel.estimate, 1 / 3);
  assert.deepEqual(a.promptLevel.ci95, wilson(1, 3));
  assert.equal(a.instructionLevel.estimate, 3 / 7, "pooled: (2 + 1 + 0) / (2 + 4 + 1)");
  assert.equal(a.meanScore.estimate, (1 + 0.25 + 0) / 3, "not the pooled ratio");
  for (const e of [a.promptLevel, a.instructionLevel, a.meanScore]) assert.ok(e.ci95[0] <= e.estimate && e.estimate <= e.ci95[1], JSON.stringify(e));
});

test("ifevalAccuracy: all followed gives degenerate intervals at 1; empty input and empty rows are errors", () => {
  const a = ifevalAccuracy([[true], [true, true]]);
  assert.deepEqual(a.instructionLevel.ci95, [1, 1]);
  assert.equal(a.promptLevel.estimate, 1);
  assert.throws(() => ifevalAccuracy([]), /no responses/);
  assert.throws(() => ifevalAccuracy([[true], []]), /response 1 has no instructions/);
});
