/**
 * GELU, tanh approximation, with a closed-form backward (one fused formula instead of autodiff through
 * ~8 elementwise ops):
 *
 *   gelu(x)  = ½ x (1 + tanh u),   u = k (x + 0.044715 x³),   k = √(2/π)
 *   gelu'(x) = ½ (1 + tanh u) + ½ x (1 − tanh² u) k (1 + 3·0.044715 x²)
 */
import * as tf from "@tensorflow/tfjs";

const K = Math.sqrt(2 / Math.PI);
const A = 0.044715;

const geluCustom = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  const t = tf.tanh(x.mul(x).mul(A).add(1).mul(x).mul(K)); // tanh u
  save([x, t]);
  return {
    value: x.mul(t.add(1)).mul(0.5),
    gradFunc: (dy: tf.Tensor, [sx, st]: tf.Tensor[]) => {
      const x2 = sx.mul(sx);
      const dudx = x2.mul(3 * A).add(1).mul(K);
      const d = st.add(1).mul(0.5).add(sx.mul(0.5).mul(tf.scalar(1).sub(st.mul(st))).mul(dudx));
      return [dy.mul(d)];
    },
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- customGrad's variadic signature
}) as any) as (x: tf.Tensor) => tf.Tensor;

export function gelu<T extends tf.Tensor>(x: T): T {
  return geluCustom(x) as T;
}
