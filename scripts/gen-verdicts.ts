/**
 * Synthetic verdict JSONL for benchmarks and demos of `rlvr passk`: P problems × S samples, one Verdict-
 * shaped record per sample (status, score, extracted, span, normalized answers, rule, ms) plus
 * `problem_id`, `sample` and `metadata: {level, subject}`.
 *
 * Each problem gets a latent accuracy q = u^(level/2) · 0.9 (u uniform; harder levels lower), optionally
 * shifted by `delta` (clamped to [0, 1]) to make a "candidate" run that is better or worse on the same
 * problems. Each sample is correct with probability q. Seeded: createRng(hashSeed(seed, problem)).
 *
 *   node --import tsx scripts/gen-verdicts.ts --problems 7500 --samples 128 --seed 1 --out /tmp/v.jsonl [--delta=-0.05]
 */
import { openSync, writeSync, closeSync } from "node:fs";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { createRng, hashSeed } from "../src/stats/rng.js";

const SUBJECTS = ["algebra", "counting", "geometry", "number_theory", "precalculus"];

export interface GenOptions {
  problems: number;
  samples: number;
  seed?: number;
  /** Added to every problem's latent accuracy (clamped to [0, 1]). */
  delta?: number;
}

/** Latent accuracy of problem i (exported so tests and benches can compute the true pass@k). */
export function latentAccuracy(i: number, seed: number, delta = 0): { q: number; level: number; subject: string } {
  const rng = createRng(hashSeed("gen-verdicts/problem", seed, i));
  const level = 1 + Math.floor(rng() * 5);
  const subject = SUBJECTS[Math.floor(rng() * SUBJECTS.length)];
  const q = Math.min(1, Math.max(0, Math.pow(rng(), level / 2) * 0.9 + delta));
  return { q, level, subject };
}

/** Write the synthetic verdicts to `path`; returns the number of records written. */
export function generateVerdicts(path: string, options: GenOptions): number {
  const { problems, samples, seed = 1, delta = 0 } = options;
  const fd = openSync(path, "w");
  let buf: string[] = [];
  let written = 0;
  for (let i = 0; i < problems; i++) {
    const { q, level, subject } = latentAccuracy(i, seed, delta);
    const gold = String(1 + (i % 997));
    const rng = createRng(hashSeed("gen-verdicts/samples", seed, i));
    for (let s = 0; s < samples; s++) {
      const ok = rng() < q;
      const unparseable = !ok && rng() < 0.1;
      const pred = ok ? gold : unparseable ? null : String(1 + Math.floor(rng() * 999));
      const start = 40 + Math.floor(rng() * 400);
      buf.push(
        JSON.stringify({
          problem_id: `p${String(i).padStart(5, "0")}`,
          sample: s,
          status: ok ? "correct" : unparseable ? "unparseable" : "wrong",
          score: ok ? 1 : 0,
          extracted: pred,
          span: pred === null ? null : [start, start + pred.length],
          normalizedGold: gold,
          normalizedPred: pred,
          rule: unparseable ? "gsm8k/none" : "gsm8k/numeric",
          ms: Math.round(rng() * 500) / 1000,
          metadata: { level, subject },
        }),
      );
      if (buf.length >= 10000) {
        writeSync(fd, buf.join("\n") + "\n");
        written += buf.length;
        buf = [];
      }
    }
  }
  if (buf.length) writeSync(fd, buf.join("\n") + "\n");
  written += buf.length;
  closeSync(fd);
  return written;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({
    options: {
      problems: { type: "string", default: "7500" },
      samples: { type: "string", default: "128" },
      seed: { type: "string", default: "1" },
      delta: { type: "string", default: "0" },
      out: { type: "string" },
    },
  });
  if (!values.out) {
    console.error("usage: gen-verdicts --out FILE [--problems P] [--samples S] [--seed N] [--delta D]");
    process.exit(2);
  }
  const n = generateVerdicts(values.out, {
    problems: Number(values.problems),
    samples: Number(values.samples),
    seed: Number(values.seed),
    delta: Number(values.delta),
  });
  console.error(`wrote ${n} verdict records to ${values.out}`);
}
