/**
 * The threaded SIMD wasm build in Node (src/policy/wasmThreads.ts, src/policy/backend.ts). A process has one
 * wasm module, so every thread count runs in a child process (tests/policy/backend-child.ts), started with
 * spawnSync and a timeout: a child that exits with status 0 and no signal also shows that the pthread
 * workers did not keep it alive.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os, { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker as NodeWorker } from "node:worker_threads";
import { livePthreadWorkers, PthreadWorker, withLogicalCores, withPthreadWorkers } from "../../src/policy/wasmThreads.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const childScript = fileURLToPath(new URL("./backend-child.ts", import.meta.url));

interface ChildInfo {
  info: { backend: string; threads: number | null; label: string; fallbacks: string[] };
  [k: string]: unknown;
}

function runChild(mode: string, env: Record<string, string>): ChildInfo {
  const r = spawnSync(process.execPath, ["--import", "tsx", childScript, mode], {
    cwd: root,
    env: { ...process.env, RLVR_TFJS_THREADS: "", ...env },
    encoding: "utf8",
    timeout: 120_000,
    maxBuffer: 64 << 20, // the numerics child prints ~2 MB of base64 floats
  });
  assert.equal(r.signal, null, `child ${mode} ${JSON.stringify(env)} was killed (did a worker keep it alive?): ${r.stderr}`);
  assert.equal(r.status, 0, `child ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as ChildInfo;
}

const wasmDist = () => dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm"));

test("PthreadWorker runs a blob: URL script (which worker_threads rejects) and keeps message order", async () => {
  const src = `require("node:worker_threads").parentPort.on("message", (m) => require("node:worker_threads").parentPort.postMessage(["echo", m, typeof require, __filename.slice(0, 5)]));`;
  const url = URL.createObjectURL(new Blob([src]));
  assert.throws(() => new NodeWorker(url), { code: "ERR_WORKER_PATH" }); // the failure of tfjs issue 3830
  const w = new PthreadWorker(url);
  const got: unknown[] = [];
  const done = new Promise<void>((resolve) => w.on("message", (m) => got.push(m) === 3 && resolve()));
  for (const i of [1, 2, 3]) w.postMessage(i); // posted while the blob is still being read: queued in order
  await done;
  assert.deepEqual(got, [1, 2, 3].map((i) => ["echo", i, "function", "blob:"]));
  assert.equal(livePthreadWorkers() >= 1, true);
  await w.terminate();
  URL.revokeObjectURL(url);
});

test("PthreadWorker passes file paths through, replaces a Blob urlOrBlob with the main script, refuses module workers", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pthread-"));
  const file = join(dir, "w.cjs");
  writeFileSync(file, `require("node:worker_threads").parentPort.on("message", (m) => require("node:worker_threads").parentPort.postMessage(m));`);
  const w = new PthreadWorker(file, {}, "/path/of/glue.js");
  const reply = new Promise((resolve) => w.once("message", resolve));
  w.postMessage({ cmd: "load", urlOrBlob: new Blob(["var X = 1"]), n: 7 });
  assert.deepEqual(await reply, { cmd: "load", urlOrBlob: "/path/of/glue.js", n: 7 });
  await w.terminate();
  assert.throws(() => new PthreadWorker(file, { type: "module" }), /only classic workers/);
  assert.throws(() => new PthreadWorker("blob:nodedata:00000000-0000-0000-0000-000000000000"), /not a live blob URL/);
});

test("PthreadWorker.ref() does not keep the process alive (XNNPACK's pool threads never return)", () => {
  const code = `
    import { PthreadWorker } from ${JSON.stringify(join(root, "src/policy/wasmThreads.ts"))};
    const w = new PthreadWorker(URL.createObjectURL(new Blob(["setInterval(() => {}, 1000)"])));
    w.on("online", () => { w.unref(); w.ref(); console.log("online"); });`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { cwd: root, encoding: "utf8", timeout: 30_000 });
  assert.equal(r.signal, null, "the process was kept alive by a ref'd worker");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /online/);
});

test("withPthreadWorkers installs the Worker shim only while init runs, ignores Emscripten's assignment, and restores os.cpus", async () => {
  const g = globalThis as { Worker?: unknown };
  const before = g.Worker;
  const cpus = os.cpus;
  const seen = await withPthreadWorkers("/glue.js", 3, async () => {
    g.Worker = NodeWorker; // what the Emscripten factory does each time it runs
    return { ctor: g.Worker, cores: os.cpus().length };
  });
  assert.notEqual(seen.ctor, NodeWorker);
  assert.equal(Object.getPrototypeOf(seen.ctor), PthreadWorker);
  assert.equal(seen.cores, 6); // tfjs divides logical cores by 2
  assert.equal(g.Worker, before);
  assert.equal(os.cpus, cpus);
  await assert.rejects(withLogicalCores(4, async () => Promise.reject(new Error("boom"))), /boom/);
  assert.equal(os.cpus, cpus);
});

test("2 wasm threads (matmuls split across a kernel thread) give bit-identical logits, gradients, Adam updates, samples and matmuls to the single-threaded build", () => {
  const one = runChild("numerics", { RLVR_TFJS_THREADS: "1" });
  const two = runChild("numerics", { RLVR_TFJS_THREADS: "2" });
  assert.equal(one.info.label, "wasm (SIMD, 1 thread)");
  assert.deepEqual([two.info.threads, two.info.label, two.info.fallbacks], [2, "wasm (SIMD, 2 threads)", []]);
  assert.deepEqual([one.kernelThreads, two.kernelThreads], [1, 2], "the threaded build runs one kernel thread beside the caller");
  assert.deepEqual([one.splitsRun, two.splitsRun], [0, 4], "each of the 4 large matmuls was split on 2 threads, none on 1");
  for (const k of ["logits", "grads", "weights", "sample", "sampleLogprobs", "splitMatmuls"]) assert.deepEqual(two[k], one[k], `${k} differ between 1 and 2 threads`);
  assert.ok((one.logits as string).length > 100_000);
});

test("a second initBackend asking another thread count throws saying the count is fixed per process", () => {
  const r = runChild("mismatch", { RLVR_TFJS_THREADS: "2" });
  assert.match(String(r.error), /already runs with 2 threads in this process \(asked: 1\).*RLVR_TFJS_THREADS/);
});

test("the verifier WorkerPool runs jobs next to a threaded wasm backend, and wasm still computes after it", () => {
  const r = runChild("pool", { RLVR_TFJS_THREADS: "2" });
  assert.equal(r.info.threads, 2);
  assert.equal((r.job as { status: string; value: { status: string } }).value.status, "correct");
  assert.deepEqual(r.after, [3, 3, 3, 3]);
});

test("threads fall back to the single-threaded build, saying why, when the threaded binary is missing or broken", () => {
  const dir = mkdtempSync(join(tmpdir(), "wasm-dir-"));
  for (const f of ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm"]) copyFileSync(join(wasmDist(), f), join(dir, f));
  const missing = runChild("info", { RLVR_TFJS_THREADS: "2", RLVR_TFJS_WASM_DIR: dir });
  assert.deepEqual([missing.info.threads, missing.info.fallbacks], [1, [`wasm threads: ${dir}/tfjs-backend-wasm-threaded-simd.wasm is missing`]]);
  // A truncated binary fails inside tfjs after Emscripten started its 8 workers: they must be terminated, or
  // the child would never exit (runChild fails on a timeout).
  writeFileSync(join(dir, "tfjs-backend-wasm-threaded-simd.wasm"), readFileSync(join(wasmDist(), "tfjs-backend-wasm-threaded-simd.wasm")).subarray(0, 1000));
  const broken = runChild("info", { RLVR_TFJS_THREADS: "2", RLVR_TFJS_WASM_DIR: dir });
  assert.deepEqual([broken.info.threads, broken.info.fallbacks], [1, ["wasm with 2 threads: tf.setBackend returned false"]]);
});
