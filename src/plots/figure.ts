/**
 * Plotly figure specs as plain data: every chart in rlvr-lab is a `(data, options) => PlotlyFigure` function
 * (Observable Plot style). No DOM, no randomness: the same input gives the same JSON, so figures can be
 * snapshot-tested, rendered inline in a notebook (application/vnd.plotly.v1+json) or in an offline HTML
 * report.
 */
import type { TraceStep } from "../schemas/trace.js";
import type { MetricName } from "../schemas/metrics.js";

export interface PlotlyTrace {
  type?: string;
  mode?: string;
  name?: string;
  x?: (number | string | null)[];
  y?: (number | string | null)[];
  [key: string]: unknown;
}

export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout: Record<string, unknown>;
}

export interface PlotOptions {
  /** Chart title; each plot has a sensible default. */
  title?: string;
  /** Pixel height of the figure. */
  height?: number;
}

export const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf"];

/** A fill colour from a hex palette colour with alpha. */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

export function baseLayout(title: string, xTitle: string, yTitle: string, options: PlotOptions): Record<string, unknown> {
  return {
    title: { text: title },
    height: options.height ?? 320,
    margin: { l: 60, r: 60, t: 50, b: 70 },
    xaxis: { title: { text: xTitle }, zeroline: false },
    yaxis: { title: { text: yTitle }, zeroline: false },
    legend: { orientation: "h", y: -0.32 },
    template: "plotly_white",
  };
}

/** Finite value of a metric at a step, or null (Plotly draws a gap) when it is missing or not finite. */
export function metricValue(step: TraceStep, name: MetricName | string): number | null {
  const v = (step as Record<string, unknown>)[name];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** One line trace of a metric over steps. */
export function metricLine(steps: readonly TraceStep[], name: MetricName | string, color: string, label = name): PlotlyTrace {
  return {
    type: "scatter",
    mode: steps.length > 60 ? "lines" : "lines+markers",
    name: label,
    x: steps.map((s) => s.step),
    y: steps.map((s) => metricValue(s, name)),
    line: { color, width: 2 },
    marker: { size: 4 },
  };
}

/** Sort steps by step number without mutating the input (traces from crashed/resumed runs can be unordered). */
export function byStep(steps: readonly TraceStep[]): TraceStep[] {
  return [...steps].sort((a, b) => a.step - b.step);
}
