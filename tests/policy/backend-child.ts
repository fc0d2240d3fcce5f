/**
 * Child process for tests/policy/backend-threads.test.ts (a process has one wasm module, so each thread count
 * runs in its own process). Prints one JSON line. Modes (argv[2]):
 *   numerics  initBackend(), then a GPT forward, a backward, an Adam step, a sampled completion and matmuls large
 *             enough to be split across kernel threads; every float
 *             is returned as base64 of its float32 bytes so the parent can compare them bit for bit
 *   mismatch  initBackend() then initBackend({ threads: other }) — must throw
 *   pool      initBackend(), then a verifier WorkerPool job and a wasm op after it
 *   info      initBackend() and its BackendInfo
 *   kthreads  for tests/policy/kernel-threads.test.ts: the matmuls and exps of kernel-threads-cases.ts on the kernel threads,
 *             then after stopKernelThreads() (one thread), then after starting the threads again; the threads are
 *             left running when the child exits
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/policy/backend.js";

const mode = process.argv[2] ?? "info";
const b64 = (x: Float32Array | Int32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString("base64");

const info = await initBackend(process.env.CHILD_BACKEND ? { backend: process.env.CHILD_BACKEND as "wasm" } : {});
const out: Record<string, unknown> = { info };

if (mode === "numerics") {
  const { GPT } = await import("../../src/policy/gpt.js");
  const model = new GPT({ nLayer: 2, nHead: 4, nEmbd: 64, blockSize: 48 }, 3);
  const V = model.tokenizer.vocabSize;
  const ids = Array.from({ length: 8 }, (_, b) => Array.from({ length: 40 }, (_, t) => 3 + ((b * 131 + t * 17) % (V - 3))));
  const x = tf.tensor2d(ids, [8, 40], "int32");
  out.logits = b64(tf.tidy(() => model.forward(x).dataSync() as Float32Array));
  const vars = model.trainableVariables();
  const { grads } = tf.variableGrads(() => model.tokenLogprobs(x).logprobs.mean().neg() as tf.Scalar, vars);
  out.grads = vars.map((v) => b64(grads[v.name].dataSync() as Float32Array));
  tf.dispose(Object.values(grads));
  const opt = tf.train.adam(1e-2);
  for (let i = 0; i < 2; i++) tf.dispose(opt.minimize(() => model.tokenLogprobs(x).logprobs.mean().neg() as tf.Scalar, true, vars) ?? []);
  out.weights = vars.map((v) => b64(v.dataSync() as Float32Array));
  const [s] = model.sample([model.tokenizer.encodePrompt("Tom has 7 pens")], { maxTokens: 20, temperature: 1, seed: 5 });
  out.sample = s.ids;
  out.sampleLogprobs = s.logprobsRaw;
  // A matmul large enough to be split across the kernel threads (kernelThreads.ts), batched and 2-D, each layout.
  const { kernelThreads, splitCount } = await import("../../src/policy/kernelThreads.js");
  out.kernelThreads = kernelThreads();
  const splitsBefore = splitCount();
  const a = tf.tensor(Array.from({ length: 6 * 130 * 96 }, (_, i) => Math.sin(i * 0.37)), [6, 130, 96]);
  const b = tf.tensor(Array.from({ length: 6 * 96 * 70 }, (_, i) => Math.cos(i * 0.11)), [6, 96, 70]);
  out.splitMatmuls = [
    tf.tidy(() => tf.matMul(a, b).dataSync() as Float32Array),
    tf.tidy(() => tf.matMul(a.reshape([780, 96]), b.reshape([576, 70]).slice([0, 0], [96, 70])).dataSync() as Float32Array),
    tf.tidy(() => tf.matMul(a.reshape([780, 96]), a.reshape([780, 96]).slice([0, 0], [301, 96]), false, true).dataSync() as Float32Array),
    tf.tidy(() => tf.matMul(a.reshape([780, 96]), a.reshape([780, 96]), true, false).dataSync() as Float32Array),
  ].map(b64);
  out.splitsRun = splitCount() - splitsBefore;
  tf.dispose([a, b]);
  x.dispose();
  model.dispose();
} else if (mode === "mismatch") {
  const other = info.threads === 1 ? 2 : 1;
  try {
    await initBackend({ backend: "wasm", threads: other });
    out.error = null;
  } catch (e) {
    out.error = (e as Error).message;
  }
} else if (mode === "pool") {
  const { WorkerPool } = await import("../../src/verifiers/pool.js");
  const pool = new WorkerPool({ size: 1, timeoutMs: 20_000 });
  out.job = await pool.run("verifyMath", { gold: "\\frac{1}{2}", completion: "The answer is $\\boxed{0.5}$" });
  await pool.close();
  out.after = Array.from(tf.tidy(() => tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).dataSync()));
} else if (mode === "kthreads") {
  const { kernelThreads, stopKernelThreads } = await import("../../src/policy/kernelThreads.js");
  const { installWasmKernelsThreaded } = await import("../../src/policy/wasmKernels.js");
  const { describeBackend } = await import("../../src/policy/backend.js");
  const { runExpCases, runMatmulCases } = await import("./kernel-threads-cases.js");
  const threads = kernelThreads();
  out.threaded = { kernelThreads: threads, results: runMatmulCases(), exp: runExpCases() };
  stopKernelThreads();
  out.stopped = { kernelThreads: kernelThreads(), backend: describeBackend(), results: runMatmulCases(), exp: runExpCases() };
  out.restartError = await installWasmKernelsThreaded(threads);
  out.restarted = { kernelThreads: kernelThreads(), backend: describeBackend(), results: runMatmulCases(), exp: runExpCases() };
}
console.log(JSON.stringify(out));
