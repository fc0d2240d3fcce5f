/**
 * Notebook view of `rlvr traces doctor`: findings as coloured cards (severity, step range, evidence,
 * likely cause, what to check) with a plain-text twin. Evidence values come from user files: escaped.
 */
import type { Finding } from "../traces/detectors.js";
import { escapeHtml } from "./html.js";
import { Rich } from "./mime.js";

const COLOURS = { critical: "#d62728", warning: "#ff7f0e", info: "#1f77b4" } as const;

function where(f: Finding): string {
  return f.steps ? `steps ${f.steps[0]}–${f.steps[1]}` : "whole run";
}

export function findingsView(findings: readonly Finding[], options: { warnings?: readonly string[] } = {}): Rich {
  const warn = options.warnings ?? [];
  const cards = findings
    .map(
      (f) =>
        `<div style="border-left:6px solid ${COLOURS[f.severity]};padding:4px 8px;margin:6px 0;background:#fafafa">` +
        `<b style="color:${COLOURS[f.severity]}">${escapeHtml(f.severity.toUpperCase())}</b> <b>${escapeHtml(f.title)}</b> ` +
        `<code>${escapeHtml(f.id)}</code> · ${escapeHtml(where(f))}<br>` +
        `<span style="color:#444">evidence: ${Object.entries(f.evidence).map(([k, v]) => `${escapeHtml(k)}=<code>${escapeHtml(v)}</code>`).join(", ")}</span><br>` +
        `<i>likely cause:</i> ${escapeHtml(f.cause)}<br><i>check:</i> ${escapeHtml(f.check)}</div>`,
    )
    .join("");
  const warnHtml = warn.length ? `<ul style="color:#a15c00">${warn.map((w) => `<li>${escapeHtml(w)}</li>`).join("")}</ul>` : "";
  const html = `<div style="font-family:system-ui,sans-serif;font-size:13px">${findings.length ? cards : "<p>No findings: none of the detectors fired.</p>"}${warnHtml}</div>`;
  const text =
    (findings.length ? findings.map((f) => `[${f.severity}] ${f.title} (${f.id}, ${where(f)})`).join("\n") : "no findings") +
    (warn.length ? `\n${warn.length} warning(s)` : "");
  return new Rich({ "text/html": html, "text/plain": text });
}
