/**
 * Matmuls split across this project's kernel threads (src/policy/kernelThreads.ts, used by wasmKernels.ts's
 * BatchMatMul on the threaded build), and large exps split the same way, are bit-identical to one thread. A process has one wasm module, so the
 * threaded runs are child processes (tests/policy/backend-child.ts, mode `kthreads`, RLVR_TFJS_THREADS 2 and 3)
 * that run the matmuls of kernel-threads-cases.ts split, again after stopKernelThreads() and again after the
 * threads are restarted; this process (the single-threaded build) runs them too and checks every result bit for
 * bit, which calls were split, and against a float64 reference. A child must exit by itself (status 0, no
 * signal) with its kernel threads still running.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { initBackend } from "../../src/policy/backend.js";
import { kernelThreads, splitCount } from "../../src/policy/kernelThreads.js";
import { caseInputs, EXP_CASES, expInput, MATMUL_CASES, runExpCases, runMatmulCases, type CaseResult } from "./kernel-threads-cases.js";
import { refMatmul } from "../helpers/kernels.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const childScript = fileURLToPath(new URL("./backend-child.ts", import.meta.url));

interface Phase {
  kernelThreads: number;
  backend?: { threads: number; label: string };
  results: CaseResult[];
  exp: CaseResult[];
}
interface KChild {
  info: { backend: string; threads: number; label: string; kernels: string; fallbacks: string[] };
  threaded: Phase;
  stopped: Phase;
  restartError: string | null;
  restarted: Phase;
}

function runChild(threads: number): KChild {
  const r = spawnSync(process.execPath, ["--import", "tsx", childScript, "kthreads"], {
    cwd: root,
    env: { ...process.env, RLVR_TFJS_THREADS: String(threads) },
    encoding: "utf8",
    timeout: 120_000,
    maxBuffer: 64 << 20,
  });
  assert.equal(r.signal, null, `the ${threads}-thread child was killed (did a kernel thread keep it alive?): ${r.stderr}`);
  assert.equal(r.status, 0, `the ${threads}-thread child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as KChild;
}

let single: CaseResult[];
let singleExp: CaseResult[];
before(async () => {
  const info = await initBackend({ threads: 1 });
  assert.equal(info.kernels, "simd");
  assert.equal(kernelThreads(), 1);
  const splits = splitCount();
  single = runMatmulCases();
  singleExp = runExpCases();
  assert.equal(splitCount(), splits, "nothing is split on one thread");
  assert.ok(singleExp.every((r) => r.splits === 0));
});

/** float64 op(A)·op(B) of a case (batch dims: equal, or a batch of 1 / a 2-D operand broadcast). */
function reference(c: (typeof MATMUL_CASES)[number]): Float64Array {
  const { a, b } = caseInputs(c);
  const [ra, rb] = [c.a.length, c.b.length];
  const M = c.tA ? c.a[ra - 1] : c.a[ra - 2];
  const K = c.tA ? c.a[ra - 2] : c.a[ra - 1];
  const N = c.tB ? c.b[rb - 2] : c.b[rb - 1];
  const Za = a.length / (M * K);
  const Zb = b.length / (K * N);
  return refMatmul(a, b, Za, Zb, M, K, N, !!c.tA, !!c.tB);
}

test("the single-threaded results equal a float64 reference (what the threaded runs are compared with is right)", () => {
  single.forEach((r, n) => {
    const got = new Float32Array(new Uint8Array(Buffer.from(r.data, "base64")).buffer);
    const ref = reference(MATMUL_CASES[n]);
    assert.equal(got.length, ref.length, r.name);
    const scale = ref.reduce((m, x) => Math.max(m, Math.abs(x)), 1);
    for (let i = 0; i < ref.length; i++) if (!(Math.abs(got[i] - ref[i]) <= 1e-5 * scale)) assert.fail(`${r.name}: element ${i} is ${got[i]}, expected ${ref[i]}`);
  });
});

test("the single-threaded exps keep the IEEE edge values placed at the thread parts' boundaries", () => {
  singleExp.forEach((r, n) => {
    const got = new Float32Array(new Uint8Array(Buffer.from(r.data, "base64")).buffer);
    const x = expInput(EXP_CASES[n].n);
    for (let i = 0; i < x.length; i++) {
      const want = x[i] < Math.fround(-87.3) ? 0 : x[i] > Math.fround(88.72) ? Infinity : Math.exp(x[i]); // the kernel's float32 cut-offs
      if (Number.isNaN(x[i])) assert.ok(Number.isNaN(got[i]), `${r.name}: exp(NaN) at ${i}`);
      else if (!(got[i] === want || Math.abs(got[i] - want) <= 3e-7 * want)) assert.fail(`${r.name}: exp(${x[i]}) at ${i} is ${got[i]}, expected ${want}`);
    }
  });
});

/** Every case bit-identical to this process's one-thread run, each split exactly when expected. */
function assertPhase(p: Phase, threads: number, what: string, split: boolean): void {
  assert.equal(p.kernelThreads, threads, `${what}: kernelThreads()`);
  for (const [got, want, cases] of [[p.results, single, MATMUL_CASES], [p.exp, singleExp, EXP_CASES]] as const) {
    assert.equal(got.length, cases.length);
    got.forEach((r, n) => {
      assert.equal(r.name, want[n].name);
      assert.deepEqual(r.shape, want[n].shape, `${what}: ${r.name}: shape`);
      assert.ok(r.data === want[n].data, `${what}: ${r.name}: not bit-identical to one thread`);
      assert.equal(r.splits, split && cases[n].splits ? 1 : 0, `${what}: ${r.name}: split ${r.splits} times`);
    });
  }
}

for (const threads of [2, 3])
  test(`${threads} threads: every matmul (row tails, few rows, Z 2/3/7, transposes, broadcasts) and exp is bit-identical to one thread; only matmuls ≥ 2 MFLOP and exps ≥ 65536 split; stopKernelThreads falls back to one thread; a restart splits again`, () => {
    const child = runChild(threads);
    assert.deepEqual([child.info.backend, child.info.kernels, child.info.fallbacks], ["wasm", "simd", []]);
    assert.deepEqual([child.info.threads, child.info.label], [threads, `wasm (SIMD, ${threads} threads)`]);
    assertPhase(child.threaded, threads, "on the kernel threads", true);
    assertPhase(child.stopped, 1, "after stopKernelThreads()", false);
    assert.deepEqual(child.stopped.backend, { backend: "wasm", threads: 1, label: "wasm (SIMD, 1 thread)" });
    assert.equal(child.restartError, null);
    assertPhase(child.restarted, threads, "after a restart", true);
    assert.deepEqual(child.restarted.backend, { backend: "wasm", threads, label: `wasm (SIMD, ${threads} threads)` });
  });
