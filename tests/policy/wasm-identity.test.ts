/**
 * This project's `Identity` kernel on tfjs-wasm (src/policy/wasmKernels.ts): tf.clone (and every tensor
 * tf.customGrad saves) shares its input's buffer by reference count instead of copying it; either tensor can be
 * disposed first, variables assigned from clones keep their values, strings fall back to tfjs's copy, and
 * tf.memory() and the backend's data count come back to the start.
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/policy/backend.js";
import { setWasmKernels, type WasmKernels } from "../../src/policy/wasmKernels.js";
import { initSimdBackend, withKernels } from "../helpers/kernels.js";

before(async () => {
  await initSimdBackend();
});

describe("Identity (a clone shares its input's buffer)", () => {
  const dataIds = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
  const snapshot = () => ({ tensors: tf.memory().numTensors, bytes: tf.memory().numBytes, ids: dataIds() });

  test("tf.clone gives the same values and no new buffer (tfjs's kernel copies); either can be disposed first", () => {
    const start = snapshot();
    for (const first of ["original", "clone"]) {
      const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
      const c = tf.clone(x);
      assert.equal(dataIds(), start.ids + 1, "the clone shares x's buffer");
      assert.deepEqual(c.arraySync(), [[1, 2, 3], [4, 5, 6]]);
      (first === "original" ? x : c).dispose();
      const left = first === "original" ? c : x;
      assert.deepEqual(left.arraySync(), [[1, 2, 3], [4, 5, 6]], `readable after the ${first} was disposed`);
      assert.deepEqual(tf.tidy(() => left.add(1).arraySync()), [[2, 3, 4], [5, 6, 7]]);
      left.dispose();
      assert.deepEqual(snapshot(), start, `memory back to the start (${first} disposed first)`);
    }
    const copied = withKernels("tfjs", () => {
      const x = tf.tensor1d([1, 2]);
      const c = tf.clone(x);
      const n = dataIds() - start.ids;
      tf.dispose([x, c]);
      return n;
    });
    assert.equal(copied, 2, "tfjs's Identity copies (the baseline)");
    assert.deepEqual(snapshot(), start);
  });
  test("int32 and bool clones share too and keep dtype and values", () => {
    const start = snapshot();
    for (const dtype of ["int32", "bool"] as const) {
      const x = tf.tensor1d([3, -4, 5].map((v) => (dtype === "bool" ? Number(v > 0) : v)), dtype);
      const c = tf.clone(x);
      assert.equal(dataIds(), start.ids + 1);
      x.dispose();
      assert.equal(c.dtype, x.dtype);
      assert.deepEqual(Array.from(c.dataSync()), x.dtype === "int32" ? [3, -4, 5] : [1, 0, 1]);
      c.dispose();
    }
    assert.deepEqual(snapshot(), start);
  });
  test("a chain of 50 clones disposed in a scrambled order: every survivor stays readable, memory returns to the start", () => {
    const start = snapshot();
    const values = Array.from({ length: 99 }, (_, i) => i * 0.5 - 7);
    const chain = [tf.tensor1d(values)];
    for (let i = 0; i < 50; i++) chain.push(tf.clone(chain[i]));
    assert.equal(dataIds(), start.ids + 1);
    assert.equal(tf.memory().numTensors, start.tensors + 51);
    const order = Array.from({ length: 51 }, (_, i) => (i * 23) % 51); // a permutation (23 and 51 are coprime)
    order.forEach((k, n) => {
      chain[k].dispose();
      const survivor = chain.find((t) => !t.isDisposed);
      if (survivor) assert.deepEqual(Array.from(survivor.dataSync()), values, `after ${n + 1} disposals`);
    });
    assert.deepEqual(snapshot(), start);
  });
  test("a variable from a clone keeps its values after the source and the clone are disposed; assign does not touch other clones", () => {
    const start = snapshot();
    const x = tf.tensor1d([1, 2, 3]);
    const c = tf.clone(x);
    const init = tf.zeros([3]);
    const v = tf.variable(init);
    init.dispose();
    v.assign(c);
    tf.dispose([x, c]);
    assert.deepEqual(Array.from(v.dataSync()), [1, 2, 3]);
    const kept = tf.clone(v);
    const next = tf.tensor1d([7, 8, 9]);
    v.assign(next);
    next.dispose();
    assert.deepEqual(Array.from(kept.dataSync()), [1, 2, 3], "a clone of the variable keeps the old values");
    assert.deepEqual(Array.from(v.dataSync()), [7, 8, 9]);
    tf.dispose([kept, v]);
    assert.deepEqual(snapshot(), start);
  });
  test("string tensors fall back to tfjs's Identity (a copy) with the same values", () => {
    const start = snapshot();
    const s = tf.tensor1d(["a", "bc", ""]);
    const c = tf.clone(s);
    assert.equal(dataIds(), start.ids + 2, "strings are copied");
    s.dispose();
    assert.deepEqual(c.arraySync(), ["a", "bc", ""]);
    c.dispose();
    assert.deepEqual([tf.memory().numTensors, dataIds()], [start.tensors, start.ids]);
  });
  test("tensors saved by tf.customGrad (clones) give the same gradient as with tfjs's copying Identity, and no leaks", () => {
    const f = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
      save([x]);
      return { value: x.square(), gradFunc: (dy: tf.Tensor, [sx]: tf.Tensor[]) => dy.mul(sx).mul(2) };
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- customGrad's variadic signature
    }) as any) as (x: tf.Tensor) => tf.Tensor;
    const start = snapshot();
    const run = () => tf.tidy(() => Array.from(tf.grad((x: tf.Tensor) => f(x).sum())(tf.tensor1d([1, -2, 3.5])).dataSync()));
    assert.deepEqual(run(), [2, -4, 7]);
    assert.deepEqual(withKernels("tfjs", run), [2, -4, 7]);
    assert.deepEqual(snapshot(), start);
  });
});
