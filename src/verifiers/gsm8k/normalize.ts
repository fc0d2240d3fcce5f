/**
 * Numbers as GSM8K completions write them, for the project's "numeric" mode.
 *
 * A number token is: an optional sign (`-` or the Unicode minus U+2212, counted as a sign only when it is
 * not glued to a preceding word, digit or closing bracket, so `20-18` is two numbers, not `-18`), an
 * optional `$`, digits with optional thousands commas (`1,234,567`), an optional decimal part, an optional
 * fraction denominator (`3/4`) and an optional `%`. A trailing sentence period is never part of a token
 * (`18.` → `18`), units are never part of a token (`18 dollars` → `18`).
 *
 * Token values are exact (number/exact.ts); compare.ts compares them. `18%` reads as 18 (GSM8K golds carry no `%`).
 */
import { isNumberLimit, parseExactNumber, toFloat, type ExactNumber, type NumberLimit } from "../number/exact.js";

/** Source of one number token (no flags); shared by the regexes below so they cannot drift apart. */
export const NUMBER_TOKEN_SOURCE =
  String.raw`(?:(?<![\w)\]}])[-\u2212])?\$?(?:(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?|\.\d+)(?:\/\d+(?:\.\d+)?)?%?`;

/** Global scanner for number tokens; callers reset `lastIndex` before use. */
export const NUMBER_TOKEN_RE = new RegExp(NUMBER_TOKEN_SOURCE, "g");

/**
 * Exact value of a number token or number text such as `$1,234.50`, `-18`, `3/4`, `18%`, `1{,}000`, `€77`: currency
 * signs, `%`, spaces and one trailing `.` are dropped, then number/exact.ts parses it. Null when it is not a number
 * (`1,2` is not: commas must group thousands); a NumberLimit past the verifier's limits.
 */
export function exactOfToken(text: string): ExactNumber | NumberLimit | null {
  let s = text.trim();
  if (s.length === 0) return null;
  if (!/^-?\d+$/.test(s)) {
    if (/[A-Za-z]/.test(s)) return null; // tokens never hold letters: `1e5` is not a token
    s = s.replace(/\u2212/g, "-").replace(/\{,\}/g, ",").replace(/[$€£¥₹%\s]/g, "").replace(/\\/g, "");
    if (s.endsWith(".")) s = s.slice(0, -1);
  }
  return parseExactNumber(s);
}

/** Nearest float of a number text (display and legacy callers; verdicts compare exactly); null when not a finite number. */
export function parseNumberText(text: string): number | null {
  const v = exactOfToken(text);
  if (v === null || isNumberLimit(v)) return null;
  const f = toFloat(v);
  return Number.isFinite(f) ? f : null;
}

/**
 * First number token in [from, to) with its span; null if none. Runs the regex on that window only (plus
 * one character of look-behind context), so scanning many windows of a long text stays linear. A token
 * that `to` cuts in half does not count.
 */
export function firstNumberIn(
  text: string,
  from: number,
  to: number,
): { text: string; span: [number, number] } | null {
  const base = from > 0 ? from - 1 : 0;
  const win = text.slice(base, to);
  NUMBER_TOKEN_RE.lastIndex = from - base;
  const m = NUMBER_TOKEN_RE.exec(win);
  if (m === null) return null;
  const end = base + m.index + m[0].length;
  if (end === to && to < text.length && isTokenChar(text.charCodeAt(to))) return null;
  return { text: m[0], span: [base + m.index, end] };
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** Characters a number token can contain: digits . , / $ % - and U+2212. */
const isTokenChar = (c: number): boolean =>
  (c >= 48 && c <= 57) || c === 46 || c === 44 || c === 47 || c === 36 || c === 37 || c === 45 || c === 0x2212;

/**
 * Last number token that lies entirely in [from, to); null if none. Scans only the run of token
 * characters around the last digit (tokens never cross other characters), falling back to a full scan
 * when `to` cuts that run.
 */
export function lastNumberIn(
  text: string,
  from: number,
  to: number,
): { text: string; span: [number, number] } | null {
  let i = to - 1;
  while (i >= from && !isDigit(text.charCodeAt(i))) i--;
  if (i < from) return null;
  let s = i;
  while (s > from && isTokenChar(text.charCodeAt(s - 1))) s--;
  return lastTokenFrom(text, s, to) ?? (s > from ? lastTokenFrom(text, from, to) : null);
}

function lastTokenFrom(text: string, from: number, to: number): { text: string; span: [number, number] } | null {
  const base = from > 0 ? from - 1 : 0;
  const win = text.slice(base, to);
  NUMBER_TOKEN_RE.lastIndex = from - base;
  let last: RegExpExecArray | null = null;
  let prev: RegExpExecArray | null = null;
  for (let m: RegExpExecArray | null; (m = NUMBER_TOKEN_RE.exec(win)) !== null; ) {
    prev = last;
    last = m;
  }
  // A last token that `to` cuts in half does not count; the one before it does.
  if (last !== null && base + last.index + last[0].length === to && to < text.length && isTokenChar(text.charCodeAt(to))) {
    last = prev;
  }
  return last === null ? null : { text: last[0], span: [base + last.index, base + last.index + last[0].length] };
}
