/**
 * GELU, tanh approximation, with a closed-form backward (one fused formula instead of autodiff through
 * ~8 elementwise ops). Written with the logistic sigmoid, using ½ (1 + tanh u) = σ(2u) exactly:
 *
 *   gelu(x)  = ½ x (1 + tanh u) = x σ(z),   u = k (x + 0.044715 x³),   z = 2u,   k = √(2/π)
 *   gelu'(x) = σ(z) + x σ(z) (1 − σ(z)) · 2k (1 + 3·0.044715 x²)
 *
 * Why σ and not tanh: tfjs-wasm's Tanh kernel is several times slower than its Sigmoid, and GELU was ~40%
 * of the base policy's forward pass (bench/policy.bench.ts section 4 measures both; docs/policy.md).
 */
import * as tf from "@tensorflow/tfjs";
import { GELU_BACKWARD, GELU_FORWARD, wasmKernels } from "./wasmKernels.js";

const K2 = 2 * Math.sqrt(2 / Math.PI);
const A = 0.044715;

const geluCustom = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  const x2 = x.mul(x);
  const s = tf.sigmoid(x2.mul(A).add(1).mul(x).mul(K2)); // σ(z)
  save([x, x2, s]);
  return {
    value: x.mul(s),
    gradFunc: (dy: tf.Tensor, [sx, sx2, ss]: tf.Tensor[]) => {
      const dzdx = sx2.mul(3 * A * K2).add(K2);
      const d = sx.mul(ss.sub(ss.square())).mul(dzdx).add(ss); // σ + x σ(1−σ) z'
      return [dy.mul(d)];
    },
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- customGrad's variadic signature
}) as any) as (x: tf.Tensor) => tf.Tensor;

// The former tanh form (same function, same closed-form backward), kept as the benchmark's baseline.
const K = K2 / 2;
const geluTanh = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  const t = tf.tanh(x.mul(x).mul(A).add(1).mul(x).mul(K)); // tanh u
  save([x, t]);
  return {
    value: x.mul(t.add(1)).mul(0.5),
    gradFunc: (dy: tf.Tensor, [sx, st]: tf.Tensor[]) => {
      const dudx = sx.mul(sx).mul(3 * A).add(1).mul(K);
      return [dy.mul(st.add(1).mul(0.5).add(sx.mul(0.5).mul(tf.scalar(1).sub(st.mul(st))).mul(dudx)))];
    },
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- customGrad's variadic signature
}) as any) as (x: tf.Tensor) => tf.Tensor;

export type GeluKernel = "sigmoid" | "tanh";
let kernel: GeluKernel = "sigmoid";
/** Global switch (default "sigmoid"); "tanh" is the benchmark's baseline. */
export function setGeluKernel(k: GeluKernel): void {
  kernel = k;
}

export function geluKernel(): GeluKernel {
  return kernel;
}

// The sigmoid form as two SIMD kernels (same formulas, src/policy/wasm/assembly/kernels.ts) where they run.
const geluFused = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x]);
  return {
    value: tf.engine().runKernel(GELU_FORWARD, { x }, {}) as tf.Tensor,
    gradFunc: (dy: tf.Tensor, [sx]: tf.Tensor[]) => [tf.engine().runKernel(GELU_BACKWARD, { x: sx, dy }, {}) as tf.Tensor],
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- customGrad's variadic signature
}) as any) as (x: tf.Tensor) => tf.Tensor;

export function gelu<T extends tf.Tensor>(x: T): T {
  if (kernel === "tanh") return geluTanh(x) as T;
  return (wasmKernels() === "simd" ? geluFused(x) : geluCustom(x)) as T;
}
