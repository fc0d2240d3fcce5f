/**
 * Python `str` and `re` semantics that the IFEval checkers depend on, in JavaScript.
 *
 * The published checkers (google-research `instruction_following_eval`, copied verbatim into lm-eval 0.4.13
 * `lm_eval/tasks/ifeval/`) are Python: `str.strip()`, `str.split()`, `str.isupper()`, `str.lower()` and
 * `re` with Unicode `\w`, `\s`, `\b`, `.`, `^`/`$`. JavaScript differs in each, so every checker builds its
 * patterns from the pieces here instead of writing JS regex shorthands:
 *
 *   Python                    JavaScript here                       JS built-in would differ because
 *   `\s` / str.isspace()      PY_WS                                 JS \s lacks \x1c-\x1f, \x85; adds \ufeff
 *   `\w` (Unicode)            PY_W = [\p{L}\p{N}_]                  JS \w is ASCII-only (Python's \w has no Mn/Mc marks either)
 *   `\b` (Unicode)            pyBoundary()                          JS \b is ASCII-only even with /u
 *   `.`                       [^\n]                                 JS . also stops at \r, \u2028, \u2029
 *   `^` / `$` with MULTILINE  PY_BOL / PY_EOL                       JS /m also splits lines at \r, \u2028, \u2029
 *   str.isupper()/islower()   pyIsUpper / pyIsLower                 (no JS built-in)
 *
 * Strings are handled as UTF-16 in JS and as code points in Python; the checkers here only count code points
 * where Python counts characters (letter frequency, langdetect).
 */

/** Python's whitespace (str.isspace() and re's Unicode `\s`), as the inside of a character class. */
export const PY_WS_CHARS = "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
export const PY_WS = `[${PY_WS_CHARS}]`;
export const PY_NOT_WS = `[^${PY_WS_CHARS}]`;
/** Python's Unicode `\w` (str.isalnum() or "_"), for patterns compiled with the `u` flag. */
export const PY_W_CHARS = "\\p{L}\\p{N}_";
export const PY_W = `[${PY_W_CHARS}]`;
/** Python's `^` and `$` under re.MULTILINE (lines end at "\n" only). Compile without the `m` flag. */
export const PY_BOL = "(?:^|(?<=\\n))";
export const PY_EOL = "(?=\\n|$)";
/** Python's `$` without MULTILINE: at the end, or before a final "\n". */
export const PY_END = "(?=\\n?$)";

/** Python's Unicode `\b`: between a `\w` and a non-`\w` (or the text's edge). */
export function pyBoundary(): string {
  return `(?:(?<=${PY_W})(?!${PY_W})|(?<!${PY_W})(?=${PY_W}))`;
}

const LEADING_WS = new RegExp(`^${PY_WS}+`, "u");
const TRAILING_WS = new RegExp(`${PY_WS}+$`, "u");

/** str.strip() with no argument. */
export function pyStrip(s: string): string {
  return s.replace(LEADING_WS, "").replace(TRAILING_WS, "");
}

/** str.rstrip() with no argument. */
export function pyRstrip(s: string): string {
  return s.replace(TRAILING_WS, "");
}

/** str.strip(chars), str.lstrip(chars), str.rstrip(chars): `chars` is a set of characters. */
export function pyStripChars(s: string, chars: string, side: "both" | "left" | "right" = "both"): string {
  const set = new Set(chars);
  let a = 0;
  let b = s.length;
  if (side !== "right") while (a < b && set.has(s[a]!)) a++;
  if (side !== "left") while (b > a && set.has(s[b - 1]!)) b--;
  return s.slice(a, b);
}

const WS_RUN = new RegExp(`${PY_WS}+`, "u");
/** str.split() with no argument: split on whitespace runs, no empty strings. */
export function pySplitWs(s: string): string[] {
  const t = pyStrip(s);
  return t === "" ? [] : t.split(WS_RUN);
}

const HAS_UPPER = /\p{Uppercase}/u;
const HAS_LOWER = /\p{Lowercase}/u;
const HAS_TITLE = /\p{Lt}/u;

/** str.isupper(): at least one cased character and no lowercase or titlecase one. */
export function pyIsUpper(s: string): boolean {
  return HAS_UPPER.test(s) && !HAS_LOWER.test(s) && !HAS_TITLE.test(s);
}

/** str.islower(): at least one cased character and no uppercase or titlecase one. */
export function pyIsLower(s: string): boolean {
  return HAS_LOWER.test(s) && !HAS_UPPER.test(s) && !HAS_TITLE.test(s);
}

/** re.findall count of a pattern (non-overlapping, empty matches advance one character like Python). */
export function countMatches(re: RegExp, s: string): number {
  const g = re.global ? re : new RegExp(re.source, re.flags + "g");
  g.lastIndex = 0;
  let n = 0;
  for (let m = g.exec(s); m; m = g.exec(s)) {
    n++;
    if (m[0] === "") g.lastIndex++;
  }
  return n;
}

/** Python's `json.loads` on a str: JSON plus NaN / Infinity / -Infinity literals, no BOM. */
export function pyJsonLoads(s: string): boolean {
  if (s.startsWith("\ufeff")) return false;
  try {
    JSON.parse(s);
    return true;
  } catch {
    // Python also accepts the non-standard constants outside strings: replace them and try again.
    if (!/NaN|Infinity/.test(s)) return false;
    let out = "";
    let inStr = false;
    for (let i = 0; i < s.length; i++) {
      const c = s[i]!;
      if (inStr) {
        out += c;
        if (c === "\\") out += s[++i] ?? "";
        else if (c === '"') inStr = false;
      } else if (c === '"') {
        inStr = true;
        out += c;
      } else if (s.startsWith("NaN", i)) {
        out += "0";
        i += 2;
      } else if (s.startsWith("Infinity", i)) {
        out += "0";
        i += 7;
      } else out += c;
    }
    try {
      JSON.parse(out);
      return true;
    } catch {
      return false;
    }
  }
}

/** Escape text for use inside a RegExp. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
