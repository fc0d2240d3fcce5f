/**
 * Adam (Kingma & Ba 2015) with a per-call learning rate, and gradient clipping by global norm — written
 * out so that ε, the schedule and the clip are visible rather than buried in tf.train.adam (whose ε
 * defaults to 1e-7 and whose lr is fixed at construction).
 *
 *   g ← g · min(1, c / ‖g‖₂)                     (‖g‖₂ over all parameters together; c = maxGradNorm)
 *   m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²
 *   θ ← θ − lr · m̂ / (√v̂ + ε),   m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
 */
import * as tf from "@tensorflow/tfjs";

/** Global L2 norm of a list of gradients (one number, read back). */
export function globalNorm(grads: tf.Tensor[]): number {
  return tf.tidy(() => {
    if (grads.length === 0) return 0;
    const sq = tf.addN(grads.map((g) => g.square().sum())); // scalar
    return Math.sqrt(sq.dataSync()[0]);
  });
}

export interface AdamOptions {
  beta1: number;
  beta2: number;
  eps: number;
}

export class Adam {
  private m: tf.Variable[];
  private v: tf.Variable[];
  private t = 0;

  constructor(
    readonly params: tf.Variable[],
    readonly options: AdamOptions,
  ) {
    this.m = params.map((p) => tf.variable(tf.zerosLike(p), false));
    this.v = params.map((p) => tf.variable(tf.zerosLike(p), false));
  }

  /**
   * One update with gradients aligned to `params`. Clips to `maxGradNorm` (0 = off) and returns the norm
   * before clipping. Does not dispose `grads`.
   */
  step(grads: tf.Tensor[], lr: number, maxGradNorm: number): { gradNorm: number } {
    if (grads.length !== this.params.length) throw new RangeError(`${grads.length} gradients for ${this.params.length} parameters`);
    const gradNorm = globalNorm(grads);
    if (!Number.isFinite(gradNorm)) throw new Error(`gradient norm is ${gradNorm}; refusing to update (lower lr or check the loss)`);
    const scale = maxGradNorm > 0 && gradNorm > maxGradNorm ? maxGradNorm / gradNorm : 1;
    this.t++;
    const { beta1, beta2, eps } = this.options;
    const bc1 = 1 - beta1 ** this.t;
    const bc2 = 1 - beta2 ** this.t;
    tf.tidy(() => {
      this.params.forEach((p, i) => {
        const g = grads[i].mul(scale);
        const m = this.m[i].mul(beta1).add(g.mul(1 - beta1));
        const v = this.v[i].mul(beta2).add(g.square().mul(1 - beta2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        p.assign(p.sub(m.div(bc1).div(v.div(bc2).sqrt().add(eps)).mul(lr)));
      });
    });
    return { gradNorm };
  }

  dispose(): void {
    for (const x of [...this.m, ...this.v]) x.dispose();
  }
}
