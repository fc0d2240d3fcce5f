/**
 * Seeded randomness for the policy: the project's mulberry32 `createRng` and `hashSeed` (src/stats/rng.ts),
 * plus a normal sampler for weight initialisation. Sequence i of a `sample` call uses
 * `createRng(hashSeed(seed, i))`.
 */
import { createRng, hashSeed } from "../stats/rng.js";

export { createRng, hashSeed };

/** Normal samples N(0, std²) via Box–Muller from a uniform generator. */
export function normalArray(n: number, std: number, rng: () => number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u1 = Math.max(rng(), 1e-12);
    const u2 = rng();
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = r * Math.cos(2 * Math.PI * u2) * std;
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * u2) * std;
  }
  return out;
}
