/**
 * IFEval checkers on the words of a response: keywords, language, length, case, punctuation
 * (lm-eval 0.4.13 `tasks/ifeval/instructions.py`, identical to google-research
 * `instruction_following_eval/instructions.py`). Each `check` is a line-by-line port of that class's
 * `check_following`; the Python is quoted in the comment above it.
 */
import { z } from "zod";
import { defineInstruction, Relation, Threshold, compare, relationText, PatternText, pyPattern, quote } from "./spec.js";
import { pyBoundary, pyIsLower, pyIsUpper, pyStrip, countMatches, PY_W } from "./pyText.js";
import { detectLanguage } from "./langdetect.js";
import { countWords, wordTokenize } from "./words.js";
import { punktSentences } from "./punkt.js";

/** `instructions_util.LANGUAGE_CODES`: the languages `response_language` accepts (others raise KeyError). */
export const LANGUAGE_CODES: Readonly<Record<string, string>> = {
  en: "English", es: "Spanish", pt: "Portuguese", ar: "Arabic", hi: "Hindi", fr: "French", ru: "Russian", de: "German",
  ja: "Japanese", it: "Italian", bn: "Bengali", uk: "Ukrainian", th: "Thai", ur: "Urdu", ta: "Tamil", te: "Telugu",
  bg: "Bulgarian", ko: "Korean", pl: "Polish", he: "Hebrew", fa: "Persian", vi: "Vietnamese", ne: "Nepali", sw: "Swahili",
  kn: "Kannada", mr: "Marathi", gu: "Gujarati", pa: "Punjabi", ml: "Malayalam", fi: "Finnish",
};

const regex = (src: string) => new RegExp(src, "giu");

export const TEXT_CHECKS = [
  // for keyword in keywords: if not re.search(keyword, value, flags=re.IGNORECASE): return False
  defineInstruction({
    id: "keywords:existence",
    kwargs: z.object({ keywords: z.array(PatternText).nonempty("must list at least one keyword (Python would draw random ones)") }).strict(),
    check(value, { keywords }) {
      const missing = [...keywords].sort().filter((k) => !regex(pyPattern(k)).test(value));
      return missing.length
        ? { followed: false, evidence: `missing ${missing.map((k) => JSON.stringify(k)).join(", ")}` }
        : { followed: true, evidence: `all of ${keywords.map((k) => JSON.stringify(k)).join(", ")} present` };
    },
  }),
  // len(re.findall(keyword, value, flags=re.IGNORECASE)) compared with frequency
  defineInstruction({
    id: "keywords:frequency",
    kwargs: z.object({ keyword: PatternText, frequency: Threshold, relation: Relation }).strict(),
    check(value, { keyword, frequency, relation }) {
      const n = countMatches(regex(pyPattern(pyStrip(keyword))), value);
      return { followed: compare(n, relation, frequency), evidence: relationText(n, relation, frequency, `× ${JSON.stringify(pyStrip(keyword))}`) };
    },
  }),
  // for word in forbidden_words: if re.search(r"\b" + word + r"\b", value, flags=re.IGNORECASE): return False
  defineInstruction({
    id: "keywords:forbidden_words",
    kwargs: z.object({ forbidden_words: z.array(PatternText).nonempty("must list at least one word (Python would draw random ones)") }).strict(),
    check(value, { forbidden_words }) {
      const b = pyBoundary();
      const words = [...new Set(forbidden_words)].sort();
      for (const w of words) {
        const m = regex(`${b}${pyPattern(w)}${b}`).exec(value);
        if (m) return { followed: false, evidence: `forbidden ${JSON.stringify(w)} at ${m.index}: ${quote(m[0])}` };
      }
      return { followed: true, evidence: `none of ${words.map((w) => JSON.stringify(w)).join(", ")}` };
    },
  }),
  // letters = collections.Counter(value.lower()); letters[letter] compared with let_frequency
  defineInstruction({
    id: "keywords:letter_frequency",
    kwargs: z
      .object({
        letter: z.string().regex(/^[A-Za-z]$/, "must be one ASCII letter (Python would draw a random one)"),
        let_frequency: Threshold,
        let_relation: Relation,
      })
      .strict(),
    check(value, { letter, let_frequency, let_relation }) {
      const l = letter.toLowerCase();
      let n = 0;
      for (const ch of value.toLowerCase()) if (ch === l) n++;
      return { followed: compare(n, let_relation, let_frequency), evidence: relationText(n, let_relation, let_frequency, `× letter "${l}"`) };
    },
  }),
  // langdetect.detect(value) == language; LangDetectException → followed
  defineInstruction({
    id: "language:response_language",
    kwargs: z.object({ language: z.string().refine((l) => l in LANGUAGE_CODES, { message: `must be one of ${Object.keys(LANGUAGE_CODES).join(", ")} (instructions_util.LANGUAGE_CODES)` }) }).strict(),
    check(value, { language }) {
      const got = detectLanguage(value);
      if (got === null) return { followed: true, evidence: "no language features (langdetect raises; IFEval counts it as followed)" };
      return { followed: got === language, evidence: `langdetect says ${got} (needs ${language})` };
    },
  }),
  // instructions_util.count_sentences(value) (nltk Punkt) compared with num_sentences
  defineInstruction({
    id: "length_constraints:number_sentences",
    kwargs: z.object({ num_sentences: Threshold, relation: Relation }).strict(),
    check(value, { num_sentences, relation }) {
      const n = punktSentences(value).length;
      return { followed: compare(n, relation, num_sentences), evidence: relationText(n, relation, num_sentences, "sentences") };
    },
  }),
  // instructions_util.count_words(value) (RegexpTokenizer(r"\w+")) compared with num_words
  defineInstruction({
    id: "length_constraints:number_words",
    kwargs: z.object({ num_words: Threshold, relation: Relation }).strict(),
    check(value, { num_words, relation }) {
      const n = countWords(value);
      return { followed: compare(n, relation, num_words), evidence: relationText(n, relation, num_words, "words") };
    },
  }),
  // words = nltk.word_tokenize(value); len([w for w in words if w.isupper()]) compared with capital_frequency
  defineInstruction({
    id: "change_case:capital_word_frequency",
    kwargs: z.object({ capital_frequency: z.number().finite(), capital_relation: Relation }).strict(),
    check(value, { capital_frequency, capital_relation }) {
      const n = wordTokenize(value).filter(pyIsUpper).length;
      return { followed: compare(n, capital_relation, capital_frequency), evidence: relationText(n, capital_relation, capital_frequency, "all-capital words") };
    },
  }),
  // value.isupper() and langdetect.detect(value) == "en"; LangDetectException → followed
  defineInstruction({
    id: "change_case:english_capital",
    kwargs: z.object({}).strict(),
    check(value) {
      if (!pyIsUpper(value)) return { followed: false, evidence: `not all capitals: ${quote(firstMatch(value, /\p{Lowercase}|\p{Lt}/u))}` };
      const got = detectLanguage(value);
      if (got === null) return { followed: true, evidence: "all capitals; no language features (counted as followed)" };
      return { followed: got === "en", evidence: `all capitals; langdetect says ${got}` };
    },
  }),
  // value.islower() and langdetect.detect(value) == "en"; LangDetectException → followed
  defineInstruction({
    id: "change_case:english_lowercase",
    kwargs: z.object({}).strict(),
    check(value) {
      if (!pyIsLower(value)) return { followed: false, evidence: `not all lowercase: ${quote(firstMatch(value, /\p{Uppercase}|\p{Lt}/u))}` };
      const got = detectLanguage(value);
      if (got === null) return { followed: true, evidence: "all lowercase; no language features (counted as followed)" };
      return { followed: got === "en", evidence: `all lowercase; langdetect says ${got}` };
    },
  }),
  // not re.search(r"\,", value)
  defineInstruction({
    id: "punctuation:no_comma",
    kwargs: z.object({}).strict(),
    check(value) {
      const i = value.indexOf(",");
      return i < 0 ? { followed: true, evidence: "no comma" } : { followed: false, evidence: `comma at ${i}: ${quote(value.slice(Math.max(0, i - 25), i + 25))}` };
    },
  }),
];

/** The word around the first match of `re`, for evidence ("" when none, e.g. no cased letter at all). */
function firstMatch(value: string, re: RegExp): string {
  const m = re.exec(value);
  if (!m) return "(no cased letter)";
  const w = new RegExp(`${PY_W}*$`, "u").exec(value.slice(0, m.index))?.[0] ?? "";
  const after = new RegExp(`^${PY_W}*`, "u").exec(value.slice(m.index))?.[0] ?? m[0];
  return w + after;
}
