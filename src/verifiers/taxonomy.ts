/**
 * Failure taxonomy: one category for every verdict that is not correct, and counts over a batch.
 *
 * `classifyFailure(verdict, completion, extraction, finishReason?)` checks in this order, first hit wins:
 * 1. `verifier_error`  — status `timeout` or `error`: the verifier, not the model, failed (bad gold, slow
 *                        symbolic stage). Not a model failure; kept apart so it is never mistaken for one.
 * 2. `truncated`       — `finishReason === "length"`, or (finish reason unknown) there is no final-answer
 *                        marker (nothing extracted, or only a last-number / lm-eval flexible fallback) and the text stops
 *                        mid-sentence: its last character is a letter, comma, colon, `=`, an operator or an
 *                        opening bracket, or a `\boxed{` is left open.
 * 3. `multiple_conflicting_answers` — two or more answer-like candidates with different values
 *                        (`answerBoundary(...).conflicting`), e.g. `#### 18` then a hallucinated `#### 5`.
 * 4. `format_only`     — the right value is there but the format rule rejected it: the extracted text, or
 *                        the project's numeric-mode reading of the completion, equals the gold numerically
 *                        (lm-eval strict finds no `#### N` in "The answer is 18."; lm-eval says `18.00` ≠ `18`).
 * 5. `unparseable`     — no answer could be extracted and none of the above explains why.
 * 6. `wrong_value_clean_final_line` — a wrong value, cleanly stated alone on the last line
 *                        (`answerBoundary(...).strictFinalLine`): a reasoning error, not a formatting one.
 * 7. `wrong_value_messy` — a wrong value with trailing text, units, or the answer away from the end.
 * A correct verdict gets `category: null`.
 */
import type { Verdict } from "../schemas/verdict.js";
import type { Extraction } from "./extraction.js";
import { answerBoundary, type Boundary } from "./boundary.js";
import { boxedValue } from "./gsm8k/extract.js";
import { selectGsm8kNumeric } from "./gsm8k/select.js";
import { numbersEqual } from "./gsm8k/compare.js";
import { parseNumberText } from "./gsm8k/normalize.js";

export const FAILURE_CATEGORIES = [
  "truncated",
  "unparseable",
  "multiple_conflicting_answers",
  "format_only",
  "wrong_value_clean_final_line",
  "wrong_value_messy",
  "verifier_error",
] as const;
export type FailureCategory = (typeof FAILURE_CATEGORIES)[number];

export interface FailureClass {
  /** null when the verdict is correct. */
  category: FailureCategory | null;
  /** One sentence saying why this category was chosen. */
  reason: string;
  boundary: Boundary;
}

const MID_SENTENCE_END_RE = /[A-Za-z,;:=+\-*/×÷(\[{\\]$/;

/** True when the text looks cut off: ends mid-sentence or inside an open `\boxed{`. */
export function looksCutMidSentence(completion: string): boolean {
  const t = completion.trimEnd();
  if (t.length === 0) return false;
  if (t.endsWith("**")) return false; // closing markdown bold
  const box = t.lastIndexOf("\\boxed{");
  if (box >= 0) {
    let depth = 0;
    for (let i = box + 6; i < t.length; i++) {
      const ch = t[i];
      if (ch === "{") depth++;
      else if (ch === "}") depth--;
    }
    if (depth > 0) return true;
  }
  return MID_SENTENCE_END_RE.test(t);
}

function valueOf(text: string | null): number | null {
  if (text === null) return null;
  return parseNumberText(text) ?? (/\d/.test(text) ? boxedValue(text) : null);
}

/** Category of a non-correct verdict (see module comment); `finishReason` as the server reported it. */
export function classifyFailure(
  verdict: Verdict,
  completion: string,
  extraction: Extraction,
  finishReason?: string | null,
): FailureClass {
  const boundary = answerBoundary(completion, extraction);
  const r = (category: FailureCategory | null, reason: string): FailureClass => ({ category, reason, boundary });
  if (verdict.status === "correct") return r(null, "correct");
  if (verdict.status === "timeout" || verdict.status === "error") {
    return r("verifier_error", `verifier ${verdict.status}${verdict.message ? `: ${verdict.message}` : ""}`);
  }
  if (finishReason === "length") return r("truncated", "finish_reason is length: generation hit max_tokens");
  const noFinalAnswer = extraction.extracted === null || /last-number|flexible-extract/.test(extraction.rule);
  if ((finishReason === undefined || finishReason === null) && noFinalAnswer && looksCutMidSentence(completion)) {
    return r("truncated", "no final answer and the text stops mid-sentence");
  }
  if (boundary.conflicting) {
    return r(
      "multiple_conflicting_answers",
      `${boundary.candidateCount} answer candidates with values ${boundary.distinctAnswers.join(", ")}`,
    );
  }
  const gold = valueOf(verdict.normalizedGold);
  if (gold !== null) {
    const pred = valueOf(extraction.extracted);
    if (pred !== null && numbersEqual(pred, gold)) {
      return r("format_only", `extracted ${JSON.stringify(extraction.extracted)} equals the gold by value; the rule compared strings`);
    }
    const lenient = selectGsm8kNumeric(completion).chosen;
    if (lenient !== null && lenient.value !== null && numbersEqual(lenient.value, gold)) {
      return r("format_only", `the numeric reading (${lenient.rule}) finds the gold value ${JSON.stringify(lenient.text)}; this rule rejected it`);
    }
  }
  if (verdict.status === "unparseable" || extraction.extracted === null) return r("unparseable", "no answer could be extracted");
  if (boundary.strictFinalLine) return r("wrong_value_clean_final_line", "wrong value stated alone on the last line");
  return r("wrong_value_messy", boundary.hasTrailingText ? "wrong value followed by more text" : "wrong value not stated alone on the last line");
}

/** Counts per category over a batch. Fractions are 0 when their denominator is 0. */
export interface FailureAggregate {
  /** All items, correct ones included. */
  n: number;
  /** Items with a non-null category. */
  failures: number;
  counts: Record<FailureCategory, number>;
  /** counts / n. */
  fractions: Record<FailureCategory, number>;
  /** counts / failures. */
  fractionsOfFailures: Record<FailureCategory, number>;
}

/** Aggregates `classifyFailure` results (or bare categories; null = correct). */
export function aggregateFailures(items: Iterable<FailureClass | FailureCategory | null>): FailureAggregate {
  const counts = Object.fromEntries(FAILURE_CATEGORIES.map((c) => [c, 0])) as Record<FailureCategory, number>;
  let n = 0;
  let failures = 0;
  for (const item of items) {
    n++;
    const c = item === null || typeof item === "string" ? item : item.category;
    if (c === null) continue;
    if (!(c in counts)) throw new Error(`unknown failure category ${JSON.stringify(c)}; use one of ${FAILURE_CATEGORIES.join(", ")}`);
    counts[c]++;
    failures++;
  }
  const frac = (d: number) =>
    Object.fromEntries(FAILURE_CATEGORIES.map((c) => [c, d === 0 ? 0 : counts[c] / d])) as Record<FailureCategory, number>;
  return { n, failures, counts, fractions: frac(n), fractionsOfFailures: frac(failures) };
}
