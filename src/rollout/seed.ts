/**
 * Per-request sampling seeds.
 *
 * Every sample of a sweep is one request whose `seed` is a pure function of
 * (run seed, prompt id, epoch, step, sample index):
 *
 *   seed = hi · 2^32 + lo,  lo = hashSeed("rlvr/sample", run, id, epoch, step, i),
 *                           hi = hashSeed("rlvr/sample-hi", run, id, epoch, step, i) mod 2^20
 *
 * so a rerun (or a `--resume` after a crash) asks for exactly the same samples, and two different
 * prompts never share a sample stream. 52 bits instead of 32 keep accidental collisions negligible
 * (≈ m²/2^53 for m seeds: ~1e-4 for a million samples) and stay inside `Number.MAX_SAFE_INTEGER`, so
 * the seed survives JSON unchanged. The server additionally mixes the prompt text and sample index into
 * its generator state, so even a colliding seed would not repeat another prompt's text.
 */
import { hashSeed } from "../stats/rng.js";

export interface SampleKey {
  /** Problem id (`Problem.id`). */
  problemId: string;
  /** Index of the sample within the problem, 0-based. */
  sampleIndex: number;
  /** Training epoch (0 for evaluation sweeps). */
  epoch?: number;
  /** Training step (0 for evaluation sweeps). */
  step?: number;
  /** Run-level seed that shifts every request seed at once. */
  runSeed?: number;
}

/** Stable 52-bit integer seed for one sample (see module comment for the formula). */
export function sampleSeed(key: SampleKey): number {
  const parts = [key.runSeed ?? 0, key.problemId, key.epoch ?? 0, key.step ?? 0, key.sampleIndex] as const;
  const lo = hashSeed("rlvr/sample", ...parts);
  const hi = hashSeed("rlvr/sample-hi", ...parts) & 0xfffff;
  return hi * 2 ** 32 + lo;
}

/** The string key that identifies a (problem, sample) pair in completions.jsonl and verdicts.jsonl. */
export function sampleKeyString(problemId: string, sampleIndex: number): string {
  return `${problemId}\u001f${sampleIndex}`;
}
