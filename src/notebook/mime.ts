/**
 * Rich display: multi-MIME bundles for notebooks.
 *
 * A value that carries a bundle under the `RLVR_MIMEBUNDLE` symbol (a method returning
 * `{ mime: data }`) is shown by the rlvr-lab kernel as a rich `execute_result`, with every MIME type in the
 * bundle, so each front end picks what it can render: JupyterLab/VS Code with the Plotly renderer use
 * `application/vnd.plotly.v1+json`; nbconvert's HTML export and classic front ends use `text/html`
 * (plotly.js inlined once per notebook — works offline); terminals use `text/plain`.
 * `display(value)` sends the same bundle as a `display_data` output mid-cell.
 */
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { escapeFigureText, type PlotlyFigure } from "../plots/figure.js";
import { escapeHtml, jsonForScript } from "./html.js";
import { table } from "./table.js";

export const RLVR_MIMEBUNDLE: unique symbol = Symbol.for("rlvr.mimebundle") as never;
export type MimeBundle = Record<string, unknown>;

/** A displayable value: holds a MIME bundle; `toString()` gives its text/plain form. */
export class Rich {
  constructor(readonly bundle: MimeBundle) {}
  [RLVR_MIMEBUNDLE](): MimeBundle {
    return this.bundle;
  }
  toString(): string {
    return String(this.bundle["text/plain"] ?? "");
  }
  /** Shown by node's util.inspect (and tslab's default printing) as the plain-text form. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

export function html(markup: string, plain = "[HTML]"): Rich {
  return new Rich({ "text/html": markup, "text/plain": plain });
}

const require = createRequire(import.meta.url);
let plotlySource: string | null = null;
let plotlyInlined = false;
let plotCounter = 0;

/** The plotly.js bundle (plotly.js-dist-min), read once. */
export function plotlyScriptSource(): string {
  if (plotlySource === null) plotlySource = readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8");
  return plotlySource;
}

/** plotly.js as one inline `<script>`. The library text is trusted (from node_modules); only `</script` could break out, which it lacks. */
function plotlyScriptTag(): string {
  return `<script type="text/javascript">${plotlyScriptSource().replace(/<\/script/gi, "<\\/script")}</script>`;
}

/** Forget that plotly.js was inlined (call when starting a new notebook/report in the same process). */
export function resetPlotlyInline(): void {
  plotlyInlined = false;
}

export interface PlotHtmlOptions {
  /** "once" (default): inline plotly.js in the first figure of the process only; "always"; "never" (page provides it). */
  inlinePlotly?: "once" | "always" | "never";
  /** Element id; default a counter-based id. */
  id?: string;
}

/**
 * Standalone HTML for one figure: a div plus a script calling Plotly.newPlot. Titles, names and labels are
 * escaped for Plotly's pseudo-HTML first (escapeFigureText), so run data shows as text, never as markup.
 */
export function plotlyHtml(fig: PlotlyFigure, options: PlotHtmlOptions = {}): string {
  return plotlyHtmlEscaped(escapeFigureText(fig), options);
}

function plotlyHtmlEscaped(fig: PlotlyFigure, options: PlotHtmlOptions): string {
  const mode = options.inlinePlotly ?? "once";
  const id = options.id ?? `rlvr-plot-${++plotCounter}`;
  let lib = "";
  if (mode === "always" || (mode === "once" && !plotlyInlined)) {
    lib = plotlyScriptTag() + "\n";
    plotlyInlined = true;
  }
  const height = Number((fig.layout as { height?: number }).height ?? 320);
  return (
    lib +
    `<div id="${escapeHtml(id)}" class="rlvr-plot" style="width:100%;height:${height}px"></div>\n` +
    `<script type="text/javascript">(function(){var f=${jsonForScript(fig)};` +
    `function draw(){window.Plotly.newPlot(${jsonForScript(id)},f.data,f.layout,{responsive:true,displaylogo:false});}` +
    `if(window.Plotly){draw();}else{window.addEventListener("load",draw);}})();</script>`
  );
}

/**
 * plotly.js alone, as an HTML output, unless this process already inlined it (then an empty bundle's
 * text). Show it once before plots that are redrawn in place (`display(plot(fig, { inlinePlotly: "never" }),
 * { displayId, update })`): an update replaces a figure's output, so the library must live in an output
 * that is never replaced, or the saved notebook loses it.
 */
export function plotlyLibrary(): Rich {
  if (plotlyInlined) return new Rich({ "text/plain": "[plotly.js already loaded]" });
  plotlyInlined = true;
  return new Rich({ "text/html": plotlyScriptTag(), "text/plain": "[plotly.js loaded]" });
}

/** Text/plain summary of a figure: title and its series with point counts. */
export function figureText(fig: PlotlyFigure): string {
  const t = (fig.layout.title as { text?: string } | undefined)?.text ?? "figure";
  const series = fig.data.filter((d) => d.showlegend !== false).map((d) => `${d.name ?? d.type} (${(d.y ?? []).length} points)`);
  return `[plot] ${t}: ${series.join(", ")}`;
}

/** A figure as a rich value: Plotly JSON + offline HTML + text. */
export function plot(fig: PlotlyFigure, options: PlotHtmlOptions = {}): Rich {
  const safe = escapeFigureText(fig); // JupyterLab's Plotly renderer reads pseudo-HTML too
  return new Rich({
    "application/vnd.plotly.v1+json": safe,
    "text/html": plotlyHtmlEscaped(safe, options),
    "text/plain": figureText(fig),
  });
}

/**
 * Display formatters (IPython's `display_formatter`, for the project's own types): a cell whose last value
 * is a figure (what `rewardPlot(...)` and the other plot functions return) or a query result (rows from
 * `TraceDB.query`, tagged with `ROWS`) renders as a plot or a table without wrapping it in `plot(...)` /
 * `table(...)`. The rlvr-lab kernel asks the formatters registered under `FORMATTERS` on `globalThis` when
 * a value has no MIME bundle of its own (src/kernel/mimebundle.ts).
 */
export type Formatter = (value: unknown) => MimeBundle | null;
export const FORMATTERS: unique symbol = Symbol.for("rlvr.formatters") as never;
/** Set (non-enumerable) on an array of rows that came from a query, so it displays as a table. */
export const ROWS: unique symbol = Symbol.for("rlvr.rows") as never;

/** A Plotly figure spec: `{ data: [{...}], layout: {...} }` (what src/plots returns). */
export function isPlotlyFigure(v: unknown): v is PlotlyFigure {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const f = v as { data?: unknown; layout?: unknown };
  return Array.isArray(f.data) && f.data.every((t) => t !== null && typeof t === "object") && f.layout !== null && typeof f.layout === "object";
}

/** Register a formatter (once per function); returns it. */
export function registerFormatter(fn: Formatter): Formatter {
  const g = globalThis as unknown as Record<symbol, Formatter[] | undefined>;
  const list = (g[FORMATTERS] ??= []);
  if (!list.includes(fn)) list.push(fn);
  return fn;
}

const figureFormatter: Formatter = (v) => (isPlotlyFigure(v) ? plot(v).bundle : null);
const rowsFormatter: Formatter = (v) =>
  Array.isArray(v) && (v as unknown as Record<symbol, unknown>)[ROWS] === true ? table(v as Record<string, unknown>[]).bundle : null;
registerFormatter(figureFormatter);
registerFormatter(rowsFormatter);

type DisplayHook = (msg: { data: MimeBundle; metadata: object; transient: object }, update: boolean) => void;

/** tslab's display hook, set by the kernel while a cell runs; null outside a kernel. */
function displayHook(): DisplayHook | null {
  try {
    const jupyter = require("tslab/dist/jupyter.js") as { lastWriteDisplayData?: DisplayHook | null };
    return jupyter.lastWriteDisplayData ?? null;
  } catch {
    return null;
  }
}

/**
 * Show a rich value (or a figure) now, as `display_data`. Outside a kernel it prints the text/plain form.
 * With `displayId`, a later call with the same id replaces the output in place (progress bars).
 */
export function display(value: Rich | PlotlyFigure | string, options: { displayId?: string; update?: boolean } = {}): void {
  const rich = value instanceof Rich ? value : typeof value === "string" ? new Rich({ "text/plain": value }) : plot(value);
  const hook = displayHook();
  if (!hook) {
    console.log(rich.toString());
    return;
  }
  hook({ data: rich.bundle, metadata: {}, transient: options.displayId ? { display_id: options.displayId } : {} }, options.update ?? false);
}
