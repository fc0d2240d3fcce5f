import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { checkGradNonZero, checkOneHot, initBackend } from "../../src/policy/backend.js";

test("initBackend selects wasm by default (no tfjs-node installed) and its self-test passes", async (t) => {
  const { createRequire } = await import("node:module");
  const req = createRequire(import.meta.url);
  for (const pkg of ["@tensorflow/tfjs-node", "@tensorflow/tfjs-node-gpu"]) {
    try {
      req.resolve(pkg);
      t.skip(`${pkg} is installed: the default is then "tensorflow"`);
      return;
    } catch {
      /* not installed: wasm is the default */
    }
  }
  const info = await initBackend();
  assert.equal(info.backend, "wasm");
  assert.equal(tf.getBackend(), "wasm");
  assert.deepEqual(info.selfTest, { oneHotOk: true, gradNonZero: true });
  assert.deepEqual(info.fallbacks, []);
});

test("oneHot(i, d).cast('float32') gives exact 1s and 0s on the active backend", async () => {
  await initBackend();
  const v = tf.tidy(() => tf.oneHot(tf.tensor1d([3, 0, 2], "int32"), 4).cast("float32").dataSync());
  assert.deepEqual(Array.from(v), [0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0]);
  assert.equal(checkOneHot(), true);
  assert.equal(checkGradNonZero(), true);
});

test("initBackend can switch to cpu and back to wasm", async () => {
  const cpu = await initBackend({ backend: "cpu" });
  assert.equal(cpu.backend, "cpu");
  assert.equal(cpu.selfTest.gradNonZero, true);
  const wasm = await initBackend({ backend: "wasm" });
  assert.equal(wasm.backend, "wasm");
});

test("initBackend with tensorflow requested but tfjs-node absent throws a message saying what to do", async (t) => {
  const { createRequire } = await import("node:module");
  try {
    createRequire(import.meta.url).resolve("@tensorflow/tfjs-node");
    t.skip("tfjs-node is installed here");
    return;
  } catch {
    /* expected: not installed */
  }
  await assert.rejects(initBackend({ backend: "tensorflow" }), /tfjs-node.*backend: "cpu"/s);
  await initBackend();
});
