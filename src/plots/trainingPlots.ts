/**
 * Training-curve charts over trace steps (metric names from src/schemas/metrics.ts):
 * reward (mean ± std band), entropy, KL (k1/k3 means and max), format drift (strict vs flexible rate),
 * completion length and truncation.
 */
import type { TraceStep } from "../schemas/trace.js";
import { PALETTE, baseLayout, byStep, metricLine, metricValue, withAlpha, type PlotOptions, type PlotlyFigure } from "./figure.js";

/** Reward mean over steps with a ±1 std band (`reward/mean`, `reward/std`). */
export function rewardPlot(steps: readonly TraceStep[], options: PlotOptions = {}): PlotlyFigure {
  const s = byStep(steps);
  const x = s.map((t) => t.step);
  const mean = s.map((t) => metricValue(t, "reward/mean"));
  const std = s.map((t) => metricValue(t, "reward/std"));
  const upper = mean.map((m, i) => (m === null || std[i] === null ? null : m + (std[i] as number)));
  const lower = mean.map((m, i) => (m === null || std[i] === null ? null : m - (std[i] as number)));
  const c = PALETTE[0];
  return {
    data: [
      { type: "scatter", mode: "lines", name: "mean + std", x, y: upper, line: { width: 0 }, showlegend: false, hoverinfo: "skip" },
      {
        type: "scatter",
        mode: "lines",
        name: "± 1 std",
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

/** KL to the reference policy: k1 and k3 means, and the max (tails that means hide), on a log axis if asked. */
export function klPlot(steps: readonly TraceStep[], options: PlotOptions & { logY?: boolean } = {}): PlotlyFigure {
  const s = byStep(steps);
  const layout = baseLayout(options.title ?? "KL to reference", "step", "KL estimate", options);
  if (options.logY) (layout.yaxis as Record<string, unknown>).type = "log";
  const max = metricLine(s, "kl/max", PALETTE[1]);
  max.line = { color: PALETTE[1], width: 1, dash: "dot" };
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
  layout.yaxis2 = { title: { text: "truncated fraction" }, overlaying: "y", side: "right", range: [0, 1.02] };
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
