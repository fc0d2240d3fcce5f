/**
 * Causal self-attention with a shared prompt prefix, as one differentiable op: the training passes'
 * attention (prefix.ts `groupedTokenLogprobs`; `GPT.hidden` without a cache, with no prefix) in two of this
 * project's SIMD kernels (`RlvrAttnForward`, `RlvrAttnBackward`, src/policy/wasm/assembly/kernels.ts) instead
 * of ~20 tfjs ops forward (split, head transposes, batched matmuls, concat, mask, softmax, slices) and their
 * gradients.
 *
 * Rows come in B groups of G consecutive rows, S positions each; group b's rows share the keys/values of its
 * prompt prefix `kp`, `vp` `[B, H, Pp, D]` of which the first `pre[b]` are valid; `qkv` `[B·G·S, 3E]` holds
 * each position's q | k | v (head h at columns h·D of each third). Query t of a row attends to its group's
 * valid prefix keys and to its own keys 0…t:
 *
 *   y_t = softmax([q_t·Kₚᵀ | q_t·Kₛ[0…t]ᵀ] / √D) · [Vₚ | Vₛ[0…t]]            y [B·G·S, E], heads merged
 *
 * — the same function as the tfjs ops it replaces (tested against them, values and gradients, and against
 * finite differences). The gradient reaches qkv and the prefix's kp, vp (summed over the group's rows).
 * `canFuseAttention()` is false where the kernels are not installed (other backends, `setWasmKernels("tfjs")`)
 * or `setFusedAttention("off")` (the benchmark's baseline); callers then use the tfjs ops.
 */
import * as tf from "@tensorflow/tfjs";
import { ATTN_BACKWARD, ATTN_FORWARD, wasmKernels, type AttnAttrs } from "./wasmKernels.js";

export type FusedAttention = "on" | "off";
let mode: FusedAttention = "on";
/** Global switch (default "on"); "off" runs the attention as tfjs ops. */
export function setFusedAttention(m: FusedAttention): void {
  mode = m;
}

/** Whether `sharedPrefixAttention` can run (head size must be a multiple of 4). */
export function canFuseAttention(headSize: number): boolean {
  return mode === "on" && wasmKernels() === "simd" && headSize % 4 === 0;
}

/**
 * The attention output `[B·G·S, E]` (module comment). `kp`, `vp` may have Pp = 0 (no prefix: plain causal
 * attention over each row's own S positions); `pre` are the valid prefix lengths per group (0 ≤ pre[b] ≤ Pp).
 */
export function sharedPrefixAttention(qkv: tf.Tensor2D, kp: tf.Tensor4D, vp: tf.Tensor4D, pre: readonly number[], a: Omit<AttnAttrs, "Pp" | "D">): tf.Tensor2D {
  const [B, H, Pp, D] = kp.shape;
  if (B !== a.B || H !== a.H || pre.length !== B) throw new Error(`sharedPrefixAttention: prefix [${kp.shape}] and pre (${pre.length}) do not match B=${a.B}, H=${a.H}`);
  const attrs: AttnAttrs = { ...a, Pp, D };
  const preList = Int32Array.from(pre);
  const op = tf.customGrad(((q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, save: tf.GradSaveFunc) => {
    const [y, P] = tf.engine().runKernel(ATTN_FORWARD, { qkv: q, kp: k, vp: v, pre: tf.tensor1d(preList, "int32") }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    save([q, k, v, P]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, [sq, sk, sv, sP]: tf.Tensor[]) =>
        tf.engine().runKernel(ATTN_BACKWARD, { dy, qkv: sq, kp: sk, vp: sv, P: sP, pre: tf.tensor1d(preList, "int32") }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[],
    };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- customGrad's variadic signature
  }) as any) as (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => tf.Tensor;
  return op(qkv, kp, vp) as tf.Tensor2D;
}
