import { test } from "node:test";
import assert from "node:assert/strict";
import { sampleSeed, sampleKeyString } from "../../src/rollout/seed.js";

test("sampleSeed is stable: the same (prompt id, epoch, step, sample) always gives the same seed", () => {
  const k = { problemId: "gsm8k/17", sampleIndex: 3, epoch: 1, step: 20 };
  assert.equal(sampleSeed(k), sampleSeed({ ...k }));
  assert.ok(Number.isSafeInteger(sampleSeed(k)) && sampleSeed(k) >= 0);
  assert.notEqual(sampleSeed(k), sampleSeed({ ...k, epoch: 2 }));
  assert.notEqual(sampleSeed(k), sampleSeed({ ...k, step: 21 }));
  assert.notEqual(sampleSeed(k), sampleSeed({ ...k, runSeed: 1 }));
});

test("two prompts never get the same seed: 2000 prompts × 16 samples are all distinct", () => {
  const seen = new Map<number, string>();
  for (let p = 0; p < 2000; p++) {
    for (let s = 0; s < 16; s++) {
      const seed = sampleSeed({ problemId: `p${p}`, sampleIndex: s });
      const prev = seen.get(seed);
      assert.equal(prev, undefined, `p${p}#${s} collides with ${prev}`);
      seen.set(seed, `p${p}#${s}`);
    }
  }
  // ids that concatenate alike are still different prompts
  assert.notEqual(sampleSeed({ problemId: "p1", sampleIndex: 12 }), sampleSeed({ problemId: "p11", sampleIndex: 2 }));
});

test("sample keys separate id and index unambiguously", () => {
  assert.notEqual(sampleKeyString("a1", 0), sampleKeyString("a", 10));
});
