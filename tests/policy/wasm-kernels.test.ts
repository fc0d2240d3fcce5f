/**
 * This project's SIMD kernels in the tfjs-wasm backend (src/policy/wasmKernels.ts, compiled from
 * src/policy/wasm/assembly/kernels.ts): every matmul and gather they take over equals a plain float64
 * reference and tfjs's own kernel (`setWasmKernels("tfjs")`); calls they do not take (both transposed, int32,
 * other gather axes) still give tfjs's results; the modules only borrow the backend's memory; and the committed
 * binaries are what the AssemblyScript compiles to.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend, type BackendInfo } from "../../src/policy/backend.js";
import { kernelWasmBytes, setWasmKernels, wasmKernels, type WasmKernels } from "../../src/policy/wasmKernels.js";
import { matmul } from "../../src/policy/matmul.js";
import { createRng } from "../../src/stats/rng.js";
import { normalArray } from "../../src/policy/rng.js";
import { refMatmul, withKernels } from "../helpers/kernels.js";

// The WebAssembly global (the project compiles without the DOM lib, which types it).
declare const WebAssembly: {
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => { buffer: ArrayBuffer };
  Module: { new (bytes: Uint8Array): object; imports(m: object): { module: string; name: string; kind: string }[]; exports(m: object): { name: string; kind: string }[] };
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
};

const root = new URL("../..", import.meta.url).pathname;
let info: BackendInfo;
before(async () => {
  info = await initBackend();
});

const seeded = (n: number, seed: number) => normalArray(n, 1, createRng(seed));

/** max |x − y| ≤ tol · max(1, max |ref|). */
function assertClose(got: ArrayLike<number>, ref: ArrayLike<number>, what: string, tol = 1e-5): void {
  assert.equal(got.length, ref.length, `${what}: length`);
  let scale = 1;
  for (let i = 0; i < ref.length; i++) scale = Math.max(scale, Math.abs(ref[i]));
  for (let i = 0; i < ref.length; i++)
    if (!(Math.abs(got[i] - ref[i]) <= tol * scale)) assert.fail(`${what}: element ${i} is ${got[i]}, expected ${ref[i]} (scale ${scale})`);
}

interface Case {
  name: string;
  aShape: number[];
  bShape: number[];
  tA?: boolean;
  tB?: boolean;
}

/** The matmul of `c` with both kernels, checked against the reference and each other (shape and values). */
function checkMatmul(c: Case, seed: number, tolTfjs = true): void {
  const { aShape, bShape, tA = false, tB = false } = c;
  const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
  const ad = seeded(size(aShape), seed);
  const bd = seeded(size(bShape), seed + 1);
  const [ra, rb] = [aShape.length, bShape.length];
  const M = tA ? aShape[ra - 1] : aShape[ra - 2];
  const K = tA ? aShape[ra - 2] : aShape[ra - 1];
  const N = tB ? bShape[rb - 2] : bShape[rb - 1];
  const Za = size(aShape.slice(0, -2));
  const Zb = size(bShape.slice(0, -2));
  const run = () =>
    tf.tidy(() => {
      const y = tf.matMul(tf.tensor(ad, aShape), tf.tensor(bd, bShape), tA, tB);
      return { shape: y.shape, data: y.dataSync().slice() };
    });
  const ours = run();
  const theirs = withKernels("tfjs", run);
  const ref = refMatmul(ad, bd, Za, Zb, M, K, N, tA, tB);
  assert.deepEqual(ours.shape, theirs.shape, `${c.name}: shape vs tfjs`);
  assertClose(ours.data, ref, `${c.name} (simd vs reference)`);
  if (tolTfjs) assertClose(ours.data, theirs.data, `${c.name} (simd vs tfjs)`);
}

describe("SIMD matmul kernel", () => {
  test("is installed by initBackend and reported as active; setWasmKernels switches it", () => {
    assert.equal(info.backend, "wasm");
    assert.equal(info.kernels, "simd");
    assert.equal(wasmKernels(), "simd");
    const registered = (name: string) => (tf.getKernel(name, "wasm")!.kernelFunc as { rlvrOverride?: boolean }).rlvrOverride;
    assert.equal(registered("BatchMatMul"), true);
    assert.equal(registered("GatherV2"), true);
    setWasmKernels("tfjs");
    try {
      assert.equal(wasmKernels(), "tfjs");
    } finally {
      setWasmKernels("simd");
    }
    assert.equal(wasmKernels(), "simd");
  });

  const shapes2d: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [13, 9, 11], [2, 3, 1], [7, 1, 9], [64, 64, 99], [1600, 64, 256]];
  for (const [M, K, N] of shapes2d)
    test(`2-D ${M}×${K} · ${K}×${N} equals the float64 reference and tfjs's kernel`, () => {
      checkMatmul({ name: `${M}x${K}x${N}`, aShape: [M, K], bShape: [K, N] }, M * 1000 + N);
    });

  for (const [M, K, N] of [[5, 7, 6], [9, 13, 10], [1, 16, 3], [17, 3, 33]] as const) {
    test(`transposeA (${M}×${K}×${N}) equals the reference and tfjs`, () => {
      checkMatmul({ name: "tA", aShape: [K, M], bShape: [K, N], tA: true }, 7 + M);
      checkMatmul({ name: "tA batched", aShape: [3, K, M], bShape: [3, K, N], tA: true }, 8 + M);
    });
    test(`transposeB (${M}×${K}×${N}) equals the reference and tfjs`, () => {
      checkMatmul({ name: "tB", aShape: [M, K], bShape: [N, K], tB: true }, 9 + M);
      checkMatmul({ name: "tB batched", aShape: [3, M, K], bShape: [3, N, K], tB: true }, 10 + M);
    });
  }

  test("both operands transposed falls back to tfjs and is still correct", () => {
    checkMatmul({ name: "tA tB", aShape: [7, 5], bShape: [6, 7], tA: true, tB: true }, 11);
    checkMatmul({ name: "tA tB batched", aShape: [2, 7, 5], bShape: [2, 6, 7], tA: true, tB: true }, 12);
  });

  test("batched 3-D and 4-D equal the reference and tfjs", () => {
    checkMatmul({ name: "3-D", aShape: [6, 5, 7], bShape: [6, 7, 9] }, 13);
    checkMatmul({ name: "4-D", aShape: [2, 3, 5, 7], bShape: [2, 3, 7, 9] }, 14);
    checkMatmul({ name: "attention-like", aShape: [32, 20, 16], bShape: [32, 16, 60] }, 15);
    checkMatmul({ name: "4-D tB", aShape: [2, 3, 5, 8], bShape: [2, 3, 9, 8], tB: true }, 16);
  });

  test("a batch of 1 on either side broadcasts", () => {
    checkMatmul({ name: "[1,5,7]x[4,7,6]", aShape: [1, 5, 7], bShape: [4, 7, 6] }, 17);
    checkMatmul({ name: "[4,5,7]x[1,7,6]", aShape: [4, 5, 7], bShape: [1, 7, 6] }, 18);
    checkMatmul({ name: "[4,5,7]x[7,6]", aShape: [4, 5, 7], bShape: [7, 6] }, 19);
    checkMatmul({ name: "[5,7]x[4,7,6]", aShape: [5, 7], bShape: [4, 7, 6] }, 20);
    checkMatmul({ name: "[1,5,7]x[7,6]", aShape: [1, 5, 7], bShape: [7, 6] }, 21);
    checkMatmul({ name: "[4,5,7]x[1,6,7] tB", aShape: [4, 5, 7], bShape: [1, 6, 7], tB: true }, 22);
    checkMatmul({ name: "[1,6,5]x[4,6,7] tA", aShape: [1, 6, 5], bShape: [4, 6, 7], tA: true }, 27);
    checkMatmul({ name: "[4,6,5]x[6,7] tA", aShape: [4, 6, 5], bShape: [6, 7], tA: true }, 28);
    checkMatmul({ name: "[1,5,6]x[4,7,6] tB", aShape: [1, 5, 6], bShape: [4, 7, 6], tB: true }, 29);
  });

  test("general broadcasting (batch dims neither equal nor 1) is left to tfjs: the same result or the same error", () => {
    for (const [aShape, bShape] of [[[2, 1, 5, 4], [1, 3, 4, 6]], [[3, 5, 4], [2, 3, 4, 6]], [[2, 3, 5, 4], [3, 2, 4, 6]]]) {
      const ad = seeded(aShape.reduce((p, d) => p * d, 1), 23);
      const bd = seeded(bShape.reduce((p, d) => p * d, 1), 24);
      const run = () => {
        try {
          return tf.tidy(() => tf.matMul(tf.tensor(ad, aShape), tf.tensor(bd, bShape)).arraySync());
        } catch (e) {
          return `throws: ${(e as Error).message}`;
        }
      };
      assert.deepEqual(run(), withKernels("tfjs", run), `${aShape} x ${bShape}`);
    }
  });

  test(
    "a batch of 1 broadcast against a lower-rank operand keeps tfjs's output rank",
    () => {
      checkMatmul({ name: "[5,7]x[1,7,6]", aShape: [5, 7], bShape: [1, 7, 6] }, 25);
      checkMatmul({ name: "[1,1,5,7]x[4,7,6]", aShape: [1, 1, 5, 7], bShape: [4, 7, 6] }, 26);
    },
  );

  test("K = 0 gives zeros of shape [M, N] (batched and transposed too)", () => {
    // tfjs-wasm's own 2-D kernel returns uninitialised memory here (XNNPACK refuses K = 0): reference only.
    for (const c of [
      { a: [3, 0], b: [0, 4], tA: false, tB: false, out: [3, 4] },
      { a: [2, 5, 0], b: [2, 0, 9], tA: false, tB: false, out: [2, 5, 9] },
      { a: [0, 5], b: [0, 6], tA: true, tB: false, out: [5, 6] },
      { a: [2, 5, 0], b: [2, 7, 0], tA: false, tB: true, out: [2, 5, 7] },
    ]) {
      const y = tf.tidy(() => {
        // Fill the heap where the output may land with garbage first: the kernel must write every element.
        tf.dispose(tf.fill([c.out.reduce((p, d) => p * d, 1)], 123.5));
        return tf.matMul(tf.zeros(c.a), tf.zeros(c.b), c.tA, c.tB);
      });
      assert.deepEqual(y.shape, c.out);
      assert.ok(Array.from(y.dataSync()).every((v) => v === 0), `${JSON.stringify(c)}: not all zeros`);
      y.dispose();
    }
  });

  test("M = 0 or N = 0 gives an empty result with tfjs's shape", () => {
    for (const [a, b, tB] of [[[0, 3], [3, 4], false], [[5, 3], [3, 0], false], [[2, 0, 3], [2, 3, 4], false], [[2, 5, 3], [2, 0, 3], true]] as [number[], number[], boolean][]) {
      const run = () => tf.tidy(() => {
        const y = tf.matMul(tf.ones(a), tf.ones(b), false, tB);
        return { shape: y.shape, n: y.dataSync().length };
      });
      const ours = run();
      assert.deepEqual(ours, withKernels("tfjs", run));
      assert.equal(ours.n, 0);
    }
  });

  test("int32 inputs fall back to tfjs (which refuses them with its own message)", () => {
    const run = () => () => tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2], [3, 4]], undefined, "int32"), tf.tensor2d([[1, 0], [0, 1]], undefined, "int32")));
    assert.throws(run(), /BatchMatMul for non non-float32 tensors not yet supported/);
    withKernels("tfjs", () => assert.throws(run(), /BatchMatMul for non non-float32 tensors not yet supported/));
  });

  test("every row and column tail (M 1…9, N 1…25, K 0…9, each transpose) is exact on small integers", () => {
    // Entries are small integers, so every product sum is exact in float32: any mis-indexed, skipped or
    // doubly written element of a tail shows as an exact mismatch.
    const rng = createRng(77);
    const ints = (n: number) => Array.from({ length: n }, () => Math.floor(rng() * 7) - 3);
    let checked = 0;
    for (const K of [0, 1, 3, 4, 5, 8, 9])
      for (let M = 1; M <= 9; M++)
        for (const N of [1, 2, 3, 4, 5, 7, 8, 9, 11, 12, 13, 16, 17, 24, 25]) {
          const Z = 2;
          const ad = ints(Z * M * K);
          const bd = ints(Z * K * N);
          for (const [tA, tB] of [[false, false], [true, false], [false, true]]) {
            const ref = refMatmul(ad, bd, Z, Z, M, K, N, tA, tB);
            const got = tf.tidy(() => tf.matMul(tf.tensor(ad, tA ? [Z, K, M] : [Z, M, K]), tf.tensor(bd, tB ? [Z, N, K] : [Z, K, N]), tA, tB).dataSync().slice());
            for (let i = 0; i < ref.length; i++)
              if (got[i] !== ref[i]) assert.fail(`Z=${Z} M=${M} K=${K} N=${N} tA=${tA} tB=${tB}: element ${i} is ${got[i]}, expected ${ref[i]}`);
            checked++;
          }
        }
    assert.equal(checked, 7 * 9 * 15 * 3);
  });

  test("N = 25 with column-coded values: each output column is its own B column (2-D, 4-row tiles and row tail)", () => {
    // A = [I₇ | 0] picks B's rows; B[k][j] = 100 k + j, so C[i][j] = 100 i + j exactly, and a column read from
    // the wrong place (j ± 1, ± 4, ± 8, next row) gives a different number.
    const M = 7;
    const K = 9;
    const N = 25;
    const a = Array.from({ length: M * K }, (_, x) => (Math.floor(x / K) === x % K ? 1 : 0));
    const b = Array.from({ length: K * N }, (_, x) => 100 * Math.floor(x / N) + (x % N));
    const got = tf.tidy(() => tf.matMul(tf.tensor2d(a, [M, K]), tf.tensor2d(b, [K, N])).arraySync()) as number[][];
    got.forEach((row, i) => row.forEach((v, j) => assert.equal(v, 100 * i + j, `C[${i}][${j}]`)));
    const gotT = tf.tidy(() => tf.matMul(tf.tensor2d(a, [M, K]), tf.tensor2d(b, [K, N]).transpose(), false, true).arraySync());
    assert.deepEqual(gotT, got);
  });
});

describe("SIMD matmul gradients", () => {
  const W = (shape: number[], seed: number) => tf.tensor(seeded(shape.reduce((p, d) => p * d, 1), seed), shape);

  /** Gradients of Σ w ⊙ (op(a)·op(b))² with respect to a and b (values as arrays). */
  function grads(f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, aShape: number[], bShape: number[], seed: number): { ga: Float32Array; gb: Float32Array; loss: (a: Float64Array, b: Float64Array) => number; a: Float32Array; b: Float32Array } {
    const a = W(aShape, seed);
    const b = W(bShape, seed + 1);
    const probe = f(a, b);
    const wShape = probe.shape;
    probe.dispose();
    const lossT = (x: tf.Tensor, y: tf.Tensor) => f(x, y).square().mul(W(wShape, seed + 2)).sum() as tf.Scalar;
    const [ga, gb] = tf.grads(lossT)([a, b]);
    const out = {
      ga: ga.dataSync().slice() as Float32Array,
      gb: gb.dataSync().slice() as Float32Array,
      a: a.dataSync().slice() as Float32Array,
      b: b.dataSync().slice() as Float32Array,
      loss: (ad: Float64Array, bd: Float64Array) => tf.tidy(() => lossT(tf.tensor(Float32Array.from(ad), aShape), tf.tensor(Float32Array.from(bd), bShape)).dataSync()[0]),
    };
    tf.dispose([a, b, ga, gb]);
    return out;
  }

  /** Central differences (ε = 1e-2) at a few entries of a and b, relative tolerance 2e-2 (as tests/helpers/finiteDiff.ts). */
  function checkFiniteDifferences(g: ReturnType<typeof grads>, what: string): void {
    const eps = 1e-2;
    for (const which of ["a", "b"] as const) {
      const base = Float64Array.from(which === "a" ? g.a : g.b);
      const analytic = which === "a" ? g.ga : g.gb;
      for (const i of [0, 1, Math.floor(base.length / 2), base.length - 1]) {
        const at = (d: number) => {
          const x = base.slice();
          x[i] += d;
          return which === "a" ? g.loss(x, Float64Array.from(g.b)) : g.loss(Float64Array.from(g.a), x);
        };
        const fd = (at(eps) - at(-eps)) / (2 * eps);
        assert.ok(Math.abs(analytic[i]) > 1e-4, `${what}: d/d${which}[${i}] is zero`);
        assert.ok(Math.abs(fd - analytic[i]) <= 2e-2 * Math.max(1, Math.abs(analytic[i])), `${what}: d/d${which}[${i}] analytic ${analytic[i]} vs fd ${fd}`);
      }
    }
  }

  const cases: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, number[], number[]][] = [
    ["tf.matMul 2-D", (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D), [5, 7], [7, 9]],
    ["tf.matMul batched", (a, b) => tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D), [3, 5, 6], [3, 6, 9]],
    ["tf.matMul transposeB", (a, b) => tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D, false, true), [3, 5, 6], [3, 9, 6]],
    ["tf.matMul transposeA", (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true, false), [6, 5], [6, 9]],
    ["policy matmul 2-D", (a, b) => matmul(a as tf.Tensor2D, b as tf.Tensor2D), [5, 7], [7, 9]],
    ["policy matmul batched", (a, b) => matmul(a as tf.Tensor3D, b as tf.Tensor3D), [3, 5, 6], [3, 6, 9]],
  ];
  for (const [name, f, aShape, bShape] of cases)
    test(`${name}: gradients equal tfjs's kernel and central finite differences`, () => {
      const ours = grads(f, aShape, bShape, 31);
      const theirs = withKernels("tfjs", () => grads(f, aShape, bShape, 31));
      assertClose(ours.ga, theirs.ga, `${name} dA`);
      assertClose(ours.gb, theirs.gb, `${name} dB`);
      checkFiniteDifferences(ours, name);
    });
});

describe("SIMD gather kernel", () => {
  const ROWS = 11;
  const COLS = 13;
  const xd = seeded(ROWS * COLS, 41);

  function checkGather(indices: number[], shape: number[]): void {
    const run = () =>
      tf.tidy(() => {
        const y = tf.gather(tf.tensor2d(xd, [ROWS, COLS]), tf.tensor(indices, shape, "int32"));
        return { shape: y.shape, data: Array.from(y.dataSync()) };
      });
    const ours = run();
    const theirs = withKernels("tfjs", run);
    assert.deepEqual(ours.shape, [...shape, COLS]);
    assert.deepEqual(ours, theirs);
    const ref = indices.flatMap((i) => Array.from(xd.slice(i * COLS, (i + 1) * COLS)));
    assert.deepEqual(ours.data, ref);
  }

  test("1-D indices (first, last, repeated) give the rows of x", () => {
    checkGather([0, 10, 3, 3, 3, 7, 0], [7]);
    checkGather([5], [1]);
  });
  test("2-D indices give shape indices.shape + [cols]", () => {
    checkGather([1, 2, 3, 10, 0, 1], [2, 3]);
    checkGather([4, 4, 4, 4], [4, 1]);
  });
  test("empty indices give an empty result of the right shape", () => {
    checkGather([], [0]);
    checkGather([], [2, 0]);
  });
  test("an out-of-range index (−1 or N) throws naming the index and the range", () => {
    for (const bad of [-1, ROWS, 1000])
      assert.throws(() => tf.tidy(() => tf.gather(tf.tensor2d(xd, [ROWS, COLS]), tf.tensor1d([0, bad, 1], "int32"))), { message: `GatherV2: the index value ${bad} is not in [0, ${ROWS - 1}]` });
  });
  test("other gathers (axis 1, int32 x, 3-D x, a scalar index) fall back to tfjs and equal it", () => {
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor2d(xd, [ROWS, COLS]);
        return [
          tf.gather(x, tf.tensor1d([12, 0, 5], "int32"), 1).arraySync(),
          tf.gather(tf.tensor2d([[1, 2], [3, 4], [5, 6]], undefined, "int32"), tf.tensor1d([2, 0], "int32")).arraySync(),
          tf.gather(tf.tensor3d(xd.slice(0, 2 * 3 * 4), [2, 3, 4]), tf.tensor1d([1, 1, 0], "int32")).arraySync(),
          tf.gather(x, 3).arraySync(),
        ];
      });
    const ours = run();
    assert.deepEqual(ours, withKernels("tfjs", run));
    assert.deepEqual(ours[0], Array.from({ length: ROWS }, (_, r) => [12, 0, 5].map((c) => xd[r * COLS + c])));
    assert.deepEqual(ours[1], [[5, 6], [1, 2]]);
  });
});

describe("kernel modules", () => {
  /** Section ids of a wasm binary in order (magic, version, then [id, LEB128 size, payload] sections). */
  function sectionIds(bytes: Uint8Array): number[] {
    assert.deepEqual(Array.from(bytes.subarray(0, 8)), [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], "magic and version 1");
    const ids: number[] = [];
    let p = 8;
    while (p < bytes.length) {
      const id = bytes[p++];
      let size = 0;
      let shift = 0;
      for (;;) {
        const byte = bytes[p++];
        size += (byte & 0x7f) * 2 ** shift;
        shift += 7;
        if (!(byte & 0x80)) break;
      }
      ids.push(id);
      p += size;
    }
    assert.equal(p, bytes.length, "sections end exactly at the end of the file");
    return ids;
  }

  for (const shared of [false, true]) {
    const name = shared ? "kernels-shared.wasm" : "kernels.wasm";
    test(`${name} only borrows memory: no data, global, start, table or element section; one import, env.memory`, () => {
      const bytes = kernelWasmBytes(shared);
      const ids = sectionIds(bytes);
      for (const [id, what] of [[11, "data"], [12, "data count"], [6, "global"], [8, "start"], [4, "table"], [9, "element"], [5, "memory (own)"]] as const)
        assert.ok(!ids.includes(id), `${name} has a ${what} section (id ${id})`);
      assert.ok(ids.includes(2) && ids.includes(7) && ids.includes(10), `import, export and code sections (got ${ids.join(",")})`);
      const mod = new WebAssembly.Module(bytes);
      assert.deepEqual(WebAssembly.Module.imports(mod), [{ module: "env", name: "memory", kind: "memory" }]);
      const exports = WebAssembly.Module.exports(mod).map((e) => e.name);
      for (const e of ["bmmRows", "bmmDots", "gatherRows", "decodeStep"]) assert.ok(exports.includes(e), `${name} exports ${e}`);
      // Instantiating writes nothing into the memory it is given.
      const memory = shared ? new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true }) : new WebAssembly.Memory({ initial: 1 });
      new Uint8Array(memory.buffer).fill(0xab);
      new WebAssembly.Instance(mod, { env: { memory } });
      assert.ok(new Uint8Array(memory.buffer).every((v) => v === 0xab), "instantiation wrote into the memory");
    });
  }

  test("the committed modules are what the AssemblyScript source compiles to (build-wasm --check)", () => {
    const r = spawnSync(process.execPath, [join(root, "scripts/build-wasm.mjs"), "--check"], { cwd: root, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /kernels\.wasm, \d+ bytes, matches the committed module/);
    assert.match(r.stdout, /kernels-shared\.wasm, \d+ bytes, matches the committed module/);
  });

  test("build-wasm --check fails naming the module when one committed byte differs", () => {
    const dir = mkdtempSync(join(tmpdir(), "rlvr-wasm-check-"));
    try {
      cpSync(join(root, "scripts/build-wasm.mjs"), join(dir, "scripts/build-wasm.mjs"));
      cpSync(join(root, "src/policy/wasm"), join(dir, "src/policy/wasm"), { recursive: true });
      symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
      const target = join(dir, "src/policy/wasm/kernels.wasm");
      const bytes = readFileSync(target);
      bytes[bytes.length - 1] ^= 1;
      writeFileSync(target, bytes);
      const r = spawnSync(process.execPath, [join(dir, "scripts/build-wasm.mjs"), "--check"], { cwd: dir, encoding: "utf8" });
      assert.equal(r.status, 1, r.stderr + r.stdout);
      assert.match(r.stderr, /kernels\.wasm is not what kernels\.ts compiles to; run node scripts\/build-wasm\.mjs and commit it/);
      assert.match(r.stdout, /kernels-shared\.wasm, \d+ bytes, matches the committed module/, "the untouched module still matches");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

after(() => setWasmKernels("simd"));
