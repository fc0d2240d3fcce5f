/**
 * Tables: arrays of records (or DuckDB row objects) as an escaped HTML table with a text/plain twin.
 * Long tables show the first `maxRows` rows and say how many were left out; long cells are cut.
 */
import { escapeHtml } from "./html.js";
import { Rich } from "./mime.js";

export interface TableOptions {
  maxRows?: number;
  maxCellChars?: number;
  /** Column order; default: keys of the first rows in first-seen order. */
  columns?: string[];
  /** Significant digits for non-integer numbers. */
  digits?: number;
  caption?: string;
}

export function formatCell(v: unknown, digits = 4, maxChars = 200): string {
  let s: string;
  if (v === null || v === undefined) s = "";
  else if (typeof v === "number") s = Number.isInteger(v) ? String(v) : Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : String(v);
  else if (typeof v === "bigint") s = v.toString();
  else if (typeof v === "string") s = v;
  else if (v instanceof Date) s = v.toISOString();
  else s = JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x));
  return s.length > maxChars ? s.slice(0, maxChars - 1) + "…" : s;
}

function columnsOf(rows: readonly Record<string, unknown>[], options: TableOptions): string[] {
  if (options.columns) return options.columns;
  const seen = new Set<string>();
  for (const r of rows.slice(0, 100)) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}

export function tableHtml(rows: readonly Record<string, unknown>[], options: TableOptions = {}): string {
  const maxRows = options.maxRows ?? 50;
  const cols = columnsOf(rows, options);
  const shown = rows.slice(0, maxRows);
  const head = cols.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = shown
    .map((r) => "<tr>" + cols.map((c) => `<td>${escapeHtml(formatCell(r[c], options.digits, options.maxCellChars))}</td>`).join("") + "</tr>")
    .join("\n");
  const caption = options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : "";
  const more = rows.length > shown.length ? `<div style="color:#666">showing ${shown.length} of ${rows.length} rows</div>` : "";
  return (
    `<table class="rlvr-table" style="border-collapse:collapse;font-size:12px">${caption}<thead><tr>${head}</tr></thead>` +
    `<tbody>${body}</tbody></table>${more}`
  );
}

export function tableText(rows: readonly Record<string, unknown>[], options: TableOptions = {}): string {
  const maxRows = options.maxRows ?? 50;
  const cols = columnsOf(rows, options);
  const cells = rows.slice(0, maxRows).map((r) => cols.map((c) => formatCell(r[c], options.digits, Math.min(options.maxCellChars ?? 40, 40))));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (xs: string[]) => xs.map((x, i) => x.padEnd(widths[i])).join("  ").trimEnd();
  const out = [line(cols), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)];
  if (rows.length > maxRows) out.push(`… ${rows.length - maxRows} more rows`);
  return out.join("\n");
}

/** A table as a rich notebook value. */
export function table(rows: readonly Record<string, unknown>[], options: TableOptions = {}): Rich {
  return new Rich({ "text/html": tableHtml(rows, options), "text/plain": tableText(rows, options) });
}
