/**
 * The fused shared-prefix attention op (src/policy/attention.ts, kernels RlvrAttnForward / RlvrAttnBackward):
 * values and attention probabilities against a plain float64 JS implementation of its formula, gradients
 * against central finite differences (of that reference in float64, and of the op itself in float32), the
 * masked probabilities exactly 0, clear errors for bad inputs, no tensor leaks; and, through the policy, the
 * same log-probs, entropies, logits and parameter gradients as the tfjs-op attention it replaces
 * (`setFusedAttention("off")`), and the same 3-step GRPO run with it on, off, and with `setWasmKernels("tfjs")`.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/policy/backend.js";
import { GPT } from "../../src/policy/gpt.js";
import { canFuseAttention, setFusedAttention, sharedPrefixAttention } from "../../src/policy/attention.js";
import { groupedTokenLogprobs, rowGroups, type RowGroup } from "../../src/policy/prefix.js";
import { ATTN_FORWARD, setWasmKernels, wasmKernels } from "../../src/policy/wasmKernels.js";
import { parseTrainConfig } from "../../src/grpo/config.js";
import { trainGRPO } from "../../src/grpo/trainer.js";
import type { TaskSpec } from "../../src/grpo/task.js";
import type { Problem } from "../../src/schemas/problem.js";
import type { TraceStep } from "../../src/schemas/trace.js";
import { createRng } from "../../src/stats/rng.js";
import { normalArray } from "../../src/policy/rng.js";
import { tinyGPT } from "./helpers.js";
import { initSimdBackend } from "../helpers/kernels.js";
import { ALPHABET, problems, toyTask } from "../helpers/toyTask.js";
import type { AttnAttrs } from "../../src/policy/wasmKernels.js";

before(async () => {
  await initSimdBackend();
});

/** Run `f` with the fused attention switched to `m`, restoring "on" (the default) afterwards. */
function withFused<T>(m: "on" | "off", f: () => T): T {
  setFusedAttention(m);
  try {
    return f();
  } finally {
    setFusedAttention("on");
  }
}

/** Sizes of one attention call (the kernels' attributes). */
type Dims = AttnAttrs;

/**
 * float64 reference of attention.ts's formula: query t of row i = b·G + g, head h attends to group b's first
 * pre[b] prefix keys and its own keys 0…t; y_t = softmax([q·Kₚᵀ | q·Kₛ[0…t]ᵀ] / √D) · [Vₚ | Vₛ[0…t]].
 * Returns y [N·S, E] and the probabilities P [N, H, S, Pp + S] (0 on masked keys).
 */
function refAttention(qkv: ArrayLike<number>, kp: ArrayLike<number>, vp: ArrayLike<number>, pre: readonly number[], a: Dims): { y: Float64Array; P: Float64Array } {
  const { B, G, S, Pp, H, D } = a;
  const E = H * D;
  const K = Pp + S;
  const N = B * G;
  const y = new Float64Array(N * S * E);
  const P = new Float64Array(N * H * S * K);
  const scale = 1 / Math.sqrt(D);
  const q = (i: number, t: number, h: number, d: number) => qkv[(i * S + t) * 3 * E + h * D + d];
  const k = (i: number, t: number, h: number, d: number) => qkv[(i * S + t) * 3 * E + E + h * D + d];
  const v = (i: number, t: number, h: number, d: number) => qkv[(i * S + t) * 3 * E + 2 * E + h * D + d];
  const pk = (b: number, h: number, j: number, d: number) => kp[((b * H + h) * Pp + j) * D + d];
  const pv = (b: number, h: number, j: number, d: number) => vp[((b * H + h) * Pp + j) * D + d];
  for (let i = 0; i < N; i++) {
    const b = Math.floor(i / G);
    for (let h = 0; h < H; h++)
      for (let t = 0; t < S; t++) {
        const s: [number, number][] = []; // [column of P, score]
        for (let j = 0; j < pre[b]; j++) {
          let dot = 0;
          for (let d = 0; d < D; d++) dot += q(i, t, h, d) * pk(b, h, j, d);
          s.push([j, dot * scale]);
        }
        for (let j = 0; j <= t; j++) {
          let dot = 0;
          for (let d = 0; d < D; d++) dot += q(i, t, h, d) * k(i, j, h, d);
          s.push([Pp + j, dot * scale]);
        }
        const mx = Math.max(...s.map(([, x]) => x));
        const z = s.reduce((acc, [, x]) => acc + Math.exp(x - mx), 0);
        const row = ((i * H + h) * S + t) * K;
        for (const [col, x] of s) P[row + col] = Math.exp(x - mx) / z;
        for (let d = 0; d < D; d++) {
          let acc = 0;
          for (let j = 0; j < pre[b]; j++) acc += P[row + j] * pv(b, h, j, d);
          for (let j = 0; j <= t; j++) acc += P[row + Pp + j] * v(i, j, h, d);
          y[(i * S + t) * E + h * D + d] = acc;
        }
      }
  }
  return { y, P };
}

/** max |got − ref| ≤ tol · max(1, max |ref|). */
function assertClose(got: ArrayLike<number>, ref: ArrayLike<number>, what: string, tol: number): void {
  assert.equal(got.length, ref.length, `${what}: length`);
  let scale = 1;
  for (let i = 0; i < ref.length; i++) scale = Math.max(scale, Math.abs(ref[i]));
  for (let i = 0; i < ref.length; i++)
    if (!(Math.abs(got[i] - ref[i]) <= tol * scale)) assert.fail(`${what}: element ${i} is ${got[i]}, expected ${ref[i]} (scale ${scale})`);
}

interface Case extends Dims {
  name: string;
  pre: number[];
}
const CASES: Case[] = [
  { name: "D 16, a group with no prefix and one with all Pp", B: 2, G: 3, S: 5, Pp: 4, H: 2, D: 16, pre: [0, 4] },
  { name: "D 8, three groups of ragged prefixes", B: 3, G: 2, S: 4, Pp: 3, H: 3, D: 8, pre: [1, 3, 2] },
  { name: "D 4, long segment", B: 2, G: 2, S: 7, Pp: 5, H: 2, D: 4, pre: [5, 2] },
  { name: "D 32, one group", B: 1, G: 2, S: 3, Pp: 2, H: 1, D: 32, pre: [2] },
  { name: "D 12 (not a power of two)", B: 1, G: 1, S: 6, Pp: 3, H: 2, D: 12, pre: [3] },
  { name: "Pp 0 (plain causal attention)", B: 2, G: 1, S: 6, Pp: 0, H: 2, D: 8, pre: [0, 0] },
  { name: "S 1 (one query per row)", B: 2, G: 3, S: 1, Pp: 3, H: 2, D: 4, pre: [3, 0] },
  { name: "S 1 and Pp 0 (a lone query attends to itself)", B: 1, G: 2, S: 1, Pp: 0, H: 1, D: 4, pre: [0] },
];

/** Random inputs of a case (and a random R for the loss Σ y ⊙ R). */
function inputs(c: Case, seed: number) {
  const rng = createRng(seed);
  const E = c.H * c.D;
  const N = c.B * c.G;
  // float32-representable values, so the op and the float64 reference see the same inputs.
  const draw = (n: number) => Float64Array.from(Float32Array.from(normalArray(n, 1, rng)));
  return { qkv: draw(N * c.S * 3 * E), kp: draw(c.B * c.H * c.Pp * c.D), vp: draw(c.B * c.H * c.Pp * c.D), R: draw(N * c.S * E) };
}
/** A float32 tensor of float64 data (tf.tensor takes no Float64Array). */
const T = (data: Float64Array, shape: number[]) => tf.tensor(Float32Array.from(data), shape);
const shapes = (c: Case) => ({ qkv: [c.B * c.G * c.S, 3 * c.H * c.D], kp: [c.B, c.H, c.Pp, c.D] });
const op = (c: Case, qkv: tf.Tensor, kp: tf.Tensor, vp: tf.Tensor) => sharedPrefixAttention(qkv as tf.Tensor2D, kp as tf.Tensor4D, vp as tf.Tensor4D, c.pre, { B: c.B, G: c.G, S: c.S, H: c.H });

describe("sharedPrefixAttention against a float64 reference", () => {
  for (const [n, c] of CASES.entries()) {
    test(`values equal the reference formula: ${c.name}`, () => {
      const x = inputs(c, 100 + n);
      const sh = shapes(c);
      const y = tf.tidy(() => op(c, T(x.qkv, sh.qkv), T(x.kp, sh.kp), T(x.vp, sh.kp)).dataSync().slice());
      assertClose(y, refAttention(x.qkv, x.kp, x.vp, c.pre, c).y, c.name, 1e-5);
    });

    test(`gradients w.r.t. qkv, kp, vp equal float64 central differences of the reference: ${c.name}`, () => {
      const x = inputs(c, 200 + n);
      const sh = shapes(c);
      const [gq, gk, gv] = tf.tidy(() => {
        const R = T(x.R, [c.B * c.G * c.S, c.H * c.D]);
        const gs = tf.grads((q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => op(c, q, k, v).mul(R).sum())([T(x.qkv, sh.qkv), T(x.kp, sh.kp), T(x.vp, sh.kp)]);
        return gs.map((g) => g.dataSync().slice());
      });
      assert.deepEqual([gq.length, gk.length, gv.length], [x.qkv.length, x.kp.length, x.vp.length]);
      const refLoss = (q: Float64Array, k: Float64Array, v: Float64Array) => refAttention(q, k, v, c.pre, c).y.reduce((s, yi, i) => s + yi * x.R[i], 0);
      const eps = 1e-5;
      for (const [which, base, analytic] of [["qkv", x.qkv, gq], ["kp", x.kp, gk], ["vp", x.vp, gv]] as const) {
        // Every element of small tensors, an evenly spread subset (≤ ~300) of large ones.
        const stride = Math.max(1, Math.floor(base.length / 300));
        const fd: number[] = [];
        const got: number[] = [];
        for (let i = 0; i < base.length; i += stride) {
          const at = (d: number) => {
            const p = base.slice();
            p[i] += d;
            return which === "qkv" ? refLoss(p, x.kp, x.vp) : which === "kp" ? refLoss(x.qkv, p, x.vp) : refLoss(x.qkv, x.kp, p);
          };
          fd.push((at(eps) - at(-eps)) / (2 * eps));
          got.push(analytic[i]);
        }
        assertClose(got, fd, `${c.name}: d/d${which}`, 1e-4);
      }
      // The gradient is not trivially zero: q, k and v columns of qkv and the valid prefix rows all get some.
      const E = c.H * c.D;
      for (const [part, from] of [["q", 0], ["k", E], ["v", 2 * E]] as const) {
        const anyNonZero = gq.some((g, i) => i % (3 * E) >= from && i % (3 * E) < from + E && Math.abs(g) > 1e-4);
        // A lone query (S 1, no prefix) has softmax ≡ 1: its q and k get exactly no gradient.
        if (c.S === 1 && c.Pp === 0 && part !== "v") assert.ok(gq.every((g, i) => !(i % (3 * E) >= from && i % (3 * E) < from + E) || g === 0), `${c.name}: d${part} should be 0`);
        else assert.ok(anyNonZero, `${c.name}: d${part} is all zero`);
      }
      // Prefix rows a group does not use (j ≥ pre[b]) get exactly 0; used rows get a gradient.
      for (let b = 0; b < c.B; b++)
        for (let h = 0; h < c.H; h++)
          for (let j = 0; j < c.Pp; j++) {
            const o = ((b * c.H + h) * c.Pp + j) * c.D;
            const rowK = Array.from(gk.subarray(o, o + c.D));
            const rowV = Array.from(gv.subarray(o, o + c.D));
            if (j >= c.pre[b]) assert.ok([...rowK, ...rowV].every((g) => g === 0), `${c.name}: unused prefix row b=${b} h=${h} j=${j} has a gradient`);
            else assert.ok(rowK.some((g) => g !== 0) && rowV.some((g) => g !== 0), `${c.name}: prefix row b=${b} h=${h} j=${j} has no gradient`);
          }
    });
  }

  test("gradients equal float32 central differences of the op itself (ε 1e-2, relative 2e-2)", () => {
    const c = CASES[0];
    const x = inputs(c, 300);
    const sh = shapes(c);
    // A loss with curvature in every input: Σ R ⊙ y².
    const lossOf = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => op(c, q, k, v).square().mul(T(x.R, [c.B * c.G * c.S, c.H * c.D])).sum();
    const value = (q: Float64Array, k: Float64Array, v: Float64Array) => tf.tidy(() => lossOf(T(q, sh.qkv), T(k, sh.kp), T(v, sh.kp)).dataSync()[0]);
    const [gq, gk, gv] = tf.tidy(() => tf.grads(lossOf)([T(x.qkv, sh.qkv), T(x.kp, sh.kp), T(x.vp, sh.kp)]).map((g) => g.dataSync().slice()));
    const E = c.H * c.D;
    const picks: ["qkv" | "kp" | "vp", number][] = [
      ["qkv", 3 * 3 * E + 5], // q of row 0, position 3
      ["qkv", 7 * 3 * E + E + 2 * 1], // k of row 1, position 2
      ["qkv", 20 * 3 * E + 2 * E + c.D + 3], // v of row 4, position 0, head 1
      ["kp", ((1 * c.H + 0) * c.Pp + 0) * c.D + 1], // group 1's prefix key 0
      ["kp", ((1 * c.H + 1) * c.Pp + 3) * c.D + 9],
      ["vp", ((1 * c.H + 1) * c.Pp + 2) * c.D + 15],
    ];
    const eps = 1e-2;
    for (const [which, i] of picks) {
      const base = x[which];
      const analytic = (which === "qkv" ? gq : which === "kp" ? gk : gv)[i];
      const at = (d: number) => {
        const p = base.slice();
        p[i] += d;
        return which === "qkv" ? value(p, x.kp, x.vp) : which === "kp" ? value(x.qkv, p, x.vp) : value(x.qkv, x.kp, p);
      };
      const fd = (at(eps) - at(-eps)) / (2 * eps);
      assert.ok(Math.abs(analytic) > 1e-3, `d/d${which}[${i}] is zero`);
      assert.ok(Math.abs(fd - analytic) <= 2e-2 * Math.max(1, Math.abs(analytic)), `d/d${which}[${i}] analytic ${analytic} vs fd ${fd}`);
    }
  });
});

describe("sharedPrefixAttention's probabilities (the forward kernel's second output)", () => {
  for (const c of [CASES[0], CASES[2], CASES[5], CASES[6]])
    test(`P is 0 exactly on invalid prefix keys and future keys, each row sums to 1, and P equals the reference: ${c.name}`, () => {
      const x = inputs(c, 400);
      const sh = shapes(c);
      const { P, y } = tf.tidy(() => {
        // Fill freed heap memory with garbage first: the kernel must write every element of P.
        tf.dispose(tf.fill([c.B * c.G * c.H * c.S * (c.Pp + c.S) + 64], 77.5));
        const attrs = { B: c.B, G: c.G, S: c.S, Pp: c.Pp, H: c.H, D: c.D };
        const out = tf.engine().runKernel(ATTN_FORWARD, { qkv: T(x.qkv, sh.qkv), kp: T(x.kp, sh.kp), vp: T(x.vp, sh.kp), pre: tf.tensor1d(c.pre, "int32") }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        assert.equal(out.length, 2);
        assert.deepEqual(out[1].shape, [c.B * c.G, c.H, c.S, c.Pp + c.S]);
        return { y: out[0].dataSync().slice(), P: out[1].dataSync().slice() };
      });
      const ref = refAttention(x.qkv, x.kp, x.vp, c.pre, c);
      assertClose(y, ref.y, "y", 1e-5);
      assertClose(P, ref.P, "P", 1e-5);
      const K = c.Pp + c.S;
      for (let i = 0; i < c.B * c.G; i++) {
        const b = Math.floor(i / c.G);
        for (let h = 0; h < c.H; h++)
          for (let t = 0; t < c.S; t++) {
            const row = P.subarray(((i * c.H + h) * c.S + t) * K, ((i * c.H + h) * c.S + t + 1) * K);
            let sum = 0;
            for (let j = 0; j < K; j++) {
              const masked = j < c.Pp ? j >= c.pre[b] : j - c.Pp > t;
              if (masked) assert.equal(row[j], 0, `row ${i} head ${h} query ${t}: key column ${j} is masked but P = ${row[j]}`);
              else assert.ok(row[j] > 0, `row ${i} head ${h} query ${t}: key column ${j} is valid but P = ${row[j]}`);
              sum += row[j];
            }
            assert.ok(Math.abs(sum - 1) < 1e-6, `row ${i} head ${h} query ${t}: P sums to ${sum}`);
          }
      }
    });
});

describe("sharedPrefixAttention's input checks", () => {
  const c = { B: 2, G: 2, S: 3, H: 2 };
  const D = 4;
  const qkv = () => tf.zeros([c.B * c.G * c.S, 3 * c.H * D]) as tf.Tensor2D;
  const pref = (Pp = 2, d = D) => tf.zeros([c.B, c.H, Pp, d]) as tf.Tensor4D;

  test("a qkv of the wrong shape is refused, naming the shape expected", () => {
    assert.throws(() => tf.tidy(() => sharedPrefixAttention(tf.zeros([c.B * c.G * c.S - 1, 3 * c.H * D]) as tf.Tensor2D, pref(), pref(), [1, 2], c)), { message: "RlvrAttnForward: qkv has shape [11,24], expected [12,24]" });
    assert.throws(() => tf.tidy(() => sharedPrefixAttention(tf.zeros([12, 20]) as tf.Tensor2D, pref(), pref(), [1, 2], c)), /qkv has shape \[12,20\], expected \[12,24\]/);
  });
  test("pre of a length other than B, or a prefix whose B or H disagree, is refused", () => {
    assert.throws(() => tf.tidy(() => sharedPrefixAttention(qkv(), pref(), pref(), [1], c)), /sharedPrefixAttention: prefix \[2,2,2,4\] and pre \(1\) do not match B=2, H=2/);
    assert.throws(() => tf.tidy(() => sharedPrefixAttention(qkv(), pref(), pref(), [1, 2, 0], c)), /pre \(3\) do not match/);
    assert.throws(() => tf.tidy(() => sharedPrefixAttention(qkv(), pref(), pref(), [1, 2], { ...c, H: 3 })), /do not match B=2, H=3/);
    assert.throws(() => tf.tidy(() => sharedPrefixAttention(qkv(), pref(), pref(), [1, 2], { ...c, B: 3 })), /do not match B=3/);
  });
  test("vp of a shape other than kp's is refused", () => {
    assert.throws(() => tf.tidy(() => sharedPrefixAttention(qkv(), pref(2), pref(3), [1, 2], c)), /vp has shape \[2,2,3,4\], expected \[2,2,2,4\]/);
  });
  test("a pre[b] outside [0, Pp] is refused, naming the value and the range", () => {
    assert.throws(() => tf.tidy(() => sharedPrefixAttention(qkv(), pref(), pref(), [1, 3], c)), /the index value 3 is not in \[0, 2\]/);
    assert.throws(() => tf.tidy(() => sharedPrefixAttention(qkv(), pref(), pref(), [-1, 0], c)), /the index value -1 is not in \[0, 2\]/);
  });
  test(
    "a pre[b] > 0 with no prefix at all (Pp = 0) is refused too",
    () => {
      assert.throws(() => tf.tidy(() => sharedPrefixAttention(qkv(), pref(0), pref(0), [1, 2], c)), /not in/);
    },
  );
  test(
    "a refused pre leaves no backend buffers behind",
    () => {
      const q = qkv();
      const p = pref();
      const before = tf.engine().backend.numDataIds();
      assert.throws(() => sharedPrefixAttention(q, p, p, [1, 3], c));
      assert.equal(tf.engine().backend.numDataIds(), before);
      tf.dispose([q, p]);
    },
  );
  test("a head size that is not a multiple of 4 makes canFuseAttention false, and the kernel refuses it", () => {
    assert.equal(canFuseAttention(6), false);
    assert.equal(canFuseAttention(2), false);
    assert.equal(canFuseAttention(5), false);
    for (const d of [4, 8, 12, 16, 32]) assert.equal(canFuseAttention(d), true, `head size ${d}`);
    const D6 = 6;
    assert.throws(() => tf.tidy(() => sharedPrefixAttention(tf.zeros([12, 3 * c.H * D6]) as tf.Tensor2D, pref(2, D6), pref(2, D6), [1, 2], c)), /RlvrAttnForward: head size 6 must be a multiple of 4/);
  });
  test("canFuseAttention is false with setFusedAttention(\"off\") or setWasmKernels(\"tfjs\"), true again after", () => {
    withFused("off", () => assert.equal(canFuseAttention(8), false));
    setWasmKernels("tfjs");
    try {
      assert.equal(wasmKernels(), "tfjs");
      assert.equal(canFuseAttention(8), false);
    } finally {
      setWasmKernels("simd");
    }
    assert.equal(canFuseAttention(8), true);
  });
  test("float32 is required (an int32 qkv is refused)", () => {
    assert.throws(() => tf.tidy(() => sharedPrefixAttention(qkv().toInt() as tf.Tensor2D, pref(), pref(), [1, 2], c)), /RlvrAttnForward: qkv must be float32/);
  });
});

describe("sharedPrefixAttention leaves no tensors behind", () => {
  test("after tf.variableGrads through the op, after tf.grads, and after tf.tidy, numTensors is unchanged", () => {
    const c = CASES[1];
    const x = inputs(c, 500);
    const sh = shapes(c);
    const qv = tf.variable(T(x.qkv, sh.qkv));
    const kv = tf.variable(T(x.kp, sh.kp));
    const vv = tf.variable(T(x.vp, sh.kp));
    const R = T(x.R, [c.B * c.G * c.S, c.H * c.D]);
    const start = tf.memory().numTensors;
    for (let r = 0; r < 2; r++) {
      const { value, grads } = tf.variableGrads(() => op(c, qv, kv, vv).mul(R).sum() as tf.Scalar, [qv, kv, vv]);
      assert.equal(Object.keys(grads).length, 3);
      tf.dispose([value, ...Object.values(grads)]);
      assert.equal(tf.memory().numTensors, start, `after variableGrads, round ${r}`);
    }
    tf.tidy(() => {
      tf.grads((q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => op(c, q, k, v).sum())([qv, kv, vv]);
      op(c, qv, kv, vv);
    });
    assert.equal(tf.memory().numTensors, start, "after tf.tidy");
    const y = op(c, qv, kv, vv); // outside any tidy: only y remains
    assert.equal(tf.memory().numTensors, start + 1);
    tf.dispose([y, qv, kv, vv, R]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Through the policy: the fused op against the tfjs-op attention it replaces.

/** Random groups of G rows: prompt lengths `promptLens` (BOS included; 1 = BOS only), ragged completions. */
function batchOf(model: GPT, promptLens: number[], G: number, L: number, seed: number): { tokens: number[][]; groups: RowGroup[]; mask: number[][]; rowPrompt: number[] } {
  const rng = createRng(seed);
  const V = model.tokenizer.vocabSize;
  const { bosId, eosId, padId } = model.tokenizer;
  const char = () => 3 + Math.floor(rng() * (V - 3));
  const tokens: number[][] = [];
  for (const P of promptLens) {
    const prompt = [bosId, ...Array.from({ length: P - 1 }, char)];
    for (let g = 0; g < G; g++) {
      const n = 1 + Math.floor(rng() * (L - P)); // 1 … L − P completion tokens
      const completion = Array.from({ length: n }, (_, j) => (j === n - 1 && rng() < 0.5 ? eosId : char()));
      tokens.push([...prompt, ...completion, ...new Array(L - P - n).fill(padId)]);
    }
  }
  const groups = rowGroups(promptLens.map(() => G), promptLens);
  const rowPrompt = promptLens.flatMap((P) => new Array(G).fill(P));
  const mask = tokens.map((row, i) => Array.from({ length: L - 1 }, (_, t) => (t >= rowPrompt[i] - 1 && row[t + 1] !== padId ? 1 : 0)));
  return { tokens, groups, mask, rowPrompt };
}

/** A loss touching log-probs and entropies at the masked positions with varied weights. */
function weightedLoss(lp: tf.Tensor2D, ent: tf.Tensor2D, mask: number[][]): tf.Scalar {
  const w = tf.tensor2d(mask.map((r, i) => r.map((m, t) => m * (1 + 0.1 * ((i * 7 + t) % 5)))));
  return lp.mul(w).sum().add(ent.mul(w).sum().mul(0.3)) as tf.Scalar;
}

interface Scored {
  logprobs: number[][];
  entropy: number[][];
  loss: number;
  grads: Map<string, Float32Array>;
  kernels: string[];
}

/** Values, loss and every parameter's gradient of one scoring function, and the kernels it ran (tf.profile). */
async function score(model: GPT, f: () => { logprobs: tf.Tensor2D; entropy: tf.Tensor2D }, mask: number[][]): Promise<Scored> {
  let out: Omit<Scored, "kernels"> | null = null;
  const prof = await tf.profile(() => {
    const vals = f();
    const logprobs = vals.logprobs.arraySync();
    const entropy = vals.entropy.arraySync();
    tf.dispose([vals.logprobs, vals.entropy]);
    const vars = model.trainableVariables();
    const { value, grads } = tf.variableGrads(() => tf.tidy(() => {
      const v = f();
      return weightedLoss(v.logprobs, v.entropy, mask);
    }), vars);
    out = { logprobs, entropy, loss: value.dataSync()[0], grads: new Map([...model.params].map(([n, v]) => [n, grads[v.name].dataSync().slice() as Float32Array])) };
    tf.dispose([value, ...Object.values(grads)]);
  });
  return { ...out!, kernels: prof.kernelNames };
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): { diff: number; scale: number } {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return { diff, scale };
}

/** Same values at the scored positions (`keep`), same loss and parameter gradients within 1e-4 relative. */
function assertSameScores(fused: Scored, plain: Scored, keep: (i: number, t: number) => boolean, what: string): void {
  assert.ok(fused.kernels.includes("RlvrAttnForward") && fused.kernels.includes("RlvrAttnBackward"), `${what}: the fused kernels did not run (${[...new Set(fused.kernels)]})`);
  assert.ok(!plain.kernels.includes("RlvrAttnForward") && !plain.kernels.includes("RlvrAttnBackward"), `${what}: the "off" path ran the fused kernels`);
  for (const k of ["logprobs", "entropy"] as const)
    fused[k].forEach((row, i) =>
      row.forEach((x, t) => {
        if (keep(i, t)) assert.ok(Math.abs(x - plain[k][i][t]) <= 1e-4 * Math.max(1, Math.abs(plain[k][i][t])), `${what}: ${k}[${i}][${t}] ${x} vs ${plain[k][i][t]}`);
        else assert.equal(x, plain[k][i][t], `${what}: ${k}[${i}][${t}] outside the scored span`);
      }),
    );
  assert.ok(Math.abs(fused.loss - plain.loss) <= 1e-4 * Math.max(1, Math.abs(plain.loss)), `${what}: loss ${fused.loss} vs ${plain.loss}`);
  let nonZero = 0;
  for (const [name, g] of plain.grads) {
    const { diff, scale } = maxRelDiff(fused.grads.get(name)!, g);
    assert.ok(diff <= 1e-4 * Math.max(1, scale), `${what}: ${name} gradients differ by ${diff} (max |g| ${scale})`);
    if (scale > 0) nonZero++;
  }
  assert.ok(nonZero >= plain.grads.size - 1, `${what}: only ${nonZero} of ${plain.grads.size} parameters have a gradient`);
}

const MODELS: [string, Record<string, unknown>][] = [
  ["nLayer 1, head size 16", { nLayer: 1, nHead: 1, nEmbd: 16 }],
  ["nLayer 2, head size 8", { nLayer: 2, nHead: 2, nEmbd: 16 }],
  ["nLayer 2, head size 4", { nLayer: 2, nHead: 2, nEmbd: 8 }],
  ["nLayer 1, head size 4, 3 heads", { nLayer: 1, nHead: 3, nEmbd: 12 }],
];

describe("the policy's scoring passes with the fused attention on vs off (tfjs ops)", () => {
  const L = 11;
  for (const [mi, [name, cfg]] of MODELS.entries()) {
    describe(name, () => {
      let model: GPT;
      before(() => {
        model = tinyGPT(20 + mi, { blockSize: 12, ...cfg });
      });
      after(() => model.dispose());

      test("groupedTokenLogprobs: same log-probs, entropies and parameter gradients, prompts of lengths 1 (BOS only), 3, 5 and 2, temperature 0.7", async () => {
        const { tokens, groups, mask, rowPrompt } = batchOf(model, [1, 3, 5, 2], 3, L, 30 + mi);
        const f = () => groupedTokenLogprobs(model, tokens, groups, { temperature: 0.7 });
        const fused = await score(model, f, mask);
        const plain = await withFused("off", () => score(model, f, mask));
        assertSameScores(fused, plain, (i, t) => t >= rowPrompt[i] - 1, name);
      });

      test("groupedTokenLogprobs with span: same values on the span (0 after it) and the same gradients, temperature 1.3", async () => {
        const { tokens, groups, mask, rowPrompt } = batchOf(model, [4, 1, 2], 2, L, 40 + mi);
        const span = 4;
        const spanMask = mask.map((r, i) => r.map((m, t) => (t < rowPrompt[i] - 1 + span ? m : 0)));
        const f = () => groupedTokenLogprobs(model, tokens, groups, { temperature: 1.3, span });
        const fused = await score(model, f, spanMask);
        const plain = await withFused("off", () => score(model, f, spanMask));
        const inSpan = (i: number, t: number) => t >= rowPrompt[i] - 1 && t < rowPrompt[i] - 1 + span;
        assertSameScores(fused, plain, inSpan, `${name} span`);
        fused.logprobs.forEach((row, i) => row.forEach((x, t) => !inSpan(i, t) && assert.equal(x, 0)));
      });

      test("GPT.tokenLogprobs (GPT.hidden without a cache): same values at every position and the same gradients, temperature 0.8", async () => {
        const { tokens, mask } = batchOf(model, [1, 3, 2], 2, L, 50 + mi);
        const all = tokens.map((row) => row.slice(0, -1).map((_, t) => (row[t + 1] !== model.tokenizer.padId ? 1 : 0)));
        assert.ok(mask.length === all.length);
        const f = () => tf.tidy(() => model.tokenLogprobs(tf.tensor2d(tokens, undefined, "int32"), { temperature: 0.8 }));
        const fused = await score(model, f, all);
        const plain = await withFused("off", () => score(model, f, all));
        assertSameScores(fused, plain, () => true, `${name} tokenLogprobs`);
      });

      test("GPT.forward: same logits, also for a batch of single tokens (T = 1)", () => {
        const { tokens } = batchOf(model, [2, 4], 2, L, 60 + mi);
        for (const t of [tokens, tokens.map((r) => r.slice(0, 1))]) {
          const run = () => tf.tidy(() => model.forward(tf.tensor2d(t, undefined, "int32")).dataSync().slice());
          const out = { fused: run(), plain: withFused("off", run) };
          const { diff, scale } = maxRelDiff(out.fused, out.plain);
          assert.ok(diff <= 1e-4 * Math.max(1, scale), `${name}: logits differ by ${diff}`);
        }
      });
    });
  }

  test("a head size that is not a multiple of 4 (6) takes the tfjs ops with the switch on, with the same numbers as off", async () => {
    const model = tinyGPT(9, { blockSize: 12, nLayer: 1, nHead: 2, nEmbd: 12 });
    try {
      const { tokens, groups, mask } = batchOf(model, [1, 3], 2, 9, 70);
      const f = () => groupedTokenLogprobs(model, tokens, groups, { temperature: 0.9 });
      const on = await score(model, f, mask);
      const off = await withFused("off", () => score(model, f, mask));
      assert.ok(!on.kernels.includes("RlvrAttnForward"));
      assert.deepEqual(on.logprobs, off.logprobs);
      assert.equal(on.loss, off.loss);
    } finally {
      model.dispose();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// The GRPO trainer: the same run with the fused attention on, off, and with tfjs's kernels throughout.


async function grpoRun(): Promise<{ traces: TraceStep[]; weights: Map<string, Float32Array>; kernels: Set<string> }> {
  const policy = new GPT({ alphabet: ALPHABET, blockSize: 24, nLayer: 2, nHead: 2, nEmbd: 16 }, 7);
  try {
    // β > 0: the reference policy's scoring pass runs too; 3 micro-batches of one group each; truncated completions
    // stay in the loss (most are truncated at 6 tokens).
    const c = parseTrainConfig({ steps: 3, promptsPerStep: 3, groupSize: 4, maxTokens: 6, maskTruncated: false, warmupSteps: 0, lr: 1e-2, beta: 0.05, microBatches: 3, entropyCoef: 0.01, temperature: 0.9 });
    let traces: TraceStep[] = [];
    const prof = await tf.profile(async () => {
      traces = await trainGRPO(policy, toyTask, problems, c);
    });
    return { traces, weights: new Map([...policy.params].map(([n, v]) => [n, v.dataSync().slice() as Float32Array])), kernels: new Set(prof.kernelNames) };
  } finally {
    policy.dispose();
  }
}

/** Every numeric trace field but time within 1e-4 (relative above 1), every final weight within 1e-4. */
function assertSameRun(a: Awaited<ReturnType<typeof grpoRun>>, b: Awaited<ReturnType<typeof grpoRun>>, what: string): void {
  assert.equal(a.traces.length, 3);
  assert.equal(b.traces.length, 3);
  a.traces.forEach((t, s) => {
    for (const [k, v] of Object.entries(t as Record<string, number | null>)) {
      if (k === "seconds" || k.startsWith("time/")) continue;
      const w = (b.traces[s] as Record<string, number | null>)[k];
      if (v === null || w === null) assert.equal(v, w, `${what}: step ${s} ${k}`);
      else assert.ok(Math.abs(v - w) <= 1e-4 * Math.max(1, Math.abs(w)), `${what}: step ${s} ${k} ${v} vs ${w}`);
    }
  });
  assert.ok(a.traces.every((t) => Number.isFinite(t.loss) && t.grad_norm! > 0), `${what}: losses and grad norms are finite and non-zero`);
  for (const [name, w] of b.weights) {
    const { diff } = maxRelDiff(a.weights.get(name)!, w);
    assert.ok(diff <= 1e-4, `${what}: final ${name} differs by ${diff}`);
  }
}

describe("trainGRPO with the fused attention", () => {
  test("3 steps give the same losses, grad norms, metrics and final weights with the fused attention on and off, and with tfjs's kernels", async () => {
    const fused = await grpoRun();
    setFusedAttention("off");
    let off;
    try {
      off = await grpoRun();
    } finally {
      setFusedAttention("on");
    }
    setWasmKernels("tfjs");
    let tfjs;
    try {
      tfjs = await grpoRun();
    } finally {
      setWasmKernels("simd");
    }
    assert.ok(fused.kernels.has("RlvrAttnForward") && fused.kernels.has("RlvrAttnBackward"), "the default run uses the fused attention");
    for (const run of [off, tfjs]) assert.ok(!run.kernels.has("RlvrAttnForward") && !run.kernels.has("RlvrAttnBackward"), "the baselines do not");
    assert.ok(!tfjs.kernels.has("RlvrScatterAddRows"), "tfjs's kernels: no scatter-add embedding gradient either");
    assertSameRun(fused, off, "fused on vs off");
    assertSameRun(fused, tfjs, "simd vs tfjs kernels");
    // The updates moved the weights (the comparison is not between three untouched models).
    const init = new GPT({ alphabet: ALPHABET, blockSize: 24, nLayer: 2, nHead: 2, nEmbd: 16 }, 7);
    try {
      assert.ok(maxRelDiff(fused.weights.get("h1.attn.wqkv")!, init.p("h1.attn.wqkv").dataSync()).diff > 1e-3);
    } finally {
      init.dispose();
    }
  });
});
