/**
 * Histogram of per-token log-probability differences between the sampler (what generated the tokens) and
 * the trainer (what recomputes them for the loss). They should agree to ~1e-6; a temperature mismatch or a
 * different tokenisation shows up as a wide or shifted distribution — the usual cause of a KL spike at
 * step 1. Tail quantiles are printed in the title because means hide them.
 */
import { PALETTE, baseLayout, type PlotOptions, type PlotlyFigure } from "./figure.js";
import { quantileSorted } from "../stats/bootstrap.js";
import { extent } from "../stats/extent.js";

export interface DiffStats {
  n: number;
  mean: number;
  p50AbsDiff: number;
  p99AbsDiff: number;
  maxAbsDiff: number;
}

export function diffStats(diffs: readonly number[]): DiffStats {
  const finite = diffs.filter(Number.isFinite);
  const abs = Float64Array.from(finite, Math.abs).sort();
  const mean = finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : Number.NaN;
  return {
    n: finite.length,
    mean,
    p50AbsDiff: abs.length ? quantileSorted(abs, 0.5) : Number.NaN,
    p99AbsDiff: abs.length ? quantileSorted(abs, 0.99) : Number.NaN,
    maxAbsDiff: abs.length ? abs[abs.length - 1] : Number.NaN,
  };
}

/** Per-token `sampler - trainer` differences from paired arrays (rollout records); unequal lengths are cut to the shorter. */
export function logprobDiffs(rows: readonly { sampler_logprobs?: number[]; trainer_logprobs?: number[] }[]): number[] {
  const out: number[] = [];
  for (const r of rows) {
    const a = r.sampler_logprobs;
    const b = r.trainer_logprobs;
    if (!a || !b) continue;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) out.push(a[i] - b[i]);
  }
  return out;
}

export function logprobDiffHistogram(diffs: readonly number[], options: PlotOptions & { bins?: number } = {}): PlotlyFigure {
  const st = diffStats(diffs);
  const finite = diffs.filter(Number.isFinite);
  const bins = options.bins ?? 60;
  // extent, not Math.min(...finite): a long run has hundreds of thousands of tokens, past the spread-argument limit.
  const [fmin, fmax] = extent(finite);
  let lo = Math.min(fmin, 0);
  let hi = Math.max(fmax, 0);
  if (hi - lo < 1e-9) {
    lo -= 1e-6;
    hi += 1e-6;
  }
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const d of finite) counts[Math.min(bins - 1, Math.floor((d - lo) / width))]++;
  const centers = counts.map((_, i) => lo + (i + 0.5) * width);
  // Plain text only: titles are escaped for Plotly's pseudo-HTML where they are rendered (figure.ts), so the
  // statistics line is Plotly's own subtitle, not `<br><sub>` markup.
  const layout = baseLayout(options.title ?? "Sampler − trainer logprob", "Δ logprob (nats)", "tokens", options);
  if (options.title === undefined)
    layout.title = {
      text: "Sampler − trainer logprob",
      subtitle: { text: `n=${st.n} tokens · |Δ| p50=${fmt(st.p50AbsDiff)}, p99=${fmt(st.p99AbsDiff)}, max=${fmt(st.maxAbsDiff)}` },
    };
  layout.yaxis = { ...(layout.yaxis as object), type: "log" };
  layout.bargap = 0.02;
  return { data: [{ type: "bar", name: "tokens", x: centers, y: counts, marker: { color: PALETTE[0] } }], layout };
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toExponential(1) : "n/a";
}
