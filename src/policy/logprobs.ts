/**
 * Per row of logits `[R, V]` and a target token t: the target's log-probability and the entropy of the row's
 * distribution, as one differentiable op,
 *
 *   lp = z_t − log Σ_v e^{z_v},   H = −Σ_v p_v log p_v,   p = softmax(z),
 *
 * in two SIMD kernels (`RlvrLogprobEntropy` and its gradient, src/policy/wasm/assembly/kernels.ts) where this
 * project's kernels run, instead of tfjs's logSoftmax, one-hot selection, exp, multiply and two sums and their
 * gradients (the form used elsewhere, and the reference the tests compare with). Backward:
 *
 *   ∂lp/∂z_v = δ_{vt} − p_v,   ∂H/∂z_v = −p_v (log p_v + H).
 */
import * as tf from "@tensorflow/tfjs";
import { LP_ENT_BACKWARD, LP_ENT_FORWARD, wasmKernels } from "./wasmKernels.js";

export type FusedLogprobs = "on" | "off";
let mode: FusedLogprobs = "on";
/** Global switch (default "on"); "off" computes with tfjs ops (the benchmark's baseline). */
export function setFusedLogprobs(m: FusedLogprobs): void {
  mode = m;
}

/** `{ logprobs [R], entropy [R] }` of `logits` [R, V] at `targets` (R integers in [0, V)). */
export function targetLogprobs(logits: tf.Tensor2D, targets: ArrayLike<number>): { logprobs: tf.Tensor1D; entropy: tf.Tensor1D } {
  const [R, V] = logits.shape;
  if (targets.length !== R) throw new Error(`targetLogprobs: ${targets.length} targets for ${R} rows of logits`);
  const list = Int32Array.from(targets as ArrayLike<number>);
  if (mode === "off" || wasmKernels() !== "simd") {
    const logp = tf.logSoftmax(logits);
    return {
      logprobs: logp.mul(tf.oneHot(tf.tensor1d(list, "int32"), V).cast("float32")).sum(-1) as tf.Tensor1D,
      entropy: logp.exp().mul(logp).sum(-1).neg() as tf.Tensor1D,
    };
  }
  const op = tf.customGrad(((z: tf.Tensor, save: tf.GradSaveFunc) => {
    const targetsT = tf.tensor1d(list, "int32");
    const [out, lse] = tf.engine().runKernel(LP_ENT_FORWARD, { logits: z, targets: targetsT }, {}) as tf.Tensor[];
    save([z, lse, out]);
    return {
      value: out,
      gradFunc: (dy: tf.Tensor, [sz, slse, sout]: tf.Tensor[]) => [
        tf.engine().runKernel(LP_ENT_BACKWARD, { logits: sz, targets: tf.tensor1d(list, "int32"), lse: slse, out: sout, dy }, {}) as tf.Tensor,
      ],
    };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- customGrad's variadic signature
  }) as any) as (z: tf.Tensor) => tf.Tensor;
  const both = op(logits) as tf.Tensor2D; // [2, R]
  const [logprobs, entropy] = tf.unstack(both) as tf.Tensor1D[];
  return { logprobs, entropy };
}
