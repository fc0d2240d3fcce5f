/**
 * Pure next-token distribution processing (number arrays, no tensors), applied in this order (as HF does):
 *
 *   1. temperature τ:  p_v ∝ exp(z_v / τ)              (τ = 0 → all mass on the argmax, lowest id on ties)
 *   2. top-k:          keep the k largest p_v            (k = 0 → off; ties at the boundary broken by lower id)
 *   3. top-p:          keep the smallest set of most likely tokens whose mass ≥ p (always ≥ 1 token)
 *   4. renormalise.
 *
 * `logSoftmax` gives the raw (untempered, unfiltered) log-probabilities reported as `logprobsRaw`.
 */

/** log Σ_v exp(z_v / τ), computed stably in float64 (τ = 1 by default). */
export function logSumExp(z: ArrayLike<number>, temperature = 1): number {
  let max = -Infinity;
  for (let i = 0; i < z.length; i++) if (z[i] / temperature > max) max = z[i] / temperature;
  let sum = 0;
  for (let i = 0; i < z.length; i++) sum += Math.exp(z[i] / temperature - max);
  return max + Math.log(sum);
}

/** log softmax(z)_v = z_v − log Σ exp(z), computed stably in float64. */
export function logSoftmax(z: ArrayLike<number>): Float64Array {
  const lse = logSumExp(z);
  const out = new Float64Array(z.length);
  for (let i = 0; i < z.length; i++) out[i] = z[i] - lse;
  return out;
}

export interface ProcessOptions {
  temperature: number;
  topK: number;
  topP: number;
}

/** The final sampling distribution over the vocabulary (sums to 1; zero outside the kept set). */
export function processLogits(z: ArrayLike<number>, o: ProcessOptions): Float64Array {
  const V = z.length;
  const probs = new Float64Array(V);
  if (o.temperature === 0) {
    let best = 0;
    for (let i = 1; i < V; i++) if (z[i] > z[best]) best = i;
    probs[best] = 1;
    return probs;
  }
  const lse = logSumExp(z, o.temperature); // p_v = exp(z_v/τ − lse), no intermediate arrays (the sampler's hot loop)
  for (let i = 0; i < V; i++) probs[i] = Math.exp(z[i] / o.temperature - lse);
  if (o.topK > 0 || o.topP < 1) {
    const order = Array.from({ length: V }, (_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b);
    let keep = o.topK > 0 ? Math.min(o.topK, V) : V;
    if (o.topP < 1) {
      let mass = 0;
      for (let i = 0; i < keep; i++) mass += probs[order[i]];
      let cum = 0;
      let n = 0;
      while (n < keep) {
        cum += probs[order[n]] / mass; // top-p acts on the top-k-renormalised distribution
        n++;
        if (cum >= o.topP - 1e-12) break;
      }
      keep = Math.max(1, n);
    }
    for (let i = keep; i < V; i++) probs[order[i]] = 0;
  }
  let total = 0;
  for (let i = 0; i < V; i++) total += probs[i];
  for (let i = 0; i < V; i++) probs[i] /= total;
  return probs;
}

/** Draw an index from a distribution with one uniform number u ∈ [0, 1). */
export function drawIndex(probs: ArrayLike<number>, u: number): number {
  let cum = 0;
  let last = 0;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] <= 0) continue;
    cum += probs[i];
    last = i;
    if (u < cum) return i;
  }
  return last; // rounding: u ≥ total mass
}
