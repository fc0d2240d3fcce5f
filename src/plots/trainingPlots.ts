/**
 * Training-curve charts over trace steps (metric names from src/schemas/metrics.ts):
 * reward (mean ± std band), entropy, KL (k1/k3 means and max), format drift (strict vs flexible rate),
 * completion length and truncation.
 */
import type { TraceStep } from "../schemas/trace.js";
import { PALETTE, baseLayout, byStep, metricLine, metricValue, withAlpha, type PlotOptions, type PlotlyFigure } from "./figure.js";

/**
 * Reward mean over steps with a ±1 std band (`reward/mean`, `reward/std`), the band clipped to the range
 * rewards can take: a 0/1 reward with mean 0.1 and std 0.3 has no samples at −0.2, so drawing the band
 * there would mislead. `rewardRange` defaults to [0, 1] (a Verdict's score) when every mean lies in it;
 * pass `null` for no clipping.
 */
export function rewardPlot(steps: readonly TraceStep[], options: PlotOptions & { rewardRange?: [number, number] | null } = {}): PlotlyFigure {
  const s = byStep(steps);
  const x = s.map((t) => t.step);
  const mean = s.map((t) => metricValue(t, "reward/mean"));
  const std = s.map((t) => metricValue(t, "reward/std"));
  const inUnit = mean.every((m) => m === null || (m >= 0 && m <= 1));
  const range = options.rewardRange === undefined ? (inUnit ? ([0, 1] as [number, number]) : null) : options.rewardRange;
  const clip = (v: number) => (range ? Math.min(range[1], Math.max(range[0], v)) : v);
  const upper = mean.map((m, i) => (m === null || std[i] === null ? null : clip(m + (std[i] as number))));
  const lower = mean.map((m, i) => (m === null || std[i] === null ? null : clip(m - (std[i] as number))));
  const c = PALETTE[0];
  return {
    data: [
      { type: "scatter", mode: "lines", name: "mean + std", x, y: upper, line: { width: 0 }, showlegend: false, hoverinfo: "skip" },
      {
        type: "scatter",
        mode: "lines",
        name: range ? "± 1 std (clipped to the reward range)" : "± 1 std",
        x,
        y: lower,
        line: { width: 0 },
        fill: "tonexty",
        fillcolor: withAlpha(c, 0.18),
        hoverinfo: "skip",
      },
      { ...metricLine(s, "reward/mean", c, "reward/mean") },
    ],
    layout: baseLayout(options.title ?? "Reward", "step", "reward", options),
  };
}

/** Policy entropy over steps (`entropy`); a steady fall towards 0 is entropy collapse. */
export function entropyPlot(steps: readonly TraceStep[], options: PlotOptions = {}): PlotlyFigure {
  const s = byStep(steps);
  return { data: [metricLine(s, "entropy", PALETTE[4])], layout: baseLayout(options.title ?? "Entropy", "step", "nats / token", options) };
}

/**
 * KL to the reference policy: k1 and k3 means (left axis), and the max (right axis): the max is often 100×
 * the means, and on one axis it would flatten them to a line at 0. `logY` puts the means on a log axis
 * (k1 can be negative: those points drop out).
 */
export function klPlot(steps: readonly TraceStep[], options: PlotOptions & { logY?: boolean } = {}): PlotlyFigure {
  const s = byStep(steps);
  const layout = baseLayout(options.title ?? "KL to reference", "step", "KL estimate (means)", options);
  if (options.logY) (layout.yaxis as Record<string, unknown>).type = "log";
  layout.yaxis2 = { title: { text: "kl/max" }, overlaying: "y", side: "right", showgrid: false, zeroline: false, tickmode: "auto", rangemode: "tozero" };
  const max = metricLine(s, "kl/max", PALETTE[1], "kl/max (right axis)");
  max.line = { color: PALETTE[1], width: 1, dash: "dot" };
  max.yaxis = "y2";
  return { data: [metricLine(s, "kl/k3_mean", PALETTE[0]), metricLine(s, "kl/k1_mean", PALETTE[2]), max], layout };
}

/**
 * Format drift: the strict-format rate against the flexible (any answer found) rate. Drift is the strict
 * line falling while the flexible line holds — the model still answers, but no longer in the format the
 * strict checker accepts.
 */
export function formatDriftPlot(steps: readonly TraceStep[], options: PlotOptions = {}): PlotlyFigure {
  const s = byStep(steps);
  const layout = baseLayout(options.title ?? "Format drift", "step", "rate", options);
  (layout.yaxis as Record<string, unknown>).range = [0, 1.02];
  return {
    data: [metricLine(s, "format/strict_rate", PALETTE[0], "strict"), metricLine(s, "format/flexible_rate", PALETTE[3], "flexible")],
    layout,
  };
}

/** Mean completion length (left axis) and truncated fraction (right axis). */
export function lengthPlot(steps: readonly TraceStep[], options: PlotOptions = {}): PlotlyFigure {
  const s = byStep(steps);
  const trunc = metricLine(s, "completions/truncated_frac", PALETTE[1], "truncated fraction");
  trunc.yaxis = "y2";
  const layout = baseLayout(options.title ?? "Completion length and truncation", "step", "tokens", options);
  // Fixed, readable ticks: an overlaying axis otherwise syncs its ticks to the left axis (0.134, 0.396, …).
  layout.yaxis2 = {
    title: { text: "truncated fraction" },
    overlaying: "y",
    side: "right",
    range: [0, 1.02],
    tickmode: "array",
    tickvals: [0, 0.25, 0.5, 0.75, 1],
    tickformat: ".0%",
    showgrid: false,
    zeroline: false,
  };
  return { data: [metricLine(s, "completions/mean_length", PALETTE[0], "mean length"), trunc], layout };
}

/** Any set of metrics over steps, one line each. */
export function metricsPlot(steps: readonly TraceStep[], names: readonly string[], options: PlotOptions = {}): PlotlyFigure {
  const s = byStep(steps);
  return {
    data: names.map((n, i) => metricLine(s, n, PALETTE[i % PALETTE.length])),
    layout: baseLayout(options.title ?? names.join(", "), "step", "value", options),
  };
}
