/**
 * Capability-regression gate: does a candidate run lose pass@k against a baseline on the same problems?
 *
 * For each k, on the problems present in both runs with at least k samples in each, the per-problem
 * unbiased pass@k values are paired and compared with pairedBootstrap (bootstrap.ts):
 *
 *   diff = mean_i (cand_i − base_i)   drop = −diff   ci95 = paired percentile bootstrap CI of diff
 *
 * A k **fails** when both hold:
 *   1. drop > maxDrop            (the loss is larger than the margin you tolerate), and
 *   2. ci95[1] < 0               (the CI of the difference excludes zero: the loss is not noise).
 * The gate fails when any k fails. Needing both keeps a noisy small eval from failing on chance and a huge
 * eval from failing on a statistically real but negligible loss. A k with no paired problems cannot be
 * judged and fails with that reason (a gate that silently passes on no data is worse than none).
 */
import { passAtK } from "./passAtK.js";
import { pairedBootstrap, type BootstrapOptions } from "./bootstrap.js";
import type { ProblemCountsView } from "./problemCounts.js";
import { normalizeKs } from "./summary.js";

export interface GateOptions extends BootstrapOptions {
  ks: number[];
  /** Largest tolerated drop of pass@k (absolute, e.g. 0.02 = two points). */
  maxDrop: number;
}

export interface GateMetric {
  metric: string;
  k: number;
  n_problems: number;
  baseline: number;
  candidate: number;
  /** candidate − baseline */
  diff: number;
  ci95: [number, number];
  p_value: number;
  failed: boolean;
  reason: string;
}

export interface GateResult {
  passed: boolean;
  max_drop: number;
  /** Problems only one run has: they are excluded from the comparison. */
  only_in_baseline: number;
  only_in_candidate: number;
  metrics: GateMetric[];
}

/** The decision rule alone, for any paired difference estimate: fail iff drop > maxDrop and CI excludes 0 below. */
export function gateDecision(diff: number, ci95: [number, number], maxDrop: number): { failed: boolean; reason: string } {
  const drop = -diff;
  const f = (x: number) => x.toFixed(4);
  if (drop > maxDrop && ci95[1] < 0)
    return { failed: true, reason: `dropped ${f(drop)} > max-drop ${f(maxDrop)} and the 95% CI [${f(ci95[0])}, ${f(ci95[1])}] excludes 0` };
  if (drop > maxDrop) return { failed: false, reason: `dropped ${f(drop)} > max-drop but the 95% CI [${f(ci95[0])}, ${f(ci95[1])}] includes 0 (not significant)` };
  if (ci95[1] < 0) return { failed: false, reason: `significant drop ${f(drop)} within max-drop ${f(maxDrop)}` };
  return { failed: false, reason: `no drop beyond max-drop ${f(maxDrop)}` };
}

/** Compare candidate against baseline per k; see the module comment for the rule. */
export function regressionGate(baseline: ProblemCountsView, candidate: ProblemCountsView, options: GateOptions): GateResult {
  const ks = normalizeKs(options.ks);
  const { maxDrop } = options;
  if (!Number.isFinite(maxDrop) || maxDrop < 0 || maxDrop > 1)
    throw new RangeError(`regressionGate: maxDrop must be in [0, 1] (an absolute pass@k difference), got ${maxDrop}`);
  const candIndex = new Map<string, number>();
  candidate.ids.forEach((id, i) => candIndex.set(id, i));
  const pairs: [number, number][] = [];
  baseline.ids.forEach((id, i) => {
    const j = candIndex.get(id);
    if (j !== undefined) pairs.push([i, j]);
  });
  const metrics: GateMetric[] = [];
  for (const k of ks) {
    const eligible = pairs.filter(([i, j]) => baseline.n[i] >= k && candidate.n[j] >= k);
    const metric = `pass@${k}`;
    if (eligible.length === 0) {
      metrics.push({
        metric, k, n_problems: 0, baseline: NaN, candidate: NaN, diff: NaN, ci95: [NaN, NaN], p_value: NaN, failed: true,
        reason: `no problem is in both runs with at least ${k} samples each; cannot judge ${metric}`,
      });
      continue;
    }
    const a = Float64Array.from(eligible, ([i]) => passAtK(baseline.n[i], baseline.c[i], k));
    const b = Float64Array.from(eligible, ([, j]) => passAtK(candidate.n[j], candidate.c[j], k));
    const r = pairedBootstrap(a, b, options);
    const mean = (xs: Float64Array) => xs.reduce((s, x) => s + x, 0) / xs.length;
    metrics.push({
      metric, k, n_problems: eligible.length, baseline: mean(a), candidate: mean(b), diff: r.estimate, ci95: r.ci95,
      p_value: r.p_value, ...gateDecision(r.estimate, r.ci95, maxDrop),
    });
  }
  return {
    passed: metrics.every((m) => !m.failed),
    max_drop: maxDrop,
    only_in_baseline: baseline.ids.length - pairs.length,
    only_in_candidate: candidate.ids.length - pairs.length,
    metrics,
  };
}
