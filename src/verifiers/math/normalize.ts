/**
 * cleanAnswer: the project's own LaTeX answer normalization (default and contract modes), applied to gold and
 * prediction alike before exact comparison and parsing. Minerva's lossy rules live in minerva.ts instead.
 *
 * Steps, in order: unwrap a remaining `\boxed{}`; drop math delimiters and currency `\$`; `\dfrac`/`\tfrac`/
 * `\cfrac` → `\frac`; drop sizing/spacing commands (`\left`, `\right`, `\!`, `\,`, `\;`, `\quad`, `~`, ...);
 * `{,}` and `,\!` thousands separators; degree marks (`^\circ`, `^{\circ}`, `°`) dropped — degrees are NOT
 * converted to radians (as Math-Verify with `convert_degrees=False`); `\text{and}`/`\text{or}` → `,`;
 * `\text{...}`/`\mbox`/`\mathrm`/`\textbf` holding a unit or words after a value are removed (with a following
 * `^2`/`^3`), holding a number are unwrapped; a trailing bare unit word after a number (`10 inches`) is
 * removed; `\%`, `percent` → `%`; trailing `.` dropped. An answer that is only text (`\text{Evelyn}`) keeps the
 * text. `compact` is the whitespace-free form used for the exact-string stage.
 */
import { cleanModelText } from "../text/index.js";
import { findBoxed } from "./extract.js";

const SPACING = /\\(?:left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|big|Big|bigg|Bigg|displaystyle|textstyle|scriptstyle|limits|quad|qquad|enspace|thinspace|medspace|thickspace|negthinspace)(?![A-Za-z])|\\[!,;:>]|(?<!\\)\\ |~/g;
const UNIT_WORDS = /^(.*[\d}])\s+[A-Za-z]{2,}(?:\s+[A-Za-z]{2,})*(?:\s*\^\{?[23]\}?)?$/;

/** Unicode math a model may emit, mapped to the LaTeX the parser reads. */
const UNICODE: Record<string, string> = {
  "\u2212": "-", "\u00d7": "\\times", "\u00b7": "\\cdot", "\u22c5": "\\cdot", "\u00f7": "\\div", "\u03c0": "\\pi",
  "\u221a": "\\sqrt", "\u2264": "\\le", "\u2265": "\\ge", "\u2260": "\\ne", "\u221e": "\\infty", "\u222a": "\\cup",
  "\u00b1": "\\pm", "\u2208": "\\in",
};
const UNICODE_RE = new RegExp(`[${Object.keys(UNICODE).join("")}]`, "g");
/** Repeating decimal `0.1\overline{6}` (digits before the bar, repeating digits under it). */
const REPEATING = /(\d*)\.(\d*)\\overline\s*\{(\d{1,20})\}/g;

/** int.fixed(rep)(rep)... = (int·10^f·(10^r − 1) + fixed·(10^r − 1) + rep) / (10^f·(10^r − 1)), as `\frac{n}{d}`. */
function repeatingToFrac(int: string, fixed: string, rep: string): string {
  if (int.length + fixed.length > 30) return `${int}.${fixed}${rep}`;
  const f = 10n ** BigInt(fixed.length);
  const r = 10n ** BigInt(rep.length) - 1n;
  const n = BigInt(int || "0") * f * r + BigInt(fixed || "0") * r + BigInt(rep);
  return `\\frac{${n}}{${f * r}}`;
}

const PLAIN_NUMBER = /^-?(?:\d+|\d*\.\d+)$/;

const SUPERSCRIPT: Record<string, string> = { "\u00b2": "^2", "\u00b3": "^3", "\u00b9": "^1", "\u2070": "^0" };

/**
 * What a model's markdown and Unicode add around an answer, removed with the shared clean-up (text/clean.ts:
 * invisible characters, Unicode spaces and minus, full-width digits, HTML comments, markdown emphasis such as
 * `**81**` or `14**`), plus superscripts `²` `³` → `^2` `^3`.
 */
export function plainAnswer(raw: string): string {
  let s = cleanModelText(raw).text;
  if (/[\u00b2\u00b3\u00b9\u2070]/.test(s)) s = s.replace(/[\u00b2\u00b3\u00b9\u2070]/g, (c) => SUPERSCRIPT[c]);
  return s;
}

const TRIG = /\\(?:sin|cos|tan|sec|csc|cot)(?![A-Za-z])/;
const DEGREE_ARG = /(\d+(?:\.\d+)?)\s*(?:\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|°|\\degree(?![A-Za-z]))/g;

export interface CleanAnswer {
  /** Cleaned LaTeX handed to the parser. */
  text: string;
  /** `text` without whitespace: the exact-string comparison form (and `normalizedGold/Pred` in verdicts). */
  compact: string;
  /** True when the answer was nothing but words (`\text{Evelyn}`, `east`): compared as text. */
  isText: boolean;
  /** The unit removed after the value (`cm`, `\text{ m}^2`), as written; null when none (units.ts compares them). */
  unit: string | null;
  /** A degree mark was removed (`30^\circ`). */
  degrees?: boolean;
  /**
   * Words removed from the answer that change what it says — a hedge or a number in text (`5 \text{ (probably 7)}`,
   * `\text{probably } 5`), a negation (`\text{not } 5`), a multiplier (`5\text{ thousand}`): the rule that refuses
   * it as a prediction (`math/hedged`, `math/negated`, `math/multiplier-word`).
   */
  refused?: string;
}

const HEDGE = /\b(?:probably|maybe|perhaps|possibly|likely|unlikely|approximately|approx|about|roughly|around|nearly|almost|guess|either|unless|except|or|if|between|at least|at most|more than|less than|up to)\b/i;
const NEGATION_WORD = /\b(?:not|no|never|isn't|none)\b/i;
const MULTIPLIER_WORD = /\b(?:hundreds?|thousands?|millions?|billions?|trillions?|dozens?|times|lakh|crore|k)\b/i;

/** Normalizes one extracted answer (gold or prediction); never throws. */
export function cleanAnswer(raw: string): CleanAnswer {
  let s = raw.trim();
  if (PLAIN_NUMBER.test(s)) return { text: s, compact: s, isText: false, unit: null }; // hot path: `42`, `-3.5`

  s = plainAnswer(s).trim();
  if (/[^\x00-\x7f]/.test(s)) s = s.replace(UNICODE_RE, (c) => ` ${UNICODE[c]} `);
  // A box inside the answer keeps its surroundings: `\boxed{5}` → `5`, but `100\boxed{5}` → `100{5}` (not 5).
  if (s.includes("\\boxed") || s.includes("\\fbox")) {
    const boxes = findBoxed(s);
    const only = boxes.length === 1 ? boxes[0].content : null;
    if (only && boxes[0].start === 0 && only[1] === s.length - 1) s = s.slice(only[0], only[1]).trim();
    else s = s.replace(/\\(?:boxed|fbox)(?![A-Za-z])\s*/g, "");
  }
  s = s.replace(/\\\$|\$/g, " ").replace(/\\\(|\\\)|\\\[|\\\]/g, " ");
  s = s.replace(/\\[dtc]frac(?![A-Za-z])/g, "\\frac").replace(/\\[dt]binom(?![A-Za-z])/g, "\\binom");
  s = s.replace(/\{,\}\s*/g, "").replace(/,\\!\s*/g, ",");
  // Inside a trigonometric expression a degree mark is a value, not a unit: `\sin 30^\circ` is sin(π/6) = 1/2,
  // and `\sin 30` (radians) is not it. The number before the mark becomes `(\frac{Nπ}{180})`.
  if (TRIG.test(s)) s = s.replace(DEGREE_ARG, (_m, n: string) => `(\\frac{${n}\\pi}{180})`);
  const before = s;
  s = s.replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|\\circ|°|\\degree(?![A-Za-z])/g, "");
  const degrees = s !== before;
  s = s.replace(SPACING, " ");
  s = s.replace(REPEATING, (_m, int: string, fixed: string, rep: string) => repeatingToFrac(int, fixed, rep));
  s = s.replace(/\\%|%|\s*\bpercent(?:age)?\b|\s*\bpct\b/g, "%");

  const onlyText = /^\s*\\(?:text|textbf|textit|textrm|mathrm|mbox)\s*\{([^{}]*)\}\s*\.?\s*$/.exec(s);
  if (onlyText || /^[A-Za-z][A-Za-z\s]+$/.test(s.trim()) && /[A-Za-z]{2,}/.test(s) && !/\\/.test(s)) {
    const t = (onlyText ? onlyText[1] : s).trim();
    return { text: t, compact: t.replace(/\s+/g, ""), isText: true, unit: null };
  }
  // Alternatives are a list, never a product of letters: `x = 5 or x = 7` → `x = 5, x = 7`.
  s = s.replace(/\\text\s*\{\s*(?:and|or)\s*\}|\s(?:or|and)\s|\\(?:lor|vee)(?![A-Za-z])/g, ",");
  const units: string[] = [];
  const removed: string[] = [];
  s = s.replace(/\\(?:text|textbf|textit|textrm|mathrm|mathbf|mbox|operatorname)\s*\{([^{}]*)\}(\s*\^\s*(?:\{\s*\d\s*\}|\d))?/g, (m, body: string, pw: string | undefined, at: number) => {
    if (/^[\s\d.+\-/]*$/.test(body) && /\d/.test(body)) return ` ${body} ${pw ?? ""}`;
    removed.push(body);
    if (/[A-Za-z]/.test(body) && /[\d}]\s*$/.test(s.slice(0, at))) units.push(body.trim() + (pw ? pw.replace(/[\s{}]/g, "") : ""));
    return " ";
  });
  s = s.trim().replace(/[.\s]+$/, "");
  const unitWords = UNIT_WORDS.exec(s);
  if (unitWords && !/\\[A-Za-z]+\s*$/.test(unitWords[1])) {
    units.push(s.slice(unitWords[1].length).trim());
    removed.push(units[units.length - 1]);
    s = unitWords[1];
  }
  s = s.replace(/\s+/g, " ").trim();
  // Thousands separators: only when the whole answer (or what follows its last `=`) is one such number.
  const thousands = /^(.*=\s*)?(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?)$/.exec(s) ?? /^(.*=\s*)?(-?\d{1,3}(?: \d{3})+(?:\.\d+)?)$/.exec(s);
  if (thousands) s = (thousands[1] ?? "") + thousands[2].replace(/[, ]/g, "");
  const out: CleanAnswer = { text: s, compact: s.replace(/\s+/g, ""), isText: false, unit: units.length ? units.join(" ") : null };
  if (degrees) out.degrees = true;
  const words = removed.join(" ");
  if (words) {
    const refused = /\d/.test(words) || HEDGE.test(words) ? "math/hedged" : NEGATION_WORD.test(words) ? "math/negated" : MULTIPLIER_WORD.test(words) ? "math/multiplier-word" : null;
    if (refused) out.refused = refused;
  }
  return out;
}
