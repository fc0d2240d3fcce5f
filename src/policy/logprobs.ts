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

/** `{ logprobs [R], entropy [R] }` of `logits` [R, V] at `targets` (R integers in [0, V); else it throws naming the row). */
export function targetLogprobs(logits: tf.Tensor2D, targets: ArrayLike<number>): { logprobs: tf.Tensor1D; entropy: tf.Tensor1D } {
  const [R, V] = logits.shape;
  if (targets.length !== R) throw new Error(`targetLogprobs: ${targets.length} targets for ${R} rows of logits`);
  const list = new Int32Array(R);
  for (let i = 0; i < R; i++) {
    const t = targets[i];
    if (!Number.isInteger(t) || t < 0 || t >= V) throw new Error(`targetLogprobs: target ${t} of row ${i} is not an integer in [0, ${V - 1}]`);
    list[i] = t;
  }
  if (mode === "off" || wasmKernels() !== "simd") {
    const logp = tf.logSoftmax(logits);
    const hot = V === 1 ? tf.ones([R, 1]) : tf.oneHot(tf.tensor1d(list, "int32"), V).cast("float32"); // tf.oneHot refuses depth 1
    return {
      logprobs: logp.mul(hot).sum(-1) as tf.Tensor1D,
      entropy: logp.exp().mul(logp).sum(-1).neg() as tf.Tensor1D,
    };
  }
  const op = tf.customGrad(((z: tf.Tensor, save: tf.GradSaveFunc) => {
    const targetsT = tf.tensor1d(list, "int32");
    const [out, shift] = tf.engine().runKernel(LP_ENT_FORWARD, { logits: z, targets: targetsT }, {}) as tf.Tensor[];
    save([z, shift, out]);
    return {
      value: out,
      gradFunc: (dy: tf.Tensor, [sz, sshift, sout]: tf.Tensor[]) => [
        tf.engine().runKernel(LP_ENT_BACKWARD, { logits: sz, targets: tf.tensor1d(list, "int32"), shift: sshift, out: sout, dy }, {}) as tf.Tensor,
      ],
    };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- customGrad's variadic signature
  }) as any) as (z: tf.Tensor) => tf.Tensor;
  const both = op(logits) as tf.Tensor2D; // [2, R]
  const [logprobs, entropy] = tf.unstack(both) as tf.Tensor1D[];
  return { logprobs, entropy };
}
