/**
 * Seeded pseudo-random numbers for everything that must be reproducible: bootstrap resamples, synthetic
 * data, per-request sampling seeds.
 *
 * `createRng(seed)` is mulberry32 (Tommy Ettinger's 32-bit generator): one 32-bit state word, period 2^32,
 * passes gjrand/PractRand up to the sizes a bootstrap needs, and costs a few integer ops a draw. It is NOT
 * cryptographic. `hashSeed(...parts)` turns any list of strings/numbers into a stable 32-bit seed
 * (FNV-1a over the parts joined by a separator byte, then a murmur3 finaliser so that nearby inputs give
 * unrelated seeds), e.g. `createRng(hashSeed(runSeed, problemId, sampleIndex))`.
 */

/** A generator of uniform floats in [0, 1). */
export type Rng = () => number;

/** Coerce any finite number to an unsigned 32-bit seed; throws on NaN/±Infinity so a bad seed is never silent. */
function toSeed(seed: number): number {
  if (!Number.isFinite(seed)) throw new RangeError(`rng seed must be a finite number, got ${seed}`);
  // Keep integers up to 2^53 distinct modulo 2^32; fractional seeds are hashed so 0.5 ≠ 0.
  if (Number.isInteger(seed)) return Number(BigInt.asUintN(32, BigInt(seed)));
  return hashSeed(String(seed));
}

/**
 * mulberry32 seeded generator: returns `() => number` uniform in [0, 1) with 32 bits of randomness.
 * The same seed always gives the same sequence, on every platform.
 */
export function createRng(seed: number): Rng {
  let a = toSeed(seed);
  return function next(): number {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform integer in [0, n) drawn from `rng` (n ≥ 1, n ≤ 2^32). */
export function randInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/**
 * Stable 32-bit hash of a list of parts (strings or numbers), for deriving seeds:
 * `hashSeed("run-7", "gsm8k/123", 4)`. Parts are joined with a 0x1f separator, so
 * `hashSeed("ab", "c") !== hashSeed("a", "bc")`. Numbers are hashed by their decimal string.
 */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5; // FNV-1a offset basis
  for (let p = 0; p < parts.length; p++) {
    const s = typeof parts[p] === "number" ? String(parts[p]) : (parts[p] as string);
    if (p > 0) {
      h ^= 0x1f;
      h = Math.imul(h, 0x01000193);
    }
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h ^= c & 0xff;
      h = Math.imul(h, 0x01000193);
      h ^= c >>> 8;
      h = Math.imul(h, 0x01000193);
    }
  }
  // murmur3 fmix32 finaliser: spreads FNV's weak low bits.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
