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

/**
 * Plotly reads every title, series name, tick label, hover text and category value as pseudo-HTML: a series
 * named `<a href="…">x</a>` becomes a link, `<b>` turns bold, `<br>` breaks the line. Names come from run
 * data (strata, model ids, file names), so the figure is escaped where it is rendered (src/notebook/mime.ts):
 * `&`, `<` and `>` become entities, which Plotly turns back into the literal characters on screen.
 */
export function escapePlotlyText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Keys whose string values (or arrays of strings) Plotly renders as text. Templates are ours, kept as is. */
const TEXT_KEYS = new Set(["name", "text", "title", "ticktext", "hovertext", "x", "y", "z", "labels", "customdata", "legendgroup"]);
const TEMPLATE_KEYS = new Set(["hovertemplate", "texttemplate"]);

function escapeDeep(value: unknown, key: string | null): unknown {
  if (typeof value === "string") return key !== null && TEXT_KEYS.has(key) ? escapePlotlyText(value) : value;
  if (Array.isArray(value)) return value.map((v) => escapeDeep(v, key));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = TEMPLATE_KEYS.has(k) ? v : escapeDeep(v, k);
    return out;
  }
  return value;
}

/** A copy of the figure with every text field escaped for Plotly (see escapePlotlyText). */
export function escapeFigureText(fig: PlotlyFigure): PlotlyFigure {
  return escapeDeep(fig, null) as PlotlyFigure;
}
