/**
 * The final-answer region rule: a stated answer must be ONE number, or it is no answer at all.
 *
 * `readOneNumber(region)` reads the text of a final-answer region (what follows `####` on its line, the cleaned
 * content of a `\boxed{}`) and returns the number it states, or a refusal saying why it is not one number. The
 * region may hold, around the number and nothing else:
 *   before  `=` or `:`, a currency sign (`$`, `\$`, `€`, `£`, `¥`, `₹`), a sign (`-18`, `-$18`)
 *   after   `%`/`percent`, letters glued on as a unit or ordinal (`2600g`, `156kgs`, `18th`), up to four unit words
 *           (`18 dollars`, `12 miles per hour`), one final `.`
 * and a clock time `3:00` / `3:00 PM` reads as its hour when the minutes are `00` (flag `gsm8k:clock-time`).
 * Refused (reason in the result): anything else — an operator or suffix (`5!`, `18²`, `18½`, `10^10`, `18-20`,
 * `18–20`, `18 + 2 = 20`), a scale or hedge word (`18 thousand`, `18k`, `at least 18`, `minus 18`, `about 18`),
 * another number (`18 or 19 or 20`, `18 (just kidding, it's 20)`), a base notation (`0x12`, `10010_2`, `12₈`).
 * Text with no digit at all is `empty` (a placeholder such as `#### <number>`), not a refusal.
 *
 * `readPhraseAnswer(window)` reads the sentence after an answer phrase ("The answer is …"), which is prose: the
 * first number is the answer, later numbers in the sentence are allowed ("18 apples, 3 more than 15"), except that
 * a negation before it (`not 18`) makes the statement a denial, a hedge before it or a list, range, scale word or
 * glued operator after it is refused, and an expression `3 + 5 = 8` states its result (the number after the last `=`).
 */
import { isNumberLimit, parseExactNumber, type ExactNumber, type NumberLimit } from "../number/exact.js";

export type OneNumber =
  | { kind: "number"; value: ExactNumber | NumberLimit; start: number; end: number; flags: string[] }
  | { kind: "refused"; reason: string }
  | { kind: "empty" }
  | { kind: "negated"; value: ExactNumber | NumberLimit; start: number; end: number };

const NUM = String.raw`(?:\d{1,3}(?:,\d{3})+(?![\d,])|\d+)(?:\.\d+)?(?:\/\d+)?(?:[eE][-+]?\d+)?|\.\d+`;
const CURRENCY = String.raw`(?:\\?\$|€|£|¥|₹)`;
/** Groups: 1 lead, 2 the stated number with sign, currency and %, 3 sign, 4 number, 5 glued letters, 6 unit words. */
const ONE_NUMBER_RE = new RegExp(
  String.raw`^(\s*(?:[=:]\s*)?)(([-+]?)\s*${CURRENCY}?\s*([-+]?(?:${NUM}))(?:\s*(?:\\?%|percent\b))?)([A-Za-z]+(?:\/[A-Za-z]+)?)?((?:\s+[A-Za-z][A-Za-z'’./-]*){0,4})\s*\.?\s*$`,
);
const CLOCK_RE = /^\s*(?:at\s+)?(\d{1,2}):(\d{2})\s*(?:[ap]\.?m\.?|[AP]\.?M\.?)?\s*\.?\s*$/;

/** Letters glued to a number that change its value or base: 18k, 18M, 1e5-style, 0x, 18b… */
const GLUED_BLOCK = new Set(["k", "K", "M", "B", "b", "bn", "mn", "mil", "x", "X", "e", "E", "i", "j", "o", "O", "T", "G"]);

/** Words that, after a number, change what it means (scale, list, range, operator, hedge, retraction). */
export const BLOCKED_WORDS = new Set(
  (
    "or and to through thru minus plus times divided over squared cubed factorial power thousand thousands million " +
    "millions billion billions trillion trillions hundred hundreds dozen dozens grand k point half halves quarter " +
    "quarters third thirds more less fewer than least most about approximately approx roughly nearly almost around " +
    "under between not no maybe perhaps probably possibly either wait actually kidding sorry wrong incorrect " +
    "correction ish range base hex binary octal mod modulo zero one two three four five six seven eight nine ten " +
    "eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty " +
    "seventy eighty ninety"
  ).split(" "),
);

/** Words before a number that make it not the stated value. */
const HEDGE_BEFORE_RE =
  /\b(?:at\s+(?:least|most)|about|approximately|approx|roughly|nearly|almost|around|over|under|more\s+than|less\s+than|fewer\s+than|between|either|maybe|perhaps|probably|possibly|close\s+to|up\s+to|minus|negative|plus|somewhere|anywhere|or)\b|[~≈<>≤≥±]/i;
const NEGATION_BEFORE_RE = /\b(?:not|never|no\s+longer|isn['’]?t|wasn['’]?t|cannot\s+be|can['’]?t\s+be|won['’]?t\s+be)\b|n['’]t\b/i;

function wordsOk(words: string): boolean {
  for (const w of words.trim().split(/\s+/)) {
    if (w === "") continue;
    const bare = w.replace(/[.'’]+$/, "").toLowerCase();
    if (BLOCKED_WORDS.has(bare) || BLOCKED_WORDS.has(bare.replace(/s$/, ""))) return false;
  }
  return true;
}

function exactOf(sign: string, num: string): ExactNumber | NumberLimit | null {
  const neg = sign === "-" ? !num.startsWith("-") : num.startsWith("-");
  const body = num.replace(/^[-+]/, "");
  const v = parseExactNumber(body);
  if (v === null || isNumberLimit(v)) return v;
  return neg ? { ...v, n: -v.n } : v;
}

/** Reads a final-answer region (module comment). `start`/`end` locate the number in `region`. */
export function readOneNumber(region: string): OneNumber {
  if (!/\d/.test(region)) return { kind: "empty" };
  const m = ONE_NUMBER_RE.exec(region);
  if (m === null) {
    const clock = CLOCK_RE.exec(region);
    if (clock !== null) {
      if (clock[2] !== "00") return { kind: "refused", reason: `clock time ${clock[1]}:${clock[2]} is not a whole hour` };
      const v = parseExactNumber(clock[1])!;
      const start = region.indexOf(clock[1]);
      return { kind: "number", value: v, start, end: start + clock[1].length + 3, flags: ["gsm8k:clock-time"] };
    }
    return { kind: "refused", reason: "the final-answer region is not one number" };
  }
  const [, lead, stated, sign, num, glued, words] = m;
  if (glued !== undefined && GLUED_BLOCK.has(glued)) return { kind: "refused", reason: `"${glued}" glued to the number changes its value` };
  if (words !== undefined && !wordsOk(words)) return { kind: "refused", reason: `"${words.trim()}" after the number changes what it states` };
  if (glued !== undefined && !wordsOk(glued)) return { kind: "refused", reason: `"${glued}" after the number changes what it states` };
  const value = exactOf(sign, num);
  if (value === null) return { kind: "refused", reason: `"${num}" is not a number` };
  return { kind: "number", value, start: lead.length, end: lead.length + stated.length, flags: [] };
}

const FIRST_NUMBER_RE = new RegExp(String.raw`(?<![\w.])[-]?${CURRENCY}?\s*(${NUM})`, "g");
const AFTER_LIST_RE = /^\s*(?:,\s*)?(?:or|to|and|through|thru|[-–—~\/,;]|\.\.\.?)\s*[-$€£]?\s*\d/i;
const AFTER_SCALE_RE = /^\s*(?:thousand|million|billion|trillion|hundred|dozen|grand|k\b|bn\b|mn\b)/i;
const AFTER_GLUED_RE = /^(?:[²³¹⁰-⁹½¼¾⅓⅔⅛⅜⅝⅞^_!₀-₉]|\\(?:frac|sqrt|times|cdot|pm)|[A-Za-z]+\d|\d)/;
const AFTER_OP_RE = /^\s*(?:[+*×÷^−-]|\\times|\\cdot|\/\s*\d)/;

/** Reads the sentence after an answer phrase (module comment). */
export function readPhraseAnswer(window: string): OneNumber {
  FIRST_NUMBER_RE.lastIndex = 0;
  const m = FIRST_NUMBER_RE.exec(window);
  if (m === null) return { kind: "empty" };
  const numStart = m.index + m[0].length - m[1].length;
  const prefix = window.slice(0, m.index);
  const signed = m[0].trimStart().startsWith("-") ? "-" : "";
  let start = numStart;
  let end = numStart + m[1].length;
  let num = m[1];
  const rest = window.slice(end);
  const near = prefix.slice(-28);
  if (NEGATION_BEFORE_RE.test(near)) {
    const v = exactOf(signed, num);
    return v === null ? { kind: "refused", reason: "negated statement" } : { kind: "negated", value: v, start, end };
  }
  if (HEDGE_BEFORE_RE.test(near)) return { kind: "refused", reason: `"${prefix.trim()}" hedges the number` };
  if (AFTER_OP_RE.test(rest) && !/^\s*-\s*[A-Za-z]/.test(rest)) {
    const eq = window.lastIndexOf("=");
    if (eq < end) return { kind: "refused", reason: "an expression with no stated result" };
    FIRST_NUMBER_RE.lastIndex = eq + 1;
    const r = FIRST_NUMBER_RE.exec(window);
    if (r === null) return { kind: "refused", reason: "an expression with no stated result" };
    start = r.index + r[0].length - r[1].length;
    end = start + r[1].length;
    num = r[1];
    return finishPhrase(window, r[0].trimStart().startsWith("-") ? "-" : "", num, start, end);
  }
  return finishPhrase(window, signed, num, start, end);
}

function finishPhrase(window: string, sign: string, num: string, start: number, end: number): OneNumber {
  const rest = window.slice(end);
  if (AFTER_GLUED_RE.test(rest)) return { kind: "refused", reason: "an operator or symbol glued to the number" };
  if (AFTER_LIST_RE.test(rest)) return { kind: "refused", reason: "a list or range of numbers" };
  if (AFTER_SCALE_RE.test(rest)) return { kind: "refused", reason: "a scale word after the number" };
  const glued = /^[A-Za-z]+/.exec(rest);
  if (glued !== null && (GLUED_BLOCK.has(glued[0]) || !wordsOk(glued[0]))) return { kind: "refused", reason: `"${glued[0]}" glued to the number` };
  const paren = /^\s*\(([^)]*)\)?/.exec(rest);
  if (paren !== null && /\d/.test(paren[1]) && !/^\s*(?:not|rather\s+than|instead\s+of)\b/i.test(paren[1]) && paren[1].replace(/[^\d.]/g, "") !== num.replace(/[^\d.]/g, "")) {
    return { kind: "refused", reason: "a different number in parentheses after the answer" };
  }
  const clock = /^:(\d{2})/.exec(rest);
  if (clock !== null) {
    if (clock[1] !== "00") return { kind: "refused", reason: "a clock time that is not a whole hour" };
    const v = exactOf(sign, num);
    return v === null ? { kind: "refused", reason: "not a number" } : { kind: "number", value: v, start, end: end + 3, flags: ["gsm8k:clock-time"] };
  }
  const v = exactOf(sign, num);
  if (v === null) return { kind: "refused", reason: `"${num}" is not a number` };
  return { kind: "number", value: v, start, end, flags: [] };
}
