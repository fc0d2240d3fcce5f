/**
 * pass@k curves with 95% CI bands, one series per run/model/stratum, k on a log2 axis.
 * Input is what `summarizePassAtK` returns (its `"pass@k"` map) so the plot never recomputes statistics.
 */
import { PALETTE, baseLayout, escapePlotlyText, withAlpha, type PlotOptions, type PlotlyFigure, type PlotlyTrace } from "./figure.js";

export interface PassAtKPoint {
  estimate: number;
  ci95: [number, number];
}
export interface PassAtKSeries {
  name: string;
  /** k (as a string key, as in summary JSON) → estimate and CI. */
  passAtK: Record<string, PassAtKPoint>;
  /** Number of problems behind the series; shown in the legend. */
  nProblems?: number;
}

export function passAtKPlot(series: readonly PassAtKSeries[], options: PlotOptions = {}): PlotlyFigure {
  const data: PlotlyTrace[] = [];
  series.forEach((s, i) => {
    const c = PALETTE[i % PALETTE.length];
    const pts = Object.entries(s.passAtK)
      .map(([k, p]) => ({ k: Number(k), ...p }))
      .filter((p) => Number.isFinite(p.k))
      .sort((a, b) => a.k - b.k);
    const x = pts.map((p) => p.k);
    const label = s.nProblems === undefined ? s.name : `${s.name} (n=${s.nProblems})`;
    data.push(
      { type: "scatter", mode: "lines", x, y: pts.map((p) => p.ci95[1]), line: { width: 0 }, showlegend: false, hoverinfo: "skip", name: `${label} hi` },
      {
        type: "scatter",
        mode: "lines",
        x,
        y: pts.map((p) => p.ci95[0]),
        line: { width: 0 },
        fill: "tonexty",
        fillcolor: withAlpha(c, 0.15),
        showlegend: false,
        hoverinfo: "skip",
        name: `${label} lo`,
      },
      {
        type: "scatter",
        mode: "lines+markers",
        name: label,
        x,
        y: pts.map((p) => p.estimate),
        line: { color: c, width: 2 },
        customdata: pts.map((p) => [p.ci95[0], p.ci95[1]]),
        hovertemplate: "k=%{x}: %{y:.3f} [%{customdata[0]:.3f}, %{customdata[1]:.3f}]<extra>" + escapeTemplate(label) + "</extra>",
      },
    );
  });
  const layout = baseLayout(options.title ?? "pass@k (95% CI)", "k", "pass@k", options);
  layout.xaxis = { ...(layout.xaxis as object), type: "log", dtick: Math.log10(2) };
  layout.yaxis = { ...(layout.yaxis as object), range: [0, 1.02] };
  return { data, layout };
}

/**
 * Plotly hover templates interpret %{...} and pseudo-HTML; series names are user data, so neutralise the
 * sigil and the markup (templates are left alone by escapeFigureText, so this is the only escaping they get).
 */
function escapeTemplate(s: string): string {
  return escapePlotlyText(s).replace(/%/g, "%%");
}
