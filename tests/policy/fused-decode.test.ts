/**
 * The fused KV-cache decoding step (src/policy/decode.ts: one SIMD call per step for the whole model) against
 * the sampler's tfjs decode path (`setFusedDecode("off")`) and the model's own forward pass: same samples,
 * log-probs within 1e-4, same logits within 1e-4; it steps aside for LoRA, tanh GELU and head sizes it does
 * not handle; it leaves no tensors behind, also when a streaming caller stops early.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/policy/backend.js";
import { loadBaseCheckpoint } from "../../src/policy/base.js";
import type { GPT } from "../../src/policy/gpt.js";
import { canFuseDecode, FusedDecoder, setFusedDecode } from "../../src/policy/decode.js";
import { setGeluKernel } from "../../src/policy/gelu.js";
import { prefixKeysValues } from "../../src/policy/prefix.js";
import { sampleGPT, sampleGroups, sampleSteps, type SampleResult } from "../../src/policy/sample.js";
import type { SampleOptions } from "../../src/policy/config.js";
import { activeKernels, wasmKernels } from "../../src/policy/wasmKernels.js";
import { generateArithProblems, arithPrompt } from "../../src/tasks/arith.js";
import { arithTask } from "../../src/grpo/arithTask.js";
import { tinyGPT } from "./helpers.js";
import { initSimdBackend } from "../helpers/kernels.js";

before(async () => {
  await initSimdBackend();
});

/** Run `f` with the fused decoder switched off (the tfjs decode path), restoring "on". */
function tfjsPath<T>(f: () => T): T {
  setFusedDecode("off");
  try {
    return f();
  } finally {
    setFusedDecode("on");
  }
}

/** Same ids, finish reasons and texts; log-probs within 1e-4. */
function assertSame(a: SampleResult[], b: SampleResult[], what: string): void {
  assert.equal(a.length, b.length);
  a.forEach((r, i) => {
    assert.deepEqual(r.ids, b[i].ids, `${what}: row ${i} ids`);
    assert.equal(r.finishReason, b[i].finishReason, `${what}: row ${i} finishReason`);
    assert.equal(r.text, b[i].text, `${what}: row ${i} text`);
    assert.equal(r.logprobsRaw.length, r.ids.length);
    assert.equal(r.logprobsProcessed.length, r.ids.length);
    r.logprobsRaw.forEach((v, j) => assert.ok(Math.abs(v - b[i].logprobsRaw[j]) < 1e-4, `${what}: row ${i} token ${j} raw ${v} vs ${b[i].logprobsRaw[j]}`));
    r.logprobsProcessed.forEach((v, j) => assert.ok(Math.abs(v - b[i].logprobsProcessed[j]) < 1e-4, `${what}: row ${i} token ${j} processed ${v} vs ${b[i].logprobsProcessed[j]}`));
  });
}

/** sampleGPT with the fused decoder (asserting it runs) equals the tfjs decode path. */
function compareSample(model: GPT, prompts: number[][], o: SampleOptions, what: string): SampleResult[] {
  assert.equal(canFuseDecode(model), true, `${what}: the fused decoder should run`);
  const fused = sampleGPT(model, prompts, o);
  const plain = tfjsPath(() => {
    assert.equal(canFuseDecode(model), false);
    return sampleGPT(model, prompts, o);
  });
  assertSame(fused, plain, what);
  return fused;
}

const OPTION_SETS: [string, Omit<SampleOptions, "seed">][] = [
  ["temperature 1", { maxTokens: 12 }],
  ["greedy", { maxTokens: 12, temperature: 0 }],
  ["topK 3, temperature 0.8", { maxTokens: 12, topK: 3, temperature: 0.8 }],
  ["topP 0.9", { maxTokens: 12, topP: 0.9 }],
  ["topK + topP + temperature 1.4", { maxTokens: 12, topK: 5, topP: 0.8, temperature: 1.4 }],
];

describe("fused decoding on the base checkpoint", () => {
  let model: GPT;
  let prompts: number[][];
  before(async () => {
    model = (await loadBaseCheckpoint()).model;
    const problems = generateArithProblems({ seed: 5, n: 4, split: "test", levels: [1, 2, 3] });
    prompts = problems.map((p) => model.tokenizer.encodePrompt(arithTask.prompt(p)));
    assert.equal(arithTask.prompt(problems[0]), arithPrompt(problems[0]));
    assert.ok(new Set(prompts.map((p) => p.length)).size > 1, "prompts of different lengths");
  });
  after(() => model.dispose());

  test("greedy and sampled completions of arithmetic prompts equal the tfjs decode path", () => {
    const greedy = compareSample(model, prompts, { maxTokens: 40, temperature: 0, seed: 1 }, "greedy");
    assert.ok(greedy.some((r) => r.finishReason === "stop"), "the base policy ends some answers with EOS");
    assert.ok(greedy.every((r) => r.logprobsProcessed.every((v) => v === 0)));
    compareSample(model, prompts, { maxTokens: 30, temperature: 1, topP: 0.95, seed: 2 }, "sampled");
  });

  test("sampleGroups (groups of different prompt lengths and sizes in one batch) equals the tfjs path", () => {
    const groups = prompts.map((prompt, j) => ({ prompt, n: [4, 1, 3, 2][j], seed: 10 + j }));
    const opts = { maxTokens: 30, temperature: 1.1, stop: ["####"] };
    assert.ok(canFuseDecode(model));
    const fused = sampleGroups(model, groups, opts);
    const plain = tfjsPath(() => sampleGroups(model, groups, opts));
    fused.forEach((g, j) => assertSame(g, plain[j], `group ${j}`));
  });
});

describe("fused decoding on random models", () => {
  // Head sizes 16, 8, 4 (the kernel has a register path for 16 and a generic one), odd vocabularies.
  const MODELS: [string, Record<string, unknown>][] = [
    ["head size 16 (nEmbd 64, nHead 4), vocab 7", { alphabet: "abcd", nLayer: 2, nEmbd: 64, nHead: 4, blockSize: 24 }],
    ["head size 8 (nEmbd 32, nHead 4), vocab 13", { alphabet: "abcdefghij", nLayer: 2, nEmbd: 32, nHead: 4, blockSize: 24 }],
    ["head size 4 (nEmbd 16, nHead 4), vocab 8, 3 layers", { alphabet: "abcde", nLayer: 3, nEmbd: 16, nHead: 4, blockSize: 24 }],
    ["head size 16 (nEmbd 32, nHead 2), mlpRatio 3, 1 layer", { alphabet: "abcdefg", nLayer: 1, nEmbd: 32, nHead: 2, mlpRatio: 3, blockSize: 24 }],
  ];
  // BOS only, lengths 2–6, the same prompt twice.
  const PROMPTS = [[1, 3, 4], [1], [1, 5, 3, 6, 4, 3], [1, 3, 4], [1, 6]];
  for (const [name, config] of MODELS)
    describe(name, () => {
      let model: GPT;
      before(() => {
        model = tinyGPT(3, config);
      });
      after(() => model.dispose());

      for (const [label, o] of OPTION_SETS)
        test(`${label}: samples equal the tfjs decode path`, () => {
          const r = compareSample(model, PROMPTS, { ...o, seed: 7 }, label);
          assert.ok(r.some((x) => x.ids.length > 1));
        });

      test("maxTokens beyond blockSize − prompt length: the budget is clipped by the context, same as tfjs", () => {
        const long = [1, ...Array.from({ length: 19 }, (_, i) => 3 + (i % 4))]; // 20 tokens, 4 left of 24
        const r = compareSample(model, [long, [1, 3], long], { maxTokens: 60, temperature: 0.7, seed: 3 }, "clipped");
        for (const x of [r[0], r[2]]) {
          assert.ok(x.ids.length <= 4);
          if (x.finishReason === "length") assert.equal(x.ids.length, 4);
        }
        assert.ok(r[1].ids.length <= 22);
        const [full] = compareSample(model, [Array.from({ length: 24 }, () => 1)], { maxTokens: 5, seed: 1 }, "full context");
        assert.deepEqual(full, { ids: [], text: "", logprobsRaw: [], logprobsProcessed: [], finishReason: "length" });
      });

      test("stop strings end rows at the same token as the tfjs path, text cut before the stop", () => {
        const o = { maxTokens: 14, temperature: 1.2, seed: 11 };
        // Stop strings taken from a free-running sample (same seed), so that row must stop on it.
        const free = sampleGPT(model, PROMPTS, o);
        const at = free.findIndex((x) => x.text.length >= 4);
        assert.ok(at >= 0, "a free-running row with 4 characters");
        const stop = [free[at].text.slice(2, 4), "ee"];
        const r = compareSample(model, PROMPTS, { ...o, stop }, "stop");
        assert.equal(r[at].finishReason, "stop");
        assert.equal(r[at].text, free[at].text.slice(0, free[at].text.indexOf(stop[0])));
        assert.notEqual(r[at].ids.at(-1), model.tokenizer.eosId);
        for (const x of r) assert.ok(!stop.some((s) => x.text.includes(s)), JSON.stringify(x.text));
      });
    });

  test("a stream of single calls and one batched call agree under the fused decoder", () => {
    const model = tinyGPT(8, { nEmbd: 32, nHead: 4, blockSize: 16 });
    try {
      const o = { maxTokens: 9, temperature: 1.3, seed: 4 };
      const all = sampleGPT(model, PROMPTS, o);
      // Row i's RNG is hashSeed(seed, i): call with the same prompts in front so the index is i.
      PROMPTS.forEach((p, i) => assertSame([all[i]], [sampleGPT(model, [...PROMPTS.slice(0, i), p], o)[i]], `row ${i}`));
    } finally {
      model.dispose();
    }
  });
});

describe("fused decoding between other work", () => {
  const PROMPTS = [[1, 3, 4], [1], [1, 5, 6, 3]];
  const O = { maxTokens: 10, temperature: 1.1, seed: 9 };
  /** Run generators step by step in turn (as the StepScheduler interleaves requests), calling `between` after each step. */
  function interleave(gens: Generator<unknown, SampleResult[]>[], between: (step: number) => void): SampleResult[][] {
    const results: (SampleResult[] | null)[] = gens.map(() => null);
    for (let step = 0; results.some((r) => r === null); step++)
      gens.forEach((g, i) => {
        if (results[i]) return;
        const r = g.next();
        if (r.done) results[i] = r.value;
        between(step);
      });
    return results as SampleResult[][];
  }

  test("interleaved generators, with the wasm heap grown between steps, give each call's own samples", () => {
    const model = tinyGPT(31, { nEmbd: 32, nHead: 4, blockSize: 16 });
    const other = tinyGPT(32, { alphabet: "abcdefg", nEmbd: 16, nHead: 4, blockSize: 16 });
    try {
      const alone = [sampleGPT(model, PROMPTS, O), sampleGPT(other, PROMPTS, O), sampleGPT(model, PROMPTS, { ...O, seed: 10 })];
      const n = tf.memory().numTensors;
      const heapBytes = () => activeKernels()!.memory.buffer.byteLength;
      const before = heapBytes();
      const held: tf.Tensor[] = [];
      const got = interleave([sampleSteps(model, PROMPTS, O), sampleSteps(other, PROMPTS, O), sampleSteps(model, PROMPTS, { ...O, seed: 10 })], (step) => {
        // 8 MB more per step: the backend's memory grows (its ArrayBuffer is replaced) while decoders are live.
        if (step < 6) held.push(tf.fill([2 * 1024 * 1024], step));
      });
      assert.ok(heapBytes() > before, `the heap grew (${before} → ${heapBytes()} bytes)`);
      tf.dispose(held);
      got.forEach((r, i) => assertSame(r, alone[i], `call ${i}`));
      assert.equal(tf.memory().numTensors, n);
    } finally {
      model.dispose();
      other.dispose();
    }
  });

  test("weights changed between steps (an optimizer step) are used from the next step on, as by the tfjs path", () => {
    const run = () => {
      const model = tinyGPT(33, { nEmbd: 32, nHead: 4, blockSize: 16 });
      try {
        const g = sampleSteps(model, PROMPTS, { ...O, temperature: 0 });
        for (let step = 0; ; step++) {
          const r = g.next();
          if (r.done) return r.value;
          if (step === 2)
            for (const name of ["h1.mlp.wfc", "head.w", "wte"]) {
              const v = model.params.get(name)!;
              tf.tidy(() => v.assign(v.mul(-1.5))); // a new buffer for the variable
            }
        }
      } finally {
        model.dispose();
      }
    };
    const fused = run();
    const plain = tfjsPath(run);
    assertSame(fused, plain, "weights changed mid-stream");
    // And the change mattered: the unchanged model's greedy samples differ.
    const model = tinyGPT(33, { nEmbd: 32, nHead: 4, blockSize: 16 });
    try {
      assert.notDeepEqual(sampleGPT(model, PROMPTS, { ...O, temperature: 0 }).map((r) => r.ids), fused.map((r) => r.ids));
    } finally {
      model.dispose();
    }
  });
});

describe("FusedDecoder.step", () => {
  test("logits equal GPT.forward at every position, from t = 0 on, for groups with different prefix lengths (one empty)", () => {
    const model = tinyGPT(13, { alphabet: "abcdefg", nLayer: 2, nEmbd: 32, nHead: 4, blockSize: 16 });
    const V = model.tokenizer.vocabSize;
    const pad = model.tokenizer.padId;
    // Group 0: prompt [1, 3, 4, 5] (prefix 3), group 1: BOS only (prefix 0); 2 slots per group.
    const prompts = [[1, 3, 4, 5], [1]];
    const pre = prompts.map((p) => p.length - 1);
    const Pp = Math.max(1, ...pre);
    const Gm = 2;
    const T = 5;
    // Tokens fed per slot after the prompt's last one (distinct per slot so a mixed-up slot shows).
    const feed = [[6, 7, 3, 9], [4, 4, 8, 3], [5, 3, 9, 6], [7, 8, 4, 4]];
    const kv = tf.tidy(() => prefixKeysValues(model, prompts.map((p, b) => Array.from({ length: Pp }, (_, j) => (j < pre[b] ? p[j] : pad)))));
    const dec = new FusedDecoder(model, kv, pre, Gm, T);
    try {
      for (let t = 0; t < T; t++) {
        const slots = [0, 1, 2, 3];
        const ids = slots.map((s) => (t === 0 ? prompts[Math.floor(s / Gm)].at(-1)! : feed[s][t - 1]));
        const pos = slots.map((s) => pre[Math.floor(s / Gm)] + t);
        const logits = dec.step(ids, pos, t);
        assert.equal(logits.length, 4 * V);
        for (const s of slots) {
          const seq = [...prompts[Math.floor(s / Gm)], ...feed[s].slice(0, t)];
          const ref = tf.tidy(() => model.forward(tf.tensor2d([seq], undefined, "int32")).arraySync()[0][seq.length - 1]);
          const got = Array.from(logits.subarray(s * V, (s + 1) * V));
          const d = Math.max(...ref.map((v, k) => Math.abs(v - got[k])));
          assert.ok(d < 1e-4, `t=${t} slot ${s}: max |Δlogit| ${d}`);
          assert.ok(Math.max(...ref) - Math.min(...ref) > 0.5, "logits are not flat (the comparison can fail)");
        }
      }
    } finally {
      dec.dispose();
      for (const c of kv) tf.dispose([c.k, c.v]);
      model.dispose();
    }
  });

  test("on the base checkpoint, logits equal GPT.forward along a greedy completion", async () => {
    const { model } = await loadBaseCheckpoint();
    try {
      const [problem] = generateArithProblems({ seed: 3, n: 1, split: "test", levels: [2] });
      const prompt = model.tokenizer.encodePrompt(arithTask.prompt(problem));
      const pre = [prompt.length - 1];
      const kv = tf.tidy(() => prefixKeysValues(model, [prompt.slice(0, -1)]));
      const dec = new FusedDecoder(model, kv, pre, 1, 6);
      try {
        const seq = [...prompt];
        for (let t = 0; t < 6; t++) {
          const logits = dec.step([seq.at(-1)!], [seq.length - 1], t);
          const ref = tf.tidy(() => model.forward(tf.tensor2d([seq], undefined, "int32")).arraySync()[0][seq.length - 1]);
          const d = Math.max(...ref.map((v, k) => Math.abs(v - logits[k])));
          assert.ok(d < 1e-4, `t=${t}: max |Δlogit| ${d}`);
          seq.push(ref.indexOf(Math.max(...ref)));
        }
      } finally {
        dec.dispose();
        for (const c of kv) tf.dispose([c.k, c.v]);
      }
    } finally {
      model.dispose();
    }
  });
});

describe("when the fused decoder steps aside", () => {
  const PROMPTS = [[1, 3, 4], [1], [1, 5, 6]];
  const O = { maxTokens: 10, temperature: 0.9, seed: 21 };

  test("with LoRA attached it is off, and the samples equal the fused ones of the merged model", () => {
    const model = tinyGPT(17, { nEmbd: 32, nHead: 4, blockSize: 16 });
    try {
      model.addLoRA(2, 4, ["attn.qkv", "mlp.fc", "head"]);
      for (const v of model.trainableVariables()) tf.tidy(() => v.assign(tf.randomNormal(v.shape, 0, 0.3, "float32", 5)));
      assert.equal(canFuseDecode(model), false);
      const withLoRA = sampleGPT(model, PROMPTS, O);
      assert.deepEqual(withLoRA, tfjsPath(() => sampleGPT(model, PROMPTS, O)), "both switches run the tfjs path");
      model.mergeLoRA();
      assert.equal(canFuseDecode(model), true);
      assertSame(sampleGPT(model, PROMPTS, O), withLoRA, "merged + fused vs LoRA + tfjs");
    } finally {
      model.dispose();
    }
  });

  test("with tanh GELU it is off, and the samples equal the sigmoid form's fused ones", () => {
    const model = tinyGPT(18, { nEmbd: 32, nHead: 4, blockSize: 16 });
    try {
      const fused = sampleGPT(model, PROMPTS, O);
      setGeluKernel("tanh");
      let tanh: SampleResult[];
      try {
        assert.equal(canFuseDecode(model), false);
        tanh = sampleGPT(model, PROMPTS, O);
      } finally {
        setGeluKernel("sigmoid");
      }
      assert.equal(canFuseDecode(model), true);
      assertSame(fused, tanh, "sigmoid fused vs tanh tfjs");
    } finally {
      model.dispose();
    }
  });

  test("with a head size that is not a multiple of 4 it is off, and the KV-cache samples equal recomputation", () => {
    const model = tinyGPT(19, { nEmbd: 12, nHead: 2, blockSize: 16 }); // head size 6
    try {
      assert.equal(canFuseDecode(model), false);
      assertSame(sampleGPT(model, PROMPTS, O), sampleGPT(model, PROMPTS, { ...O, kvCache: false }), "head size 6");
    } finally {
      model.dispose();
    }
  });

  test("with setFusedDecode(\"off\") or tfjs kernels it is off; back on afterwards", () => {
    const model = tinyGPT(20, { nEmbd: 16, nHead: 4 });
    try {
      assert.equal(canFuseDecode(model), true);
      tfjsPath(() => assert.equal(canFuseDecode(model), false));
      assert.equal(wasmKernels(), "simd");
      assert.equal(canFuseDecode(model), true);
    } finally {
      model.dispose();
    }
  });
});

describe("fused decoding leaves no tensors behind", () => {
  let model: GPT;
  before(() => {
    model = tinyGPT(23, { nEmbd: 32, nHead: 4, blockSize: 16 });
  });
  after(() => model.dispose());
  const PROMPTS = [[1, 3, 4], [1], [1, 5, 6], [1, 3, 4]];

  test("after sampleGPT and sampleGroups", () => {
    assert.ok(canFuseDecode(model));
    const n = tf.memory().numTensors;
    sampleGPT(model, PROMPTS, { maxTokens: 8, seed: 1 });
    sampleGroups(model, [{ prompt: [1, 3], n: 3, seed: 1 }, { prompt: [1, 4, 5, 6], n: 2, seed: 2 }], { maxTokens: 6 });
    assert.equal(tf.memory().numTensors, n);
  });

  test("after a sampleSteps generator run to the end, and one closed early with .return()", () => {
    const n = tf.memory().numTensors;
    const all = sampleSteps(model, PROMPTS, { maxTokens: 8, seed: 2 });
    let steps = 0;
    for (let r = all.next(); !r.done; r = all.next()) steps++;
    assert.ok(steps > 1);
    assert.equal(tf.memory().numTensors, n);
    const early = sampleSteps(model, PROMPTS, { maxTokens: 8, seed: 2 });
    const first = early.next();
    assert.equal(first.done, false);
    assert.ok(tf.memory().numTensors > n, "the decoder holds its scratch and prefix tensors while running");
    const closed = early.return([]);
    assert.equal(closed.done, true);
    assert.equal(tf.memory().numTensors, n);
  });

  test(
    "the tfjs decode path (LoRA, tanh GELU, fused off) also releases its caches when closed early",
    () => {
      const n = tf.memory().numTensors;
      tfjsPath(() => {
        const g = sampleSteps(model, PROMPTS, { maxTokens: 8, seed: 2 });
        g.next();
        g.next();
        g.return([]);
      });
      assert.equal(tf.memory().numTensors, n);
    },
  );
});
