/**
 * Word counting as IFEval does it.
 *
 * - `countWords` (`length_constraints:number_words`): `nltk.tokenize.RegexpTokenizer(r"\w+")` — runs of
 *   word characters. Since nltk 3.10 RegexpTokenizer compiles caller patterns with the third-party `regex`
 *   engine (`nltk/redos.py`), whose `\w` is Unicode's word class [\p{Alphabetic}\p{M}\p{Nd}\p{Pc}
 *   \p{Join_Control}] — combining marks included, so "ಇಂದು" is one word. Older nltk used `re`, whose `\w`
 *   has no marks and splits it into two; we follow nltk 3.10 (what installing lm-eval brings today).
 * - `wordTokenize` (`change_case:capital_word_frequency`): `nltk.word_tokenize` = Punkt sentences (punkt.ts)
 *   then `NLTKWordTokenizer.tokenize` on each (nltk 3.10 `tokenize/destructive.py`: starting quotes,
 *   punctuation, brackets, double dashes, ending quotes, MacIntyre contractions). Ported rule by rule; the
 *   `convert_parentheses` option is not used by IFEval and is left out.
 */
import { PY_W, PY_WS, PY_END, pyBoundary, pySplitWs } from "./pyText.js";
import { punktSentences, type PunktParameters, UNTRAINED_PUNKT } from "./punkt.js";

/** The `regex` module's Unicode `\w` (UTS #18 word characters). */
const REGEX_W = "[\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}]";
const WORD_RUN = new RegExp(`${REGEX_W}+`, "gu");

/** IFEval `count_words`: the number of `\w+` runs. */
export function countWords(text: string): number {
  let n = 0;
  WORD_RUN.lastIndex = 0;
  while (WORD_RUN.exec(text)) n++;
  return n;
}

type Rule = [RegExp, string | ((...m: string[]) => string)];
const B = pyBoundary();
const NOT_DIGIT = "[^\\p{Nd}]";
const r = (src: string, flags = "") => new RegExp(src, "gu" + flags);
/** Python `\1`-style templates → a replacer (unmatched groups become ""). */
const tpl =
  (t: string) =>
  (...m: unknown[]): string =>
    t.replace(/\\(\d)|\\g<0>/g, (all, d: string | undefined) => (d === undefined ? String(m[0]) : String(m[Number(d)] ?? "")));

const STARTING_QUOTES: Rule[] = [
  [r("([«“‘„]|[`]+)"), tpl(" \\1 ")],
  [/^"/u, "``"],
  [r("(``)"), tpl(" \\1 ")],
  [r(`([ (\\[{<])("|'{2})`), tpl("\\1 `` ")],
  [r(`(?<!${PY_W})(')(?!(?:re|ve|ll|m|t|s|d|n)${B})(?=${PY_W})`, "i"), tpl("\\1 ")],
];
const ENDING_QUOTES: Rule[] = [
  [r("([»”’])"), tpl(" \\1 ")],
  [r("''"), " '' "],
  [r('"'), " '' "],
  [r(`${PY_WS}+`), " "],
  [r("([^' ])('[sS]|'[mM]|'[dD]|') "), tpl("\\1 \\2 ")],
  [r("([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) "), tpl("\\1 \\2 ")],
];
const PUNCTUATION: Rule[] = [
  [r(`([^.])(\\.)([\\])}>"'»”’ ]*)${PY_WS}*$`), tpl("\\1 \\2 \\3 ")],
  [r(`([:,])(${NOT_DIGIT})`), tpl(" \\1 \\2")],
  [r(`([:,])${PY_END}`), tpl(" \\1 ")],
  [r("\\.{2,}"), tpl(" \\g<0> ")],
  [r("[;@#$%&]"), tpl(" \\g<0> ")],
  [r("[\\u2012-\\u2015]"), tpl(" \\g<0> ")],
  [r(`([^.])(\\.)([\\])}>"']*)${PY_WS}*$`), tpl("\\1 \\2\\3 ")],
  [r("[?!]"), tpl(" \\g<0> ")],
  [r("([^'])' "), tpl("\\1 ' ")],
  [r("[*]"), tpl(" \\g<0> ")],
];
const PARENS_BRACKETS: Rule = [r("[\\][(){}<>]"), tpl(" \\g<0> ")];
const DOUBLE_DASHES: Rule = [r("--"), " -- "];
const CONTRACTIONS2 = [
  `${B}(can)(not)${B}`,
  `${B}(d)('ye)${B}`,
  `${B}(gim)(me)${B}`,
  `${B}(gon)(na)${B}`,
  `${B}(got)(ta)${B}`,
  `${B}(lem)(me)${B}`,
  `${B}(more)('n)${B}`,
  `${B}(wan)(na)(?=${PY_WS})`,
].map((s) => r(s, "i"));
const CONTRACTIONS3 = [` ('t)(is)${B}`, ` ('t)(was)${B}`].map((s) => r(s, "i"));

function apply(text: string, [re, sub]: Rule): string {
  re.lastIndex = 0;
  return typeof sub === "string" ? text.replace(re, () => sub) : text.replace(re, sub as (...a: string[]) => string);
}

/** `NLTKWordTokenizer().tokenize(sentence)`. */
export function treebankTokenize(sentence: string): string[] {
  let text = sentence;
  for (const rule of STARTING_QUOTES) text = apply(text, rule);
  for (const rule of PUNCTUATION) text = apply(text, rule);
  text = apply(text, PARENS_BRACKETS);
  text = apply(text, DOUBLE_DASHES);
  text = " " + text + " ";
  for (const rule of ENDING_QUOTES) text = apply(text, rule);
  for (const re of CONTRACTIONS2) text = apply(text, [re, tpl(" \\1 \\2 ")]);
  for (const re of CONTRACTIONS3) text = apply(text, [re, tpl(" \\1 \\2 ")]);
  return pySplitWs(text);
}

/** `nltk.word_tokenize(text)`: Punkt sentences, then the Treebank-style tokenizer on each. */
export function wordTokenize(text: string, punkt: PunktParameters = UNTRAINED_PUNKT): string[] {
  return punktSentences(text, punkt).flatMap(treebankTokenize);
}
