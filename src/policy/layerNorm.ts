/**
 * LayerNorm over the last axis of `x` `[R, C]` as one differentiable op where this project's SIMD kernels run
 * (`RlvrLayerNorm` and its gradient, src/policy/wasm/assembly/kernels.ts) — the formula of `GPT.layerNorm`:
 *
 *   μ = mean(x), r = 1/√(mean((x − μ)²) + 1e-5), x̂ = (x − μ)·r, y = x̂·g + b,
 *   dx = r·(d − mean(d) − x̂·mean(d·x̂)) with d = dy·g,  dg = Σ_rows dy·x̂,  db = Σ_rows dy
 *
 * instead of ~9 tfjs ops forward and ~15 backward per call.
 */
import * as tf from "@tensorflow/tfjs";
import { LN_BACKWARD, LN_FORWARD } from "./wasmKernels.js";

export function fusedLayerNorm(x: tf.Tensor2D, g: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  const op = tf.customGrad(((xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor, save: tf.GradSaveFunc) => {
    const [y, mean, rstd] = tf.engine().runKernel(LN_FORWARD, { x: xx, g: gg, b: bb }, {}) as tf.Tensor[];
    save([xx, gg, mean, rstd]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, [sx, sg, sm, sr]: tf.Tensor[]) => tf.engine().runKernel(LN_BACKWARD, { x: sx, g: sg, mean: sm, rstd: sr, dy }, {}) as tf.Tensor[],
    };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- customGrad's variadic signature
  }) as any) as (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor;
  return op(x, g, b) as tf.Tensor2D;
}
