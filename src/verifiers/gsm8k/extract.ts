/**
 * The project's GSM8K extraction chain ("numeric" mode) and the answer-marker scan every mode shares.
 *
 * Chain, first rule that yields a number wins (all inside the *answer region*, see below):
 *   1. `gsm8k/hash`     — the FIRST `####` marker; its number is the first number token on the rest of
 *                         that line (`#### 18`, `####18`, `#### $1,234.50`, `#### 18 dollars`, `#### **18**`).
 *                         First, like lm-eval strict-match: `####` ends a GSM8K answer.
 *   2. `gsm8k/boxed`    — the LAST `\boxed{…}` / `\fbox{…}` (Minerva convention); its value is the last
 *                         number in the content after LaTeX clean-up (`\frac{3}{4}` → 3/4, `\text{…}`, `\$`,
 *                         `\%`, `{,}`, thin spaces). The span is the whole brace content.
 *   3. `gsm8k/phrase`   — the LAST answer phrase, case-insensitive: the word "answer" followed by `is`,
 *                         `:` or `=` ("The answer is X", "The final answer is X", "Final answer: X",
 *                         "Answer: X", "**Answer:** X"), or "final answer" alone ("Final answer\nX");
 *                         X is the first number within 80 characters on the
 *                         rest of the line, or on the next line when the phrase ends its line; when X is
 *                         followed by an operator ("Answer: 3 + 5 = 8") the last number of that window.
 *   4. `gsm8k/last-number` — the last number token of the answer region.
 * Answer region: the completion up to the first *continuation marker* — a line starting `Question:`, `Q:`
 * or `Problem:` after some text, or a chat end token (`<|im_end|>`, `</s>`, `<|endoftext|>`,
 * `<|eot_id|>`). Base models often go on to write the next few-shot question ("…#### 18\n\nQuestion: Tom
 * has 3…"); that text is ignored for selection (flag `gsm8k:continuation-ignored`) but its markers are
 * still listed in `candidates`, so boundary/multiple-answer analysis sees them.
 */
import type { Extraction } from "../extraction.js";
import { firstNumberIn, lastNumberIn, parseNumberText } from "./normalize.js";

/** An answer-marker match with its numeric value (null when the marked text holds no number). */
export interface MarkerCandidate {
  text: string;
  span: [number, number];
  rule: string;
  value: number | null;
}

/** Result of `scanGsm8kMarkers`: every marker in the whole text plus where the answer region ends. */
export interface MarkerScan {
  /** End (exclusive) of the answer region; `text.length` when no continuation marker was found. */
  regionEnd: number;
  hash: MarkerCandidate[];
  boxed: MarkerCandidate[];
  phrase: MarkerCandidate[];
  /** `####` markers with no number on their line. */
  hashWithoutNumber: number;
}

const CONTINUATION_RE = /\n[ \t]*(?:Question|Q|Problem)[ \t]*:|<\|im_end\|>|<\/s>|<\|endoftext\|>|<\|eot_id\|>/g;
const HASH_RE = /####[ \t]*/g;
const BOX_RE = /\\(?:boxed|fbox)\s*\{/g;
/** After the word "answer": ` is`, `:`, `：` or `=` (sticky, on the lower-cased text). */
const PHRASE_TAIL_RE = /\s*(?:is\b|[:：=])/y;
/** Before the word "answer" when no tail follows: "final " makes "Final answer 18" a phrase too. */
const FINAL_BEFORE_RE = /\bfinal\s+$/;
const PLAIN_NUMBER_RE = /^\s*[-\u2212]?\$?[\d.,]+%?\s*$/;
const EXPRESSION_NEXT_RE = /^\s*[+*/×÷=]|^\s+-\s/;
const HASH_WINDOW = 40;
const PHRASE_WINDOW = 80;

/** End of the line containing `from` (index of the `\n` or text length), looking at most to `limit`. */
function lineEnd(text: string, from: number, limit = text.length): number {
  const stop = Math.min(limit, text.length);
  for (let i = from; i < stop; i++) if (text.charCodeAt(i) === 10) return i;
  return stop;
}

/** Value of a boxed content after LaTeX clean-up: the last number in it, or null. */
export function boxedValue(content: string): number | null {
  if (PLAIN_NUMBER_RE.test(content)) return parseNumberText(content);
  const c = content
    .replace(/\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, "$1/$2")
    .replace(/\\(?:text|textbf|mathrm|mbox|mathbf)\s*\{([^{}]*)\}/g, " $1 ")
    .replace(/\{,\}/g, ",")
    .replace(/\\[,!;: ]/g, "")
    .replace(/\\([$%])/g, "$1")
    .replace(/\^\s*\{?\\circ\}?/g, "")
    .replace(/[{}]/g, "");
  const last = lastNumberIn(c, 0, c.length);
  return last === null ? null : parseNumberText(last.text);
}

/**
 * End (exclusive) of the answer region: index of the first continuation marker that has non-whitespace
 * text before it, else `text.length`.
 */
export function answerRegionEnd(text: string): number {
  if (text.indexOf("\n") < 0 && text.indexOf("<") < 0) return text.length;
  CONTINUATION_RE.lastIndex = 0;
  let c: RegExpExecArray | null;
  while ((c = CONTINUATION_RE.exec(text)) !== null) {
    // A restated question at the very start is not a continuation.
    if (/\S/.test(text.slice(0, c.index))) return c.index;
  }
  return text.length;
}

/**
 * `####` markers in text order; `onlyFirstBefore` stops at the first one with a number that ends by that
 * index (the numeric chain needs no more). `skipped` counts markers with no number on their line.
 */
function hashMarkers(text: string, onlyFirstBefore = -1): { list: MarkerCandidate[]; skipped: number } {
  const list: MarkerCandidate[] = [];
  let skipped = 0;
  if (text.indexOf("####") < 0) return { list, skipped };
  HASH_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = HASH_RE.exec(text)) !== null) {
    const from = m.index + m[0].length;
    const to = lineEnd(text, from, from + HASH_WINDOW);
    const n = firstNumberIn(text, from, to);
    if (n === null) {
      skipped++;
      continue;
    }
    const c: MarkerCandidate = { text: n.text, span: n.span, rule: "gsm8k/hash", value: parseNumberText(n.text) };
    list.push(c);
    if (onlyFirstBefore >= 0 && inRegion(c, onlyFirstBefore)) break;
  }
  return { list, skipped };
}

/** `\boxed{…}` / `\fbox{…}` markers in text order (an unclosed box ends the scan). */
function boxedMarkers(text: string): MarkerCandidate[] {
  const list: MarkerCandidate[] = [];
  if (text.indexOf("box") < 0) return list;
  BOX_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = BOX_RE.exec(text)) !== null) {
    const start = m.index + m[0].length;
    let depth = 1;
    let i = start;
    for (; i < text.length && depth > 0; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 123 /* { */) depth++;
      else if (ch === 125 /* } */) depth--;
    }
    if (depth !== 0) break; // unclosed box: truncated output, nothing more to find
    const end = i - 1;
    const content = text.slice(start, end);
    list.push({ text: content, span: [start, end], rule: "gsm8k/boxed", value: boxedValue(content) });
    BOX_RE.lastIndex = i;
  }
  return list;
}

/** Answer-phrase markers in text order (see module comment for the phrase and window rules). */
function phraseMarkers(text: string): MarkerCandidate[] {
  const list: MarkerCandidate[] = [];
  let lower = text.toLowerCase();
  // Some characters change length when lower-cased (U+0130 İ): keep offsets by lower-casing ASCII only.
  if (lower.length !== text.length) lower = text.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  let p = lower.indexOf("answer");
  for (; p >= 0; p = lower.indexOf("answer", p + 6)) {
    if (p > 0 && isWordChar(lower.charCodeAt(p - 1))) continue;
    let from = p + 6;
    if (from < lower.length && isWordChar(lower.charCodeAt(from))) continue; // "answers", "answered"
    PHRASE_TAIL_RE.lastIndex = from;
    const tail = PHRASE_TAIL_RE.exec(lower);
    if (tail !== null) from += tail[0].length;
    else if (!FINAL_BEFORE_RE.test(lower.slice(Math.max(0, p - 12), p))) continue;
    const limit = from + PHRASE_WINDOW;
    let to = lineEnd(text, from, limit);
    if (to < limit && to < text.length && !/[^\s*_:]/.test(text.slice(from, to))) to = lineEnd(text, to + 1, limit);
    let n = firstNumberIn(text, from, to);
    // "Answer: 3 + 5 = 8" states an expression: its result is the last number of the window.
    if (n !== null && EXPRESSION_NEXT_RE.test(text.slice(n.span[1], n.span[1] + 3))) n = lastNumberIn(text, n.span[0], to);
    if (n !== null) list.push({ text: n.text, span: n.span, rule: "gsm8k/phrase", value: parseNumberText(n.text) });
  }
  return list;
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || (c >= 65 && c <= 90);
}

/** Scans the whole completion for `####`, `\boxed{}` and answer-phrase markers (text order each). */
export function scanGsm8kMarkers(text: string): MarkerScan {
  const h = hashMarkers(text);
  return {
    regionEnd: answerRegionEnd(text),
    hash: h.list,
    boxed: boxedMarkers(text),
    phrase: phraseMarkers(text),
    hashWithoutNumber: h.skipped,
  };
}

/**
 * The numeric chain's choice without listing candidates (the verify hot path): scans lazily, stopping at
 * the first rule that yields a number.
 */
export function selectGsm8kNumeric(text: string): { chosen: MarkerCandidate | null; flags: string[] } {
  const regionEnd = answerRegionEnd(text);
  const flags: string[] = [];
  if (regionEnd < text.length) flags.push("gsm8k:continuation-ignored");
  const h = hashMarkers(text, regionEnd);
  if (h.skipped > 0) flags.push("gsm8k:hash-without-number");
  let chosen = firstInRegion(h.list, regionEnd);
  if (chosen === null) chosen = lastInRegion(boxedMarkers(text), regionEnd);
  if (chosen === null) chosen = lastInRegion(phraseMarkers(text), regionEnd);
  if (chosen === null) {
    const n = lastNumberIn(text, 0, regionEnd);
    const value = n === null ? null : parseNumberText(n.text);
    if (n !== null && value !== null) chosen = { text: n.text, span: n.span, rule: "gsm8k/last-number", value };
  }
  return { chosen, flags };
}

function firstInRegion(list: MarkerCandidate[], regionEnd: number): MarkerCandidate | null {
  for (const c of list) if (inRegion(c, regionEnd)) return c;
  return null;
}

function inRegion(c: MarkerCandidate, regionEnd: number): boolean {
  return c.value !== null && c.span[1] <= regionEnd;
}

/** All markers of a scan in text order, as `Extraction.candidates` entries. */
export function markerCandidates(scan: MarkerScan): { text: string; span: [number, number]; rule: string }[] {
  const all = [...scan.hash, ...scan.boxed, ...scan.phrase];
  all.sort((a, b) => a.span[0] - b.span[0]);
  return all.map((c) => ({ text: c.text, span: c.span, rule: c.rule }));
}

/** Adds `chosen` to `candidates` (text order) unless a candidate's span already overlaps it. */
export function withChosen(
  candidates: { text: string; span: [number, number]; rule: string }[],
  chosen: { text: string; span: [number, number]; rule: string } | null,
): { text: string; span: [number, number]; rule: string }[] {
  if (chosen === null) return candidates;
  const [s, e] = chosen.span;
  if (candidates.some((c) => c.span[0] < e && s < c.span[1])) return candidates;
  const out = candidates.slice();
  let i = out.length;
  while (i > 0 && out[i - 1].span[0] > s) i--;
  out.splice(i, 0, chosen);
  return out;
}

/** Extraction of the numeric-mode chain (with candidates) plus the chosen value (null when nothing found). */
export function extractNumericChain(text: string, scan: MarkerScan = scanGsm8kMarkers(text)): Extraction & {
  value: number | null;
} {
  const { chosen, flags } = selectGsm8kNumeric(text);
  const candidates = markerCandidates(scan);
  if (chosen === null) return { extracted: null, span: null, rule: "gsm8k/none", flags, candidates, value: null };
  return {
    extracted: chosen.text,
    span: chosen.span,
    rule: chosen.rule,
    flags,
    candidates: withChosen(candidates, { text: chosen.text, span: chosen.span, rule: chosen.rule }),
    value: chosen.value,
  };
}

function lastInRegion(list: MarkerCandidate[], regionEnd: number): MarkerCandidate | null {
  for (let i = list.length - 1; i >= 0; i--) if (inRegion(list[i], regionEnd)) return list[i];
  return null;
}
