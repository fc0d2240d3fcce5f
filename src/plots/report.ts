/**
 * Offline HTML report of a training run directory (`runs/<id>/`): headline numbers from summary.json
 * (each with n and its 95% CI), reward / entropy / KL / format-drift / length plots from trace.jsonl, the
 * sampler-vs-trainer logprob histogram and a gallery of the last step's rollouts from rollouts.jsonl.
 * plotly.js is inlined once, so the file opens with no network. Every piece of run data is escaped.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readJsonlAll, formatJsonlError } from "../schemas/jsonl.js";
import { formatSeconds } from "../schemas/text.js";
import { RolloutRecord, TraceStep } from "../schemas/trace.js";
import { entropyPlot, formatDriftPlot, klPlot, lengthPlot, rewardPlot } from "./trainingPlots.js";
import { logprobDiffHistogram, logprobDiffs } from "./logprobDiffHistogram.js";
import { plotlyHtml, plotlyScriptSource } from "../notebook/mime.js";
import { escapeHtml } from "../notebook/html.js";
import { galleryHtml, type GalleryItem } from "../notebook/gallery.js";
import { tableHtml } from "../notebook/table.js";

interface Estimate {
  estimate: number;
  ci95: [number, number];
}

function isEstimate(x: unknown): x is Estimate {
  const e = x as Estimate;
  return !!e && typeof e.estimate === "number" && Array.isArray(e.ci95) && e.ci95.length === 2;
}

function pct(x: number): string {
  return Number.isFinite(x) ? (100 * x).toFixed(1) : "n/a";
}

/**
 * Rows "metric | estimate | 95% CI | n" for every {estimate, ci95} found in the summary (depth-first,
 * dotted names). `pass@k · K` reads `pass@K`; `pass@k · 1` is left out where a `pass@1` row says the same;
 * n is the estimate's own count (n, n_problems) or its block's pass@1 n_problems.
 */
export function summaryRows(summary: Record<string, unknown>): Record<string, string>[] {
  const rows: Record<string, string>[] = [];
  const nOf = (e: unknown): number | undefined => {
    const x = e as { n?: number; n_problems?: number } | undefined;
    return typeof x?.n === "number" ? x.n : typeof x?.n_problems === "number" ? x.n_problems : undefined;
  };
  const walk = (obj: unknown, path: string[], parent: Record<string, unknown> | null, grand: Record<string, unknown> | null) => {
    if (isEstimate(obj)) {
      const e = obj as Estimate & { n?: number; p_value?: number };
      const k = path.length >= 2 && path[path.length - 2] === "pass@k" ? path[path.length - 1] : null;
      if (k === "1" && grand && isEstimate(grand["pass@1"])) return; // the same number as the pass@1 row
      const label = k === null ? path.join(" · ") : [...path.slice(0, -2), `pass@${k}`].join(" · ");
      const n = nOf(e) ?? (k !== null ? nOf(grand?.["pass@1"]) : undefined) ?? nOf(parent);
      rows.push({
        metric: label,
        "estimate (%)": pct(e.estimate),
        "95% CI (%)": `[${pct(e.ci95[0])}, ${pct(e.ci95[1])}]`,
        "n (problems)": n === undefined ? "" : String(n),
        "p-value": e.p_value === undefined ? "" : e.p_value.toPrecision(3),
      });
      return;
    }
    if (obj && typeof obj === "object" && !Array.isArray(obj) && path.length < 4 && path[0] !== "config") {
      for (const [key, v] of Object.entries(obj)) walk(v, [...path, key], obj as Record<string, unknown>, parent);
    }
  };
  walk(summary, [], null, null);
  return rows;
}

/** The one-line facts under the title: backend, time (training share), held-out problems, steps. */
function factsLine(summary: Record<string, unknown>): string {
  const facts: [string, string][] = [];
  if (summary.backend !== undefined) facts.push(["backend", String(summary.backend)]);
  if (typeof summary.seconds === "number") {
    const train = (summary.seconds_by_phase as { train?: number } | undefined)?.train;
    facts.push(["time", formatSeconds(summary.seconds) + (typeof train === "number" ? ` (training ${formatSeconds(train)})` : "")]);
  }
  if (summary.n_heldout !== undefined) facts.push(["held-out problems", String(summary.n_heldout)]);
  const steps = summary.steps ?? (summary.config as { steps?: unknown } | undefined)?.steps;
  if (steps !== undefined) facts.push(["steps", String(steps)]);
  return facts.map(([k, v]) => `<b>${escapeHtml(k)}</b>: ${escapeHtml(v)}`).join(" · ");
}

export async function writeRunReport(runDir: string, options: { title?: string; galleryItems?: number } = {}): Promise<string> {
  const warnings: string[] = [];
  const tracePath = join(runDir, "trace.jsonl");
  const rolloutsPath = join(runDir, "rollouts.jsonl");
  const summaryPath = join(runDir, "summary.json");

  let steps: TraceStep[] = [];
  if (existsSync(tracePath)) {
    const r = await readJsonlAll(tracePath, TraceStep);
    steps = r.records;
    warnings.push(...r.errors.map(formatJsonlError));
  } else warnings.push(`${tracePath} not found: no training curves`);

  let rollouts: RolloutRecord[] = [];
  if (existsSync(rolloutsPath)) {
    const r = await readJsonlAll(rolloutsPath, RolloutRecord);
    rollouts = r.records;
    warnings.push(...r.errors.map(formatJsonlError));
  }

  let summary: Record<string, unknown> = {};
  if (existsSync(summaryPath)) {
    try {
      summary = JSON.parse(readFileSync(summaryPath, "utf8"));
    } catch (err) {
      warnings.push(`${summaryPath}: not valid JSON (${(err as Error).message})`);
    }
  }

  const figs = steps.length
    ? [rewardPlot(steps), formatDriftPlot(steps), entropyPlot(steps), klPlot(steps), lengthPlot(steps)]
    : [];
  const diffs = logprobDiffs(rollouts);
  if (diffs.length) figs.push(logprobDiffHistogram(diffs));
  const plots = figs.map((f, i) => `<section class="plot">${plotlyHtml(f, { inlinePlotly: "never", id: `plot-${i}` })}</section>`);

  const lastStep = rollouts.reduce((m, r) => Math.max(m, r.step), -1);
  const gallery: GalleryItem[] = rollouts
    .filter((r) => r.step === lastStep)
    .slice(0, options.galleryItems ?? 24)
    .map((r) => ({
      id: `${r.problem_id}#${r.sample_index}`,
      prompt: r.prompt,
      completion: r.completion,
      gold: typeof r.gold === "string" ? r.gold : undefined,
      finish_reason: r.finish_reason,
      verdict: {
        status: r.status as GalleryItem["verdict"]["status"],
        span: Array.isArray(r.span) ? (r.span as [number, number]) : null,
        extracted: typeof r.extracted === "string" ? r.extracted : null,
        rule: typeof r.rule === "string" ? r.rule : `reward=${r.reward}`,
      },
    }));

  const title = options.title ?? `rlvr-lab run report — ${runDir}`;
  const facts = factsLine(summary);
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:20px auto;padding:0 12px}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:8px}.warn{color:#a15c00}
table.rlvr-table td,table.rlvr-table th{border:1px solid #ddd;padding:2px 6px;text-align:left}</style>
<script type="text/javascript">${plotlyScriptSource().replace(/<\/script/gi, "<\\/script")}</script>
</head><body>
<h1>${escapeHtml(title)}</h1>
<p>${facts}</p>
<h2>Headline numbers</h2>
${summaryRows(summary).length ? tableHtml(summaryRows(summary), { maxRows: 200 }) : "<p>No summary.json estimates found.</p>"}
${warnings.length ? `<h3>Warnings</h3><ul class="warn">${warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join("")}</ul>` : ""}
<h2>Training curves (${steps.length} steps)</h2>
<div class="grid">${plots.join("\n")}</div>
<h2>Rollouts at the last step${lastStep >= 0 ? ` (step ${lastStep})` : ""}</h2>
${gallery.length ? galleryHtml(gallery) : "<p>No rollouts.</p>"}
<details><summary>summary.json</summary><pre>${escapeHtml(JSON.stringify(summary, null, 2))}</pre></details>
</body></html>
`;
  const out = join(runDir, "report.html");
  writeFileSync(out, html);
  return out;
}
