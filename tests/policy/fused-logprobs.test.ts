/**
 * The fused target log-prob / entropy op (src/policy/logprobs.ts `targetLogprobs`, kernels RlvrLogprobEntropy
 * and RlvrLogprobEntropyGrad): per row, lp = z_t − log Σ e^z and H = −Σ p log p equal a float64 reference and
 * the tfjs-op path (`setFusedLogprobs("off")`) for every lane tail of V and for hard rows (peaked, masked,
 * uniform, large); gradients equal the tfjs-op path and float64 central differences of the reference; bad
 * targets are refused; no tensors leak; and GPT.tokenLogprobs / groupedTokenLogprobs give the same values and
 * parameter gradients with the op on and off.
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/policy/backend.js";
import { setFusedLogprobs, targetLogprobs, type FusedLogprobs } from "../../src/policy/logprobs.js";
import { LP_ENT_BACKWARD, LP_ENT_FORWARD, setWasmKernels } from "../../src/policy/wasmKernels.js";
import { groupedTokenLogprobs, rowGroups } from "../../src/policy/prefix.js";
import type { GPT } from "../../src/policy/gpt.js";
import { createRng } from "../../src/stats/rng.js";
import { normalArray } from "../../src/policy/rng.js";
import { tinyGPT } from "./helpers.js";
import { initSimdBackend, withSetting } from "../helpers/kernels.js";

before(async () => {
  await initSimdBackend();
});

/** Run `f` with the fused op switched to `m`, restoring "on" (the default) afterwards. */
const withMode = <T>(m: FusedLogprobs, f: () => T): T => withSetting(setFusedLogprobs, m, "on", f);

/** float64 lp and H of each row of z [R, V] at targets. */
function refLpH(z: ArrayLike<number>, R: number, V: number, targets: number[]): { lp: number[]; H: number[] } {
  const lp: number[] = [];
  const H: number[] = [];
  for (let r = 0; r < R; r++) {
    const row = Array.from({ length: V }, (_, v) => z[r * V + v]);
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((a, c) => a + Math.exp(c - m), 0));
    lp.push(row[targets[r]] - lse);
    H.push(-row.reduce((a, c) => a + Math.exp(c - lse) * (c - lse), 0));
  }
  return { lp, H };
}

function values(z: Float32Array, R: number, V: number, targets: number[]): { lp: Float32Array; H: Float32Array } {
  return tf.tidy(() => {
    const o = targetLogprobs(tf.tensor2d(z, [R, V]), targets);
    assert.deepEqual([o.logprobs.shape, o.entropy.shape], [[R], [R]]);
    return { lp: o.logprobs.dataSync().slice() as Float32Array, H: o.entropy.dataSync().slice() as Float32Array };
  });
}

/** d/dz of Σ_r (lp_r a_r + H_r b_r). */
function grads(z: Float32Array, R: number, V: number, targets: number[], a: Float32Array, b: Float32Array): Float32Array {
  return tf.tidy(() =>
    tf.grad((x: tf.Tensor) => {
      const o = targetLogprobs(x as tf.Tensor2D, targets);
      return o.logprobs.mul(tf.tensor1d(a)).sum().add(o.entropy.mul(tf.tensor1d(b)).sum());
    })(tf.tensor2d(z, [R, V])).dataSync().slice() as Float32Array,
  );
}

function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++)
    if (!(Math.abs(got[i] - want[i]) <= tol * Math.max(1, Math.abs(want[i])))) assert.fail(`${what}: element ${i} is ${got[i]}, expected ${want[i]}`);
}

/** Ours against the reference and (V > 1: tfjs's oneHot needs depth ≥ 2) the tfjs-op path, values within `tol`. */
function checkValues(z: Float32Array, R: number, V: number, targets: number[], what: string, tol = 1e-5): void {
  const ours = values(z, R, V, targets);
  const ref = refLpH(z, R, V, targets);
  assertClose(ours.lp, ref.lp, tol, `${what}: log-probs vs reference`);
  assertClose(ours.H, ref.H, tol, `${what}: entropies vs reference`);
  if (V === 1) return;
  const ops = withMode("off", () => values(z, R, V, targets));
  assertClose(ours.lp, ops.lp, tol, `${what}: log-probs vs tfjs ops`);
  assertClose(ours.H, ops.H, tol, `${what}: entropies vs tfjs ops`);
}

const VS = [1, 2, 3, 4, 5, 7, 8, 99, 257];
const randomRows = (R: number, V: number, seed: number, std = 3) => Float32Array.from(normalArray(R * V, std, createRng(seed)));
const randomTargets = (R: number, V: number, seed: number) => {
  const rng = createRng(seed);
  return Array.from({ length: R }, () => Math.floor(rng() * V));
};

describe("targetLogprobs values", () => {
  test("equal the float64 reference and the tfjs-op path for V = 1, 2, 3, 4, 5, 7, 8, 99, 257 (first, last and random targets)", async () => {
    for (const V of VS) {
      const R = 6;
      const targets = randomTargets(R, V, V);
      targets[0] = 0;
      targets[1] = V - 1;
      checkValues(randomRows(R, V, 100 + V), R, V, targets, `V ${V}`);
    }
    const prof = await tf.profile(() => tf.tidy(() => void targetLogprobs(tf.zeros([2, 5]) as tf.Tensor2D, [1, 2])));
    assert.ok(prof.kernelNames.includes(LP_ENT_FORWARD), `the fused kernel ran (${prof.kernelNames})`);
  });
  test("V = 1 gives log-prob 0 and entropy 0 exactly; uniform rows give −log V and log V", () => {
    const one = values(Float32Array.from([3, -7, 0]), 3, 1, [0, 0, 0]);
    assert.deepEqual([Array.from(one.lp), Array.from(one.H)], [[0, 0, 0], [0, 0, 0]]);
    for (const V of VS.slice(1)) {
      const z = new Float32Array(2 * V).fill(3.7);
      z.fill(-12, V);
      const { lp, H } = values(z, 2, V, [0, V - 1]);
      for (let r = 0; r < 2; r++) {
        assert.ok(Math.abs(lp[r] + Math.log(V)) <= 1e-5 * Math.log(V), `V ${V}: lp ${lp[r]} vs ${-Math.log(V)}`);
        assert.ok(Math.abs(H[r] - Math.log(V)) <= 1e-5 * Math.log(V), `V ${V}: H ${H[r]} vs ${Math.log(V)}`);
      }
    }
  });
  test("very peaked rows (one logit 80 above the rest): lp ≈ 0 at the peak, ≈ −80 elsewhere, H ≈ 0", () => {
    for (const V of [5, 8, 99]) {
      const R = 4;
      const z = randomRows(R, V, 7 + V, 1);
      for (let r = 0; r < R; r++) z[r * V + ((r * 3) % V)] += 80;
      const targets = [0, 1, 2, 3].map((r) => ((r * 3) % V + (r % 2)) % V); // the peak (even rows) or next to it (odd rows)
      checkValues(z, R, V, targets, `peaked V ${V}`);
    }
  });
  test("rows with −1e9 entries (masked) equal the reference over the unmasked entries; their gradients are 0", () => {
    const V = 9;
    const z = randomRows(3, V, 5);
    for (const i of [1, 3, 4, 8, 10, 17, 18, 19, 20, 21, 22, 23, 24]) z[i] = -1e9; // row 2 keeps entries 25 and 26
    checkValues(z, 3, V, [0, 11 - 9, 26 - 18], "masked");
    const g = grads(z, 3, V, [0, 2, 8], Float32Array.from([1, -2, 0.5]), Float32Array.from([0.3, 1, -1]));
    for (const i of [1, 3, 4, 8, 10, 17, 18, 19, 20, 21, 22, 23, 24]) assert.ok(Math.abs(g[i]) <= 1e-6, `d z[${i}] is ${g[i]}`);
  });
  test("logits of magnitude 1e4 do not overflow: finite, lp ≤ 0, H ≥ 0, within 4 float32 ulps of 1e4 of the reference", () => {
    const z = Float32Array.from([1e4, -1e4, 9999.5, 1e4 - 2, -3, 5000, 9999, 1e4, -1e4, -1e4 + 1, -1e4 + 0.5, -9999, 0, 1, 2, 3]);
    const { lp, H } = values(z, 2, 8, [0, 2]);
    const ref = refLpH(z, 2, 8, [0, 2]);
    for (let r = 0; r < 2; r++) {
      assert.ok(Number.isFinite(lp[r]) && Number.isFinite(H[r]) && lp[r] <= 0 && H[r] >= 0, `row ${r}: lp ${lp[r]}, H ${H[r]}`);
      assert.ok(Math.abs(lp[r] - ref.lp[r]) <= 4e-3 && Math.abs(H[r] - ref.H[r]) <= 4e-3, `row ${r}: ${lp[r]}, ${H[r]} vs ${ref.lp[r]}, ${ref.H[r]}`);
    }
  });
  test(
    "logits of magnitude 1e4 are as accurate as the tfjs-op path (1e-5)",
    () => {
      const z = Float32Array.from([1e4, -1e4, 9999.5, 1e4 - 2, -3, 5000, 9999, 1e4, -1e4, -1e4 + 1, -1e4 + 0.5, -9999, 0, 1, 2, 3]);
      checkValues(z, 2, 8, [0, 2], "±1e4");
    },
  );
  test(
    "V = 1 works on the tfjs-op path too (log-prob 0, entropy 0)",
    () => {
      const ops = withMode("off", () => values(Float32Array.from([3, -7]), 2, 1, [0, 0]));
      // (the entropy is −0: −Σ p log p of p = 1)
      assert.deepEqual([Array.from(ops.lp), Array.from(ops.H).map((h) => h + 0)], [[0, 0], [0, 0]]);
    },
  );
  test("zero rows give empty log-probs and entropies", () => {
    const { lp, H } = values(new Float32Array(0), 0, 5, []);
    assert.deepEqual([lp.length, H.length], [0, 0]);
  });
});

describe("targetLogprobs gradients", () => {
  test("d/dz of Σ lp·a + H·b equals the tfjs-op path and float64 central differences of the reference, for every V", () => {
    for (const V of VS) {
      const R = 3;
      const z = randomRows(R, V, 200 + V, 2);
      const targets = randomTargets(R, V, 300 + V);
      const a = Float32Array.from(normalArray(R, 1, createRng(V)));
      const b = Float32Array.from(normalArray(R, 1, createRng(V + 1)));
      const ours = grads(z, R, V, targets, a, b);
      if (V > 1) assertClose(ours, withMode("off", () => grads(z, R, V, targets, a, b)), 1e-5, `V ${V}: vs tfjs ops`);
      const f = (zz: Float64Array) => {
        const { lp, H } = refLpH(zz, R, V, targets);
        return lp.reduce((s, x, r) => s + x * a[r] + H[r] * b[r], 0);
      };
      const fd = new Float64Array(R * V);
      const zz = Float64Array.from(z);
      for (let i = 0; i < R * V; i++) {
        const x0 = zz[i];
        zz[i] = x0 + 1e-5;
        const up = f(zz);
        zz[i] = x0 - 1e-5;
        fd[i] = (up - f(zz)) / 2e-5;
        zz[i] = x0;
      }
      assertClose(ours, fd, 1e-5, `V ${V}: vs finite differences`);
    }
  });
  test("only the log-prob used: the gradient is onehot(t) − softmax(z)", () => {
    const [R, V] = [4, 7];
    const z = randomRows(R, V, 9);
    const targets = [0, 6, 3, 3];
    const g = tf.tidy(() => tf.grad((x: tf.Tensor) => targetLogprobs(x as tf.Tensor2D, targets).logprobs.sum())(tf.tensor2d(z, [R, V])).dataSync().slice());
    const want = Array.from({ length: R * V }, (_, i) => {
      const r = Math.floor(i / V);
      const row = Array.from(z.subarray(r * V, (r + 1) * V));
      const m = Math.max(...row);
      const s = row.reduce((acc, c) => acc + Math.exp(c - m), 0);
      return (i % V === targets[r] ? 1 : 0) - Math.exp(z[i] - m) / s;
    });
    assertClose(g, want, 1e-6, "d lp / dz");
  });
  test("works inside tf.variableGrads and leaves no tensors behind (fused and tfjs ops)", async () => {
    const v = tf.variable(tf.tensor2d(randomRows(5, 9, 3), [5, 9]));
    const start = tf.memory().numTensors;
    for (const m of ["on", "off"] as const)
      withMode(m, () => {
        for (let round = 0; round < 2; round++) {
          const { value, grads: g } = tf.variableGrads(() => {
            const o = targetLogprobs(v as unknown as tf.Tensor2D, [0, 1, 2, 8, 4]);
            return o.logprobs.sum().add(o.entropy.mean()) as tf.Scalar;
          }, [v]);
          assert.equal(g[v.name].shape.join(), "5,9");
          tf.dispose([value, g[v.name]]);
          assert.equal(tf.memory().numTensors, start, `${m}: round ${round}`);
        }
      });
    const prof = await tf.profile(() => tf.tidy(() => void tf.grad((x: tf.Tensor) => targetLogprobs(x as tf.Tensor2D, [1, 2]).entropy.sum())(tf.zeros([2, 5]))));
    assert.ok(prof.kernelNames.includes(LP_ENT_BACKWARD), `the fused gradient kernel ran (${prof.kernelNames})`);
    v.dispose();
  });
});

describe("targetLogprobs input checks", () => {
  const z = () => tf.tensor2d(randomRows(3, 5, 1), [3, 5]);
  test("a target out of range (−1 or V) is refused with the value and the range", () => {
    for (const bad of [-1, 5, 1000])
      assert.throws(() => tf.tidy(() => targetLogprobs(z(), [0, bad, 1]).logprobs.dataSync()), new RegExp(`target ${bad} of row 1 is not an integer in \\[0, 4\\]`));
  });
  for (const [name, off] of [["setFusedLogprobs(\"off\")", () => setFusedLogprobs("off")], ["setWasmKernels(\"tfjs\")", () => setWasmKernels("tfjs")]] as const)
    test(
      `a target out of range is refused with ${name} too`,
      () => {
        off();
        try {
          for (const bad of [-1, 5]) assert.throws(() => tf.tidy(() => targetLogprobs(z(), [0, bad, 1]).logprobs.dataSync()), /not in|out of range|target/);
        } finally {
          setFusedLogprobs("on");
          setWasmKernels("simd");
        }
      },
    );
  test(
    "a non-integer or NaN target is refused",
    () => {
      for (const bad of [1.5, NaN]) assert.throws(() => tf.tidy(() => targetLogprobs(z(), [0, bad, 1]).logprobs.dataSync()), /integer|target/);
    },
  );
  test("targets.length ≠ rows is refused naming both counts (fused and tfjs ops)", () => {
    for (const m of ["on", "off"] as const)
      withMode(m, () => {
        assert.throws(() => tf.tidy(() => targetLogprobs(z(), [0, 1])), /2 targets for 3 rows/);
        assert.throws(() => tf.tidy(() => targetLogprobs(z(), [0, 1, 2, 3])), /4 targets for 3 rows/);
      });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Through the policy: GPT.tokenLogprobs and groupedTokenLogprobs with the fused op on vs off.

/** Tokens of groups of G rows with prompts of `promptLens` (BOS first), random completions right-padded to L. */
function batch(model: GPT, promptLens: number[], G: number, L: number, seed: number): number[][] {
  const rng = createRng(seed);
  const V = model.tokenizer.vocabSize;
  const { bosId, padId } = model.tokenizer;
  const char = () => 3 + Math.floor(rng() * (V - 3));
  return promptLens.flatMap((P) => {
    const prompt = [bosId, ...Array.from({ length: P - 1 }, char)];
    return Array.from({ length: G }, () => {
      const n = 1 + Math.floor(rng() * (L - P));
      return [...prompt, ...Array.from({ length: n }, char), ...new Array(L - P - n).fill(padId)];
    });
  });
}

/** Values and every parameter's gradient of Σ (lp + 0.3 H) ⊙ w, and the kernels that ran. */
async function scored(model: GPT, f: () => { logprobs: tf.Tensor2D; entropy: tf.Tensor2D }) {
  let out: { lp: number[][]; H: number[][]; grads: Map<string, Float32Array> } | null = null;
  const prof = await tf.profile(() => {
    const vars = model.trainableVariables();
    const { value, grads: g } = tf.variableGrads(() =>
      tf.tidy(() => {
        const v = f();
        const w = tf.tensor2d(v.logprobs.arraySync().map((row, i) => row.map((_, t) => 1 + 0.1 * ((i * 7 + t) % 5))));
        return v.logprobs.mul(w).sum().add(v.entropy.mul(w).sum().mul(0.3)) as tf.Scalar;
      }), vars);
    const v = f();
    out = { lp: v.logprobs.arraySync(), H: v.entropy.arraySync(), grads: new Map([...model.params].map(([n, p]) => [n, g[p.name].dataSync().slice() as Float32Array])) };
    tf.dispose([value, v.logprobs, v.entropy, ...Object.values(g)]);
  });
  return { ...out!, kernels: new Set(prof.kernelNames) };
}

function assertSame(on: Awaited<ReturnType<typeof scored>>, off: Awaited<ReturnType<typeof scored>>, what: string): void {
  assert.ok(on.kernels.has(LP_ENT_FORWARD) && on.kernels.has(LP_ENT_BACKWARD), `${what}: the fused kernels did not run`);
  assert.ok(!off.kernels.has(LP_ENT_FORWARD) && !off.kernels.has(LP_ENT_BACKWARD), `${what}: "off" ran the fused kernels`);
  for (const k of ["lp", "H"] as const) assertClose(on[k].flat(), off[k].flat(), 1e-5, `${what}: ${k}`);
  let nonZero = 0;
  for (const [name, g] of off.grads) {
    const scale = g.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    const got = on.grads.get(name)!;
    for (let i = 0; i < g.length; i++) assert.ok(Math.abs(got[i] - g[i]) <= 1e-4 * Math.max(1, scale), `${what}: ${name}[${i}] ${got[i]} vs ${g[i]}`);
    if (scale > 0) nonZero++;
  }
  assert.ok(nonZero >= off.grads.size - 1, `${what}: only ${nonZero} of ${off.grads.size} parameters have a gradient`);
}

describe("the policy's scoring with the fused log-prob op on vs off", () => {
  test("GPT.tokenLogprobs: same log-probs, entropies and parameter gradients (temperature 1 and 0.7)", async () => {
    const model = tinyGPT(31, { blockSize: 12, nLayer: 2, nHead: 2, nEmbd: 16 });
    try {
      const tokens = batch(model, [1, 3, 2], 2, 11, 5);
      for (const temperature of [1, 0.7]) {
        const f = () => tf.tidy(() => model.tokenLogprobs(tf.tensor2d(tokens, undefined, "int32"), { temperature }));
        assertSame(await scored(model, f), await withMode("off", () => scored(model, f)), `tokenLogprobs τ ${temperature}`);
      }
    } finally {
      model.dispose();
    }
  });
  test("groupedTokenLogprobs (shared prefixes): same values and parameter gradients, temperature 0.9", async () => {
    const model = tinyGPT(32, { blockSize: 12, nLayer: 1, nHead: 2, nEmbd: 8 });
    try {
      const promptLens = [1, 4, 2];
      const tokens = batch(model, promptLens, 3, 10, 6);
      const groups = rowGroups(promptLens.map(() => 3), promptLens);
      const f = () => groupedTokenLogprobs(model, tokens, groups, { temperature: 0.9 });
      assertSame(await scored(model, f), await withMode("off", () => scored(model, f)), "groupedTokenLogprobs");
    } finally {
      model.dispose();
    }
  });
});
