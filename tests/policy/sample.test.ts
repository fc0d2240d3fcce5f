import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/policy/backend.js";
import type { GPT } from "../../src/policy/gpt.js";
import { drawIndex, logSoftmax, processLogits } from "../../src/policy/sampling.js";
import { tinyGPT } from "./helpers.js";

before(async () => {
  await initBackend();
});

describe("processLogits (pure)", () => {
  const z = [2, 1, 0.5, 0.5, -1, 3];
  test("temperature 0 puts all mass on the argmax", () => {
    assert.deepEqual(Array.from(processLogits(z, { temperature: 0, topK: 0, topP: 1 })), [0, 0, 0, 0, 0, 1]);
  });
  test("no filtering equals softmax(z / τ)", () => {
    const p = processLogits(z, { temperature: 2, topK: 0, topP: 1 });
    const ref = logSoftmax(z.map((v) => v / 2)).map(Math.exp);
    p.forEach((v, i) => assert.ok(Math.abs(v - ref[i]) < 1e-12));
  });
  test("top-k keeps exactly the k most likely tokens, renormalised", () => {
    const p = processLogits(z, { temperature: 1, topK: 2, topP: 1 });
    assert.deepEqual(Array.from(p).map((v) => v > 0), [true, false, false, false, false, true]);
    const ref = logSoftmax([2, 3]).map(Math.exp);
    assert.ok(Math.abs(p[0] - ref[0]) < 1e-12 && Math.abs(p[5] - ref[1]) < 1e-12);
  });
  test("top-p keeps the smallest most-likely set with mass ≥ p", () => {
    const full = processLogits(z, { temperature: 1, topK: 0, topP: 1 });
    for (const topP of [0.1, 0.5, 0.8, 0.95, 0.999]) {
      const p = processLogits(z, { temperature: 1, topK: 0, topP });
      const kept = [...p.keys()].filter((i) => p[i] > 0);
      const keptMass = kept.reduce((a, i) => a + full[i], 0);
      assert.ok(keptMass >= topP - 1e-12, `mass ${keptMass} < ${topP}`);
      // minimal: dropping the least likely kept token falls below p
      const least = Math.min(...kept.map((i) => full[i]));
      if (kept.length > 1) assert.ok(keptMass - least < topP);
      // kept tokens are the most likely ones
      const maxDropped = Math.max(0, ...[...full.keys()].filter((i) => p[i] === 0).map((i) => full[i]));
      assert.ok(least >= maxDropped);
      assert.ok(Math.abs(p.reduce((a, v) => a + v, 0) - 1) < 1e-12);
    }
  });
  test("huge logits stay finite", () => {
    const p = processLogits([1e30, 0, -1e30], { temperature: 1, topK: 0, topP: 0.9 });
    assert.deepEqual(Array.from(p), [1, 0, 0]);
  });
  test("drawIndex follows the cumulative distribution and never returns a zero-mass index", () => {
    const p = [0, 0.25, 0, 0.75];
    assert.equal(drawIndex(p, 0), 1);
    assert.equal(drawIndex(p, 0.24), 1);
    assert.equal(drawIndex(p, 0.26), 3);
    assert.equal(drawIndex(p, 0.9999999), 3);
  });
});

describe("GPT.sample", () => {
  let model: GPT;
  before(() => {
    model = tinyGPT(11, { blockSize: 16 });
  });
  after(() => model.dispose());
  const prompts = [[1, 3, 4], [1, 5], [1, 3, 4]];

  test("same seed → same samples; different seed → different samples", () => {
    const a = model.sample(prompts, { maxTokens: 8, seed: 42 });
    const b = model.sample(prompts, { maxTokens: 8, seed: 42 });
    assert.deepEqual(a, b);
    const c = model.sample(prompts, { maxTokens: 8, seed: 43 });
    assert.notDeepEqual(a.map((r) => r.ids), c.map((r) => r.ids));
  });

  test("a sequence's sample does not depend on the other prompts in the call", () => {
    // sequence i uses hashSeed(seed, i): keep the index, change the neighbour (same and different length)
    const a = model.sample([[1, 4, 4], [1, 5, 6]], { maxTokens: 8, seed: 5 });
    const b = model.sample([[1, 6], [1, 5, 6]], { maxTokens: 8, seed: 5 });
    const c = model.sample([[1, 3, 3], [1, 5, 6]], { maxTokens: 8, seed: 5 });
    assert.deepEqual(a[1], b[1]);
    assert.deepEqual(a[1].ids, c[1].ids);
  });

  test("temperature 0 is greedy: every token is the argmax of the forward logits", () => {
    const [r] = model.sample([[1, 3, 4]], { maxTokens: 6, temperature: 0, seed: 0 });
    const seq = [1, 3, 4];
    for (const id of r.ids) {
      const x = tf.tensor2d([seq], undefined, "int32");
      const logits = model.forward(x).arraySync()[0][seq.length - 1];
      x.dispose();
      assert.equal(id, logits.indexOf(Math.max(...logits)));
      if (id === model.tokenizer.eosId) break;
      seq.push(id);
    }
    assert.ok(r.logprobsProcessed.every((v) => v === 0));
  });

  test("logprobsRaw equals tokenLogprobs of the sampled sequence; processed differs under temperature", () => {
    const [r] = model.sample([[1, 3, 4]], { maxTokens: 6, temperature: 0.5, seed: 9 });
    const seq = [1, 3, 4, ...r.ids];
    const x = tf.tensor2d([seq], undefined, "int32");
    const { logprobs, entropy } = model.tokenLogprobs(x);
    const lp = logprobs.arraySync()[0].slice(2);
    r.logprobsRaw.forEach((v, j) => assert.ok(Math.abs(v - lp[j]) < 1e-4, `token ${j}`));
    const { logprobs: lpT, entropy: eT } = model.tokenLogprobs(x, { temperature: 0.5 });
    const lpt = lpT.arraySync()[0].slice(2);
    r.logprobsProcessed.forEach((v, j) => assert.ok(Math.abs(v - lpt[j]) < 1e-4));
    assert.ok(r.logprobsRaw.some((v, j) => Math.abs(v - r.logprobsProcessed[j]) > 1e-3));
    tf.dispose([x, logprobs, entropy, lpT, eT]);
  });

  test("KV cache and full recomputation give the same samples", () => {
    const a = model.sample(prompts, { maxTokens: 8, seed: 7 });
    const b = model.sample(prompts, { maxTokens: 8, seed: 7, kvCache: false });
    assert.deepEqual(a.map((r) => r.ids), b.map((r) => r.ids));
    a.forEach((r, i) => r.logprobsRaw.forEach((v, j) => assert.ok(Math.abs(v - b[i].logprobsRaw[j]) < 1e-4)));
  });

  test("maxTokens ends generation with finishReason length; blockSize caps it", () => {
    const eos = model.tokenizer.eosId;
    const results = model.sample([[1, 3]], { maxTokens: 5, seed: 3, temperature: 1, topK: 1 });
    for (const r of results) {
      if (r.ids.includes(eos)) assert.equal(r.finishReason, "stop");
      else {
        assert.equal(r.ids.length, 5);
        assert.equal(r.finishReason, "length");
      }
    }
    const long = new Array(14).fill(3);
    const [r] = model.sample([[1, ...long]], { maxTokens: 50, seed: 1 });
    assert.ok(r.ids.length <= 1);
    const [z] = model.sample([[1, 3]], { maxTokens: 0, seed: 1 });
    assert.deepEqual(z, { ids: [], text: "", logprobsRaw: [], logprobsProcessed: [], finishReason: "length" });
  });

  test("stop strings end generation with finishReason stop and are cut from the text", () => {
    let found = false;
    for (let seed = 0; seed < 30 && !found; seed++) {
      const [free] = model.sample([[1, 3]], { maxTokens: 10, seed });
      const text = free.text;
      if (text.length < 3 || free.ids.includes(model.tokenizer.eosId)) continue;
      const stop = text.slice(1, 3);
      const [r] = model.sample([[1, 3]], { maxTokens: 10, seed, stop: [stop] });
      assert.equal(r.finishReason, "stop");
      assert.equal(r.text, text.slice(0, text.indexOf(stop)));
      assert.equal(r.ids.length, text.indexOf(stop) + stop.length);
      assert.equal(r.logprobsRaw.length, r.ids.length);
      found = true;
    }
    assert.ok(found, "no seed produced a usable free-running sample");
  });

  test("EOS gives finishReason stop and is in ids but not in text", () => {
    // make EOS certain: bias the head's EOS column hugely
    const m = tinyGPT(12, { blockSize: 16 });
    const head = m.params.get("head.w")!;
    tf.tidy(() => m.params.get("lnf.g")!.assign(tf.zerosLike(m.params.get("lnf.g")!)));
    tf.tidy(() => m.params.get("lnf.b")!.assign(tf.onesLike(m.params.get("lnf.b")!)));
    tf.tidy(() => head.assign(head.add(tf.oneHot([m.tokenizer.eosId], m.tokenizer.vocabSize).cast("float32").mul(1000))));
    const [r] = m.sample([[1, 3]], { maxTokens: 5, seed: 1 });
    m.dispose();
    assert.equal(r.finishReason, "stop");
    assert.deepEqual(r.ids, [2]);
    assert.equal(r.text, "");
  });

  test("invalid options and prompts are rejected with a message", () => {
    assert.throws(() => model.sample([[]], { maxTokens: 2, seed: 1 }), /empty/);
    assert.throws(() => model.sample([[1, 99]], { maxTokens: 2, seed: 1 }), /invalid id/);
    assert.throws(() => model.sample([[1]], { maxTokens: 2, seed: 1, topP: 0 }), /topP/);
  });
});
