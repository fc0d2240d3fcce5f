/**
 * Gradient check for the policy: the analytic gradient of `loss` at chosen entries of named parameters against
 * central finite differences (ε = 1e-2, relative tolerance 2e-2). Each parameter is restored after its check.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { GPT } from "../../src/policy/gpt.js";

export function assertGradsMatchFiniteDifferences(model: GPT, loss: () => tf.Scalar, picks: [string, number][], o: { nonZero?: boolean } = {}): void {
  const vars = model.trainableVariables();
  const { value, grads } = tf.variableGrads(loss, vars);
  value.dispose();
  for (const [name, i] of picks) {
    const v = model.params.get(name)!;
    const g = grads[v.name].dataSync()[i];
    const orig = v.dataSync().slice();
    const eps = 1e-2;
    const at = (delta: number) => {
      const d = orig.slice();
      d[i] += delta;
      tf.tidy(() => v.assign(tf.tensor(d, v.shape)));
      const l = loss();
      const r = l.dataSync()[0];
      l.dispose();
      return r;
    };
    const fd = (at(eps) - at(-eps)) / (2 * eps);
    tf.tidy(() => v.assign(tf.tensor(orig, v.shape)));
    if (o.nonZero) assert.ok(Math.abs(g) > 1e-6, `${name}[${i}] has a zero gradient`);
    assert.ok(Math.abs(fd - g) <= 2e-2 * Math.max(1, Math.abs(g)), `${name}[${i}] analytic ${g} vs fd ${fd}`);
  }
  tf.dispose(Object.values(grads));
}
