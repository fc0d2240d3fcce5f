/**
 * GSM8K answer statements: every place a completion states a final answer, read under the final-answer region
 * rule (answer.ts). The decision between them is select.ts; lm-eval modes use the same scan for `candidates`.
 *
 * The text is first cleaned (text/clean.ts: unicode spaces and minus, full-width digits, invisible characters,
 * HTML comments, markdown emphasis), statements are found in the cleaned text, and every span is mapped back to the
 * model's own text. Three kinds of statement, all inside the *answer region* (below):
 *   `gsm8k/hash`   — each `####` marker: the rest of its line (up to another `####`) is the final-answer region and
 *                    must be one number. A region without a digit is a placeholder (`#### <number>`, flag
 *                    `gsm8k:hash-without-number`); one that starts with words and has no hedge or sign word before
 *                    its first digit is a markdown heading (`#### Step 1: …`, flag `gsm8k:hash-heading`), not a marker.
 *   `gsm8k/boxed`  — each outermost `\boxed{…}` / `\fbox{…}`: its content after LaTeX clean-up (`\frac{3}{4}` → 3/4,
 *                    `\text{…}`, `\$`, `\%`, `{,}`, `^\circ`, LaTeX spaces, a leading `x =`) must be one number; a box
 *                    inside a box, an expression (`10^{10}`, `2^{5}`) or a false equation (`20 = 18`) is refused.
 *   `gsm8k/phrase` — each answer phrase ("The answer is", "Final answer:", "Answer:", "answer =", "Final answer" at
 *                    the end of a line): the rest of its sentence (to `.`/`!`/`?` + space, a line end, or 120
 *                    characters; the next line when the phrase ends its line) read by `readPhraseAnswer`.
 * Answer region: the completion up to the first continuation marker — a line starting `Question:`, `Q:`, `Problem:`,
 * `Question 2:`, `New question:`, `Next question:`, `Another question:`, `Human:`, `User:` after some text, or a chat
 * token (`<|im_end|>`, `</s>`, `<|endoftext|>`, `<|eot_id|>`, `<|user|>`, `<|im_start|>`). Text after it is what a
 * base model invents next; it is ignored for the answer (flag `gsm8k:continuation-ignored`).
 */
import { cleanModelText, originalSpan, type CleanedText } from "../text/clean.js";
import { toFloat, isNumberLimit, type ExactNumber, type NumberLimit } from "../number/exact.js";
import { readOneNumber, readPhraseAnswer, type OneNumber } from "./answer.js";
import { answerTagStatements } from "./forged.js";

/** One answer statement, spans in the ORIGINAL completion. */
export interface MarkerCandidate {
  /** The stated answer as written (the number, or the whole region when it was refused). */
  text: string;
  span: [number, number];
  rule: string;
  /** Nearest float of the value (display only); null when refused or too large. */
  value: number | null;
  /** Exact value; a NumberLimit when it exceeds the verifier's limits; null when refused. */
  exact: ExactNumber | NumberLimit | null;
  /** Why this statement is not one number (then `exact` is null). */
  refused?: string;
  /** A denial ("the answer is not 18"): `exact` is the denied value. */
  negated?: boolean;
  flags?: string[];
}

/** Every statement of a completion plus where its answer region ends. */
export interface MarkerScan {
  /** End (exclusive, original offsets) of the answer region. */
  regionEnd: number;
  hash: MarkerCandidate[];
  boxed: MarkerCandidate[];
  phrase: MarkerCandidate[];
  /** `####` markers with no digit on their line (placeholders). */
  hashWithoutNumber: number;
  /** `####` markers read as markdown headings. */
  hashHeadings: number;
  /** Clean-up flags (`text:*`). */
  flags: string[];
}

/** A scan in cleaned-text coordinates (select.ts works on it). */
export interface CleanScan {
  c: CleanedText;
  /** `c.text` lower-cased, same offsets. */
  lower: string;
  /** End of the answer region in `c.text`. */
  regionEnd: number;
  /** Statements of the whole text (selection keeps those before `regionEnd`), cleaned offsets, text order. */
  statements: Statement[];
  hashWithoutNumber: number;
  hashHeadings: number;
  /** Answer phrases skipped as a step's answer ("First the answer is 20"). */
  intermediatePhrases: number;
  /** False when `<answer>` tags do not pair up. */
  tagsPaired: boolean;
}

export interface Statement {
  rule: "gsm8k/hash" | "gsm8k/boxed" | "gsm8k/phrase" | "gsm8k/answer-tag";
  start: number;
  end: number;
  read: OneNumber;
}

const CONTINUATION_RE =
  /\n[ \t]*(?:Question|Q|Problem|Question[ \t]*\d+|New question|Next question|Another question|Human|User)[ \t]*:|<\|im_end\|>|<\/s>|<\|endoftext\|>|<\|eot_id\|>|<\|user\|>|<\|im_start\|>/g;
const HASH_RE = /(?<!#)####(?!#)[ \t]*/g;
const BOX_RE = /\\(?:boxed|fbox)\s*\{/g;
const PHRASE_TAIL_RE = /\s*(?:is\b|[:：=])/y;
const FINAL_BEFORE_RE = /\bfinal\s+$/;
const HEADING_HEDGE_RE = /\b(?:minus|negative|plus|not|no|about|approximately|roughly|nearly|almost|around|over|under|least|most|than|between|either|maybe|perhaps|probably|possibly|or|think|guess|believe|sure|unsure|likely|unlikely|could|might|may|should|seems?|if|unless)\b|[~≈<>≤≥±?]/i;
/** Words before "the answer is" that make it a step's answer, not the final one ("First the answer is 20"). */
const INTERMEDIATE_BEFORE_RE = /\b(?:first|initially|at\s+first|so\s+far|for\s+(?:part|step|question)\s+\w+|partial|intermediate|sub-?)\W+(?:\w+\W+){0,2}$/i;
const PHRASE_WINDOW = 120;

/**
 * End (exclusive) of the answer region: index of the first continuation marker that has non-whitespace text before
 * it, else `text.length`.
 */
export function answerRegionEnd(text: string): number {
  if (text.indexOf("\n") < 0 && text.indexOf("<") < 0) return text.length;
  CONTINUATION_RE.lastIndex = 0;
  let c: RegExpExecArray | null;
  while ((c = CONTINUATION_RE.exec(text)) !== null) {
    if (/\S/.test(text.slice(0, c.index))) return c.index;
  }
  return text.length;
}

function lineEnd(text: string, from: number, limit = text.length): number {
  const stop = Math.min(limit, text.length);
  for (let i = from; i < stop; i++) if (text.charCodeAt(i) === 10) return i;
  return stop;
}

/** Plain text of a boxed content (see module comment); null when it holds another box. */
export function boxedPlain(content: string): string | null {
  if (/\\(?:boxed|fbox)\b/.test(content)) return null;
  return content
    .replace(/\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, "$1/$2")
    .replace(/\\(?:text|textbf|textrm|mathrm|mbox|mathbf|operatorname)\s*\{([^{}]*)\}/g, " $1 ")
    .replace(/\{,\}/g, ",")
    .replace(/\\(?:left|right)\b/g, "")
    .replace(/\\(?:[,!;: ]|quad|qquad)/g, " ")
    .replace(/~/g, " ")
    .replace(/\\([$%])/g, "$1")
    .replace(/\^\s*\{?\s*\\circ\s*\}?/g, "")
    .replace(/^\s*[A-Za-z]\w*\s*=(?!=)/, "")
    .replace(/[{}]/g, "")
    .trim();
}

/** Value of a boxed content (legacy helper for boundary/taxonomy): its number, or null when it is not one. */
export function boxedValue(content: string): number | null {
  const plain = boxedPlain(content);
  if (plain === null) return null;
  const r = readOneNumber(plain);
  return r.kind === "number" && !isNumberLimit(r.value) ? toFloat(r.value) : null;
}

function hashStatements(
  t: string,
  regionEnd: number,
  out: Statement[],
  counts: { placeholder: number; heading: number },
  countBefore: number,
): void {
  if (t.indexOf("####") < 0) return;
  HASH_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = HASH_RE.exec(t)) !== null && m.index < regionEnd) {
    const from = m.index + m[0].length;
    let to = lineEnd(t, from, regionEnd);
    const next = t.indexOf("####", from);
    if (next >= 0 && next < to) to = next;
    const region = t.slice(from, to);
    const read = readOneNumber(region);
    if (read.kind === "empty") {
      if (m.index < countBefore) counts.placeholder++;
      continue;
    }
    if (read.kind === "refused" && /^\s*[A-Za-z]/.test(region)) {
      const beforeDigit = region.slice(0, region.search(/\d/));
      if (!HEADING_HEDGE_RE.test(beforeDigit)) {
        if (m.index < countBefore) counts.heading++;
        continue;
      }
    }
    if (read.kind === "number") out.push({ rule: "gsm8k/hash", start: from + read.start, end: from + read.end, read });
    else out.push({ rule: "gsm8k/hash", start: from + (region.length - region.trimStart().length), end: from + region.trimEnd().length, read });
  }
}

function boxedStatements(t: string, regionEnd: number, out: Statement[]): void {
  if (t.indexOf("box") < 0) return;
  BOX_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = BOX_RE.exec(t)) !== null && m.index < regionEnd) {
    const start = m.index + m[0].length;
    let depth = 1;
    let i = start;
    for (; i < t.length && depth > 0; i++) {
      const ch = t.charCodeAt(i);
      if (ch === 123) depth++;
      else if (ch === 125) depth--;
    }
    if (depth !== 0) break; // unclosed box: truncated output
    const end = i - 1;
    const content = t.slice(start, end);
    const plain = boxedPlain(content);
    let read: OneNumber = plain === null ? { kind: "refused", reason: "a box inside a box" } : readOneNumber(plain);
    if (read.kind === "empty") read = { kind: "refused", reason: "the box holds no number" };
    // A number inside a cleaned content has no exact offset in the original: the span is the whole content.
    out.push({ rule: "gsm8k/boxed", start, end, read });
    BOX_RE.lastIndex = i;
  }
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || (c >= 65 && c <= 90);
}

/** End of the sentence that starts at `from` (see module comment). */
function sentenceEnd(t: string, from: number, limit: number): number {
  const stop = Math.min(limit, t.length);
  for (let i = from; i < stop; i++) {
    const ch = t.charCodeAt(i);
    if (ch === 10) return i;
    if ((ch === 46 || ch === 33 || ch === 63) && (i + 1 >= t.length || /\s/.test(t[i + 1]))) return i;
  }
  return stop;
}

/** `t` lower-cased with offsets kept (characters that change length when lower-cased, as U+0130, stay as they are). */
function lowerKeepingOffsets(t: string): string {
  const lower = t.toLowerCase();
  return lower.length === t.length ? lower : t.replace(/[A-Z]+/g, (x) => x.toLowerCase());
}

function phraseStatements(t: string, lower: string, regionEnd: number, out: Statement[], intermediate: { count: number }): void {
  for (let p = lower.indexOf("answer"); p >= 0 && p < regionEnd; p = lower.indexOf("answer", p + 6)) {
    if (p > 0 && isWordChar(lower.charCodeAt(p - 1))) continue;
    let from = p + 6;
    if (from < lower.length && isWordChar(lower.charCodeAt(from))) continue;
    PHRASE_TAIL_RE.lastIndex = from;
    const tail = PHRASE_TAIL_RE.exec(lower);
    if (tail !== null) from += tail[0].length;
    else if (!FINAL_BEFORE_RE.test(lower.slice(Math.max(0, p - 12), p))) continue;
    if (INTERMEDIATE_BEFORE_RE.test(lower.slice(Math.max(0, p - 40), p))) {
      intermediate.count++;
      continue;
    }
    const limit = Math.min(regionEnd, from + PHRASE_WINDOW);
    let to = sentenceEnd(t, from, limit);
    if (to < limit && t.charCodeAt(to) === 10 && !/[^\s*_:#]/.test(t.slice(from, to))) {
      from = to + 1;
      to = sentenceEnd(t, from, Math.min(regionEnd, from + PHRASE_WINDOW));
    }
    const read = readPhraseAnswer(t.slice(from, to));
    if (read.kind === "empty") continue;
    if (read.kind === "number" || read.kind === "negated") out.push({ rule: "gsm8k/phrase", start: from + read.start, end: from + read.end, read });
    else out.push({ rule: "gsm8k/phrase", start: from, end: to, read });
  }
}

/** Scans the cleaned completion (the hot path of select.ts). */
export function scanClean(text: string): CleanScan {
  const c = cleanModelText(text);
  const t = c.text;
  const regionEnd = answerRegionEnd(t);
  const statements: Statement[] = [];
  const counts = { placeholder: 0, heading: 0 };
  const intermediate = { count: 0 };
  hashStatements(t, t.length, statements, counts, regionEnd);
  boxedStatements(t, t.length, statements);
  const lower = lowerKeepingOffsets(t);
  phraseStatements(t, lower, t.length, statements, intermediate);
  const tagsPaired = answerTagStatements(t, regionEnd, statements);
  statements.sort((a, b) => a.start - b.start);
  return {
    c, lower, regionEnd, statements, hashWithoutNumber: counts.placeholder, hashHeadings: counts.heading,
    intermediatePhrases: intermediate.count, tagsPaired,
  };
}

/** A statement as a MarkerCandidate in original coordinates. */
export function toCandidate(text: string, scan: CleanScan, s: Statement): MarkerCandidate {
  const span = originalSpan(scan.c, [s.start, s.end]);
  const cand: MarkerCandidate = { text: text.slice(span[0], span[1]), span, rule: s.rule, value: null, exact: null };
  const r = s.read;
  if (r.kind === "number" || r.kind === "negated") {
    cand.exact = r.value;
    cand.value = isNumberLimit(r.value) ? null : toFloat(r.value);
    if (r.kind === "negated") cand.negated = true;
    if (r.kind === "number" && r.flags.length > 0) cand.flags = r.flags;
  } else if (r.kind === "refused") cand.refused = r.reason;
  return cand;
}

/** Every statement of the whole completion by kind, original offsets (boundary analysis, lm-eval candidates). */
export function scanGsm8kMarkers(text: string): MarkerScan {
  const scan = scanClean(text);
  const out: MarkerScan = {
    regionEnd: scan.c.toOriginal(scan.regionEnd),
    hash: [],
    boxed: [],
    phrase: [],
    hashWithoutNumber: scan.hashWithoutNumber,
    hashHeadings: scan.hashHeadings,
    flags: scan.c.flags,
  };
  for (const s of scan.statements) {
    const cand = toCandidate(text, scan, s);
    if (cand.negated) continue;
    (s.rule === "gsm8k/hash" ? out.hash : s.rule === "gsm8k/boxed" ? out.boxed : out.phrase).push(cand); // answer tags count as phrases
  }
  return out;
}

/** All statements of a scan in text order, as `Extraction.candidates` entries. */
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
