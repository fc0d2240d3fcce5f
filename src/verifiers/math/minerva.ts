/**
 * Minerva's answer normalization, reproduced rule for rule from appendix D of Lewkowycz et al. (2022),
 * "Solving Quantitative Reasoning Problems with Language Models", as shipped in EleutherAI lm-evaluation-harness
 * `lm_eval/tasks/minerva_math/utils.py` (`normalize_final_answer`, `last_boxed_only_string`, `remove_boxed`).
 *
 * Quirks are kept on purpose so that `mode: "minerva"` scores what lm-eval scores:
 * - `split("=")[-1]` keeps only the text after the last `=` (so `x=3` → `3`, and `y=2x+3` → `2x+3`);
 * - `"a "`/`"an "` are deleted anywhere (`"a "` inside `\text{a b}` too), spaces are all removed;
 * - `1,2,3` becomes `123` (commas are dropped whenever the rest is all digits);
 * - `last_boxed_only_string` prefers the text after the last `"\boxed "` (with a space) whenever one occurs.
 * Python `re.sub` semantics (`.` does not match newlines, every non-overlapping match replaced) are mirrored.
 */

/** (before, after) pairs applied in order with plain string replacement (Python `str.replace`). */
export const SUBSTITUTIONS: readonly (readonly [string, string])[] = [
  ["an ", ""],
  ["a ", ""],
  [".$", "$"],
  ["\\$", ""],
  ["\\ ", ""],
  [" ", ""],
  ["mbox", "text"],
  [",\\text{and}", ","],
  ["\\text{and}", ","],
  ["\\text{m}", "\\text{}"],
];

/** Substrings deleted everywhere, in order, after SUBSTITUTIONS. */
export const REMOVED_EXPRESSIONS: readonly string[] = [
  "square", "ways", "integers", "dollars", "mph", "inches", "ft", "hours", "km", "units", "\\ldots", "sue",
  "points", "feet", "minutes", "digits", "cents", "degrees", "cm", "gm", "pounds", "meters", "meals", "edges",
  "students", "childrentickets", "multiples", "\\text{s}", "\\text{.}", "\\text{\ns}", "\\text{}^2",
  "\\text{}^3", "\\text{\n}", "\\text{}", "\\mathrm{th}", "^\\circ", "^{\\circ}", "\\;", ",\\!", "{,}", '"',
  "\\dots",
];

/** Python `str.replace(before, after)`: every occurrence, left to right. */
function replaceAll(s: string, before: string, after: string): string {
  return s.includes(before) ? s.split(before).join(after) : s;
}

/** Which `normalize_final_answer` is reproduced (option `minervaNormalizer`). */
export type MinervaNormalizer = "lm-eval-0.4.13" | "appendix-d";

/** Python `\w` on str patterns (Unicode letters, digits, underscore), for `\b` and `\w` in the ported regexes. */
const W = "[\\p{L}\\p{N}_]";
const ALPHA_EXPRESSIONS = REMOVED_EXPRESSIONS.filter((e) => /^[A-Za-z]+$/.test(e));
/** `re.sub(rf"(?<!\\)\b{expr}\b", "", s)` for every alphabetic expression. */
const WORD_RES = new Map(ALPHA_EXPRESSIONS.map((e) => [e, new RegExp(`(?<!\\\\)(?<!${W})${e}(?!${W})`, "gu")]));
const COMMAND_SPLIT = /(\\[a-zA-Z]+)/;
const THOUSANDS = /^-?\p{Nd}{1,3}(?:,\p{Nd}{3})+$/u;

/**
 * Minerva `normalize_final_answer` as lm-eval 0.4.13 ships it (`lm_eval/tasks/minerva_math/utils.py`), or, with
 * `"appendix-d"`, the paper's appendix-D text this project reproduced before (no word-boundary unit removal,
 * no `\sqrt[3]a` rule, commas dropped whenever the rest is all digits). Python semantics are mirrored: `.` does
 * not match `\n` only, `\w`/`\b`/`\d` are Unicode-aware, `re.split` keeps the captured command names.
 */
export function normalizeFinalAnswer(finalAnswer: string, version: MinervaNormalizer = "lm-eval-0.4.13"): string {
  if (version === "appendix-d") return normalizeAppendixD(finalAnswer);
  let s = finalAnswer.split("=").at(-1) ?? "";
  // Unit words removed while whitespace still delimits them ("2\pi cm" loses "cm", "\left" keeps its "ft").
  for (const e of ALPHA_EXPRESSIONS) if (s.includes(e)) s = s.replace(WORD_RES.get(e)!, "");
  for (const [before, after] of SUBSTITUTIONS) s = replaceAll(s, before, after);
  for (const expr of REMOVED_EXPRESSIONS) {
    if (!s.includes(expr)) continue;
    if (WORD_RES.has(expr)) {
      // Units glued to their surroundings once whitespace is gone; LaTeX command names are skipped.
      const segments = s.split(COMMAND_SPLIT);
      for (let i = 0; i < segments.length; i += 2) segments[i] = replaceAll(segments[i], expr, "");
      s = segments.join("");
    } else s = replaceAll(s, expr, "");
  }
  s = s.replace(/([^\n]*?)(\$)([^\n]*?)(\$)([^\n]*)/g, "$$$3$$");
  s = s.replace(/(\\text\{)([^\n]*?)(\})/g, "$2");
  s = s.replace(/(\\textbf\{)([^\n]*?)(\})/g, "$2");
  s = s.replace(/(\\overline\{)([^\n]*?)(\})/g, "$2");
  s = s.replace(/(\\boxed\{)([^\n]*)(\})/g, "$2");
  s = s.replace(/(frac)([^{])([^\n])/g, "frac{$2}{$3}");
  s = s.replace(new RegExp(`(sqrt)(\\[[^\\]]*\\])(${W})`, "gu"), "$1$2{$3}");
  s = s.replace(/(sqrt)(?!\[)([^{])/g, "sqrt{$2}");
  s = replaceAll(s, "$", "");
  if (THOUSANDS.test(s)) s = replaceAll(s, ",", "");
  return s;
}

/** The appendix-D normalizer (the project's earlier port), kept as `minervaNormalizer: "appendix-d"`. */
function normalizeAppendixD(finalAnswer: string): string {
  let s = finalAnswer.split("=").at(-1) ?? "";
  for (const [before, after] of SUBSTITUTIONS) s = replaceAll(s, before, after);
  for (const expr of REMOVED_EXPRESSIONS) s = replaceAll(s, expr, "");
  // Extract answer that is in LaTeX math, is bold, is surrounded by a box, etc.
  s = s.replace(/(.*?)(\$)(.*?)(\$)(.*)/g, "$$$3$$");
  s = s.replace(/(\\text\{)(.*?)(\})/g, "$2");
  s = s.replace(/(\\textbf\{)(.*?)(\})/g, "$2");
  s = s.replace(/(\\overline\{)(.*?)(\})/g, "$2");
  s = s.replace(/(\\boxed\{)(.*)(\})/g, "$2");
  // Shorthand TeX: \fracab -> \frac{a}{b}, \fracabc -> \frac{a}{b}c, \sqrta -> \sqrt{a}, \sqrtab -> \sqrt{a}b.
  s = s.replace(/(frac)([^{])(.)/g, "frac{$2}{$3}");
  s = s.replace(/(sqrt)([^{])/g, "sqrt{$2}");
  s = replaceAll(s, "$", "");
  // 100,000 -> 100000 (Python str.isdigit: non-empty, all digits).
  if (/^\d+$/.test(replaceAll(s, ",", ""))) s = replaceAll(s, ",", "");
  return s;
}

/** Minerva `last_boxed_only_string`: the last `\boxed{...}` (or `\fbox{...}`) including the wrapper, or null. */
export function lastBoxedOnlyString(text: string): { boxed: string; start: number } | null {
  const spaced = text.lastIndexOf("\\boxed ");
  if (spaced >= 0) {
    const rest = text.slice(spaced + "\\boxed ".length);
    return { boxed: "\\boxed " + rest.split("$")[0], start: spaced };
  }
  let idx = text.lastIndexOf("\\boxed");
  if (idx < 0) idx = text.lastIndexOf("\\fbox");
  if (idx < 0) return null;
  let open = 0;
  for (let i = idx; i < text.length; i++) {
    const c = text[i];
    if (c === "{") open++;
    if (c === "}") {
      open--;
      if (open === 0) return { boxed: text.slice(idx, i + 1), start: idx };
    }
  }
  return null;
}

/**
 * Minerva `remove_boxed`. lm-eval asserts the `\boxed{` prefix (so `\fbox{..}` raises there); we return null
 * instead of throwing, which lm-eval's caller would also have scored as wrong.
 */
export function removeBoxed(s: string): string | null {
  if (s.startsWith("\\boxed ")) return s.slice("\\boxed ".length);
  if (!s.startsWith("\\boxed{") || !s.endsWith("}")) return null;
  return s.slice("\\boxed{".length, -1);
}
