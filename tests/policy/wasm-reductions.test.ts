/**
 * This project's `Sum`, `Exp` and `Identity` kernels on tfjs-wasm (src/policy/wasmKernels.ts, kernels
 * `sumInner` / `sumOuter` / `expArray` of src/policy/wasm/assembly/kernels.ts): sums over trailing or leading
 * axes equal a float64 reference and tfjs's own kernel (`setWasmKernels("tfjs")`) for every lane tail, other
 * axis sets and dtypes fall back to tfjs bit for bit; exp equals Math.exp within 3e-7 relative and keeps the
 * IEEE edge cases. (Identity: tests/policy/wasm-identity.test.ts.)
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/policy/backend.js";
import { setWasmKernels, type WasmKernels } from "../../src/policy/wasmKernels.js";
import { createRng } from "../../src/stats/rng.js";
import { normalArray } from "../../src/policy/rng.js";
import { initSimdBackend, withKernels } from "../helpers/kernels.js";

before(async () => {
  await initSimdBackend();
});

const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
/** float32-representable normal draws (the kernels and the float64 reference see the same inputs). */
const draw = (n: number, seed: number) => Float32Array.from(normalArray(n, 1, createRng(seed)));
const bits = (x: ArrayLike<number>) => Array.from(new Uint32Array(Float32Array.from(x).buffer));

/** float64 Σ over `axes` of x (row-major `shape`): the sums and, per output element, Σ|x| (the error scale). */
function refSum(x: ArrayLike<number>, shape: number[], axes: number[]): { sum: Float64Array; abs: Float64Array } {
  const outDims = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const sum = new Float64Array(size(outDims));
  const abs = new Float64Array(size(outDims));
  const idx = new Array(shape.length).fill(0);
  for (let f = 0; f < x.length; f++) {
    let rem = f;
    for (let i = shape.length - 1; i >= 0; i--) {
      idx[i] = rem % shape[i];
      rem = Math.floor(rem / shape[i]);
    }
    let o = 0;
    for (let i = 0; i < shape.length; i++) o = o * outDims[i] + (axes.includes(i) ? 0 : idx[i]);
    sum[o] += x[f];
    abs[o] += Math.abs(x[f]);
  }
  return { sum, abs };
}

interface SumCase {
  shape: number[];
  axis: number | number[] | null;
  keepDims?: boolean;
}
const norm = (axis: SumCase["axis"], r: number) => (axis === null ? [...Array(r).keys()] : [axis].flat().map((a) => (a < 0 ? a + r : a)));

function runSum(x: Float32Array, c: SumCase, k: WasmKernels): { shape: number[]; dtype: string; data: Float32Array } {
  return withKernels(k, () =>
    tf.tidy(() => {
      const y = c.axis === null ? tf.sum(tf.tensor(x, c.shape), undefined, c.keepDims) : tf.sum(tf.tensor(x, c.shape), c.axis, c.keepDims);
      return { shape: y.shape, dtype: y.dtype, data: y.dataSync().slice() as Float32Array };
    }),
  );
}

/** Ours equals the float64 reference within 1e-5 · Σ|x| (and 1e-6 absolute) and tfjs's kernel within the same. */
function checkSum(c: SumCase, seed: number): { ours: Float32Array; theirs: Float32Array } {
  const x = draw(size(c.shape), seed);
  const ours = runSum(x, c, "simd");
  const theirs = runSum(x, c, "tfjs");
  const what = `sum [${c.shape}] axis ${JSON.stringify(c.axis)} keepDims ${!!c.keepDims}`;
  assert.deepEqual(ours.shape, theirs.shape, `${what}: shape vs tfjs`);
  assert.equal(ours.dtype, "float32");
  const { sum, abs } = refSum(x, c.shape, norm(c.axis, c.shape.length));
  assert.equal(ours.data.length, sum.length, `${what}: size`);
  for (let i = 0; i < sum.length; i++) {
    const tol = 1e-5 * abs[i] + 1e-6;
    assert.ok(Math.abs(ours.data[i] - sum[i]) <= tol, `${what}: element ${i} is ${ours.data[i]}, expected ${sum[i]}`);
    assert.ok(Math.abs(ours.data[i] - theirs.data[i]) <= tol, `${what}: element ${i} is ${ours.data[i]}, tfjs ${theirs.data[i]}`);
  }
  return { ours: ours.data, theirs: theirs.data };
}

const TAILS = [1, 3, 4, 7, 8, 9, 99, 256];

describe("Sum over trailing axes (sumInner)", () => {
  test("rows of every lane tail (1, 3, 4, 7, 8, 9, 99, 256), axis as 1, −1 and [1], keepDims true and false", () => {
    for (const inner of TAILS)
      for (const axis of [1, -1, [1]])
        for (const keepDims of [false, true]) checkSum({ shape: [5, inner], axis, keepDims }, inner);
  });
  test("rank 3 and 4: the last one, two or three axes, given in any order or negative", () => {
    for (const c of [
      { shape: [3, 4, 7], axis: [1, 2] },
      { shape: [3, 4, 7], axis: [-1, -2], keepDims: true },
      { shape: [2, 3, 5, 9], axis: [3, 2] },
      { shape: [2, 3, 5, 9], axis: [1, 2, 3], keepDims: true },
      { shape: [4, 1, 99], axis: -1 },
    ])
      checkSum(c, 7);
  });
  test("a 1-D tensor and every axis of a 2-D or 3-D one reduce to a scalar (the trailing path: exact where a running sum is not)", () => {
    for (const c of [{ shape: [257], axis: 0 }, { shape: [7, 9], axis: null }, { shape: [7, 9], axis: [0, 1], keepDims: true }, { shape: [2, 3, 4], axis: [2, 0, 1] }]) checkSum(c, 11);
    // Both paths apply to "all axes"; the trailing one (4 + 4 lanes, then the lanes) sums [1e8, 1, 1, 1, −1e8, 1, 1, 1]
    // exactly, while a running float32 sum (tfjs's kernel, or the leading path's rows in order) loses the 1s next to 1e8.
    const x = Float32Array.from([1e8, 1, 1, 1, -1e8, 1, 1, 1]);
    for (const c of [{ shape: [8], axis: 0 }, { shape: [2, 4], axis: null }, { shape: [8, 1], axis: [0, 1] }, { shape: [1, 8], axis: 1 }])
      assert.equal(runSum(x, c, "simd").data[0], 6, `[${c.shape}] axis ${JSON.stringify(c.axis)}`);
    assert.equal(runSum(x, { shape: [2, 4], axis: null }, "tfjs").data[0], 3, "tfjs's running sum (why the exact 6 shows our kernel ran)");
  });
});

describe("Sum over leading axes (sumOuter)", () => {
  test("columns of every lane tail, 1, 3 or 17 rows, axis as 0, −2 and [0], keepDims true and false", () => {
    for (const inner of TAILS)
      for (const rows of [1, 3, 17])
        for (const axis of [0, -2, [0]]) checkSum({ shape: [rows, inner], axis, keepDims: inner % 2 === 0 }, rows * 1000 + inner);
  });
  test("rank 3 and 4: the first one, two or three axes", () => {
    for (const c of [
      { shape: [3, 4, 7], axis: 0 },
      { shape: [3, 4, 7], axis: [0, 1], keepDims: true },
      { shape: [2, 3, 5, 9], axis: [1, 0] },
      { shape: [2, 3, 5, 9], axis: [0, 1, 2] },
      { shape: [64, 5, 3], axis: [-3, -2] },
    ])
      checkSum(c, 13);
  });
  test("rows are added in order r = 0, 1, …: bit-identical to a float32 running sum", () => {
    const x = draw(37 * 9, 3);
    const got = runSum(x, { shape: [37, 9], axis: 0 }, "simd").data;
    const want = new Float32Array(9);
    for (let r = 0; r < 37; r++) for (let j = 0; j < 9; j++) want[j] = Math.fround(want[j] + x[r * 9 + j]);
    assert.deepEqual(bits(got), bits(want));
  });
});

describe("Sum: empty tensors, and the calls left to tfjs", () => {
  test("a reduced dim of 0 gives zeros (trailing and leading; tfjs-wasm's kernel leaves such outputs unwritten)", () => {
    for (const c of [{ shape: [3, 0], axis: 1 }, { shape: [0, 5], axis: 0 }, { shape: [3, 0], axis: -1, keepDims: true }, { shape: [0, 2, 4], axis: [0, 1] }, { shape: [0], axis: 0 }]) {
      // Garbage first: fill fresh wasm memory with non-zeros, so unwritten output would show.
      tf.tidy(() => tf.fill([64], 7.5).dataSync());
      const y = runSum(new Float32Array(0), c, "simd");
      const want = c.shape.filter((_, i) => !norm(c.axis, c.shape.length).includes(i));
      assert.deepEqual(y.shape, c.keepDims ? c.shape.map((d, i) => (norm(c.axis, c.shape.length).includes(i) ? 1 : d)) : want);
      assert.deepEqual(Array.from(y.data), new Array(size(want)).fill(0), `[${c.shape}] axis ${JSON.stringify(c.axis)}`);
    }
  });
  test("a kept dim of 0 gives an empty result of tfjs's shape", () => {
    for (const c of [{ shape: [0, 5], axis: 1 }, { shape: [0, 5], axis: 1, keepDims: true }, { shape: [4, 0], axis: 0 }, { shape: [0, 2, 3], axis: [1, 2] }, { shape: [3, 2, 0], axis: [0, 1], keepDims: true }]) {
      const ours = runSum(new Float32Array(0), c, "simd");
      const theirs = runSum(new Float32Array(0), c, "tfjs");
      assert.deepEqual(ours.shape, theirs.shape, `[${c.shape}] axis ${JSON.stringify(c.axis)}`);
      assert.equal(ours.data.length, 0);
    }
  });
  test(
    "a reduced dim of 0 on a middle axis gives zeros",
    () => {
      tf.tidy(() => tf.fill([64], 7.5).dataSync());
      const y = runSum(new Float32Array(0), { shape: [2, 0, 3], axis: 1 }, "simd");
      assert.deepEqual(y.shape, [2, 3]);
      assert.deepEqual(Array.from(y.data), [0, 0, 0, 0, 0, 0]);
    },
  );
  test("middle or non-contiguous axes fall back to tfjs's kernel: bit-identical, and equal to the reference", () => {
    for (const c of [
      { shape: [3, 4, 7], axis: 1 },
      { shape: [3, 4, 7], axis: [0, 2] },
      { shape: [2, 3, 5, 9], axis: [1, 2], keepDims: true },
      { shape: [2, 3, 5, 9], axis: [0, 3] },
      { shape: [2, 3, 5, 9], axis: [0, 1, 3] },
    ]) {
      const { ours, theirs } = checkSum(c, 17);
      assert.deepEqual(bits(ours), bits(theirs), `[${c.shape}] axis ${JSON.stringify(c.axis)}`);
    }
  });
  test("int32 sums fall back to tfjs: int32 results, exact", () => {
    const x = Int32Array.from({ length: 5 * 9 }, (_, i) => ((i * 7919) % 201) - 100);
    for (const axis of [1, 0, [0, 1]]) {
      const run = (k: WasmKernels) => withKernels(k, () => tf.tidy(() => { const y = tf.sum(tf.tensor(x, [5, 9], "int32"), axis); return { dtype: y.dtype, data: Array.from(y.dataSync()) }; }));
      const ours = run("simd");
      assert.equal(ours.dtype, "int32");
      assert.deepEqual(ours, run("tfjs"));
      assert.deepEqual(ours.data, Array.from(refSum(x, [5, 9], norm(axis, 2)).sum));
    }
  });
  test("a scalar's sum is the scalar (no axes: tfjs)", () => {
    assert.equal(tf.tidy(() => tf.sum(tf.scalar(2.5)).dataSync()[0]), 2.5);
  });
});

describe("ops built on Sum", () => {
  test("tf.sum, tf.mean (tfjs-wasm's own Mean kernel) and softmax normalisers agree with tfjs's kernels", async () => {
    const x = draw(6 * 99, 21);
    const run = () =>
      tf.tidy(() => {
        const t = tf.tensor2d(x, [6, 99]);
        return [tf.sum(t), tf.sum(t, 0), tf.sum(t, 1), tf.mean(t, 0), tf.mean(t, -1), tf.mean(t), tf.logSoftmax(t).exp().sum(1)].map((y) => Array.from(y.dataSync()));
      });
    const ours = run();
    const theirs = withKernels("tfjs", run);
    ours.forEach((o, k) => o.forEach((v, i) => assert.ok(Math.abs(v - theirs[k][i]) <= 1e-5 * Math.max(1, Math.abs(theirs[k][i])), `output ${k}[${i}]: ${v} vs ${theirs[k][i]}`)));
    ours[6].forEach((v) => assert.ok(Math.abs(v - 1) < 1e-5));
    const prof = await tf.profile(() => tf.tidy(() => void tf.mean(tf.tensor2d(x, [6, 99]), 0)));
    assert.ok(prof.kernelNames.includes("Mean") && !prof.kernelNames.includes("Sum"), `tf.mean ran ${prof.kernelNames}`);
  });
  test("bias gradients (d/db of Σ (x·W + b) ⊙ R = Σ_rows R) equal the reference and tfjs's, for 1, 3, 8, 9 and 99 columns", async () => {
    for (const C of [1, 3, 8, 9, 99]) {
      const [N, K] = [37, 5];
      const [xd, wd, bd, rd] = [draw(N * K, C), draw(K * C, C + 1), draw(C, C + 2), draw(N * C, C + 3)];
      const run = () =>
        tf.tidy(() => {
          const [x, W, R] = [tf.tensor2d(xd, [N, K]), tf.tensor2d(wd, [K, C]), tf.tensor2d(rd, [N, C])];
          return tf.grad((b: tf.Tensor) => tf.matMul(x, W).add(b).mul(R).sum())(tf.tensor1d(bd)).dataSync().slice();
        });
      const ours = run();
      const theirs = withKernels("tfjs", run);
      const { sum, abs } = refSum(rd, [N, C], [0]);
      for (let j = 0; j < C; j++) {
        assert.ok(Math.abs(ours[j] - sum[j]) <= 1e-5 * abs[j], `C ${C}: db[${j}] ${ours[j]} vs ${sum[j]}`);
        assert.ok(Math.abs(ours[j] - theirs[j]) <= 1e-5 * abs[j], `C ${C}: db[${j}] ${ours[j]} vs tfjs ${theirs[j]}`);
      }
    }
    const prof = await tf.profile(() => tf.tidy(() => void tf.grad((b: tf.Tensor) => tf.ones([4, 3]).add(b).sum())(tf.zeros([3]))));
    assert.ok(prof.kernelNames.includes("Sum"), "the bias gradient runs Sum");
  });
});

describe("Exp", () => {
  const expOf = (x: ArrayLike<number>) => tf.tidy(() => tf.exp(tf.tensor1d(Float32Array.from(x))).dataSync().slice() as Float32Array);
  const assertNearExp = (x: Float32Array, got: Float32Array, tol: number) => {
    for (let i = 0; i < x.length; i++) {
      const want = Math.exp(x[i]);
      if (!(Math.abs(got[i] - want) <= tol * want)) assert.fail(`exp(${x[i]}) is ${got[i]}, expected ${want} (relative ${Math.abs(got[i] - want) / want})`);
    }
  };
  test("equals Math.exp within 3e-7 relative on a dense sweep of [−87, 88.7] (10⁶ points) and 4096 random points", () => {
    const n = 1_000_000;
    const x = Float32Array.from({ length: n }, (_, i) => -87 + (175.7 * i) / (n - 1));
    assertNearExp(x, expOf(x), 3e-7);
    const rng = createRng(5);
    const r = Float32Array.from({ length: 4096 }, () => -87 + 175.7 * rng());
    assertNearExp(r, expOf(r), 3e-7);
  });
  test("IEEE edge cases at every position of lengths 1…9 (SIMD lanes and scalar tail): −∞ → 0, ∞ → ∞, NaN → NaN, −100 → 0, 89 → ∞, 88.5 finite, ±0 → 1 exactly", () => {
    const cases: [number, (y: number) => boolean][] = [
      [-Infinity, (y) => y === 0],
      [Infinity, (y) => y === Infinity],
      [NaN, (y) => Number.isNaN(y)],
      [-100, (y) => y === 0],
      [-1e30, (y) => y === 0],
      [89, (y) => y === Infinity],
      [1e30, (y) => y === Infinity],
      [88.5, (y) => Number.isFinite(y) && Math.abs(y - Math.exp(88.5)) <= 3e-7 * Math.exp(88.5)],
      [-87, (y) => y > 0 && Math.abs(y - Math.exp(-87)) <= 3e-7 * Math.exp(-87)],
      [0, (y) => y === 1],
      [-0, (y) => y === 1],
    ];
    const fill = Math.fround(Math.exp(0.5));
    for (let len = 1; len <= 9; len++)
      for (let p = 0; p < len; p++)
        for (const [v, ok] of cases) {
          const x = new Array(len).fill(0.5);
          x[p] = v;
          const y = expOf(x);
          assert.ok(ok(y[p]), `length ${len}, position ${p}: exp(${v}) is ${y[p]}`);
          y.forEach((e, i) => i !== p && assert.ok(Math.abs(e - fill) <= 3e-7 * fill, `length ${len}: exp(0.5) at ${i} is ${e} next to ${v}`));
        }
  });
  test("rank 2 and 3 keep their shape; an empty tensor gives an empty one", () => {
    const y = tf.tidy(() => { const t = tf.exp(tf.zeros([2, 3, 5])); return { shape: t.shape, data: Array.from(t.dataSync()) }; });
    assert.deepEqual(y, { shape: [2, 3, 5], data: new Array(30).fill(1) });
    assert.deepEqual(tf.tidy(() => tf.exp(tf.zeros([0, 4])).shape), [0, 4]);
  });
  test("int32 input falls back to tfjs (a float32 result, bit-identical)", () => {
    const run = (k: WasmKernels) => withKernels(k, () => tf.tidy(() => { const y = tf.engine().runKernel("Exp", { x: tf.tensor1d([0, 1, 2, -3, 10], "int32") }) as tf.Tensor; return { dtype: y.dtype, data: bits(y.dataSync()) }; }));
    const ours = run("simd");
    assert.equal(ours.dtype, "float32");
    assert.deepEqual(ours, run("tfjs"));
  });
  test("gradients through tf.exp equal tfjs's (d/dx Σ e^x ⊙ R = e^x ⊙ R)", () => {
    const [xd, rd] = [draw(67, 8), draw(67, 9)];
    const run = () => tf.tidy(() => tf.grad((x: tf.Tensor) => tf.exp(x).mul(tf.tensor1d(rd)).sum())(tf.tensor1d(xd)).dataSync().slice());
    const ours = run();
    const theirs = withKernels("tfjs", run);
    for (let i = 0; i < 67; i++) {
      const want = Math.exp(xd[i]) * rd[i];
      assert.ok(Math.abs(ours[i] - want) <= 1e-6 * Math.max(1, Math.abs(want)), `dx[${i}] ${ours[i]} vs ${want}`);
      assert.ok(Math.abs(ours[i] - theirs[i]) <= 1e-6 * Math.max(1, Math.abs(want)), `dx[${i}] ${ours[i]} vs tfjs ${theirs[i]}`);
    }
  });
});
