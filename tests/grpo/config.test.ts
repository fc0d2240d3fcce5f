import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, learningRate, parseTrainConfig, TrainConfig } from "../../src/grpo/config.js";

test("an empty config gets every default: Adam eps 1e-5, training temperature 1.5, evaluation at temperature 1", () => {
  const c = parseTrainConfig({});
  assert.equal(c.adamEps, 1e-5);
  assert.equal(c.temperature, 1.5);
  assert.equal(c.evalTemperature, 1, "the lift is measured at temperature 1 whatever the training temperature");
  assert.equal(c.lrDecay, "linear");
  assert.deepEqual(parseTrainConfig(undefined), c);
  assert.ok(TrainConfig.safeParse(c).success, "a parsed config parses again");
});

test("a bad field is named with the reason", () => {
  assert.throws(() => parseTrainConfig({ groupSize: 0 }), (e: Error) => e instanceof ConfigError && /groupSize/.test(e.message));
  assert.throws(() => parseTrainConfig({ aggregation: "mean" }), /aggregation/);
  assert.throws(() => parseTrainConfig({ lr: "0.1" }), /lr/);
});

test("unknown fields are errors (typos do not silently fall back to defaults)", () => {
  assert.throws(() => parseTrainConfig({ learning_rate: 1e-3 }), /learning_rate/);
});

test("cross-field checks say how to fix the config", () => {
  assert.throws(() => parseTrainConfig({ groupSize: 1 }), /groupSize.*set groupSize ≥ 2/);
  assert.throws(() => parseTrainConfig({ passK: [1, 8], evalSamples: 4 }), /passK.*raise evalSamples/);
  assert.throws(() => parseTrainConfig({ microBatches: 100, promptsPerStep: 2, groupSize: 4 }), /microBatches.*lower it/);
  assert.throws(() => parseTrainConfig({ klIn: "reward", beta: 0 }), /beta.*set beta > 0/);
  assert.throws(() => parseTrainConfig({ steps: 2, warmupSteps: 10 }), /warmupSteps.*lower it/);
  assert.doesNotThrow(() => parseTrainConfig({ groupSize: 1, advantage: "dr_grpo" }));
});

test("learning rate warms up linearly, then holds or decays linearly to 0", () => {
  const c = { lr: 1, warmupSteps: 4, lrDecay: "none" as const };
  assert.deepEqual([0, 1, 2, 3, 4, 9].map((u) => learningRate(c, u, 10)), [0.25, 0.5, 0.75, 1, 1, 1]);
  const d = { ...c, lrDecay: "linear" as const };
  assert.equal(learningRate(d, 4, 10), 1);
  assert.ok(Math.abs(learningRate(d, 7, 10) - 0.5) < 1e-12);
  assert.equal(learningRate({ lr: 0.1, warmupSteps: 0, lrDecay: "none" }, 0, 1), 0.1);
});
