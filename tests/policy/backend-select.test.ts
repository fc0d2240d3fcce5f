/**
 * Which backend initBackend picks and with how many wasm threads. tfjs-node / tfjs-node-gpu cannot be
 * installed here (their install scripts download binaries), so the selection test puts stand-in packages of
 * those names on NODE_PATH (createRequire's resolution honours it): each registers a "tensorflow" backend
 * that is tfjs's cpu backend under that name, or throws on load like a package whose binary is missing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultWasmThreads, MAX_WASM_THREADS, resolveWasmThreads } from "../../src/policy/backend.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const childScript = fileURLToPath(new URL("./backend-child.ts", import.meta.url));

test("resolveWasmThreads: the option wins over RLVR_TFJS_THREADS, which wins over the default", () => {
  assert.equal(resolveWasmThreads(3, { RLVR_TFJS_THREADS: "1" }), 3);
  assert.equal(resolveWasmThreads(undefined, { RLVR_TFJS_THREADS: " 2 " }), 2);
  assert.equal(resolveWasmThreads(undefined, { RLVR_TFJS_THREADS: "" }), defaultWasmThreads());
  assert.equal(resolveWasmThreads(undefined, {}), defaultWasmThreads());
});

test("resolveWasmThreads rejects non-integers, 0 and more than the pool, naming where the value came from", () => {
  for (const bad of ["0", "-1", "1.5", "two", "9", "2x"]) {
    assert.throws(() => resolveWasmThreads(undefined, { RLVR_TFJS_THREADS: bad }), /RLVR_TFJS_THREADS must be an integer from 1 to 8/, bad);
  }
  assert.throws(() => resolveWasmThreads(0, {}), /initBackend\(\{ threads \}\) must be an integer/);
  assert.throws(() => resolveWasmThreads(MAX_WASM_THREADS + 1, {}), /from 1 to 8/);
});

test("without an option or RLVR_TFJS_THREADS wasm runs the single-threaded build (the measured default)", () => {
  assert.equal(defaultWasmThreads(), 1);
  assert.equal(childInfo(mkdtempSync(join(tmpdir(), "empty-"))).label, "wasm (SIMD, 1 thread)");
});

function fakePackage(dir: string, name: string, body: string): void {
  const p = join(dir, ...name.split("/"));
  mkdirSync(p, { recursive: true });
  writeFileSync(join(p, "package.json"), JSON.stringify({ name, version: "0.0.0-stand-in", main: "index.js" }));
  writeFileSync(join(p, "index.js"), body);
}
const REGISTERS = `
const tf = require("@tensorflow/tfjs");
const { MathBackendCPU } = require("@tensorflow/tfjs-backend-cpu");
for (const k of tf.getKernelsForBackend("cpu")) tf.registerKernel({ ...k, backendName: "tensorflow" });
tf.registerBackend("tensorflow", () => new MathBackendCPU(), 3);
`;

function childInfo(nodePath: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ["--import", "tsx", childScript, "info"], {
    cwd: root,
    env: { ...process.env, NODE_PATH: `${nodePath}:${join(root, "node_modules")}`, RLVR_TFJS_THREADS: "", ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const { info } = JSON.parse(r.stdout.trim().split("\n").pop()!) as { info: { backend: string; threads: number | null; label: string; fallbacks: string[] } };
  return { backend: info.backend, threads: info.threads, label: info.label, fallbacks: info.fallbacks };
}

test("initBackend picks tfjs-node-gpu before tfjs-node, tfjs-node when the GPU package fails to load, and says which", () => {
  const cpuOnly = mkdtempSync(join(tmpdir(), "tfnode-"));
  fakePackage(cpuOnly, "@tensorflow/tfjs-node", REGISTERS);
  assert.deepEqual(childInfo(cpuOnly), { backend: "tensorflow", threads: null, label: "tensorflow (@tensorflow/tfjs-node)", fallbacks: [] });

  const both = mkdtempSync(join(tmpdir(), "tfnode-"));
  fakePackage(both, "@tensorflow/tfjs-node", REGISTERS);
  fakePackage(both, "@tensorflow/tfjs-node-gpu", REGISTERS);
  assert.equal(childInfo(both).label, "tensorflow (@tensorflow/tfjs-node-gpu)");

  const brokenGpu = mkdtempSync(join(tmpdir(), "tfnode-"));
  fakePackage(brokenGpu, "@tensorflow/tfjs-node", REGISTERS);
  fakePackage(brokenGpu, "@tensorflow/tfjs-node-gpu", `throw new Error("libcudart.so.11.0: cannot open shared object file");`);
  assert.equal(childInfo(brokenGpu).label, "tensorflow (@tensorflow/tfjs-node)");

  const allBroken = mkdtempSync(join(tmpdir(), "tfnode-"));
  fakePackage(allBroken, "@tensorflow/tfjs-node", `throw new Error("no binary");`);
  const info = childInfo(allBroken, { RLVR_TFJS_THREADS: "2" });
  assert.equal(info.label, "wasm (SIMD, 2 threads)");
  assert.deepEqual(info.fallbacks, ["tensorflow: neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node loads"]);
});

test("an explicit backend: 'wasm' skips an installed tfjs-node", () => {
  const dir = mkdtempSync(join(tmpdir(), "tfnode-"));
  fakePackage(dir, "@tensorflow/tfjs-node", REGISTERS);
  assert.equal(childInfo(dir, { CHILD_BACKEND: "wasm", RLVR_TFJS_THREADS: "1" }).label, "wasm (SIMD, 1 thread)");
});
