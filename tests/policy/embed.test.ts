/**
 * Embedding lookups (src/policy/embed.ts): the gather form (forward GatherV2, backward this project's
 * RlvrScatterAddRows kernel) against the one-hot · table form and a plain float64 reference — identical
 * values, the same table gradient (repeated ids accumulate, unused rows get exactly 0), gradients against
 * finite differences, out-of-range ids refused, empty ids, inside tf.variableGrads without tensor leaks, and
 * the fallback to one-hot with `setWasmKernels("tfjs")`.
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/policy/backend.js";
import { embed, setEmbedding, type Embedding } from "../../src/policy/embed.js";
import { SCATTER_ADD_ROWS, setWasmKernels, wasmKernels } from "../../src/policy/wasmKernels.js";
import { createRng } from "../../src/stats/rng.js";
import { normalArray } from "../../src/policy/rng.js";
import { initSimdBackend, withSetting, withSettingAsync } from "../helpers/kernels.js";

before(async () => {
  await initSimdBackend();
});

/** Run `f` with embedding mode `m`, restoring "gather" (the default) afterwards. */
const withMode = <T>(m: Embedding, f: () => T): T => withSetting(setEmbedding, m, "gather", f);
const withModeAsync = <T>(m: Embedding, f: () => Promise<T>): Promise<T> => withSettingAsync(setEmbedding, m, "gather", f);

const ROWS = 11;
const COLS = 7;
const table = Float32Array.from(normalArray(ROWS * COLS, 1, createRng(3)));
// First and last rows, repeats (3 three times, 0 twice), rows 2, 5, 8, 9 never used.
const IDS = [3, 0, 10, 3, 7, 1, 3, 0, 4, 6];
const UNUSED = [2, 5, 8, 9];
const R = Float32Array.from(normalArray(IDS.length * COLS, 1, createRng(4)));

/** Forward values and the table gradient of Σ R ⊙ embed(table, ids), with the kernels each ran. */
async function run(ids: number[], r: Float32Array): Promise<{ shape: number[]; y: Float32Array; grad: Float32Array; kernels: string[] }> {
  let out: { shape: number[]; y: Float32Array; grad: Float32Array } | null = null;
  const prof = await tf.profile(() => {
    tf.tidy(() => {
      const t = tf.tensor2d(table, [ROWS, COLS]);
      const y = embed(t, ids);
      const g = tf.grad((x: tf.Tensor) => embed(x as tf.Tensor2D, ids).mul(tf.tensor2d(r, [ids.length, COLS])).sum())(t);
      out = { shape: y.shape, y: y.dataSync().slice() as Float32Array, grad: g.dataSync().slice() as Float32Array };
    });
  });
  return { ...out!, kernels: prof.kernelNames };
}

/** float64 reference gradient: row r gets Σ_{i: ids[i] = r} R[i]. */
function refGrad(ids: number[], r: ArrayLike<number>): Float64Array {
  const g = new Float64Array(ROWS * COLS);
  ids.forEach((id, i) => {
    for (let c = 0; c < COLS; c++) g[id * COLS + c] += r[i * COLS + c];
  });
  return g;
}

describe("embed: gather vs one-hot", () => {
  test("values are identical to each other and to the table's rows", async () => {
    const g = await run(IDS, R);
    const o = await withModeAsync("onehot", () => run(IDS, R));
    assert.deepEqual(g.shape, [IDS.length, COLS]);
    assert.deepEqual(o.shape, g.shape);
    assert.deepEqual(Array.from(g.y), Array.from(o.y));
    assert.deepEqual(Array.from(g.y), IDS.flatMap((id) => Array.from(table.subarray(id * COLS, (id + 1) * COLS))));
  });

  test("the gather form runs GatherV2 and the scatter-add gradient kernel; the one-hot form neither", async () => {
    const g = await run(IDS, R);
    const o = await withModeAsync("onehot", () => run(IDS, R));
    assert.ok(g.kernels.includes("GatherV2") && g.kernels.includes(SCATTER_ADD_ROWS), `gather ran ${[...new Set(g.kernels)]}`);
    assert.ok(!g.kernels.includes("OneHot"));
    assert.ok(o.kernels.includes("OneHot") && !o.kernels.includes(SCATTER_ADD_ROWS) && !o.kernels.includes("GatherV2"), `onehot ran ${[...new Set(o.kernels)]}`);
  });

  test("table gradients equal each other within 1e-6 and the float64 reference: repeated ids accumulate, unused rows are exactly 0", async () => {
    const g = await run(IDS, R);
    const o = await withModeAsync("onehot", () => run(IDS, R));
    const ref = refGrad(IDS, R);
    for (let i = 0; i < ref.length; i++) {
      assert.ok(Math.abs(g.grad[i] - o.grad[i]) <= 1e-6, `element ${i}: gather ${g.grad[i]} vs onehot ${o.grad[i]}`);
      assert.ok(Math.abs(g.grad[i] - ref[i]) <= 1e-6, `element ${i}: gather ${g.grad[i]} vs reference ${ref[i]}`);
    }
    for (const r of UNUSED)
      for (let c = 0; c < COLS; c++) {
        assert.equal(g.grad[r * COLS + c], 0, `gather: unused row ${r}`);
        assert.equal(o.grad[r * COLS + c], 0, `onehot: unused row ${r}`);
      }
    // Row 3 is looked up three times: its gradient is the sum of three of R's rows (not one of them).
    for (let c = 0; c < COLS; c++) {
      const three = R[0 * COLS + c] + R[3 * COLS + c] + R[6 * COLS + c];
      assert.ok(Math.abs(g.grad[3 * COLS + c] - three) <= 1e-6);
    }
  });

  test("with one id repeated 200 times the gradient is the sum of all 200 rows of dy", async () => {
    const ids = new Array(200).fill(5);
    const r = Float32Array.from(normalArray(200 * COLS, 1, createRng(5)));
    const g = await run(ids, r);
    const ref = refGrad(ids, r);
    for (let i = 0; i < ref.length; i++) assert.ok(Math.abs(g.grad[i] - ref[i]) <= 1e-4, `element ${i}: ${g.grad[i]} vs ${ref[i]}`);
    assert.ok(g.grad.every((x, i) => (Math.floor(i / COLS) === 5 ? x !== 0 : x === 0)));
  });

  test("gradients of a nonlinear loss match central finite differences (ε 1e-2, relative 2e-2), in both forms", () => {
    // L = Σ w ⊙ embed(T, ids)²: dL/dT[r, c] = Σ_{i: ids[i] = r} 2 w[i, c] T[r, c].
    const w = tf.tensor2d(R, [IDS.length, COLS]);
    const loss = (x: tf.Tensor) => embed(x as tf.Tensor2D, IDS).square().mul(w).sum();
    for (const mode of ["gather", "onehot"] as const)
      withMode(mode, () => {
        const grad = tf.tidy(() => tf.grad(loss)(tf.tensor2d(table, [ROWS, COLS])).dataSync().slice());
        const at = (i: number, d: number) =>
          tf.tidy(() => {
            const x = table.slice();
            x[i] += d;
            return loss(tf.tensor2d(x, [ROWS, COLS])).dataSync()[0];
          });
        const eps = 1e-2;
        for (const i of [3 * COLS + 2, 0 * COLS + 6, 10 * COLS, 7 * COLS + 4, 2 * COLS + 1]) {
          const fd = (at(i, eps) - at(i, -eps)) / (2 * eps);
          const used = !UNUSED.includes(Math.floor(i / COLS));
          if (used) assert.ok(Math.abs(grad[i]) > 1e-3, `${mode}: d/dT[${i}] is zero`);
          else assert.equal(grad[i], 0, `${mode}: unused row`);
          assert.ok(Math.abs(fd - grad[i]) <= 2e-2 * Math.max(1, Math.abs(grad[i])), `${mode}: d/dT[${i}] analytic ${grad[i]} vs fd ${fd}`);
        }
      });
    w.dispose();
  });

  test("an out-of-range id (−1, rows, 1000) is refused, naming the id and the range", () => {
    const t = tf.tensor2d(table, [ROWS, COLS]);
    const start = tf.memory().numTensors;
    for (const bad of [-1, ROWS, 1000]) {
      assert.throws(() => tf.tidy(() => embed(t, [0, bad, 1])), { message: `embed: id ${bad} at position 1 is not an integer in [0, ${ROWS - 1}]` });
      assert.throws(() => tf.tidy(() => tf.grad((x: tf.Tensor) => embed(x as tf.Tensor2D, [bad]).sum())(t)), /is not an integer in \[0, 10\]/);
    }
    assert.equal(tf.memory().numTensors, start, "a refused lookup leaves no tensors");
    t.dispose();
  });

  test(
    "an out-of-range id is refused in the one-hot form too (the same contract in both forms)",
    () => {
      const t = tf.tensor2d(table, [ROWS, COLS]);
      try {
        withMode("onehot", () => assert.throws(() => tf.tidy(() => embed(t, [0, ROWS])), /not an integer in/));
        setWasmKernels("tfjs");
        try {
          assert.throws(() => tf.tidy(() => embed(t, [-1])), /not an integer in/);
        } finally {
          setWasmKernels("simd");
        }
      } finally {
        t.dispose();
      }
    },
  );

  test(
    "a non-integer id is refused (ids must be integers)",
    () => {
      const t = tf.tensor2d(table, [ROWS, COLS]);
      try {
        for (const mode of ["gather", "onehot"] as const) withMode(mode, () => assert.throws(() => tf.tidy(() => embed(t, [1.5])), /integer/));
      } finally {
        t.dispose();
      }
    },
  );

  test("empty ids give a [0, C] result, and a zero table gradient, in both forms", async () => {
    for (const mode of ["gather", "onehot"] as const) {
      const r = await withModeAsync(mode, () => run([], new Float32Array(0)));
      assert.deepEqual(r.shape, [0, COLS], mode);
      assert.equal(r.y.length, 0);
      assert.equal(r.grad.length, ROWS * COLS);
      assert.ok(r.grad.every((x) => x === 0), `${mode}: the gradient of nothing is 0`);
    }
  });

  test("a one-row table: ids all 0 give copies of the row, and the gradient sums dy (gather form)", () => {
    const row = [0.5, -1.25, 2];
    const { y, g } = tf.tidy(() => {
      const t = tf.tensor2d([row]);
      return { y: embed(t, [0, 0, 0]).arraySync(), g: tf.grad((x: tf.Tensor) => embed(x as tf.Tensor2D, [0, 0, 0]).sum())(t).arraySync() };
    });
    assert.deepEqual(y, [row, row, row]);
    assert.deepEqual(g, [[3, 3, 3]]);
  });

  test(
    "a one-row table works in the one-hot form too",
    () => {
      withMode("onehot", () => assert.deepEqual(tf.tidy(() => embed(tf.tensor2d([[0.5, -1.25, 2]]), [0]).arraySync()), [[0.5, -1.25, 2]]));
    },
  );

  test("works inside tf.variableGrads (both forms, same gradient) and leaves no tensors behind", () => {
    const v = tf.variable(tf.tensor2d(table, [ROWS, COLS]));
    const r = tf.tensor2d(R, [IDS.length, COLS]);
    const start = tf.memory().numTensors;
    const grads: Float32Array[] = [];
    for (const mode of ["gather", "onehot", "gather"] as const)
      withMode(mode, () => {
        const { value, grads: g } = tf.variableGrads(() => embed(v, IDS).mul(r).sum() as tf.Scalar, [v]);
        grads.push(g[v.name].dataSync().slice() as Float32Array);
        tf.dispose([value, ...Object.values(g)]);
        assert.equal(tf.memory().numTensors, start, `${mode}: numTensors after variableGrads`);
      });
    tf.tidy(() => {
      embed(v, IDS);
      tf.grad((x: tf.Tensor) => embed(x as tf.Tensor2D, IDS).sum())(v);
    });
    assert.equal(tf.memory().numTensors, start, "after tf.tidy");
    const ref = refGrad(IDS, R);
    for (const g of grads) g.forEach((x, i) => assert.ok(Math.abs(x - ref[i]) <= 1e-6));
    tf.dispose([v, r]);
  });

  test("with setWasmKernels(\"tfjs\") the gather form falls back to one-hot and gives the same values and gradient", async () => {
    const g = await run(IDS, R);
    setWasmKernels("tfjs");
    let t: Awaited<ReturnType<typeof run>>;
    try {
      assert.equal(wasmKernels(), "tfjs");
      t = await run(IDS, R);
    } finally {
      setWasmKernels("simd");
    }
    assert.ok(t.kernels.includes("OneHot") && !t.kernels.includes(SCATTER_ADD_ROWS) && !t.kernels.includes("GatherV2"), `tfjs kernels ran ${[...new Set(t.kernels)]}`);
    assert.deepEqual(Array.from(t.y), Array.from(g.y));
    t.grad.forEach((x, i) => assert.ok(Math.abs(x - g.grad[i]) <= 1e-6, `element ${i}: ${x} vs ${g.grad[i]}`));
  });
});
