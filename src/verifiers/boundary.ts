/**
 * Answer boundary: where the extracted answer sits in the completion and what surrounds it.
 *
 * Works for any `Extraction` (GSM8K or MATH): it only reads `extracted`, `span` and `candidates`.
 * - `exactMatch`       — the completion, trimmed, is exactly the extracted text (`"18"`, not `"18."`).
 * - `strictFinalLine`  — the answer span lies on the last non-empty line and that line is the answer alone,
 *   allowing only these wrappers (case-insensitive): a `####` marker; an answer phrase (`The answer is`,
 *   `The final answer is`, `Final answer:`, `Answer:`, optionally after `So`/`Thus`/`Therefore`/`Hence` and
 *   optionally in `**bold**`); math delimiters `$…$`, `$$…$$`, `\(…\)`, `\[…\]`; `\boxed{…}`/`\fbox{…}`;
 *   a `$` or `%` sign; one final period. Units or other words (`18 dollars`) make it not strict.
 * - `trailingText`     — text after the answer span once its closing wrapper (`}`, `$`, `\]`, `\)`, `**`, `%`,
 *   one `.`) is skipped, trimmed: e.g. the hallucinated `Question: Tom has 3…` after `#### 18`. "" when
 *   nothing follows; null when there is no answer.
 * - `multipleAnswers`  — at least two answer-like candidates; `conflicting` when their values differ
 *   (compared after `normalizeAnswerText`: numbers by value, other text without spaces/`$`/thin spaces).
 */
import type { Extraction } from "./extraction.js";
import { boxedValue } from "./gsm8k/extract.js";
import { canonicalNumber } from "./gsm8k/compare.js";
import { parseNumberText } from "./gsm8k/normalize.js";

export interface Boundary {
  exactMatch: boolean;
  strictFinalLine: boolean;
  /** The last non-empty line of the completion, trimmed ("" for an empty completion). */
  finalLine: string;
  /** Text after the answer and its closing wrapper, trimmed; null when nothing was extracted. */
  trailingText: string | null;
  hasTrailingText: boolean;
  /** Number of answer-like candidates (`extraction.candidates.length`). */
  candidateCount: number;
  multipleAnswers: boolean;
  conflicting: boolean;
  /** Distinct normalized candidate values, first-seen order. */
  distinctAnswers: string[];
}

const FINAL_LINE_PREFIX_RE =
  /^(?:[-*>]\s+)?(?:\*\*)?(?:####\s*|(?:(?:so|thus|therefore|hence),?\s+)?(?:the\s+)?(?:final\s+)?answer(?:\s+is)?\s*[:：]?\s*(?:\*\*)?\s*)?(?:\$\$|\$|\\\[|\\\()?\s*(?:\\(?:boxed|fbox)\s*\{)?\s*(?:\\?\$)?$/i;
const FINAL_LINE_SUFFIX_RE = /^\s*(?:\\?%)?\s*\}?\s*(?:\$\$|\$|\\\]|\\\))?\s*(?:\*\*)?\s*\.?\s*(?:\*\*)?$/;
const CLOSING_WRAPPER_RE = /^(?:\s*(?:\\?%|\}|\$\$|\$|\\\]|\\\)|\*\*))*\s*\.?/;

/**
 * Comparable form of an answer text: a number's canonical value (`$1,234.50` → `1234.5`, `\frac{3}{4}` →
 * `0.75`), otherwise the text without whitespace, `$`, `\left`/`\right`, thin spaces and a final period.
 */
export function normalizeAnswerText(text: string): string {
  const direct = parseNumberText(text);
  if (direct !== null) return canonicalNumber(direct);
  // LaTeX that is only a number once commands are dropped (`\frac{3}{4}`, `1{,}000`, `\$18`).
  if (/\d/.test(text) && text.replace(/\\[a-zA-Z]+/g, "").replace(/[\s{}$,.%/0-9\\\u2212-]/g, "") === "") {
    const v = boxedValue(text);
    if (v !== null) return canonicalNumber(v);
  }
  return text
    .replace(/\\left|\\right|\\[,!;: ]|\$/g, "")
    .replace(/\s+/g, "")
    .replace(/\.$/, "");
}

/** [start, end) of the last line holding non-whitespace text, or null for a blank completion. */
function lastNonEmptyLine(text: string): [number, number] | null {
  let end = text.length;
  while (end > 0) {
    const start = text.lastIndexOf("\n", end - 1) + 1;
    if (text.slice(start, end).trim().length > 0) return [start, end];
    end = start - 1;
  }
  return null;
}

/** Boundary facts of `extraction` inside `completion` (see module comment). */
export function answerBoundary(completion: string, extraction: Extraction): Boundary {
  const line = lastNonEmptyLine(completion);
  const finalLine = line === null ? "" : completion.slice(line[0], line[1]).trim();
  const seen = new Set<string>();
  for (const c of extraction.candidates) seen.add(normalizeAnswerText(c.text));
  const distinct = [...seen];
  const candidateCount = extraction.candidates.length;
  const base = {
    finalLine,
    candidateCount,
    multipleAnswers: candidateCount >= 2,
    conflicting: distinct.length >= 2,
    distinctAnswers: distinct,
  };
  if (extraction.extracted === null || extraction.span === null) {
    return { ...base, exactMatch: false, strictFinalLine: false, trailingText: null, hasTrailingText: false };
  }
  const [s, e] = extraction.span;
  const exactMatch = completion.trim() === extraction.extracted;
  let strictFinalLine = false;
  if (line !== null && s >= line[0] && e <= line[1]) {
    const prefix = completion.slice(line[0], s).trim();
    const suffix = completion.slice(e, line[1]);
    strictFinalLine = FINAL_LINE_PREFIX_RE.test(prefix) && FINAL_LINE_SUFFIX_RE.test(suffix);
  }
  const after = completion.slice(e);
  const wrapper = CLOSING_WRAPPER_RE.exec(after);
  const trailingText = after.slice(wrapper === null ? 0 : wrapper[0].length).trim();
  return { ...base, exactMatch, strictFinalLine, trailingText, hasTrailingText: trailingText.length > 0 };
}
