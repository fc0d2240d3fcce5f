/**
 * Completion gallery: one card per completion with the prompt, the completion (extracted answer highlighted
 * at its span), the gold answer, the verdict status as a colour, the rule that decided it, and the
 * strict/flexible format flags (IFEval: each instruction ✓/✗ with its evidence). Filterable by status with CSS only (no script runs, so it works in
 * untrusted notebooks and static HTML). All model text is HTML-escaped.
 */
import type { Verdict } from "../schemas/verdict.js";
import { escapeHtml } from "./html.js";
import { Rich } from "./mime.js";

export interface GalleryItem {
  id?: string | number;
  prompt?: string;
  completion: string;
  gold?: string;
  verdict: Pick<Verdict, "status" | "span" | "extracted" | "rule"> & Partial<Verdict>;
  /** Format flags, e.g. { strict: true, flexible: true }. */
  format?: { strict?: boolean; flexible?: boolean };
  finish_reason?: string | null;
}

export interface GalleryOptions {
  /** Show at most this many cards. */
  maxItems?: number;
  /** Longer completions are cut around the start, the answer span and the end. */
  maxChars?: number;
  /** Only these statuses. */
  statuses?: Verdict["status"][];
  title?: string;
}

const STATUS_COLOURS: Record<string, string> = {
  correct: "#2ca02c",
  wrong: "#d62728",
  unparseable: "#ff7f0e",
  timeout: "#9467bd",
  error: "#7f7f7f",
};
const STATUSES = Object.keys(STATUS_COLOURS);
let galleryCounter = 0;

/**
 * The completion as escaped HTML with the span wrapped in <mark>. When longer than maxChars it keeps the
 * head, a window around the span and the tail, marking each cut with an ellipsis and the number of chars.
 */
export function highlightSpan(text: string, span: [number, number] | null | undefined, maxChars = 3000): string {
  const n = text.length;
  const valid = span && span[0] >= 0 && span[1] <= n && span[0] <= span[1] ? span : null;
  const keep: [number, number][] = [];
  if (n <= maxChars) keep.push([0, n]);
  else {
    const part = Math.floor(maxChars / 3);
    keep.push([0, part]);
    if (valid) keep.push([Math.max(0, valid[0] - part / 2), Math.min(n, valid[1] + part / 2)]);
    keep.push([n - part, n]);
  }
  keep.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [a, b] of keep) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([Math.floor(a), Math.ceil(b)]);
  }
  let out = "";
  let prev = 0;
  for (const [a, b] of merged) {
    if (a > prev) out += `<span class="cut">…[${a - prev} chars]…</span>`;
    out += markRange(text, a, b, valid);
    prev = b;
  }
  return out;
}

function markRange(text: string, a: number, b: number, span: [number, number] | null): string {
  if (!span || span[1] <= a || span[0] >= b) return escapeHtml(text.slice(a, b));
  const s0 = Math.max(a, span[0]);
  const s1 = Math.min(b, span[1]);
  return escapeHtml(text.slice(a, s0)) + `<mark>${escapeHtml(text.slice(s0, s1))}</mark>` + escapeHtml(text.slice(s1, b));
}

function flag(name: string, v: boolean | undefined): string {
  if (v === undefined) return "";
  return `<span class="flag ${v ? "yes" : "no"}">${name} ${v ? "✓" : "✗"}</span>`;
}

/**
 * Code verdicts: the first failing test with its message (or the load/timeout message), and the program's
 * own output, all escaped (model text).
 */
function codeDetails(v: Partial<Verdict>): string {
  let out = "";
  if (v.failure) out += `<div class="meta">failing test ${v.failure.index + 1}</div><pre class="fail">${escapeHtml(v.failure.test)}\n${escapeHtml(v.failure.message)}</pre>`;
  else if (v.tests && v.status !== "correct" && v.message) out += `<pre class="fail">${escapeHtml(v.message)}</pre>`;
  if (v.output) out += `<details><summary>program output (${v.output.length} chars)</summary><pre>${escapeHtml(v.output)}</pre></details>`;
  return out;
}

/** IFEval verdicts: one ✓/✗ line per instruction with its evidence, failed ones first to catch the eye. */
function instructionsHtml(list: Verdict["instructions"]): string {
  if (!list || list.length === 0) return "";
  const rows = [...list]
    .sort((a, b) => Number(a.followed) - Number(b.followed))
    .map((i) => `<div class="inst"><span class="flag ${i.followed ? "yes" : "no"}">${i.followed ? "✓" : "✗"} ${escapeHtml(i.id)}</span> ${escapeHtml(i.evidence)}</div>`)
    .join("");
  return `<div class="insts">${rows}</div>`;
}

/** HTML of the gallery (a fragment with its own scoped style). */
export function galleryHtml(items: readonly GalleryItem[], options: GalleryOptions = {}): string {
  const g = `rlvr-gal-${++galleryCounter}`;
  const wanted = options.statuses ? items.filter((i) => options.statuses!.includes(i.verdict.status)) : items;
  const shown = wanted.slice(0, options.maxItems ?? 50);
  const counts = new Map<string, number>();
  for (const i of shown) counts.set(i.verdict.status, (counts.get(i.verdict.status) ?? 0) + 1);
  const css = [
    `.${g}{font-family:system-ui,sans-serif;font-size:13px}`,
    `.${g} .card{border:1px solid #ddd;border-left:6px solid var(--c);margin:6px 0;padding:6px 8px;border-radius:4px}`,
    `.${g} pre{white-space:pre-wrap;word-break:break-word;margin:4px 0;font-size:12px;background:#fafafa;padding:4px}`,
    `.${g} mark{background:#ffe066;outline:1px solid #e0a800}`,
    `.${g} .cut{color:#999;font-style:italic}`,
    `.${g} pre.fail{background:#fde8e8;border-left:3px solid #d62728}`,
    `.${g} .meta{color:#444}.${g} .status{color:var(--c);font-weight:bold}`,
    `.${g} .flag{margin-left:8px;padding:0 4px;border-radius:3px}.${g} .flag.yes{background:#e6f4ea}.${g} .flag.no{background:#fde8e8}`,
    `.${g} label{margin-right:10px;cursor:pointer}`,
    ...STATUSES.map((s) => `#${g}-f-${s}:checked ~ .cards .card:not(.s-${s}){display:none}`),
    // only when a card lists IFEval instructions (keeps other galleries' HTML as it was)
    ...(shown.some((i) => i.verdict.instructions?.length) ? [`.${g} .inst{margin:2px 0;color:#333}.${g} .inst .flag{margin-left:0;margin-right:6px}`] : []),
  ].join("\n");
  const radios =
    `<input type="radio" name="${g}-f" id="${g}-f-all" checked><label for="${g}-f-all">all (${shown.length})</label>` +
    STATUSES.filter((s) => counts.has(s))
      .map((s) => `<input type="radio" name="${g}-f" id="${g}-f-${s}"><label for="${g}-f-${s}">${s} (${counts.get(s)})</label>`)
      .join("");
  const cards = shown
    .map((it) => {
      const v = it.verdict;
      const colour = STATUS_COLOURS[v.status] ?? "#333";
      const id = it.id === undefined ? "" : `<b>${escapeHtml(it.id)}</b> · `;
      const trunc = it.finish_reason === "length" ? `<span class="flag no">truncated</span>` : "";
      return (
        `<div class="card s-${escapeHtml(v.status)}" style="--c:${colour}">` +
        `<div class="meta">${id}<span class="status">${escapeHtml(v.status)}</span> · rule <code>${escapeHtml(v.rule)}</code>` +
        // A multi-line extraction (a program) is shown highlighted in the completion, not repeated here.
        (v.extracted?.includes("\n") ? ` · extracted: highlighted below` : ` · extracted <code>${escapeHtml(v.extracted ?? "∅")}</code>`) +
        (v.tests ? ` · tests <b>${v.tests.passed}/${v.tests.total}</b>` : "") +
        (it.gold !== undefined ? ` · gold <code>${escapeHtml(it.gold)}</code>` : "") +
        flag("strict", it.format?.strict) +
        flag("flexible", it.format?.flexible) +
        trunc +
        `</div>` +
        instructionsHtml(v.instructions) +
        (it.prompt !== undefined ? `<details><summary>prompt</summary><pre>${escapeHtml(it.prompt)}</pre></details>` : "") +
        `<pre>${highlightSpan(it.completion, v.span, options.maxChars)}</pre>` +
        codeDetails(v) +
        `</div>`
      );
    })
    .join("\n");
  const title = options.title ? `<h4>${escapeHtml(options.title)}</h4>` : "";
  const more = wanted.length > shown.length ? `<div class="meta">showing ${shown.length} of ${wanted.length}</div>` : "";
  return `<div class="${g}"><style>${css}</style>${title}${radios}${more}<div class="cards">${cards}</div></div>`;
}

/** The gallery as a rich notebook value (HTML + a plain-text count summary). */
export function completionGallery(items: readonly GalleryItem[], options: GalleryOptions = {}): Rich {
  const counts: Record<string, number> = {};
  for (const i of items) counts[i.verdict.status] = (counts[i.verdict.status] ?? 0) + 1;
  const plain = `[gallery] ${items.length} completions: ` + Object.entries(counts).map(([k, v]) => `${k}=${v}`).join(", ");
  return new Rich({ "text/html": galleryHtml(items, options), "text/plain": plain });
}
