/**
 * lm-evaluation-harness GSM8K rules, reproduced exactly (quirks included) and flagged where they bite.
 *
 * Source: lm-eval `tasks/gsm8k/gsm8k.yaml` (v3) and `gsm8k-cot.yaml` (v3), filters in `filters/extraction.py`
 * (`RegexFilter`: `re.findall`, pick `matches[group_select]`, a tuple → its first non-empty group,
 * `.strip()`, no match → "[invalid]"), metric `exact_match` with
 *   ignore_case: true, ignore_punctuation: false, regexes_to_ignore: [",", "\$", "(?s).*#### ", "\.$"]
 * applied with `re.sub` in that order to prediction AND reference, then lower-cased, then string equality.
 *
 * | mode                 | lm-eval task/filter           | regex (Python)                        | pick   |
 * |----------------------|-------------------------------|---------------------------------------|--------|
 * | `lm-eval-strict`     | gsm8k / strict-match          | `#### (\-?[0-9\.\,]+)`                | first  |
 * | `lm-eval-flexible`   | gsm8k / flexible-extract      | `(-?[$0-9.,]{2,})\|(-?[0-9]+)`         | last   |
 * | `lm-eval-cot-strict` | gsm8k_cot / strict-match      | `The answer is (\-?[0-9\.\,]+).`      | first  |
 *
 * Gold: `gsm8k` uses the full solution (`doc_to_target: "{{answer}}"`), which `(?s).*#### ` cuts down to
 * the final number; `gsm8k_cot` uses `answer.split('####')[-1].strip()`. A bare-number gold goes through
 * the same steps. JS port notes: Python's `.` is "any char but \n", so the cot regex uses `[^\n]` (JS `.`
 * also refuses \r, U+2028, U+2029); Python's `$` in `\.$` also matches before one final "\n".
 *
 * Flags (in `Extraction.flags` and `Verdict.flags`):
 * - `lm-eval-quirk:unescaped-dot` — cot strict: the regex's final `.` (any character) ate a digit or comma,
 *   so the number was cut: "The answer is 18" at the end of the text extracts `1`.
 * - `lm-eval-quirk:string-compare` — verdict only: lm-eval says wrong although the values are numerically
 *   equal (`18.00` ≠ `18`: only `,`, `$` and one trailing `.` are removed). Numeric mode says equal.
 * - `lm-eval-quirk:no-digit-in-match` — flexible picked a match without a digit (`...`, `,,`, `$$`).
 * - `lm-eval-quirk:unicode-minus-ignored` — the match is preceded by U+2212 (−), which the regexes do not
 *   know: `−18` is read as `18`.
 * - `lm-eval-note:hash-not-matched` — strict found no match although `####` occurs (`####18`, `#### $18`).
 * - `lm-eval-note:phrase-not-matched` — cot strict found no match although "The answer is" occurs (a `$`,
 *   `−` or word follows it, e.g. "The answer is $18.").
 * - `lm-eval-note:case-sensitive-phrase` — cot strict found no match and "the answer is" occurs only in
 *   another case.
 * - `lm-eval-note:stop-sequence-in-text` — the text holds one of the task's `until` strings; lm-eval's
 *   generation would have stopped there (option `truncateAtStop` emulates it).
 */
import type { Extraction } from "../extraction.js";
import type { MarkerScan } from "./extract.js";
import { markerCandidates, scanGsm8kMarkers, withChosen } from "./extract.js";

export type LmEvalMode = "lm-eval-strict" | "lm-eval-flexible" | "lm-eval-cot-strict";

/** Rule names as they appear in `Extraction.rule` / `Verdict.rule`. */
export const LM_EVAL_RULES: Readonly<Record<LmEvalMode, string>> = Object.freeze({
  "lm-eval-strict": "lm-eval:gsm8k/strict-match",
  "lm-eval-flexible": "lm-eval:gsm8k/flexible-extract",
  "lm-eval-cot-strict": "lm-eval:gsm8k_cot/strict-match",
});

/** The generation `until` strings of each task (lm-eval cuts the text at the first one). */
export const LM_EVAL_STOP: Readonly<Record<LmEvalMode, readonly string[]>> = Object.freeze({
  "lm-eval-strict": ["Question:", "</s>", "<|im_end|>"],
  "lm-eval-flexible": ["Question:", "</s>", "<|im_end|>"],
  "lm-eval-cot-strict": ["Q:", "</s>", "<|im_end|>"],
});

/** lm-eval's value when a regex finds nothing. */
export const LM_EVAL_FALLBACK = "[invalid]";

const STRICT_RE = /#### (-?[0-9.,]+)/;
const COT_RE = /The answer is (-?[0-9.,]+)[^\n]/;
const COT_PREFIX = "The answer is ".length;

/** Index of the first `until` string of `mode` in `text`, or -1. */
export function lmEvalStopIndex(text: string, mode: LmEvalMode): number {
  let cut = -1;
  for (const s of LM_EVAL_STOP[mode]) {
    const i = text.indexOf(s);
    if (i >= 0 && (cut < 0 || i < cut)) cut = i;
  }
  return cut;
}

/** Char class `[$0-9.,]` of the flexible regex. */
const inFlexClass = (c: number): boolean => (c >= 48 && c <= 57) || c === 36 || c === 46 || c === 44;

/**
 * Span of the LAST match of `(-?[$0-9.,]{2,})|(-?[0-9]+)` under Python `re.findall`, without running the
 * regex over the whole text. Matches never cross characters outside `[-$0-9.,]`, and each maximal run R
 * of `[$0-9.,]` gives one match: R itself (with a directly preceding `-`) when |R| ≥ 2, or when R is a
 * single digit; otherwise none. So the last match belongs to the last run that qualifies. Equivalence
 * with the regex is checked against Python in tests/verifiers/gsm8k-lmeval.test.ts.
 */
export function lastFlexibleMatch(text: string): [number, number] | null {
  let e = text.length;
  while (e > 0) {
    while (e > 0 && !inFlexClass(text.charCodeAt(e - 1))) e--;
    if (e === 0) return null;
    let s = e - 1;
    while (s > 0 && inFlexClass(text.charCodeAt(s - 1))) s--;
    const c = text.charCodeAt(s);
    if (e - s >= 2 || (c >= 48 && c <= 57)) return [s > 0 && text.charCodeAt(s - 1) === 45 ? s - 1 : s, e];
    e = s;
  }
  return null;
}

/**
 * lm-eval's filter for `mode` on `completion`: the extracted string (exactly the regex group, which
 * `.strip()` leaves unchanged) with its span, or `extracted: null` where lm-eval yields "[invalid]".
 */
export function extractLmEval(
  completion: string,
  mode: LmEvalMode,
  truncateAtStop = false,
  scan?: MarkerScan,
): Extraction {
  const rule = LM_EVAL_RULES[mode];
  const { span, flags } = matchLmEval(completion, mode, truncateAtStop);
  const candidates = markerCandidates(scan ?? scanGsm8kMarkers(completion));
  if (span === null) return { extracted: null, span: null, rule, flags, candidates };
  const extracted = completion.slice(span[0], span[1]);
  return { extracted, span, rule, flags, candidates: withChosen(candidates, { text: extracted, span, rule }) };
}

/** The span lm-eval's regex filter picks (null = "[invalid]") and the quirk flags, without candidates. */
export function matchLmEval(
  completion: string,
  mode: LmEvalMode,
  truncateAtStop = false,
): { span: [number, number] | null; flags: string[] } {
  const flags: string[] = [];
  const stop = lmEvalStopIndex(completion, mode);
  let text = completion;
  if (stop >= 0) {
    if (truncateAtStop) text = completion.slice(0, stop);
    else flags.push("lm-eval-note:stop-sequence-in-text");
  }
  let span: [number, number] | null = null;
  if (mode === "lm-eval-strict") {
    const m = STRICT_RE.exec(text);
    if (m !== null) span = [m.index + 5, m.index + 5 + m[1].length];
    else if (text.indexOf("####") >= 0) flags.push("lm-eval-note:hash-not-matched");
  } else if (mode === "lm-eval-flexible") {
    span = lastFlexibleMatch(text);
    if (span !== null && !/[0-9]/.test(text.slice(span[0], span[1]))) flags.push("lm-eval-quirk:no-digit-in-match");
  } else {
    const m = COT_RE.exec(text);
    if (m !== null) {
      span = [m.index + COT_PREFIX, m.index + COT_PREFIX + m[1].length];
      const ate = m[0].charCodeAt(m[0].length - 1);
      if ((ate >= 48 && ate <= 57) || ate === 44) flags.push("lm-eval-quirk:unescaped-dot");
    } else if (text.indexOf("The answer is") >= 0) flags.push("lm-eval-note:phrase-not-matched");
    else if (/the answer is/i.test(text)) flags.push("lm-eval-note:case-sensitive-phrase");
  }
  if (span !== null && span[0] > 0 && completion.charCodeAt(span[0] - 1) === 0x2212) {
    flags.push("lm-eval-quirk:unicode-minus-ignored");
  }
  return { span, flags };
}

/**
 * lm-eval exact_match normalization: `re.sub` of `,`, `\$`, `(?s).*#### `, `\.$` (in that order, each
 * replacing every match), then lower-case. `\.$` removes ONE trailing `.` (before a final "\n" too).
 */
export function lmEvalNormalize(s: string): string {
  let t = s.indexOf(",") >= 0 ? s.replace(/,/g, "") : s;
  if (t.indexOf("$") >= 0) t = t.replace(/\$/g, "");
  const hash = t.lastIndexOf("#### ");
  if (hash >= 0) t = t.slice(hash + 5);
  if (t.endsWith(".")) t = t.slice(0, -1);
  else if (t.endsWith(".\n")) t = t.slice(0, -2) + "\n";
  return t.toLowerCase();
}

/** The reference string lm-eval compares against, after its doc_to_target and regexes_to_ignore. */
export function lmEvalGold(gold: string, mode: LmEvalMode): string {
  if (mode === "lm-eval-cot-strict") {
    const parts = gold.split("####");
    // Python str.strip(); JS trim() differs only on exotic whitespace (e.g. it also strips U+FEFF).
    return lmEvalNormalize(parts[parts.length - 1].trim());
  }
  return lmEvalNormalize(gold);
}
