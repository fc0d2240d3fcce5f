/**
 * extractMath: find the final answer of a MATH-style completion and say how it was found.
 *
 * Default chain (first that yields wins; every match is still listed in `candidates`, in text order):
 *   1. rightmost `\boxed{...}` / `\fbox{...}` (nested braces; `\boxed 5` without braces too) → `math/boxed`;
 *      if that rightmost box never closes (truncated output) → unparseable `math/unbalanced-braces`;
 *   2. last final-answer phrase ("final answer is", "the answer is", "answer:") → `math/final-answer`;
 *   3. last math expression: the later of the last `$..$`/`$$..$$`/`\(..\)`/`\[..\]` and the last number
 *      → `math/last-math` or `math/last-number`.
 * `contract` mode: exactly one box or nothing (`contract/no-boxed`, `contract/multiple-boxed`,
 * `contract/unbalanced-braces`). `minerva` mode: lm-eval's `last_boxed_only_string` + `remove_boxed`.
 * `span` is always the exact [start, end) of `extracted` in `text`; no input makes this function throw.
 */
import type { Extraction } from "../extraction.js";
import { cleanModelText } from "../text/index.js";
import { lastBoxedOnlyString, removeBoxed } from "./minerva.js";
import { resolveMathOptions, type MathOptions, type ResolvedMathOptions } from "./options.js";

type Candidate = Extraction["candidates"][number];

export interface BoxedMatch {
  /** Offset of the backslash of `\boxed`/`\fbox`. */
  start: number;
  /** Content range (inside the braces); null content when the braces never close. */
  content: [number, number] | null;
}

const BOX_RE = /\\(?:boxed|fbox)(?![A-Za-z])/g;

/**
 * close[i] = index of the `}` matching the `{` at i, or -1 (one stack pass, escaped `\{`/`\}` skipped), so that
 * finding every box stays linear even when many boxes never close.
 */
function matchBraces(text: string): Map<number, number> {
  const close = new Map<number, number>();
  const stack: number[] = [];
  for (let j = 0; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 92 /* \ */) j++;
    else if (c === 123 /* { */) stack.push(j);
    else if (c === 125 /* } */ && stack.length) close.set(stack.pop()!, j);
  }
  return close;
}

/** Index of the `}` closing the `{` at `open`; -2 when the text ends first. */
function scanClose(text: string, open: number): number {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 92) j++;
    else if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return j;
  }
  return -2;
}

/** Every `\boxed`/`\fbox` in text order (boxes nested in a box are part of its content, not listed). */
export function findBoxed(text: string): BoxedMatch[] {
  const out: BoxedMatch[] = [];
  if (!text.includes("\\boxed") && !text.includes("\\fbox")) return out;
  let closeOf: Map<number, number> | null = null;
  BOX_RE.lastIndex = 0;
  for (let m = BOX_RE.exec(text); m !== null; m = BOX_RE.exec(text)) {
    let i = m.index + m[0].length;
    while (i < text.length && (text[i] === " " || text[i] === "\t")) i++;
    if (text[i] === "{") {
      // Forward scan first (cheap for ordinary boxes); after one unclosed box, one linear pass for the rest.
      let close = closeOf ? (closeOf.get(i) ?? -1) : scanClose(text, i);
      if (close === -2) {
        closeOf = matchBraces(text);
        close = closeOf.get(i) ?? -1;
      }
      out.push({ start: m.index, content: close < 0 ? null : [i + 1, close] });
      if (close > 0) BOX_RE.lastIndex = close + 1; // a box nested in this one is part of its content
    } else if (i > m.index + m[0].length) {
      // `\boxed 5`: up to `$`, newline or end of text, trailing punctuation dropped.
      let end = i;
      while (end < text.length && text[end] !== "$" && text[end] !== "\n") end++;
      while (end > i && /[\s.,;]/.test(text[end - 1])) end--;
      if (end > i) out.push({ start: m.index, content: [i, end] });
    }
  }
  return out;
}

/** At most this many final-answer phrases are listed (the last ones), so pathological texts stay cheap. */
const MAX_PHRASES = 200;
const PHRASE_RE = /(?:final answer is|the answer is|answer\s*(?:\*\*)?\s*:)(?:\s|\*\*)*/gi;

/** The answer right after a phrase ending at `from`: a delimited math span, else text to the sentence end. */
function answerAfter(text: string, from: number, until: number): [number, number] | null {
  for (const [open, close] of [["$$", "$$"], ["\\[", "\\]"], ["\\(", "\\)"], ["$", "$"]] as const) {
    if (text.startsWith(open, from)) {
      const end = text.slice(0, Math.min(until, from + 4000)).indexOf(close, from + open.length);
      if (end < 0) return null;
      // `$5$ or $7$`, `$5$, $7$`: alternatives after the first span belong to the answer (read as a list).
      let stop = end + close.length;
      for (let m = ALTERNATIVE.exec(text.slice(stop, stop + 400)); m !== null; m = ALTERNATIVE.exec(text.slice(stop, stop + 400))) stop += m[0].length;
      if (stop > end + close.length) return trimRange(text, from, stop);
      return trimRange(text, from + open.length, end);
    }
  }
  let end = from;
  const limit = Math.min(until, from + 2000);
  while (end < limit && text[end] !== "\n" && !(text[end] === "." && !/\d/.test(text[end + 1] ?? ""))) end++;
  return trimRange(text, from, end);
}

const ALTERNATIVE = /^\s*(?:,|;|\/|or|and|and\/or|nor)\s*(?:\$[^$\n]{1,200}\$|-?\d[\d.,]*)/;

function trimRange(text: string, a: number, b: number): [number, number] | null {
  while (a < b && /\s/.test(text[a])) a++;
  while (b > a && /[\s.,;]/.test(text[b - 1]) && !(/[,;]/.test(text[b - 1]) && text[b - 2] === "\\")) b--;
  return b > a ? [a, b] : null;
}

const MATH_RE = /\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\]|\\\(([\s\S]+?)\\\)|(?<!\\)\$((?:\\\$|[^$\n])+?)\$/g;
/** A number not glued to a word (`AZYUK2A` has none), as Math-Verify's anchored number pattern. */
const NUMBER_RE = /(?<![A-Za-z0-9_.])[-\u2212]?(?:\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)/g;
/** A bare LaTeX fraction of numbers outside math delimiters, e.g. `-\frac{10}{9}`. */
const FRAC_RE = /-?\\[dtc]?frac\{\s*-?\d+(?:\.\d+)?\s*\}\{\s*-?\d+(?:\.\d+)?\s*\}/g;

/** Only the tail is searched: the final answer sits at the end, and this keeps the scan linear on huge inputs. */
const TAIL_CHARS = 4000;

function lastMatch(re: RegExp, text: string, base: number, rule: string): Candidate | null {
  let found: Candidate | null = null;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    found = { text: m[0], span: [base + m.index, base + m.index + m[0].length], rule };
  }
  return found;
}

/** The latest-ending of: last math span, last bare fraction, last number (ties go to the wider one). */
function lastMath(full: string): Candidate | null {
  const base = Math.max(0, full.length - TAIL_CHARS);
  const text = full.slice(base);
  let best: Candidate | null = null;
  MATH_RE.lastIndex = 0;
  for (let m = MATH_RE.exec(text); m !== null; m = MATH_RE.exec(text)) {
    const body = m[1] ?? m[2] ?? m[3] ?? m[4] ?? "";
    const offset = base + m.index + m[0].indexOf(body);
    const r = trimRange(full, offset, offset + body.length);
    if (r) best = { text: full.slice(r[0], r[1]), span: r, rule: "math/last-math" };
  }
  for (const c of [lastMatch(FRAC_RE, text, base, "math/last-math"), lastMatch(NUMBER_RE, text, base, "math/last-number")]) {
    if (c && (!best || c.span[1] > best.span[1] || (c.span[1] === best.span[1] && c.span[0] < best.span[0]))) best = c;
  }
  return best;
}

export const NUMBER_WORD = /\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|half|third|quarter|fourth|fifth|twice|thrice|double|triple)\b/i;

/**
 * The last math or number stands for the answer only when it is in the last clause of a complete text with no
 * number word after it: `math/truncated` when the text stops mid-clause, three or more words after the number,
 * without closing punctuation (cut off before its final step),
 * `math/no-final-answer` when the last clause states something else ("…; two heads in a row has probability one
 * quarter").
 */
function fallbackRefusal(text: string, span: [number, number]): string | null {
  const end = text.replace(/[\s*_`]+$/, "");
  const after = text.slice(span[1]);
  // Cut off: no closing punctuation and a clause going on after the number (`…, and then the second toss must`).
  if (!/(?:[.!?)\]}$0-9"'”’%]|\\\]|\\\))$/.test(end) && (after.match(/[A-Za-z]+/g)?.length ?? 0) >= 3) return "math/truncated";
  if (/[;\n]|[.!?]\s+\S/.test(after.replace(/^\$+/, "")) || NUMBER_WORD.test(after)) return "math/no-final-answer";
  return null;
}

/** A number after `in`/`per`/`every`… and before a word is a qualifier (`$7425 in 1 week`), not the answer. */
const QUALIFIER_BEFORE = /\b(?:in|per|for|every|each|within|after|over|by|of)\s+$/i;

/** The answer of "She earns $7425 in 1 week.": the number before a trailing qualifier, in the same clause. */
function skipQualifier(text: string, last: Candidate): Candidate {
  const clauseStart = Math.max(text.lastIndexOf("\n", last.span[0]), text.lastIndexOf(". ", last.span[0]), text.lastIndexOf("; ", last.span[0]));
  if (!QUALIFIER_BEFORE.test(text.slice(Math.max(clauseStart, last.span[0] - 12), last.span[0]))) return last;
  if (!/^\s+[A-Za-z]/.test(text.slice(last.span[1], last.span[1] + 3))) return last;
  const clause = text.slice(clauseStart + 1, last.span[0]);
  const earlier = lastMatch(NUMBER_RE, clause, clauseStart + 1, "math/last-number");
  return earlier ?? last;
}

function result(
  text: string,
  range: [number, number] | null,
  rule: string,
  flags: string[],
  candidates: Candidate[],
): Extraction {
  return {
    extracted: range ? text.slice(range[0], range[1]) : null,
    span: range,
    rule,
    flags,
    candidates,
  };
}

const NON_ASCII = /[^\x00-\x7f]/;
const NEEDS_CLEANING = /[\u00A0\u00AD\u061C\u2000-\u200F\u202A-\u202F\u205F-\u2069\u2212\u3000\uFE63\uFEFF\uFF0C-\uFF19]|<!--/;

/**
 * Finds the final answer of a math completion; see the module comment for the rules of each mode.
 * `default`/`contract` read the text a reader sees (text/clean.ts: invisible characters, Unicode spaces and
 * digits, HTML comments, markdown emphasis removed) and report spans in the original text; `minerva` reads the
 * raw text, as lm-eval does.
 */
export function extractMath(text: string, options?: MathOptions | ResolvedMathOptions): Extraction {
  const opts = resolveMathOptions(options);
  if (opts.mode === "minerva") return extractRaw(text, opts);
  // Markdown alone needs no clean-up here (answer phrases allow `**`, cleanAnswer removes it from the answer), so the
  // shared clean-up (and its offset map) runs only where Unicode or HTML comments are present.
  if (!text.includes("<!--") && !(NON_ASCII.test(text) && NEEDS_CLEANING.test(text))) return extractRaw(text, opts);
  const cleaned = cleanModelText(text);
  if (!cleaned.changed) return extractRaw(text, opts);
  const ex = extractRaw(cleaned.text, opts);
  const map = (r: [number, number]): [number, number] => [cleaned.toOriginal(r[0]), cleaned.toOriginal(r[1])];
  const span = ex.span && map(ex.span);
  return {
    extracted: span ? text.slice(span[0], span[1]) : null,
    span,
    rule: ex.rule,
    flags: [...ex.flags, ...cleaned.flags],
    candidates: ex.candidates.map((c) => {
      const r = map(c.span);
      return { ...c, text: text.slice(r[0], r[1]), span: r };
    }),
  };
}

function extractRaw(text: string, opts: ResolvedMathOptions): Extraction {
  const boxes = findBoxed(text);
  const candidates: Candidate[] = boxes
    .filter((b) => b.content !== null)
    .map((b) => ({ text: text.slice(b.content![0], b.content![1]), span: b.content!, rule: "math/boxed" }));
  const flags: string[] = [];
  if (boxes.length > 1) flags.push("multiple-boxed");
  if (new Set(candidates.map((c) => c.text.replace(/\s+/g, ""))).size > 1) flags.push("boxed-differ");
  if (boxes.some((b) => b.content === null)) flags.push("unbalanced-braces");
  if (candidates.some((c) => /\\(?:boxed|fbox)(?![A-Za-z])/.test(c.text))) flags.push("nested-boxed");

  if (opts.mode === "minerva") {
    const last = lastBoxedOnlyString(text);
    const inner = last ? removeBoxed(last.boxed) : null;
    if (!last || inner === null) return result(text, null, "minerva/no-boxed", flags, candidates);
    const start = last.start + (last.boxed.startsWith("\\boxed ") ? "\\boxed ".length : "\\boxed{".length);
    return result(text, [start, start + inner.length], "minerva/boxed", flags, candidates);
  }
  // default and contract: phrase candidates join the list too (answer-boundary analysis wants every match).
  PHRASE_RE.lastIndex = 0;
  let lastPhrase: [number, number] | null = null;
  const phrases: [number, number][] = [];
  const mayHavePhrase = text.includes("nswer") || text.includes("NSWER"); // cheap pre-check before the /i regex
  for (let m = mayHavePhrase ? PHRASE_RE.exec(text) : null; m !== null; m = PHRASE_RE.exec(text)) {
    phrases.push([m.index, m.index + m[0].length]);
  }
  if (phrases.length > MAX_PHRASES) {
    phrases.splice(0, phrases.length - MAX_PHRASES); // keep the last ones: the answer is at the end
    flags.push("phrases-truncated");
  }
  for (let k = 0; k < phrases.length; k++) {
    const r = answerAfter(text, phrases[k][1], k + 1 < phrases.length ? phrases[k + 1][0] : text.length);
    if (r) {
      candidates.push({ text: text.slice(r[0], r[1]), span: r, rule: "math/final-answer" });
      lastPhrase = r;
    }
  }
  candidates.sort((a, b) => a.span[0] - b.span[0]);
  if (opts.mode === "contract") {
    if (boxes.length === 0) return result(text, null, "contract/no-boxed", flags, candidates);
    // Nested boxes count: `\boxed{100\boxed{5}}` holds two.
    if (boxes.length > 1 || flags.includes("nested-boxed")) return result(text, null, "contract/multiple-boxed", flags, candidates);
    const only = boxes[0].content;
    if (!only) return result(text, null, "contract/unbalanced-braces", flags, candidates);
    if (!/\S/.test(text.slice(only[0], only[1]))) return result(text, null, "contract/empty-boxed", flags, candidates);
    return result(text, only, "contract/boxed", flags, candidates);
  }

  const lastBox = boxes.at(-1);
  if (lastBox) {
    if (!lastBox.content) return result(text, null, "math/unbalanced-braces", flags, candidates);
    const r = trimRange(text, lastBox.content[0], lastBox.content[1]);
    if (r) return result(text, r, "math/boxed", flags, candidates);
  }
  if (lastPhrase) return result(text, lastPhrase, "math/final-answer", flags, candidates);
  let tail = lastMath(text);
  if (tail?.rule === "math/last-number") tail = skipQualifier(text, tail);
  if (tail) {
    candidates.push(tail);
    const refused = fallbackRefusal(text, tail.span);
    if (refused) return result(text, null, refused, flags, candidates);
    return result(text, tail.span, tail.rule, flags, candidates);
  }
  return result(text, null, "math/none", flags, candidates);
}
