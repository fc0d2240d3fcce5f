/**
 * IFEval's two accuracies over a set of responses, with 95% intervals.
 *
 *   prompt-level      = (1/N) Σ_i 1[all instructions of response i followed]        (all-or-nothing)
 *   instruction-level = Σ_i f_i / Σ_i m_i,  f_i followed of m_i instructions          (lm-eval's pooled
 *                       `agg_inst_level_acc`, not the mean of per-response fractions)
 *   mean score        = (1/N) Σ_i f_i / m_i                                           (average constraint
 *                       satisfaction, the Verdict `score` as a reward)
 *
 * Intervals: Wilson for prompt-level (independent responses); the percentile bootstrap over responses for
 * the other two, because the instructions of one response are not independent (resampling responses keeps
 * them together; for the pooled ratio each resample recomputes the ratio of its sums).
 */
import { wilson } from "./wilson.js";
import { bootstrapMeanCI, bootstrapOptions, quantileSorted, type BootstrapOptions, type Estimate } from "./bootstrap.js";
import { createRng, randInt } from "./rng.js";

export interface IfevalAccuracy {
  /** Responses. */
  n: number;
  /** Instructions over all responses. */
  instructions: number;
  promptLevel: Estimate;
  instructionLevel: Estimate;
  meanScore: Estimate;
}

/** `followed[i]` = the per-instruction results of response i (each non-empty). */
export function ifevalAccuracy(followed: readonly (readonly boolean[])[], options: BootstrapOptions = {}): IfevalAccuracy {
  const n = followed.length;
  if (n === 0) throw new RangeError("ifevalAccuracy: no responses");
  const f = new Float64Array(n);
  const m = new Float64Array(n);
  let all = 0;
  followed.forEach((row, i) => {
    if (row.length === 0) throw new RangeError(`ifevalAccuracy: response ${i} has no instructions`);
    m[i] = row.length;
    f[i] = row.filter(Boolean).length;
    if (f[i] === m[i]) all++;
  });
  const sum = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0);
  const o = bootstrapOptions(options);
  const rng = createRng(o.seed);
  const ratios = new Float64Array(o.resamples);
  for (let b = 0; b < o.resamples; b++) {
    let sf = 0;
    let sm = 0;
    for (let j = 0; j < n; j++) {
      const k = randInt(rng, n);
      sf += f[k]!;
      sm += m[k]!;
    }
    ratios[b] = sf / sm;
  }
  ratios.sort();
  const a = (1 - o.level) / 2;
  return {
    n,
    instructions: sum(m),
    promptLevel: { estimate: all / n, ci95: wilson(all, n) },
    instructionLevel: { estimate: sum(f) / sum(m), ci95: [quantileSorted(ratios, a), quantileSorted(ratios, 1 - a)] },
    meanScore: bootstrapMeanCI(
      f.map((x, i) => x / m[i]!),
      options,
    ),
  };
}
