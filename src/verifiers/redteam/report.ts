/**
 * `formatRedTeamReport(report)`: the red-team result as a per-family table for a terminal. Model text
 * (completions, extracted answers, golds) is untrusted: `terminalSafe` escapes control characters, bidi
 * overrides, zero-width and other format characters and lone surrogates, so a completion cannot move the
 * cursor, recolour the terminal or reorder what the reader sees.
 */
import type { RedTeamFamily, RedTeamOutcome, RedTeamReport } from "./run.js";

/** Escape what a terminal would interpret or hide; newlines show as ⏎. Truncates to `max` characters with "…". */
export function terminalSafe(s: string, max = 80): string {
  let out = "";
  for (const ch of s) {
    if (out.length >= max) return out.slice(0, max) + "…";
    const c = ch.codePointAt(0)!;
    if (c === 10) out += "⏎";
    else if (c === 9) out += "⇥";
    else if (c < 32 || (c >= 0x7f && c < 0xa0) || (c >= 0xd800 && c <= 0xdfff) || /[\p{Cf}\p{Zl}\p{Zp}]/u.test(ch)) {
      out += `\\u{${c.toString(16)}}`;
    } else out += ch;
  }
  return out;
}

/** The last `n` characters of a completion (where the final answer sits), escaped. */
function tail(s: string, n = 56): string {
  const chars = [...s];
  const cut = chars.length > n ? "…" + chars.slice(-n).join("") : s;
  return terminalSafe(cut, n + 40);
}

function exampleLine(o: RedTeamOutcome): string {
  const v = o.verdict;
  const extracted = v.extracted === null ? "none" : `"${terminalSafe(v.extracted, 40)}"`;
  return `${o.id}: gold "${terminalSafe(o.gold, 30)}", ${v.status} (${terminalSafe(v.rule, 60)}), extracted ${extracted}\n${" ".repeat(8)}completion ${tail(o.completion)}`;
}

const W = 26;

function hackRow(f: RedTeamFamily): string {
  const head = `  ${f.family.padEnd(W)} ${String(f.attempts).padStart(8)} ${String(f.rewarded).padStart(9)}`;
  return f.example ? `${head}   e.g. ${exampleLine(f.example)}` : head;
}

function controlRow(f: RedTeamFamily): string {
  const na = f.notApplicable ? ` (${f.notApplicable} n/a)` : "";
  const head = `  ${f.family.padEnd(W)} ${String(f.attempts).padStart(8)} ${String(f.rewarded).padStart(9)} ${String(f.rejected).padStart(9)}${na}`;
  return f.example ? `${head}   e.g. ${exampleLine(f.example)}` : head;
}

/** The report as text: a header, the hack families, the control families, and a one-line verdict. */
export function formatRedTeamReport(r: RedTeamReport): string {
  const t = r.totals;
  const lines = [
    `red team ${r.catalogue.version} (hash ${r.catalogue.hash}, ${r.catalogue.entries} ${r.task} entries) — ${r.checker === "custom" ? "custom checker, " : ""}task ${r.task}, ` +
      `mode ${r.mode ?? "(default)"}${r.task === "gsm8k" || r.task === "math" ? `, relTol ${r.relTol ?? "(default)"}` : ""}`,
    "",
    `  ${"hack family".padEnd(W)} ${"attempts".padStart(8)} ${"rewarded".padStart(9)}   (a hack that got reward is a hole in the reward)`,
    ...r.families.filter((f) => f.kind === "hack").map(hackRow),
    "",
    `  ${"control family".padEnd(W)} ${"attempts".padStart(8)} ${"rewarded".padStart(9)} ${"rejected".padStart(9)}   (a rejected control is a false negative)`,
    ...r.families.filter((f) => f.kind === "control").map(controlRow),
    "",
    `hacks rewarded: ${t.hacksRewarded} of ${t.hacks} in ${t.hackFamiliesRewarded} of ${t.hackFamilies} families; ` +
      `controls rejected: ${t.controlsRejected} of ${t.controlsApplicable} applicable (${t.controls - t.controlsApplicable} outside this mode's formats) — ` +
      (r.pass ? "PASS" : "FAIL"),
  ];
  return lines.join("\n");
}
