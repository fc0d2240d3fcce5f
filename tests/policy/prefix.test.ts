import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/policy/backend.js";
import type { GPT } from "../../src/policy/gpt.js";
import { canSharePrefix, groupedTokenLogprobs, rowGroups, setPrefixSharing } from "../../src/policy/prefix.js";
import { tinyGPT } from "./helpers.js";
import { assertGradsMatchFiniteDifferences } from "../helpers/finiteDiff.js";

before(async () => {
  await initBackend();
});

// Three groups of G = 3 rows with prompt lengths 2, 4, 3 (BOS included) and ragged completions, PAD = 0,
// L = 9 ≤ blockSize 10. Ids 3–6 are characters, 2 is EOS.
const PROMPTS = [[1, 3], [1, 5, 4, 6], [1, 6, 6]];
const COMPLETIONS = [
  [[4, 5, 2], [3, 3, 3, 3, 6, 2], [5]],
  [[3, 2], [6, 6, 5, 2], [4]],
  [[5, 5, 5, 5, 5, 2], [2], [3, 4]],
];
const L = 9;
const tokens = PROMPTS.flatMap((p, b) => COMPLETIONS[b].map((c) => [...p, ...c, ...new Array(L - p.length - c.length).fill(0)]));
const groups = rowGroups([3, 3, 3], PROMPTS.map((p) => p.length));
const rowPrompt = groups.flatMap((g) => Array.from({ length: g.size }, () => g.promptLen));
/** 1 on the positions that score a completion token (as batch.ts's mask), else 0. */
const mask = tokens.map((row, i) => Array.from({ length: L - 1 }, (_, t) => (t >= rowPrompt[i] - 1 && row[t + 1] !== 0 ? 1 : 0)));

function plain(model: GPT, temperature: number) {
  return tf.tidy(() => model.tokenLogprobs(tf.tensor2d(tokens, undefined, "int32"), { temperature }));
}
function maxAbsDiff(a: number[][], b: number[][], keep: (i: number, t: number) => boolean): number {
  let m = 0;
  a.forEach((row, i) => row.forEach((x, t) => (keep(i, t) ? (m = Math.max(m, Math.abs(x - b[i][t]))) : 0)));
  return m;
}
/** A loss that touches log-probs and entropies on the completion positions with varied weights. */
function loss(model: GPT, shared: boolean): tf.Scalar {
  return tf.tidy(() => {
    const { logprobs, entropy } = shared ? groupedTokenLogprobs(model, tokens, groups, { temperature: 0.8 }) : model.tokenLogprobs(tf.tensor2d(tokens, undefined, "int32"), { temperature: 0.8 });
    const w = tf.tensor2d(mask.map((r, i) => r.map((m, t) => m * (1 + 0.1 * ((i * 7 + t) % 5)))));
    return logprobs.mul(w).sum().add(entropy.mul(w).sum().mul(0.3)) as tf.Scalar;
  });
}

describe("shared-prefix scoring (groupedTokenLogprobs)", () => {
  let model: GPT;
  before(() => {
    model = tinyGPT(5);
  });
  after(() => model.dispose());

  for (const temperature of [1, 0.7]) {
    test(`log-probs and entropies equal the plain path at every position from P−1 on, 0 before (temperature ${temperature})`, () => {
      const a = plain(model, temperature);
      const b = groupedTokenLogprobs(model, tokens, groups, { temperature });
      assert.deepEqual(b.logprobs.shape, [9, L - 1]);
      const [pl, pe, gl, ge] = [a.logprobs, a.entropy, b.logprobs, b.entropy].map((x) => x.arraySync() as number[][]);
      const after = (i: number, t: number) => t >= rowPrompt[i] - 1;
      assert.ok(maxAbsDiff(pl, gl, after) < 1e-5, `logprobs differ by ${maxAbsDiff(pl, gl, after)}`);
      assert.ok(maxAbsDiff(pe, ge, after) < 1e-5, `entropies differ by ${maxAbsDiff(pe, ge, after)}`);
      gl.forEach((row, i) => row.forEach((x, t) => !after(i, t) && assert.equal(x, 0)));
      ge.forEach((row, i) => row.forEach((x, t) => !after(i, t) && assert.equal(x, 0)));
      tf.dispose([a.logprobs, a.entropy, b.logprobs, b.entropy]);
    });
  }

  test("with span = the longest completion, completion positions still equal the plain path and later ones are 0", () => {
    const span = Math.max(...COMPLETIONS.flat().map((c) => c.length)); // 6
    const a = plain(model, 1);
    const b = groupedTokenLogprobs(model, tokens, groups, { span: 3 }); // shorter than some completions: cut at 3
    const c = groupedTokenLogprobs(model, tokens, groups, { span });
    const [pl, bl, cl] = [a.logprobs, b.logprobs, c.logprobs].map((x) => x.arraySync() as number[][]);
    const inSpan = (n: number) => (i: number, t: number) => t >= rowPrompt[i] - 1 && t < rowPrompt[i] - 1 + n;
    assert.ok(maxAbsDiff(pl, cl, inSpan(span)) < 1e-5);
    assert.ok(maxAbsDiff(pl, bl, inSpan(3)) < 1e-5);
    bl.forEach((row, i) => row.forEach((x, t) => !inSpan(3)(i, t) && assert.equal(x, 0)));
    cl.forEach((row, i) => row.forEach((x, t) => !inSpan(span)(i, t) && assert.equal(x, 0)));
    tf.dispose([a.logprobs, a.entropy, b.logprobs, b.entropy, c.logprobs, c.entropy]);
  });

  test("gradients equal the plain path's for every parameter", () => {
    const vars = model.trainableVariables();
    const a = tf.variableGrads(() => loss(model, false), vars);
    const b = tf.variableGrads(() => loss(model, true), vars);
    assert.ok(Math.abs(a.value.dataSync()[0] - b.value.dataSync()[0]) < 1e-4);
    for (const [name, v] of model.params) {
      const ga = a.grads[v.name].dataSync();
      const gb = b.grads[v.name].dataSync();
      let m = 0;
      let scale = 0;
      for (let i = 0; i < ga.length; i++) {
        m = Math.max(m, Math.abs(ga[i] - gb[i]));
        scale = Math.max(scale, Math.abs(ga[i]));
      }
      assert.ok(m <= 1e-4 * Math.max(1, scale), `${name}: max abs diff ${m} (max |g| ${scale})`);
    }
    tf.dispose([a.value, b.value, ...Object.values(a.grads), ...Object.values(b.grads)]);
  });

  test("gradients through the shared prefix match central finite differences", () => {
    // (Key biases have a zero gradient: softmax is shift-invariant.) Prompt tokens' embeddings (wte rows 5, 6; wpe rows 0–2) reach the loss only through the prefix.
    const picks: [string, number][] = [["wte", 5 * 8 + 1], ["wte", 6 * 8 + 3], ["wpe", 1 * 8 + 2], ["h0.attn.wqkv", 17], ["h0.attn.bqkv", 18], ["h1.mlp.wfc", 40], ["h0.ln1.g", 2], ["head.w", 11]];
    assertGradsMatchFiniteDifferences(model, () => loss(model, true), picks, { nonZero: true });
  });

  test("with LoRA adapters attached the values still equal the plain path", () => {
    const m = tinyGPT(6);
    m.addLoRA(2, 2, ["attn.qkv", "mlp.fc", "head"]);
    for (const v of m.trainableVariables()) tf.tidy(() => v.assign(tf.randomNormal(v.shape, 0, 0.3, "float32", 7)));
    const a = plain(m, 1);
    const b = groupedTokenLogprobs(m, tokens, groups);
    const d = maxAbsDiff(a.logprobs.arraySync(), b.logprobs.arraySync(), (i, t) => t >= rowPrompt[i] - 1);
    assert.ok(d < 1e-5, `differ by ${d}`);
    tf.dispose([a.logprobs, a.entropy, b.logprobs, b.entropy]);
    m.dispose();
  });

  test("unequal group sizes, or sharing switched off, fall back to the plain path (same numbers everywhere)", () => {
    const uneven = rowGroups([4, 2, 3], [2, 2, 2]);
    assert.equal(canSharePrefix(uneven, 9), false);
    const a = plain(model, 1);
    const b = groupedTokenLogprobs(model, tokens, uneven);
    assert.deepEqual(b.logprobs.arraySync(), a.logprobs.arraySync());
    setPrefixSharing("off");
    try {
      assert.equal(canSharePrefix(groups, 9), false);
      const c = groupedTokenLogprobs(model, tokens, groups);
      assert.deepEqual(c.logprobs.arraySync(), a.logprobs.arraySync());
      tf.dispose([c.logprobs, c.entropy]);
    } finally {
      setPrefixSharing("on");
    }
    assert.equal(canSharePrefix(rowGroups([3, 3], [2, 2]), 9), false, "groups must cover every row");
    tf.dispose([a.logprobs, a.entropy, b.logprobs, b.entropy]);
  });

  test("a row that does not share its group's prompt is refused, naming the row", () => {
    const bad = tokens.map((r) => [...r]);
    bad[4][2] = 3; // group 1 (rows 3–5), inside its shared prefix
    assert.throws(() => groupedTokenLogprobs(model, bad, groups), /row 4 does not share its group's prompt/);
  });

  test("leaves no tensors behind", () => {
    const before = tf.memory().numTensors;
    for (let r = 0; r < 2; r++) {
      const { value, grads } = tf.variableGrads(() => loss(model, true), model.trainableVariables());
      tf.dispose([value, ...Object.values(grads)]);
    }
    assert.equal(tf.memory().numTensors, before);
  });
});
