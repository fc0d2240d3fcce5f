/** Shared fixtures for policy tests: a tiny GPT whose every parameter (LN gains, biases too) is random. */
import * as tf from "@tensorflow/tfjs";
import { GPT } from "../../src/policy/gpt.js";
import { createRng } from "../../src/stats/rng.js";
import { normalArray } from "../../src/policy/rng.js";

export function tinyGPT(seed = 1, overrides: Record<string, unknown> = {}): GPT {
  const model = new GPT({ alphabet: "abcd", blockSize: 10, nLayer: 2, nHead: 2, nEmbd: 8, ...overrides }, seed);
  const rng = createRng(seed + 100);
  for (const [name, v] of model.params) {
    const std = name.endsWith(".g") ? 0.3 : 0.5;
    const base = name.endsWith(".g") ? 1 : 0;
    const data = normalArray(v.size, std, rng).map((x) => x + base);
    tf.tidy(() => v.assign(tf.tensor(data, v.shape)));
  }
  return model;
}
