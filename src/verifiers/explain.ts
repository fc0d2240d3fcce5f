/**
 * explainVerdict: a human-readable trace of how one completion was verified — the answer candidates the
 * extractor saw, which rule fired, the chosen span shown in context between » «, the normalized gold and
 * prediction, the comparison rule, the answer boundary, and for GSM8K the four modes side by side
 * (lm-eval strict / flexible / cot-strict and the project's numeric mode, with the strict≠flexible flip).
 *
 * Model text is untrusted: every piece of it is printed through `visible()`, which escapes control
 * characters (no terminal escape sequences get through) and shows newlines as ⏎.
 */
import type { Verdict } from "../schemas/verdict.js";
import { answerBoundary } from "./boundary.js";
import { verifyGsm8kSideBySide } from "./gsm8k/index.js";
import { extractAnswer, verifyAnswer, resolveVerifyOptions, type VerifyOptions } from "./verify.js";

/** Characters of context shown on each side of the chosen span. */
const CONTEXT_CHARS = 60;
/** Longest candidate list printed (the rest are counted). */
const MAX_CANDIDATES = 20;

/** Printable form of untrusted text: control characters escaped, newlines as ⏎, lone surrogates as \u{…}. */
export function visible(s: string, max = 200): string {
  let out = "";
  for (let i = 0; i < s.length && out.length < max; i++) {
    const c = s.charCodeAt(i);
    if (c === 10) out += "⏎";
    else if (c === 9) out += "⇥";
    else if (c < 32 || (c >= 0x7f && c < 0xa0) || c === 0x2028 || c === 0x2029) out += `\\u{${c.toString(16)}}`;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      out += s[i] + s[i + 1];
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) out += `\\u{${c.toString(16)}}`;
    else out += s[i];
  }
  return out.length >= max ? out.slice(0, max) + "…" : out;
}

/** The span in context: `…before»answer«after…`. */
export function spanInContext(text: string, span: [number, number], context = CONTEXT_CHARS): string {
  const [a, b] = span;
  const from = Math.max(0, a - context);
  const to = Math.min(text.length, b + context);
  return (
    (from > 0 ? "…" : "") +
    visible(text.slice(from, a), context + 1) +
    "»" +
    visible(text.slice(a, b), 400) +
    "«" +
    visible(text.slice(b, to), context + 1) +
    (to < text.length ? "…" : "")
  );
}

function verdictLine(v: Verdict): string {
  const pred = v.extracted === null ? "(none)" : JSON.stringify(visible(v.extracted, 80));
  return `${v.status.padEnd(11)} score ${v.score}  extracted ${pred}  rule ${v.rule}${v.flags?.length ? `  flags ${v.flags.join(",")}` : ""}`;
}

export interface ExplainInput {
  id?: string | number;
  gold: string;
  completion: string;
  /** Where the record came from, e.g. `file.jsonl:12`. */
  where?: string;
}

/** Verify one record and describe, line by line, how the verdict came about. */
export async function explainVerdict(record: ExplainInput, options: VerifyOptions): Promise<{ verdict: Verdict; text: string }> {
  const o = resolveVerifyOptions(options);
  const { gold, completion } = record;
  const lines: string[] = [];
  const mode = o.mode ?? "(default)";
  lines.push(`record ${record.id ?? "?"}${record.where ? ` (${record.where})` : ""} — task ${o.task}, mode ${mode}`);
  lines.push(`completion: ${completion.length} chars; gold: ${JSON.stringify(visible(gold, 120))}`);

  const ex = extractAnswer(completion, o);
  lines.push("", `candidates (${ex.candidates.length}, in text order):`);
  if (ex.candidates.length === 0) lines.push("  (none)");
  ex.candidates.slice(0, MAX_CANDIDATES).forEach((c, i) => {
    lines.push(`  ${String(i + 1).padStart(2)}. ${JSON.stringify(visible(c.text, 60))} [${c.span[0]}, ${c.span[1]}) ${c.rule}`);
  });
  if (ex.candidates.length > MAX_CANDIDATES) lines.push(`  … and ${ex.candidates.length - MAX_CANDIDATES} more`);

  lines.push("", `extraction rule: ${ex.rule}${ex.flags.length ? `   flags: ${ex.flags.join(", ")}` : ""}`);
  if (ex.span && ex.extracted !== null) {
    lines.push(`chosen: ${JSON.stringify(visible(ex.extracted, 120))} at [${ex.span[0]}, ${ex.span[1]})`);
    lines.push(`  ${spanInContext(completion, ex.span)}`);
  } else {
    lines.push("chosen: nothing (no answer found)");
  }

  const b = answerBoundary(completion, ex);
  lines.push(
    `boundary: final line ${JSON.stringify(visible(b.finalLine, 80))}; strict final line ${b.strictFinalLine ? "yes" : "no"}; ` +
      `trailing text ${b.trailingText ? JSON.stringify(visible(b.trailingText, 60)) : "none"}; ` +
      `answers ${b.distinctAnswers.length} distinct${b.conflicting ? " (CONFLICTING)" : ""}`,
  );

  const verdict = await verifyAnswer(gold, completion, o);
  lines.push("", "comparison:");
  lines.push(`  normalized gold: ${verdict.normalizedGold === null ? "(none)" : JSON.stringify(visible(verdict.normalizedGold, 120))}`);
  lines.push(`  normalized pred: ${verdict.normalizedPred === null ? "(none)" : JSON.stringify(visible(verdict.normalizedPred, 120))}`);
  lines.push(`  rule: ${verdict.rule}`);
  lines.push(`verdict: ${verdict.status} (score ${verdict.score}, ${verdict.ms.toFixed(2)} ms)${verdict.flags?.length ? `  flags: ${verdict.flags.join(", ")}` : ""}`);
  if (verdict.message) lines.push(`  ${verdict.message}`);

  if (o.task === "gsm8k") {
    const s = verifyGsm8kSideBySide(gold, completion);
    lines.push("", "gsm8k side by side:");
    lines.push(`  lm-eval-strict      ${verdictLine(s.strict)}`);
    lines.push(`  lm-eval-flexible    ${verdictLine(s.flexible)}`);
    lines.push(`  lm-eval-cot-strict  ${verdictLine(s.cotStrict)}`);
    lines.push(`  numeric             ${verdictLine(s.numeric)}`);
    lines.push(
      s.flip
        ? "  flip: YES — lm-eval strict and flexible disagree (a format problem, not a value problem)"
        : "  flip: no — lm-eval strict and flexible agree",
    );
  }
  return { verdict: record.id === undefined ? verdict : { id: record.id, ...verdict }, text: lines.join("\n") };
}
