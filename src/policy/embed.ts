/**
 * Embedding lookup `table[ids]` `[n, C]` with a gradient, for the training forward passes (gpt.ts, prefix.ts).
 *
 *   "gather" (default where this project's SIMD kernels run): forward = an axis-0 gather, backward = the
 *            table gradient by scatter-adding dy's rows (`RlvrScatterAddRows`, src/policy/wasmKernels.ts);
 *   "onehot": onehot(ids) · table, with the matmul's gradient (the only form tfjs-wasm's own kernels can
 *            differentiate: it has no gather gradient, DESIGN.md). Also used on other backends.
 *
 * Same values (a gather copies the rows exactly; onehot · table adds exact zeros) and the same gradient up to
 * the order of float additions. The one-hot form costs 3 matmuls of [n, V] × [V, C] per lookup (forward, and a
 * backward that also differentiates the constant one-hot); for the policy's 99-token vocabulary and 96
 * positions that was ~15% of a training step's matmul work.
 */
import * as tf from "@tensorflow/tfjs";
import { matmul } from "./matmul.js";
import { SCATTER_ADD_ROWS, wasmKernels } from "./wasmKernels.js";

export type Embedding = "gather" | "onehot";
let mode: Embedding = "gather";
/** Global switch (default "gather" where the SIMD kernels run); "onehot" is the benchmark's baseline. */
export function setEmbedding(m: Embedding): void {
  mode = m;
}

/** `table[ids]` `[ids.length, C]`; ids must be integers in [0, rows) (else it throws, naming the id and its position). */
export function embed(table: tf.Tensor2D, ids: ArrayLike<number>): tf.Tensor2D {
  const rows = table.shape[0];
  const list = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (!Number.isInteger(id) || id < 0 || id >= rows) throw new Error(`embed: id ${id} at position ${i} is not an integer in [0, ${rows - 1}]`);
    list[i] = id;
  }
  if (mode === "onehot" || wasmKernels() !== "simd") {
    // tf.oneHot refuses depth 1: a one-row table is ones [n, 1] · table.
    const hot = rows === 1 ? tf.ones([list.length, 1]) : tf.oneHot(tf.tensor1d(list, "int32"), rows).cast("float32");
    return matmul(hot as tf.Tensor2D, table);
  }
  const lookup = tf.customGrad(((t: tf.Tensor) => ({
    value: tf.gather(t, tf.tensor1d(list, "int32")),
    gradFunc: (dy: tf.Tensor) => [tf.engine().runKernel(SCATTER_ADD_ROWS, { dy, indices: tf.tensor1d(list, "int32") }, { rows }) as tf.Tensor],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- customGrad's variadic signature
  })) as any) as (t: tf.Tensor) => tf.Tensor;
  return lookup(table) as tf.Tensor2D;
}
