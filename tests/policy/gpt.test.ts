import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/policy/backend.js";
import { GPT } from "../../src/policy/gpt.js";
import { referenceLogits, refLogSoftmax } from "./reference.js";
import { tinyGPT } from "./helpers.js";
import { assertGradsMatchFiniteDifferences } from "../helpers/finiteDiff.js";

before(async () => {
  await initBackend();
});

describe("GPT forward", () => {
  let model: GPT;
  before(() => {
    model = tinyGPT(1);
  });
  after(() => model.dispose());

  test("forward maps [B, T] ids to [B, T, V] logits", () => {
    const x = tf.tensor2d([[1, 3, 4, 5], [1, 6, 6, 3]], undefined, "int32");
    const y = model.forward(x);
    assert.deepEqual(y.shape, [2, 4, model.tokenizer.vocabSize]);
    tf.dispose([x, y]);
  });

  test("causal mask: changing a future token leaves earlier logits unchanged", () => {
    const a = tf.tensor2d([[1, 3, 4, 5, 6]], undefined, "int32");
    const b = tf.tensor2d([[1, 3, 4, 6, 3]], undefined, "int32");
    const la = model.forward(a).arraySync()[0];
    const lb = model.forward(b).arraySync()[0];
    for (let t = 0; t < 3; t++) for (let v = 0; v < la[t].length; v++) assert.ok(Math.abs(la[t][v] - lb[t][v]) < 1e-6);
    assert.ok(la[3].some((v, i) => Math.abs(v - lb[3][i]) > 1e-4), "position 3 must see its own token");
    tf.dispose([a, b]);
  });

  test("forward matches a plain-JS float64 reference implementation", () => {
    const ids = [1, 3, 5, 4, 6, 3, 2];
    const x = tf.tensor2d([ids], undefined, "int32");
    const got = model.forward(x).arraySync()[0];
    const ref = referenceLogits(model, ids);
    for (let t = 0; t < ids.length; t++) for (let v = 0; v < ref[t].length; v++) assert.ok(Math.abs(got[t][v] - ref[t][v]) < 1e-4, `t=${t} v=${v}`);
    x.dispose();
  });

  test("tokenLogprobs equals a plain-JS log-softmax reference (temperature 1 and 0.7), entropy too", () => {
    const rows = [[1, 3, 5, 4, 6, 3], [1, 6, 6, 3, 4, 2]];
    const x = tf.tensor2d(rows, undefined, "int32");
    for (const temperature of [1, 0.7]) {
      const { logprobs, entropy } = model.tokenLogprobs(x, { temperature });
      assert.deepEqual(logprobs.shape, [2, 5]);
      const lp = logprobs.arraySync();
      const ent = entropy.arraySync();
      rows.forEach((ids, b) => {
        const ref = referenceLogits(model, ids);
        for (let t = 0; t < ids.length - 1; t++) {
          const ls = refLogSoftmax(ref[t].map((z) => z / temperature));
          assert.ok(Math.abs(lp[b][t] - ls[ids[t + 1]]) < 1e-4, `b=${b} t=${t}`);
          const h = -ls.reduce((a, l) => a + Math.exp(l) * l, 0);
          assert.ok(Math.abs(ent[b][t] - h) < 1e-4);
        }
      });
      tf.dispose([logprobs, entropy]);
    }
    x.dispose();
  });

  test("tokenLogprobs rejects a temperature of 0 and single-token rows", () => {
    const x = tf.tensor2d([[1, 3]], undefined, "int32");
    assert.throws(() => model.tokenLogprobs(x, { temperature: 0 }), /temperature/);
    const one = tf.tensor2d([[1]], undefined, "int32");
    assert.throws(() => model.tokenLogprobs(one), /at least 2/);
    tf.dispose([x, one]);
  });

  test("sequences longer than blockSize are refused", () => {
    const x = tf.tensor2d([new Array(11).fill(3)], undefined, "int32");
    assert.throws(() => model.forward(x), /blockSize/);
    x.dispose();
  });
});

describe("GPT gradients", () => {
  test("gradient of a tiny loss matches central finite differences on several parameters", () => {
    const model = tinyGPT(2);
    const x = tf.tensor2d([[1, 3, 5, 4, 6], [1, 4, 4, 3, 2]], undefined, "int32");
    const loss = () => tf.tidy(() => model.tokenLogprobs(x).logprobs.sum().neg() as tf.Scalar);
    const picks: [string, number][] = [["wte", 9], ["wpe", 3], ["h0.attn.wqkv", 17], ["h1.mlp.wfc", 40], ["h1.ln2.g", 2], ["head.w", 11], ["lnf.b", 5]];
    assertGradsMatchFiniteDifferences(model, loss, picks);
    x.dispose();
    model.dispose();
  });

  test("every trainable variable gets a finite, non-zero gradient", () => {
    const model = tinyGPT(3);
    const x = tf.tensor2d([[1, 3, 5, 4, 6, 5]], undefined, "int32");
    const { value, grads } = tf.variableGrads(() => model.tokenLogprobs(x).logprobs.sum().neg() as tf.Scalar, model.trainableVariables());
    for (const [name, v] of model.params) {
      const g = grads[v.name].dataSync();
      let norm = 0;
      for (const e of g) norm += e * e;
      assert.ok(Number.isFinite(norm), name);
      if (name !== "wpe") assert.ok(norm > 0, `${name} has a zero gradient`);
    }
    tf.dispose([value, ...Object.values(grads), x]);
    model.dispose();
  });

  test("tf.memory().numTensors stays flat across repeated forward/backward/sample calls", () => {
    const model = tinyGPT(4);
    const x = tf.tensor2d([[1, 3, 5, 4, 6]], undefined, "int32");
    const opt = tf.train.adam(1e-3);
    const round = () => {
      tf.dispose(model.forward(x));
      const lp = model.tokenLogprobs(x);
      tf.dispose([lp.logprobs, lp.entropy]);
      const l = opt.minimize(() => model.tokenLogprobs(x).logprobs.sum().neg() as tf.Scalar, true, model.trainableVariables());
      l?.dispose();
      model.sample([[1, 3], [1, 4, 5]], { maxTokens: 4, seed: 1 });
      model.sample([[1, 3]], { maxTokens: 4, seed: 1, kvCache: false });
    };
    round(); // Adam creates its slot variables on the first step
    const n0 = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) round();
    assert.equal(tf.memory().numTensors, n0);
    x.dispose();
    opt.dispose();
    model.dispose();
  });
});

describe("GPT copy / save / load", () => {
  test("copy() is frozen and gives identical logits; later training of the original does not move it", () => {
    const model = tinyGPT(5);
    const ref = model.copy();
    assert.equal(ref.trainableVariables().length, 0);
    const x = tf.tensor2d([[1, 3, 5, 4]], undefined, "int32");
    assert.deepEqual(ref.forward(x).arraySync(), model.forward(x).arraySync());
    const before = ref.forward(x).arraySync();
    const opt = tf.train.sgd(0.5);
    opt.minimize(() => model.tokenLogprobs(x).logprobs.sum().neg() as tf.Scalar, false, model.trainableVariables());
    assert.deepEqual(ref.forward(x).arraySync(), before);
    assert.notDeepEqual(model.forward(x).arraySync(), before);
    x.dispose();
    model.dispose();
    ref.dispose();
  });

  test("save/load round trip gives identical logits, config and tokenizer", async () => {
    const { mkdtempSync, readdirSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "gpt-"));
    const model = tinyGPT(6);
    await model.save(dir);
    assert.deepEqual(readdirSync(dir).sort(), ["config.json", "tokenizer.json", "weights.bin"]);
    const loaded = await GPT.load(dir);
    assert.deepEqual(loaded.config, model.config);
    assert.equal(loaded.tokenizer.alphabet, model.tokenizer.alphabet);
    const x = tf.tensor2d([[1, 3, 5, 4, 6, 6]], undefined, "int32");
    assert.deepEqual(loaded.forward(x).arraySync(), model.forward(x).arraySync());
    x.dispose();
    model.dispose();
    loaded.dispose();
  });

  test("load of a folder without a checkpoint says which file is missing", async () => {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    await assert.rejects(GPT.load(mkdtempSync(join(tmpdir(), "empty-"))), /config\.json/);
  });
});

describe("LoRA", () => {
  test("addLoRA leaves outputs unchanged and makes only adapters trainable", () => {
    const model = tinyGPT(7);
    const x = tf.tensor2d([[1, 3, 5, 4, 6]], undefined, "int32");
    const before = model.forward(x).arraySync();
    model.addLoRA(2, 4, ["attn.qkv", "mlp.fc", "head"]);
    const vars = model.trainableVariables();
    assert.equal(vars.length, 2 * (2 * 2 + 1)); // (qkv + fc) × 2 layers + head, A and B each
    const after = model.forward(x).arraySync();
    for (let t = 0; t < before[0].length; t++) for (let v = 0; v < before[0][t].length; v++) assert.ok(Math.abs(before[0][t][v] - after[0][t][v]) < 1e-6);
    x.dispose();
    model.dispose();
  });

  test("mergeLoRA preserves outputs after the adapters were trained", () => {
    const model = tinyGPT(8);
    const x = tf.tensor2d([[1, 3, 5, 4, 6]], undefined, "int32");
    model.addLoRA(3, 6, ["attn.qkv", "attn.proj", "mlp.proj", "head"]);
    const opt = tf.train.sgd(0.05);
    for (let i = 0; i < 3; i++) opt.minimize(() => model.tokenLogprobs(x).logprobs.sum().neg() as tf.Scalar, false, model.trainableVariables());
    const withAdapters = model.forward(x).arraySync()[0];
    const nBase = model.params.size;
    model.mergeLoRA();
    assert.equal(model.params.size, nBase - 2 * (2 * 3 + 1));
    assert.equal(model.loraConfig, null);
    const merged = model.forward(x).arraySync()[0];
    let maxDiff = 0;
    let moved = 0;
    // float32: relative tolerance on logits of size |z|
    for (let t = 0; t < merged.length; t++) for (let v = 0; v < merged[t].length; v++) maxDiff = Math.max(maxDiff, Math.abs(merged[t][v] - withAdapters[t][v]) / Math.max(1, Math.abs(withAdapters[t][v])));
    assert.ok(maxDiff < 1e-4, `max relative diff ${maxDiff}`);
    // the adapters really changed the model (otherwise this test could not fail)
    const fresh = tinyGPT(8);
    const base = fresh.forward(x).arraySync()[0];
    for (let t = 0; t < merged.length; t++) for (let v = 0; v < merged[t].length; v++) moved = Math.max(moved, Math.abs(merged[t][v] - base[t][v]));
    assert.ok(moved > 1e-3);
    x.dispose();
    model.dispose();
    fresh.dispose();
  });

  test("a checkpoint saved with adapters attached loads with the same adapters and logits", async () => {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const model = tinyGPT(10);
    model.addLoRA(2, 2, ["mlp.fc"]);
    const b = model.params.get("h0.mlp.wfc.loraB")!;
    tf.tidy(() => b.assign(tf.onesLike(b).mul(0.1)));
    const dir = mkdtempSync(join(tmpdir(), "gpt-lora-"));
    await model.save(dir);
    const loaded = await GPT.load(dir);
    assert.deepEqual(loaded.loraConfig, { rank: 2, alpha: 2, targets: ["mlp.fc"] });
    assert.equal(loaded.trainableVariables().length, 4);
    const x = tf.tensor2d([[1, 3, 5, 4]], undefined, "int32");
    assert.deepEqual(loaded.forward(x).arraySync(), model.forward(x).arraySync());
    x.dispose();
    model.dispose();
    loaded.dispose();
  });

  test("addLoRA rejects unknown targets and a second attach", () => {
    const model = tinyGPT(9);
    assert.throws(() => model.addLoRA(2, 2, ["nope" as never]), /unknown target/);
    model.addLoRA(2);
    assert.throws(() => model.addLoRA(2), /already/);
    model.dispose();
  });
});
