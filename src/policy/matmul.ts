/**
 * `matmul(a, b)`: `a @ b` for rank-2 `[M, K] @ [K, N]` or batched rank-3 `[Z, M, K] @ [Z, K, N]`, with a
 * `tf.customGrad` backward that materialises the transposes explicitly:
 *
 *   dA = dY @ transpose(B),   dB = transpose(A) @ dY.
 *
 * tfjs's built-in matMul gradient calls matMul with transposeA/transposeB flags, which the wasm backend runs
 * slowly; explicit transposes took a 421k-param GPT training step (32×64 tokens) from 2.8 s to 0.68 s on this
 * machine (DESIGN.md; re-measured by bench/policy.bench.ts). Where this project's SIMD kernels run
 * (wasmKernels.ts), which read a transposed operand in place, the backward passes the transpose flags instead.
 * `setMatmulGrad("plain")` switches back to plain `tf.matMul` (the benchmark's baseline).
 */
import * as tf from "@tensorflow/tfjs";
import { wasmKernels } from "./wasmKernels.js";

export type MatmulGrad = "custom" | "plain";
let mode: MatmulGrad = "custom";

/** Choose the gradient implementation used by every subsequent `matmul` call (global; default "custom"). */
export function setMatmulGrad(m: MatmulGrad): void {
  mode = m;
}
export function getMatmulGrad(): MatmulGrad {
  return mode;
}

function swapLast(x: tf.Tensor): tf.Tensor {
  return x.rank === 2 ? tf.transpose(x) : tf.transpose(x, [0, 2, 1]);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- customGrad's variadic signature
const customMatmul = tf.customGrad(((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved;
      // This project's kernels read transposed operands in place (wasmKernels.ts): no transposes to materialise.
      if (wasmKernels() === "simd") return [tf.matMul(dy as tf.Tensor2D, sb as tf.Tensor2D, false, true), tf.matMul(sa as tf.Tensor2D, dy as tf.Tensor2D, true, false)];
      return [tf.matMul(dy as tf.Tensor2D, swapLast(sb) as tf.Tensor2D), tf.matMul(swapLast(sa) as tf.Tensor2D, dy as tf.Tensor2D)];
    },
  };
}) as any) as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

export function matmul<R extends tf.Rank.R2 | tf.Rank.R3>(a: tf.Tensor<R>, b: tf.Tensor<R>): tf.Tensor<R> {
  if (mode === "plain") return tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D) as unknown as tf.Tensor<R>;
  return customMatmul(a, b) as tf.Tensor<R>;
}
