/**
 * summarizePassAtK: the pass@k table of a run — per k, the mean over problems of the unbiased per-problem
 * pass@k (passAtK.ts) with a percentile-bootstrap 95% CI over problems (bootstrap.ts), optionally per
 * stratum of a metadata field.
 *
 *   pass@k(run) = (1/|P_k|) · sum_{i ∈ P_k} [1 − C(n_i − c_i, k)/C(n_i, k)],   P_k = {i : n_i ≥ k}
 *
 * Problems with fewer than k samples (n_i < k) have no unbiased pass@k: they are **skipped for that k**
 * and reported through `onWarning` (the count and an example id). A k for which no problem has k samples
 * is left out of "pass@k" (also warned) — callers that must fail, like the CLI, check for the missing key.
 * Each stratum is bootstrapped on its own problems with the same seed.
 */
import { passAtK } from "./passAtK.js";
import { bootstrapMeansCI, type BootstrapOptions, type Estimate } from "./bootstrap.js";
import { aggregateByProblem, stratify, type ProblemCountsView, type Sample } from "./problemCounts.js";

export interface PassAtKTable {
  n_problems: number;
  n_samples: number;
  "pass@k": Record<string, Estimate>;
}

export interface PassAtKSummary extends PassAtKTable {
  /** stratum value → table of that stratum (only with `by`). */
  by?: Record<string, PassAtKTable>;
}

export interface SummaryOptions extends BootstrapOptions {
  /** Metadata field to stratify by (a key of each sample's `strata`). */
  by?: string;
  /** Receives one line per skipped k / problem group; defaults to console.warn. */
  onWarning?: (message: string) => void;
}

/** Validate a list of k: positive integers, de-duplicated, ascending. */
export function normalizeKs(ks: readonly number[]): number[] {
  if (ks.length === 0) throw new RangeError("pass@k: give at least one k");
  for (const k of ks)
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`pass@k: every k must be a positive integer, got ${k}`);
  return [...new Set(ks)].sort((a, b) => a - b);
}

/** pass@k table over a subset of problems (indices into counts), with skip warnings labelled by `label`. */
function table(
  counts: ProblemCountsView,
  indices: readonly number[],
  ks: readonly number[],
  options: SummaryOptions,
  warn: (m: string) => void,
  label: string,
): PassAtKTable {
  let samples = 0;
  for (const i of indices) samples += counts.n[i];
  const out: PassAtKTable = { n_problems: indices.length, n_samples: samples, "pass@k": {} };
  if (indices.length === 0) {
    warn(`pass@k${label}: no problems (no records were counted); every pass@k left out`);
    return out;
  }
  // Group ks by their eligible set: P_k shrinks as k grows, so equal sizes mean equal sets, and columns of
  // one group share a bootstrap index stream.
  const groups = new Map<number, { ks: number[]; idx: number[] }>();
  for (const k of ks) {
    const idx = indices.filter((i) => counts.n[i] >= k);
    const skipped = indices.length - idx.length;
    if (skipped > 0) {
      const ex = indices.find((i) => counts.n[i] < k)!;
      const example = counts.ids[ex];
      warn(
        idx.length === 0
          ? `pass@${k}${label}: no problem has ${k} samples (e.g. ${example} has ${counts.n[ex]}); pass@${k} left out`
          : `pass@${k}${label}: skipped ${skipped} of ${indices.length} problems with fewer than ${k} samples (e.g. ${example})`,
      );
    }
    if (idx.length === 0) continue;
    const g = groups.get(idx.length);
    if (g) g.ks.push(k);
    else groups.set(idx.length, { ks: [k], idx });
  }
  const results = new Map<number, Estimate>();
  for (const { ks: gks, idx } of groups.values()) {
    const cols = gks.map((k) => Float64Array.from(idx, (i) => passAtK(counts.n[i], counts.c[i], k)));
    bootstrapMeansCI(cols, options).forEach((e, j) => results.set(gks[j], e));
  }
  for (const k of ks) {
    const e = results.get(k);
    if (e) out["pass@k"][String(k)] = e;
  }
  return out;
}

/** pass@k summary from per-problem counts (what the CLI and sweep runner build while streaming). */
export function summarizeCounts(counts: ProblemCountsView, ks: readonly number[], options: SummaryOptions = {}): PassAtKSummary {
  const sorted = normalizeKs(ks);
  const warn = options.onWarning ?? ((m: string) => console.warn(m));
  const all = Array.from({ length: counts.ids.length }, (_, i) => i);
  const summary: PassAtKSummary = table(counts, all, sorted, options, warn, "");
  if (options.by !== undefined) {
    if (!counts.strata && counts.ids.length > 0)
      throw new RangeError(`summarize: by=${options.by} needs per-problem strata in the counts`);
    summary.by = {};
    for (const [value, idx] of stratify(counts.strata ?? []))
      summary.by[value] = table(counts, idx, sorted, options, warn, ` [${options.by}=${value}]`);
  }
  return summary;
}

/**
 * pass@k summary of raw samples (one record per sample): aggregates per problem, then summarizeCounts.
 * `options.by` names a key of each sample's `strata`.
 */
export function summarizePassAtK(samples: readonly Sample[], ks: number[], options: SummaryOptions = {}): PassAtKSummary {
  const warn = options.onWarning ?? ((m: string) => console.warn(m));
  const counts = aggregateByProblem(samples, { by: options.by, onConflict: warn });
  return summarizeCounts(counts, ks, { ...options, onWarning: warn });
}
