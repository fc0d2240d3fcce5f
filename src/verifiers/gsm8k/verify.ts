/**
 * GSM8K verifier: `extractGsm8k(text, options)` then `verifyGsm8k(gold, completion, options)` → Verdict.
 *
 * Modes (`Gsm8kOptions.mode`, defaults in options.ts):
 * - `numeric` (project default) — chain `####` → `\boxed{}` → answer phrase → last number
 *   (extract.ts), numeric compare |a−b| ≤ relTol·max(|a|,|b|,1) (compare.ts): `18.00` = `18`,
 *   `$1,234.50` = `1234.5`, `3/4` = `0.75`, `−18` = `-18`.
 *   Rule: `<extraction>+numeric:<exact|within-tol|differ>`, e.g. `gsm8k/hash+numeric:exact`.
 * - `lm-eval-strict`, `lm-eval-flexible`, `lm-eval-cot-strict` — lm-eval's rules exactly, quirks and all
 *   (lmeval.ts); string exact_match, so `18.00` ≠ `18` (flag `lm-eval-quirk:string-compare`).
 *   Rule: `<lm-eval rule>+exact_match:<equal|differ>`, e.g. `lm-eval:gsm8k/strict-match+exact_match:equal`.
 * No answer → status `unparseable` (lm-eval's "[invalid]"), score 0. A gold without a number → `error`.
 *
 * `verify` is asymmetric on purpose: gold first (bare number or full solution ending `#### N`), then the
 * completion. Everything is synchronous and pure; regexes are compiled once at module load.
 */
import type { Verdict } from "../../schemas/verdict.js";
import type { Extraction } from "../extraction.js";
import { cleanModelText } from "../text/clean.js";
import { compareExact } from "../number/compare.js";
import { formatExact, isNumberLimit, toFloat, type ExactNumber, type NumberLimit } from "../number/exact.js";
import { readOneNumber } from "./answer.js";
import { markerCandidates, scanGsm8kMarkers, withChosen } from "./extract.js";
import { selectGsm8kNumeric } from "./select.js";
import {
  extractLmEval, lmEvalGold, lmEvalNormalize, LM_EVAL_FALLBACK, LM_EVAL_RULES, matchLmEval, type LmEvalMode,
} from "./lmeval.js";
import { compareGsm8k } from "./compare.js";
import { exactOfToken } from "./normalize.js";
import { resolveGsm8kOptions, type Gsm8kOptions, type ResolvedGsm8kOptions } from "./options.js";

const now: () => number = () => performance.now();

/**
 * Gold as the numeric mode reads it: the text after the last `####`, or else the whole gold, which must be one
 * number under the final-answer region rule (answer.ts; `18 dollars` is fine, `18 or 19` is not). A solution
 * without `####` is refused rather than read as its first number. `exact` is null when there is no usable number,
 * a NumberLimit when it exceeds the verifier's limits; `value` is its nearest float (display).
 */
export function parseGsm8kGold(gold: string): { text: string; value: number | null; exact: ExactNumber | NumberLimit | null } {
  const hit = GOLD_CACHE.get(gold);
  if (hit !== undefined) return hit;
  const g = readGold(gold);
  if (GOLD_CACHE.size >= GOLD_CACHE_MAX) GOLD_CACHE.clear();
  GOLD_CACHE.set(gold, g);
  return g;
}

type Gold = { text: string; value: number | null; exact: ExactNumber | NumberLimit | null };
const GOLD_CACHE = new Map<string, Readonly<Gold>>();
const GOLD_CACHE_MAX = 4096;

function readGold(gold: string): Gold {
  const hash = gold.lastIndexOf("####");
  const text = (hash >= 0 ? gold.slice(hash + 4) : gold).trim();
  const r = readOneNumber(cleanModelText(text).text);
  if (r.kind !== "number") return { text, value: null, exact: null };
  return { text, value: isNumberLimit(r.value) ? null : toFloat(r.value), exact: r.value };
}

/** The answer of `text` under `options.mode` (see module comment); never throws on model text. */
export function extractGsm8k(text: string, options?: Gsm8kOptions): Extraction {
  const o = resolveGsm8kOptions(options);
  return extractWith(text, o);
}

function extractWith(text: string, o: Readonly<ResolvedGsm8kOptions>): Extraction {
  if (o.mode === "numeric") {
    const e = extractNumericChain(text);
    return { extracted: e.extracted, span: e.span, rule: e.rule, flags: e.flags, candidates: e.candidates };
  }
  return extractLmEval(text, o.mode, o.truncateAtStop);
}

/** Extraction of the numeric mode (with candidates) plus its value. */
export function extractNumericChain(text: string): Extraction & { value: number | null } {
  const sel = selectGsm8kNumeric(text);
  const candidates = markerCandidates(scanGsm8kMarkers(text));
  const rule = sel.refusal?.rule ?? sel.chosen?.rule ?? "gsm8k/none";
  if (sel.chosen === null) return { extracted: sel.refusal?.text ?? null, span: sel.refusal?.span ?? null, rule, flags: sel.flags, candidates, value: null };
  const c = sel.chosen;
  return { extracted: c.text, span: c.span, rule, flags: sel.flags, candidates: withChosen(candidates, c), value: c.value };
}

/** Verdict of `completion` against `gold` (bare number or GSM8K solution ending `#### N`). */
export function verifyGsm8k(gold: string, completion: string, options?: Gsm8kOptions): Verdict {
  const t0 = now();
  const o = resolveGsm8kOptions(options);
  return o.mode === "numeric" ? verifyNumeric(gold, completion, o.relTol, t0) : verifyLmEval(gold, completion, o, t0);
}

function verifyNumeric(gold: string, completion: string, relTol: number | undefined, t0: number): Verdict {
  const g = parseGsm8kGold(gold);
  const sel = selectGsm8kNumeric(completion);
  const flags = sel.flags;
  if (relTol !== undefined) flags.push(`gsm8k:tolerance=${relTol}`);
  const e = sel.chosen;
  const goldOk = g.exact !== null && !isNumberLimit(g.exact);
  const normalizedGold = goldOk ? formatExact(g.exact as ExactNumber) : null;
  const base = { extracted: e?.text ?? sel.refusal?.text ?? null, span: e?.span ?? sel.refusal?.span ?? null, normalizedGold, flags };
  if (g.exact === null || isNumberLimit(g.exact)) {
    const limit = g.exact === null ? null : g.exact;
    return {
      status: "error", score: 0, ...base, normalizedPred: null,
      rule: limit ? `gsm8k/gold+${limit.limit}` : "gsm8k/gold-unparseable", ms: now() - t0,
      message: limit
        ? `gold ${JSON.stringify(g.text.slice(0, 60))}: ${limit.message}; the verifier cannot compare it (not the model's error)`
        : `gold ${JSON.stringify(g.text.slice(0, 60))} is not one number; pass a number or a GSM8K solution ending "#### N"`,
    };
  }
  if (sel.refusal !== undefined) {
    const r = sel.refusal;
    return { status: r.status, score: 0, ...base, normalizedPred: null, rule: r.rule, ms: now() - t0, message: r.message };
  }
  if (e === null || e.exact === null) {
    return {
      status: "unparseable", score: 0, ...base, extracted: null, span: null, normalizedPred: null,
      rule: "gsm8k/none", ms: now() - t0, message: "no number found in the completion",
    };
  }
  if (isNumberLimit(e.exact)) {
    return {
      status: "error", score: 0, ...base, normalizedPred: null, rule: `${e.rule}+${e.exact.limit}`, ms: now() - t0,
      message: `the answer ${e.exact.message}; the verifier does not compare numbers this large (scored 0, fail closed)`,
    };
  }
  const cmp = compareGsm8k(e.exact, g.exact, relTol);
  return {
    status: cmp.equal ? "correct" : "wrong", score: cmp.equal ? 1 : 0, ...base,
    normalizedPred: formatExact(e.exact), rule: numericRule(e.rule, cmp.how), ms: now() - t0,
  };
}

const HOW_NAMES = { exact: "exact", "gold-precision": "gold-precision", tolerance: "within-tol", differ: "differ" } as const;
const NUMERIC_RULES = new Map<string, string>();
/** `<extraction rule>+numeric:<exact|gold-precision|within-tol|differ>`, interned so the hot path allocates no strings. */
function numericRule(extractionRule: string, how: keyof typeof HOW_NAMES): string {
  const key = extractionRule + "|" + how;
  let name = NUMERIC_RULES.get(key);
  if (name === undefined) NUMERIC_RULES.set(key, (name = `${extractionRule}+numeric:${HOW_NAMES[how]}`));
  return name;
}

function verifyLmEval(gold: string, completion: string, o: Readonly<ResolvedGsm8kOptions>, t0: number): Verdict {
  const mode = o.mode as LmEvalMode;
  const m = matchLmEval(completion, mode, o.truncateAtStop);
  const e = {
    rule: LM_EVAL_RULES[mode],
    flags: m.flags,
    span: m.span,
    extracted: m.span === null ? null : completion.slice(m.span[0], m.span[1]),
  };
  const normalizedGold = lmEvalGold(gold, mode);
  if (e.extracted === null) {
    return {
      status: "unparseable", score: 0, extracted: null, span: null, normalizedGold, normalizedPred: null,
      rule: `${e.rule}+fallback`, ms: now() - t0, flags: e.flags,
      message: `no match: lm-eval's filter returns ${JSON.stringify(LM_EVAL_FALLBACK)}, scored 0`,
    };
  }
  const normalizedPred = lmEvalNormalize(e.extracted);
  const ok = normalizedPred === normalizedGold;
  let flags = e.flags;
  let message: string | undefined;
  if (!ok) {
    const pv = exactOfToken(normalizedPred);
    const gv = exactOfToken(normalizedGold);
    if (pv !== null && gv !== null && !isNumberLimit(pv) && !isNumberLimit(gv) && compareExact(pv, gv).equal) {
      flags = [...flags, "lm-eval-quirk:string-compare"];
      message =
        `lm-eval exact_match compares strings after removing ",", "$" and one trailing ".": ` +
        `${JSON.stringify(normalizedPred)} ≠ ${JSON.stringify(normalizedGold)}; numeric mode says they are equal`;
    }
  }
  const v: Verdict = {
    status: ok ? "correct" : "wrong", score: ok ? 1 : 0, extracted: e.extracted, span: e.span,
    normalizedGold, normalizedPred, rule: `${e.rule}+exact_match:${ok ? "equal" : "differ"}`, ms: now() - t0, flags,
  };
  if (message === undefined && flags.includes("lm-eval-quirk:unescaped-dot")) {
    const ate = completion[e.span![1]];
    message = `lm-eval's gsm8k_cot regex ends in an unescaped "." that consumed ${JSON.stringify(ate)}, cutting the number to ${JSON.stringify(e.extracted)}`;
  }
  if (message !== undefined) v.message = message;
  return v;
}

/** All four verdicts of one completion; `flip` when lm-eval strict and flexible disagree on correctness. */
export interface Gsm8kSideBySide {
  strict: Verdict;
  flexible: Verdict;
  cotStrict: Verdict;
  numeric: Verdict;
  flip: boolean;
}

/**
 * `verifyGsm8k` in all four modes on one completion. `flip` is true when
 * `strict.status === "correct"` differs from `flexible.status === "correct"` — the format-vs-value gap.
 */
export function verifyGsm8kSideBySide(
  gold: string,
  completion: string,
  options?: Omit<Gsm8kOptions, "mode">,
): Gsm8kSideBySide {
  const base = resolveGsm8kOptions(options);
  const strict = verifyLmEval(gold, completion, { ...base, mode: "lm-eval-strict" }, now());
  const flexible = verifyLmEval(gold, completion, { ...base, mode: "lm-eval-flexible" }, now());
  const cotStrict = verifyLmEval(gold, completion, { ...base, mode: "lm-eval-cot-strict" }, now());
  const numeric = verifyNumeric(gold, completion, base.relTol, now());
  return { strict, flexible, cotStrict, numeric, flip: (strict.status === "correct") !== (flexible.status === "correct") };
}
