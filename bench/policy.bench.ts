/**
 * Policy benchmark (tfjs, active backend):
 *  1. training step (forward + backward + Adam) of a ~421k-parameter GPT on 32×64 tokens: this project's SIMD
 *     kernels (default) vs tfjs-wasm's own kernels with the customGrad matmul (explicit transposes) and with
 *     plain tf.matMul gradients — baselines measured in this run (PyTorch is measured by bench/grpo.bench.ts);
 *  2. sampling throughput (generated tokens/s) with the KV cache vs recomputing the full context each step,
 *     same prompts, seed and model, in this run — for the 421k model and the shipped base checkpoint.
 *  3. a training step of the shipped base policy on a GRPO-sized batch (64×90 tokens, unshared);
 *  4. GELU forward+backward, sigmoid form (default) vs tanh form, and the two tfjs kernels alone;
 *  5. wasm kernels: matmul GFLOP/s on the policy's shapes and an embedding gather, this project's kernels vs
 *     tfjs-wasm's (src/policy/wasmKernels.ts), and the shared-prefix attention op forward + backward vs tfjs ops.
 * Run: node scripts/run-bench.mjs policy   (env BENCH_REPS to change repetitions)
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/policy/backend.js";
import { loadBaseCheckpoint } from "../src/policy/base.js";
import { GPT } from "../src/policy/gpt.js";
import { setMatmulGrad } from "../src/policy/matmul.js";
import { setWasmKernels } from "../src/policy/wasmKernels.js";
import { setFusedAttention } from "../src/policy/attention.js";
import { createRng } from "../src/stats/rng.js";

const REPS = Number(process.env.BENCH_REPS ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const info = await initBackend();
console.log(`backend: ${info.label} (self-test ${JSON.stringify(info.selfTest)}), node ${process.version}; RLVR_TFJS_THREADS=2 for the threaded build, bench/policy-threads.bench.ts compares`);

// ---- 1. training step -------------------------------------------------------------------------------
const model = new GPT({ nLayer: 2, nHead: 4, nEmbd: 128, blockSize: 64 }, 0);
const V = model.tokenizer.vocabSize;
const rng = createRng(1);
const B = 32;
const T = 64;
const ids = Array.from({ length: B }, () => Array.from({ length: T }, () => 3 + Math.floor(rng() * (V - 3))));
const x = tf.tensor2d(ids, [B, T], "int32");
console.log(`model: ${model.numParams()} params, batch ${B}×${T} tokens`);

function stepTimes(mode: "custom" | "plain", kernels: "simd" | "tfjs"): number[] {
  setMatmulGrad(mode);
  setWasmKernels(kernels);
  const opt = tf.train.adam(1e-3);
  const times: number[] = [];
  for (let i = 0; i < REPS + 1; i++) {
    const t0 = performance.now();
    const loss = opt.minimize(() => model.tokenLogprobs(x).logprobs.mean().neg() as tf.Scalar, true, model.trainableVariables());
    loss!.dataSync();
    loss!.dispose();
    if (i > 0) times.push((performance.now() - t0) / 1000); // first step: warm-up + Adam slot creation
  }
  opt.dispose();
  return times;
}
const plain = median(stepTimes("plain", "tfjs"));
const custom = median(stepTimes("custom", "tfjs"));
const simd = median(stepTimes("custom", "simd"));
setMatmulGrad("custom");
setWasmKernels("simd");
console.log(`train step, tfjs-wasm kernels, plain tf.matMul grads (baseline): ${plain.toFixed(3)} s (median of ${REPS})`);
console.log(`train step, tfjs-wasm kernels, customGrad matmul:                ${custom.toFixed(3)} s (median of ${REPS})  → ${(plain / custom).toFixed(2)}× faster than baseline`);
console.log(`train step, this project's SIMD kernels (default):               ${simd.toFixed(3)} s (median of ${REPS})  → ${(plain / simd).toFixed(2)}× faster than baseline, ${(custom / simd).toFixed(2)}× than customGrad on tfjs kernels`);
console.log("(PyTorch on the same machine: bench/grpo.bench.ts measures it in the same run as ours)");
x.dispose();

// ---- 2. sampling throughput -----------------------------------------------------------------------------
function throughput(m: GPT, prompts: number[][], maxTokens: number, kvCache: boolean): { tokS: number; tokens: number } {
  m.sample(prompts.slice(0, 2), { maxTokens: 4, seed: 0, kvCache }); // warm-up
  const t0 = performance.now();
  const res = m.sample(prompts, { maxTokens, seed: 7, kvCache, temperature: 1 });
  const s = (performance.now() - t0) / 1000;
  const tokens = res.reduce((a, r) => a + r.ids.length, 0);
  return { tokS: tokens / s, tokens };
}
const promptIds = (m: GPT, len: number) => Array.from({ length: 16 }, () => [m.tokenizer.bosId, ...Array.from({ length: len }, () => 3 + Math.floor(rng() * (V - 3)))]);
{
  const prompts = promptIds(model, 15); // 16 prompts of 16 tokens, 48 new tokens each (no EOS stop: random model rarely emits it)
  const kv = throughput(model, prompts, 48, true);
  const full = throughput(model, prompts, 48, false);
  console.log(`sampling 421k model, 16×48 tokens: KV cache ${kv.tokS.toFixed(0)} tok/s, full recompute (baseline) ${full.tokS.toFixed(0)} tok/s → ${(kv.tokS / full.tokS).toFixed(2)}×`);
}
model.dispose();
{
  const { model: base, tokenizer } = await loadBaseCheckpoint();
  const q = "Tom has 7 pens and buys 4 more. How many pens now?\n";
  const prompts = Array.from({ length: 16 }, () => tokenizer.encodePrompt(q)); // one GRPO group of 16
  const kv = throughput(base, prompts, 40, true);
  const full = throughput(base, prompts, 40, false);
  console.log(`sampling base checkpoint (${base.numParams()} params), group of 16 on an arith prompt: KV cache ${kv.tokS.toFixed(0)} tok/s (${kv.tokens} tokens), full recompute (baseline) ${full.tokS.toFixed(0)} tok/s → ${(kv.tokS / full.tokS).toFixed(2)}×`);
  base.dispose();
}

// ---- 3. the shipped base policy on a GRPO-sized batch ------------------------------------------------------
{
  const { model: base } = await loadBaseCheckpoint();
  const Vb = base.tokenizer.vocabSize;
  const rows = Array.from({ length: 64 }, () => Array.from({ length: 90 }, () => 3 + Math.floor(rng() * (Vb - 3))));
  const xb = tf.tensor2d(rows, [64, 90], "int32");
  const opt = tf.train.adam(1e-4);
  const times: number[] = [];
  for (let i = 0; i < REPS + 1; i++) {
    const t0 = performance.now();
    const loss = opt.minimize(() => base.tokenLogprobs(xb).logprobs.mean().neg() as tf.Scalar, true, base.trainableVariables());
    loss!.dataSync();
    loss!.dispose();
    if (i > 0) times.push((performance.now() - t0) / 1000);
  }
  console.log(`train step, base checkpoint (${base.numParams()} params) on 64×90 tokens (8 prompts × G=8): ${median(times).toFixed(3)} s (median of ${REPS})`);
  xb.dispose();
  opt.dispose();
  base.dispose();
}

// ---- 4. GELU: tanh form vs sigmoid form (x·σ(2u), the default), forward + backward on an MLP-sized tensor ----
{
  const { setGeluKernel, gelu } = await import("../src/policy/gelu.js");
  const xg = tf.randomNormal([5248, 256], 0, 1, "float32", 3); // [B·T, 4C] of the base policy on 64×82 tokens
  const f = () => tf.tidy(() => void tf.grad((z: tf.Tensor) => gelu(z).sum())(xg).dataSync()); // void: tidy would walk a returned array
  const timeIt = (g: () => unknown) => {
    g();
    const ts: number[] = [];
    for (let i = 0; i < REPS; i++) {
      const t0 = performance.now();
      g();
      ts.push(performance.now() - t0);
    }
    return median(ts);
  };
  const ops = { tanh: timeIt(() => tf.tidy(() => void tf.tanh(xg).dataSync())), sigmoid: timeIt(() => tf.tidy(() => void tf.sigmoid(xg).dataSync())) };
  setGeluKernel("tanh");
  const tanhMs = timeIt(f);
  setGeluKernel("sigmoid");
  const sigMs = timeIt(f);
  console.log(`kernels on [5248, 256]: tf.tanh ${ops.tanh.toFixed(2)} ms, tf.sigmoid ${ops.sigmoid.toFixed(2)} ms; GELU forward+backward: sigmoid form ${sigMs.toFixed(2)} ms vs tanh form (baseline) ${tanhMs.toFixed(2)} ms → ${(tanhMs / sigMs).toFixed(2)}× faster; load ${(await import("node:os")).loadavg()[0].toFixed(1)}`);
  xg.dispose();
}

// ---- 5. wasm kernels: this project's vs tfjs-wasm's ---------------------------------------------------------
{
  const r = createRng(5);
  const rand = (shape: number[]) => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r() - 0.5), shape);
  const time = (f: () => void, n: number) => {
    for (let i = 0; i < 5; i++) f();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) f();
    return (performance.now() - t0) / n;
  };
  // Shapes of the main job's step: attention (batched) and the dense layers / their gradients (2-D; a fresh
  // right operand per call, as activations are: XNNPACK caches packed weights by tensor id).
  const shapes: [number[], number[]][] = [
    [[32, 200, 16], [32, 16, 60]], [[32, 200, 60], [32, 60, 16]], [[256, 25, 25], [256, 25, 16]], [[32, 8, 16], [32, 16, 60]],
    [[1600, 64], [64, 256]], [[1600, 256], [256, 64]], [[64, 1600], [1600, 256]], [[99, 1600], [1600, 64]], [[64, 64], [64, 192]],
  ];
  const rows: Record<string, string>[] = [];
  for (const [sa, sb] of shapes) {
    const a = rand(sa);
    const bs = Array.from({ length: 8 }, () => rand(sb));
    const flops = 2 * sa.reduce((p, d) => p * d, 1) * sb[sb.length - 1];
    const ms: Record<string, number> = {};
    for (const k of ["tfjs", "simd"] as const) {
      setWasmKernels(k);
      let i = 0;
      ms[k] = time(() => tf.matMul(a as tf.Tensor2D, bs[i++ % 8] as tf.Tensor2D).dispose(), 40);
    }
    rows.push({ matmul: `[${sa}] × [${sb}]`, "tfjs-wasm GFLOP/s": (flops / ms.tfjs / 1e6).toFixed(1), "ours GFLOP/s": (flops / ms.simd / 1e6).toFixed(1), speed: `${(ms.tfjs / ms.simd).toFixed(1)}×` });
    tf.dispose([a, ...bs]);
  }
  const table = rand([99, 64]);
  const idx = tf.tensor1d(Array.from({ length: 64 }, (_, i) => (i * 7) % 99), "int32");
  const g: Record<string, number> = {};
  for (const k of ["tfjs", "simd"] as const) {
    setWasmKernels(k);
    g[k] = time(() => tf.gather(table, idx).dispose(), 500);
  }
  rows.push({ matmul: "gather 64 rows of [99, 64] (µs)", "tfjs-wasm GFLOP/s": `${(g.tfjs * 1000).toFixed(1)} µs`, "ours GFLOP/s": `${(g.simd * 1000).toFixed(1)} µs`, speed: `${(g.tfjs / g.simd).toFixed(1)}×` });
  setWasmKernels("simd");
  tf.dispose([table, idx]);
  console.log("\n5. wasm kernels (ours: src/policy/wasm/assembly/kernels.ts) vs tfjs-wasm's own, same inputs, this run:");
  console.table(rows);
  // The shared-prefix attention of a training pass: one op (fwd + bwd kernels) vs the tfjs ops it replaced.
  const base = (await loadBaseCheckpoint()).model;
  const { groupedTokenLogprobs, rowGroups } = await import("../src/policy/prefix.js");
  const Vb = base.tokenizer.vocabSize;
  const toks = Array.from({ length: 8 }, () => Array.from({ length: 60 }, () => 3 + Math.floor(r() * (Vb - 3))));
  const batch = toks.flatMap((p) => Array.from({ length: 8 }, () => [...p, ...Array.from({ length: 28 }, () => 3 + Math.floor(r() * (Vb - 3)))]));
  const groups = rowGroups(Array(8).fill(8), Array(8).fill(60));
  const vars = base.trainableVariables();
  const pass = () => {
    const { value, grads } = tf.variableGrads(() => groupedTokenLogprobs(base, batch, groups).logprobs.sum() as tf.Scalar, vars);
    tf.dispose([value, ...Object.values(grads)]);
  };
  const at: Record<string, number> = {};
  for (const m of ["off", "on"] as const) {
    setFusedAttention(m);
    at[m] = time(pass, 10);
  }
  setFusedAttention("on");
  console.log(`shared-prefix training pass (fwd + bwd, base checkpoint, 8 groups × 8 rows, prompt 60 + 28 tokens): tfjs-op attention ${at.off.toFixed(1)} ms, fused attention op ${at.on.toFixed(1)} ms → ${(at.off / at.on).toFixed(2)}×`);
  base.dispose();
}
