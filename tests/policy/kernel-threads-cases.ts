/**
 * Matmuls for tests/policy/kernel-threads.test.ts, run both in a threaded child (tests/policy/backend-child.ts,
 * mode `kthreads`) and in the single-threaded test process: deterministic float32 inputs, results as base64 of
 * their float32 bytes (compared bit for bit), and whether the call was split across the kernel threads.
 */
import * as tf from "@tensorflow/tfjs";
import { splitCount } from "../../src/policy/kernelThreads.js";

export interface MatmulCase {
  name: string;
  a: number[];
  b: number[];
  tA?: boolean;
  tB?: boolean;
  /** Split on 2 or 3 threads (wasmKernels.ts: ≥ 2 MFLOP, our kernel, and more than one part). */
  splits: boolean;
}

export const MATMUL_CASES: MatmulCase[] = [
  { name: "2-D, M 517 (not a multiple of 4)", a: [517, 40], b: [40, 70], splits: true },
  { name: "2-D, M 1003", a: [1003, 64], b: [64, 33], splits: true },
  { name: "2-D, M 5 (< 4·threads: two parts)", a: [5, 600], b: [600, 400], splits: true },
  { name: "2-D, M 9", a: [9, 300], b: [300, 400], splits: true },
  { name: "2-D, M 3 (one 4-row part: not split)", a: [3, 1000], b: [1000, 400], splits: false },
  { name: "2-D, M 1 (a row vector)", a: [1, 2000], b: [2000, 600], splits: false },
  { name: "batched, Z 2", a: [2, 130, 96], b: [2, 96, 70], splits: true },
  { name: "batched, Z 3", a: [3, 100, 64], b: [3, 64, 70], splits: true },
  { name: "batched, Z 7", a: [7, 50, 64], b: [7, 64, 70], splits: true },
  { name: "4-D batched, Z 6", a: [2, 3, 60, 64], b: [2, 3, 64, 50], splits: true },
  { name: "transposeA 2-D", a: [96, 517], b: [96, 50], tA: true, splits: true },
  { name: "transposeB 2-D", a: [517, 96], b: [45, 96], tB: true, splits: true },
  { name: "transposeA batched, Z 3", a: [3, 64, 101], b: [3, 64, 80], tA: true, splits: true },
  { name: "transposeB batched, Z 7", a: [7, 41, 64], b: [7, 60, 64], tB: true, splits: true },
  { name: "transposeB, M 6", a: [6, 500], b: [700, 500], tB: true, splits: true },
  { name: "batch-1 A broadcast over B's 5", a: [1, 130, 96], b: [5, 96, 70], splits: true },
  { name: "batched A times a 2-D B", a: [5, 130, 96], b: [96, 70], splits: true },
  { name: "batched A times batch-1 B", a: [4, 130, 96], b: [1, 96, 70], splits: true },
  { name: "exactly 2 MFLOP (100³)", a: [100, 100], b: [100, 100], splits: true },
  { name: "just under 2 MFLOP (100·100·99)", a: [100, 100], b: [100, 99], splits: false },
  { name: "small (64³)", a: [64, 64], b: [64, 64], splits: false },
  { name: "both transposed (tfjs's kernel)", a: [96, 517], b: [70, 96], tA: true, tB: true, splits: false },
];

const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
/** Deterministic float32 inputs of a case. */
export function caseInputs(c: MatmulCase): { a: Float32Array; b: Float32Array } {
  return {
    a: Float32Array.from({ length: size(c.a) }, (_, i) => Math.sin(i * 0.37 + 0.1)),
    b: Float32Array.from({ length: size(c.b) }, (_, i) => Math.cos(i * 0.11 + 0.2)),
  };
}

export interface CaseResult {
  name: string;
  shape: number[];
  data: string;
  /** Calls split across threads (splitCount's increase). */
  splits: number;
}

export function runMatmulCases(): CaseResult[] {
  return MATMUL_CASES.map((c) => {
    const { a, b } = caseInputs(c);
    const before = splitCount();
    const { shape, data } = tf.tidy(() => {
      const y = tf.matMul(tf.tensor(a, c.a), tf.tensor(b, c.b), c.tA, c.tB);
      return { shape: y.shape, data: y.dataSync() as Float32Array };
    });
    return { name: c.name, shape, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("base64"), splits: splitCount() - before };
  });
}

/** Exp inputs: n elements of a sweep over [−90, 90], with IEEE edge values around every part boundary of 2 and 3 threads. */
export const EXP_CASES: { name: string; n: number; splits: boolean }[] = [
  { name: "exp of 200003 (edge values at the part boundaries)", n: 200_003, splits: true },
  { name: "exp of 65536 (the smallest split)", n: 65_536, splits: true },
  { name: "exp of 65535 (not split)", n: 65_535, splits: false },
];

export function expInput(n: number): Float32Array {
  const x = Float32Array.from({ length: n }, (_, i) => -90 + (180 * i) / n);
  const edges = [-Infinity, Infinity, NaN, -100, 89, 0, -87.3, 88.72, -0];
  for (const T of [2, 3])
    for (let q = 1; q < T; q++) {
      const at = Math.round((q * n) / T / 4) * 4;
      for (let i = at - 9; i < at + 9; i++) x[i] = edges[(i - at + 9) % edges.length];
    }
  for (let i = n - 9; i < n; i++) x[i] = edges[i - (n - 9)];
  return x;
}

export function runExpCases(): CaseResult[] {
  return EXP_CASES.map((c) => {
    const before = splitCount();
    const data = tf.tidy(() => tf.exp(tf.tensor1d(expInput(c.n))).dataSync() as Float32Array);
    return { name: c.name, shape: [c.n], data: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("base64"), splits: splitCount() - before };
  });
}
