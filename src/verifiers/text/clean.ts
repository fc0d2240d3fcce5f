/**
 * cleanModelText: model text → the text a reader sees, with a map back to the original offsets.
 *
 * Shared by every verifier (GSM8K, MATH) before extraction. Each kind of clean-up that fires adds one flag, so a
 * verdict can say what was cleaned:
 *
 * | flag                    | what                                                             | becomes         |
 * |-------------------------|------------------------------------------------------------------|-----------------|
 * | `text:unicode-space`    | U+00A0, U+2000–U+200A (thin, hair, figure…), U+202F, U+205F, U+3000 | `" "`; removed between digit groups (`1 234` → `1234`) |
 * | `text:unicode-minus`    | U+2212 minus, U+FE63 small and U+FF0D full-width hyphen-minus     | `"-"`           |
 * | `text:fullwidth-digit`  | U+FF10–U+FF19 digits, U+FF0E `．`, U+FF0C `，`                     | ASCII           |
 * | `text:direction-mark`   | U+200E/U+200F, U+061C, U+202A–U+202E, U+2066–U+2069                | removed         |
 * | `text:zero-width`       | U+200B/C/D, U+2060, U+FEFF, U+00AD soft hyphen                     | removed         |
 * | `text:html-comment`     | `<!-- … -->` (text a rendered view hides; an unclosed one runs to the end) | removed   |
 * | `text:markdown-emphasis`| `**`/`***`/`__` runs, `*18*`, `` `18` `` around a number           | removed         |
 *
 * Removing zero-width characters joins what they split (`1\u200B8` reads `18`, as it renders). Markdown clean-up
 * removes runs of two or three `*` or two `_` anywhere except between digits (`**81**`, `14**`; `2**3` stays), and single `*`/`` ` `` only when they wrap
 * a number (`3*4` and `x_1` stay). `markdown: false` keeps all of it (LaTeX input where `*`/`_` have meaning).
 *
 * `toOriginal(i)` maps an offset of the cleaned text to the original (end offsets map to the end of the original
 * character run), so extractors work on `text` and report spans in the model's own text. When nothing needs cleaning
 * the input string itself is returned with `changed: false` (the common case costs one regex test).
 */

export interface CleanedText {
  /** The cleaned text. */
  text: string;
  /** One `text:*` flag per kind of clean-up that fired, in table order. */
  flags: string[];
  changed: boolean;
  /** Offset in the original text of offset `i` of the cleaned text (0 ≤ i ≤ text.length). */
  toOriginal(i: number): number;
}

export interface CleanOptions {
  /** Remove markdown emphasis around numbers (see module comment). Default true. */
  markdown?: boolean;
  /** Remove HTML comments. Default true. */
  htmlComments?: boolean;
}

export const CLEAN_FLAGS = [
  "text:unicode-space",
  "text:unicode-minus",
  "text:fullwidth-digit",
  "text:direction-mark",
  "text:zero-width",
  "text:html-comment",
  "text:markdown-emphasis",
] as const;
export type CleanFlag = (typeof CLEAN_FLAGS)[number];

const SPACE = 0, MINUS = 1, FULLWIDTH = 2, DIRECTION = 3, ZERO_WIDTH = 4, COMMENT = 5, MARKDOWN = 6;

/**
 * Characters that may need cleaning: everything outside printable ASCII except what is always safe, plus `*`, `<`,
 * `_` and the backtick (the loop below decides; a negated class is the fastest scan V8 offers).
 */
const SUSPECT_SOURCE = String.raw`[^\x00-\x29\x2b-\x3b\x3d-\x5e\x61-\x9f]`;
const SUSPECT_RE = new RegExp(SUSPECT_SOURCE);
const SUSPECT_G = new RegExp(SUSPECT_SOURCE, "g");

const identity = (i: number): number => i;

/** Per-character replacement: a string (possibly empty) and the flag it raises, or null to keep the character. */
function mapChar(c: number): [string, number] | null {
  if (c === 0x00a0 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x3000) return [" ", SPACE];
  if (c === 0x2212 || c === 0xfe63 || c === 0xff0d) return ["-", MINUS];
  if (c >= 0xff10 && c <= 0xff19) return [String.fromCharCode(c - 0xff10 + 48), FULLWIDTH];
  if (c === 0xff0e) return [".", FULLWIDTH];
  if (c === 0xff0c) return [",", FULLWIDTH];
  if (c === 0x200e || c === 0x200f || c === 0x061c || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return ["", DIRECTION];
  if (c === 0x200b || c === 0x200c || c === 0x200d || c === 0x2060 || c === 0xfeff || c === 0x00ad) return ["", ZERO_WIDTH];
  return null;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Cleans `text` (see module comment); never throws. Copies unchanged runs whole; the offset map is a list of segments. */
export function cleanModelText(text: string, options?: CleanOptions): CleanedText {
  const markdown = options?.markdown ?? true;
  const comments = options?.htmlComments ?? true;
  if (!SUSPECT_RE.test(text)) return { text, flags: [], changed: false, toOriginal: identity };
  const fired = [false, false, false, false, false, false, false];
  const out: string[] = [];
  // Segment k: cleaned offsets from segOut[k] map 1:1 onto original offsets from segOrig[k].
  const segOut: number[] = [];
  const segOrig: number[] = [];
  let outLen = 0;
  let lastOrig = -1; // original offset that the next emitted character would continue from
  const emit = (piece: string, at: number): void => {
    if (piece.length === 0) return;
    if (at !== lastOrig) {
      segOut.push(outLen);
      segOrig.push(at);
    }
    out.push(piece);
    outLen += piece.length;
    lastOrig = at + piece.length;
  };
  const n = text.length;
  let copied = 0;
  SUSPECT_G.lastIndex = 0;
  for (let m: RegExpExecArray | null; (m = SUSPECT_G.exec(text)) !== null; ) {
    const i = m.index;
    const c = text.charCodeAt(i);
    let skipTo = -1;
    let replacement: string | null = null;
    if (c === 60 /* <!-- */) {
      if (!comments || !text.startsWith("<!--", i)) continue;
      const close = text.indexOf("-->", i + 4);
      skipTo = close < 0 ? n : close + 3;
      fired[COMMENT] = true;
    } else if (c === 42 || c === 95 || c === 96) {
      if (!markdown) continue;
      let j = i + 1;
      while (j < n && text.charCodeAt(j) === c) j++;
      const run = j - i;
      SUSPECT_G.lastIndex = j;
      const between = i > 0 && isDigit(text.charCodeAt(i - 1)) && isDigit(text.charCodeAt(i + run)); // 2**3 is a power
      const drop = run >= 2 ? run <= (c === 42 ? 3 : 2) && !between : c !== 95 && wrapsNumber(text, i);
      if (!drop) continue;
      fired[MARKDOWN] = true;
      skipTo = i + run;
    } else {
      let r = c < 0x00a0 ? null : mapChar(c);
      if (r === null) continue;
      // A unicode space that groups digits (`1 234 567` with U+00A0/U+202F/U+2009) is a thousands separator.
      if (r[1] === SPACE && c !== 0x3000 && groupsDigits(text, i)) r = ["", SPACE];
      fired[r[1]] = true;
      replacement = r[0];
      skipTo = i + 1;
    }
    emit(text.slice(copied, i), copied);
    if (replacement !== null) {
      // A one-for-one replacement keeps the segment running.
      if (replacement.length > 0) {
        if (lastOrig !== i) {
          segOut.push(outLen);
          segOrig.push(i);
        }
        out.push(replacement);
        outLen += replacement.length;
        lastOrig = i + 1;
      }
    }
    copied = skipTo;
    SUSPECT_G.lastIndex = skipTo;
  }
  emit(text.slice(copied), copied);
  if (!fired.some(Boolean)) return { text, flags: [], changed: false, toOriginal: identity };
  const cleaned = out.join("");
  const flags = CLEAN_FLAGS.filter((_, k) => fired[k]);
  const total = cleaned.length;
  return {
    text: cleaned,
    flags,
    changed: true,
    toOriginal: (k: number) => {
      if (k >= total) return n;
      if (k <= 0) return segOut.length > 0 && segOut[0] === 0 ? segOrig[0] : 0;
      let lo = 0;
      let hi = segOut.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (segOut[mid] <= k) lo = mid;
        else hi = mid - 1;
      }
      return segOrig[lo] + (k - segOut[lo]);
    },
  };
}

/**
 * True when the single `*` or `` ` `` at `i` wraps a number: `*18*`, `` `18` `` (opening: a digit follows and the
 * matching closer follows the number; closing: the mirror image). `3*4` is not wrapped (digits on both sides).
 */
function wrapsNumber(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  const before = i > 0 ? text.charCodeAt(i - 1) : 32;
  const after = i + 1 < text.length ? text.charCodeAt(i + 1) : 32;
  if (isDigit(before) && isDigit(after)) return false;
  if (isDigit(after) || after === 45 || after === 36) {
    // opening: find the closer after a run of number characters
    let j = i + 1;
    while (j < text.length && /[\d.,$%\-]/.test(text[j])) j++;
    return j < text.length && text.charCodeAt(j) === c && j > i + 1 && !isDigit(text.charCodeAt(j + 1) || 32);
  }
  if (isDigit(before) || before === 37) {
    let j = i - 1;
    while (j >= 0 && /[\d.,$%\-]/.test(text[j])) j--;
    return j >= 0 && text.charCodeAt(j) === c && !isDigit(text.charCodeAt(j - 1) || 32);
  }
  return false;
}

/** True when the character at `i` sits between a digit and exactly three digits (a thousands group). */
function groupsDigits(text: string, i: number): boolean {
  if (i === 0 || !isDigit(text.charCodeAt(i - 1))) return false;
  for (let k = 1; k <= 3; k++) if (!isDigit(text.charCodeAt(i + k))) return false;
  return !isDigit(text.charCodeAt(i + 4));
}

/** The original-text span of a span of the cleaned text. */
export function originalSpan(cleaned: CleanedText, span: readonly [number, number]): [number, number] {
  if (!cleaned.changed) return [span[0], span[1]];
  const s = cleaned.toOriginal(span[0]);
  // End: one past the original position of the last included character.
  const e = span[1] > span[0] ? cleaned.toOriginal(span[1] - 1) + 1 : s;
  return [s, Math.max(s, e)];
}
