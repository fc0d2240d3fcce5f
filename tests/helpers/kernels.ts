/**
 * Shared pieces of the tests of this project's wasm kernels (tests/policy/wasm-*.test.ts, fused-*.test.ts,
 * embed.test.ts, kernel-threads.test.ts): starting the backend with the kernels, running code under a switch
 * and restoring it, and a plain float64 batched matmul reference.
 */
import assert from "node:assert/strict";
import { initBackend } from "../../src/policy/backend.js";
import { setWasmKernels, type WasmKernels } from "../../src/policy/wasmKernels.js";

/** initBackend(), asserting that this project's SIMD kernels are active (the single-threaded wasm build). */
export async function initSimdBackend(): Promise<Awaited<ReturnType<typeof initBackend>>> {
  const info = await initBackend();
  assert.equal(info.kernels, "simd", "these tests need the SIMD kernels (single-threaded wasm)");
  return info;
}

/** Run `f` with a global switch set to `value`, restoring `restore` (its default) afterwards, even on a throw. */
export function withSetting<V, T>(set: (v: V) => void, value: V, restore: V, f: () => T): T {
  set(value);
  try {
    return f();
  } finally {
    set(restore);
  }
}

/** The async form of {@link withSetting}. */
export async function withSettingAsync<V, T>(set: (v: V) => void, value: V, restore: V, f: () => Promise<T>): Promise<T> {
  set(value);
  try {
    return await f();
  } finally {
    set(restore);
  }
}

/** Run `f` with kernels `k`, restoring "simd" afterwards. */
export function withKernels<T>(k: WasmKernels, f: () => T): T {
  return withSetting(setWasmKernels, k, "simd", f);
}

/** float64 C = op(A) · op(B) over a batch: A `[Za, ·, ·]`, B `[Zb, ·, ·]` with Za or Zb = 1 broadcast. */
export function refMatmul(a: ArrayLike<number>, b: ArrayLike<number>, Za: number, Zb: number, M: number, K: number, N: number, tA: boolean, tB: boolean): Float64Array {
  const Z = Math.max(Za, Zb);
  const c = new Float64Array(Z * M * N);
  for (let z = 0; z < Z; z++) {
    const oa = (Za === 1 ? 0 : z) * M * K;
    const ob = (Zb === 1 ? 0 : z) * K * N;
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a[oa + (tA ? k * M + i : i * K + k)] * b[ob + (tB ? j * K + k : k * N + j)];
        c[z * M * N + i * N + j] = s;
      }
  }
  return c;
}
