/**
 * IFEval checkers, rule by rule: tables of (kwargs, response, expected) written from lm-eval 0.4.13
 * `tasks/ifeval/instructions.py` and `utils.py` (each case names the Python behaviour it pins down). These
 * run without Python; peer.test.ts runs lm-eval itself on thousands of crafted responses.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkInstructions, verifyIfeval, looseVariants, INSTRUCTION_IDS, IfevalInputError, punktSentences, countWords, wordTokenize, detectLanguage } from "../../../src/verifiers/ifeval/index.js";
import { PyRandom } from "../../../src/verifiers/ifeval/pyRandom.js";
import { pyIsUpper, pyIsLower, pyStrip, pyJsonLoads } from "../../../src/verifiers/ifeval/pyText.js";

const one = (id: string, kwargs: Record<string, unknown>, response: string, mode: "strict" | "loose" = "strict") =>
  checkInstructions({ completion: response, instruction_id_list: [id], kwargs: [kwargs] }, { mode })[0]!.followed;

type Row = [id: string, kwargs: Record<string, unknown>, response: string, expected: boolean, why: string];
const TABLE: Row[] = [
  // keywords
  ["keywords:existence", { keywords: ["rain", "Cloud"] }, "The CLOUDS bring rain.", true, "re.search with IGNORECASE, substring (clouds ⊃ cloud)"],
  ["keywords:existence", { keywords: ["rain", "snow"] }, "Rain only.", false, "every keyword must appear"],
  ["keywords:frequency", { keyword: "story", frequency: 2, relation: "at least" }, "A story. Another STORY.", true, "findall count, case-insensitive"],
  ["keywords:frequency", { keyword: "story", frequency: 2, relation: "less than" }, "history story", false, "substrings count (hi-story): 2 is not < 2"],
  ["keywords:forbidden_words", { forbidden_words: ["rock"] }, "Rocks and rocky roads.", true, "\\b…\\b: rocks is not rock"],
  ["keywords:forbidden_words", { forbidden_words: ["rock"] }, "Hard-ROCK music.", false, "hyphen is a word boundary"],
  ["keywords:forbidden_words", { forbidden_words: ["café"] }, "un café noir", false, "Unicode \\b around é"],
  ["keywords:letter_frequency", { letter: "Z", let_frequency: 3, let_relation: "at least" }, "Zzz", true, "Counter(value.lower())"],
  ["keywords:letter_frequency", { letter: "z", let_frequency: 3, let_relation: "less than" }, "zzz", false, "3 is not < 3"],
  // length
  ["length_constraints:number_words", { num_words: 3, relation: "at least" }, "well-known U.S. facts", true, "\\w+ runs: well, known, U, S, facts = 5"],
  ["length_constraints:number_words", { num_words: 5, relation: "less than" }, "well-known U.S. facts", false, "5 is not < 5"],
  ["length_constraints:number_sentences", { num_sentences: 3, relation: "at least" }, "One. Two? Three!", true, "Punkt: . ? ! end sentences"],
  ["length_constraints:number_sentences", { num_sentences: 2, relation: "less than" }, "J. R. R. Tolkien wrote it.", true, "initials do not end a sentence"],
  ["length_constraints:number_paragraphs", { num_paragraphs: 2 }, "a\n***\nb", true, "split on \\s?\\*\\*\\*\\s?"],
  ["length_constraints:number_paragraphs", { num_paragraphs: 2 }, "***\na\n***\nb\n***", true, "blank first/last pieces are dropped"],
  ["length_constraints:number_paragraphs", { num_paragraphs: 2 }, "a\n***\n\n***\nb", false, "a blank piece inside fails outright"],
  ["length_constraints:nth_paragraph_first_word", { num_paragraphs: 2, nth_paragraph: 2, first_word: "Weekend" }, "Hi.\n\n\"Weekend's here.", true, "lstrip quotes, stop at punctuation, lowercase"],
  ["length_constraints:nth_paragraph_first_word", { num_paragraphs: 2, nth_paragraph: 2, first_word: "weekend" }, "Hi.\n\nWeekend\n\nmore", false, "paragraph count must match exactly"],
  // content / format
  ["detectable_content:number_placeholders", { num_placeholders: 2 }, "[name] at [address]", true, "\\[.*?\\]"],
  ["detectable_content:number_placeholders", { num_placeholders: 2 }, "[name\n] at [x", false, ". does not cross a newline"],
  ["detectable_content:postscript", { postscript_marker: "P.S." }, "Body\n\np. s see you", false, "P.S. pattern is p\\.\\s?s\\. (needs the final period)"],
  ["detectable_content:postscript", { postscript_marker: "P.S." }, "Body\n\nP.S. see you", true, "lowercased match anywhere"],
  ["detectable_content:postscript", { postscript_marker: "P.P.S" }, "Body\nP. P. S more", true, "p\\.\\s?p\\.\\s?s"],
  ["detectable_format:number_bullet_lists", { num_bullets: 2 }, "* one\n- two\n** bold line", true, "^\\s*\\*[^\\*] and ^\\s*- ; ** is not a bullet"],
  ["detectable_format:number_bullet_lists", { num_bullets: 1 }, "* one\n* two", false, "exactly"],
  ["detectable_format:constrained_response", {}, "After thought: My answer is maybe.", true, "substring of the stripped response"],
  ["detectable_format:number_highlighted_sections", { num_highlights: 2 }, "*one* and **two**", true, "single and double stars both count"],
  ["detectable_format:number_highlighted_sections", { num_highlights: 1 }, "** ** and * *", false, "blank highlights do not count"],
  ["detectable_format:multiple_sections", { section_spliter: "Section", num_sections: 2 }, "Section 1\na\nSection 2\nb", true, "split on \\s?Section\\s?\\d+\\s?"],
  ["detectable_format:multiple_sections", { section_spliter: "SECTION", num_sections: 1 }, "Section 1\na", false, "case-sensitive"],
  ["detectable_format:json_format", {}, "```json\n{\"a\": NaN}\n```", true, "fences removed; Python json accepts NaN"],
  ["detectable_format:json_format", {}, "Here: {\"a\": 1}", false, "text before the JSON"],
  ["detectable_format:title", {}, "<<Poem of Joy>>\ntext", true, "<<[^\\n]+>>"],
  ["detectable_format:title", {}, "<< >>", false, "blank title"],
  ["combination:two_responses", {}, "A\n******\nB", true, "two different responses"],
  ["combination:two_responses", {}, "A\n******\nA ", false, "identical after strip"],
  ["combination:repeat_prompt", { prompt_to_repeat: "Write a poem." }, "  write a POEM. Here it is", true, "case-insensitive startswith after strip"],
  ["startend:end_checker", { end_phrase: "Any other questions?" }, "Done. any other questions?\"", true, "strip('\"') then lower endswith"],
  ["startend:end_checker", { end_phrase: "Any other questions?" }, "Any other questions?!", false, "must end with the phrase"],
  ["startend:quotation", {}, "  \"quoted\"\n", true, "strip, then first and last are \""],
  ["startend:quotation", {}, "\"", false, "len(value) > 1"],
  // case / language / punctuation
  ["change_case:english_capital", {}, "THIS IS ALL IN CAPITAL LETTERS, IN ENGLISH.", true, "isupper() and langdetect en"],
  ["change_case:english_capital", {}, "THIS IS ALMOST ALL CAPITALs", false, "one lowercase letter"],
  ["change_case:english_capital", {}, "123 !!!", false, "isupper() needs a cased character"],
  ["change_case:english_lowercase", {}, "this is all lowercase english text about the weather.", true, "islower() and en"],
  ["change_case:english_lowercase", {}, "ceci est un texte entièrement en minuscules et en français.", false, "lowercase but French"],
  ["change_case:capital_word_frequency", { capital_frequency: 2, capital_relation: "at least" }, "NASA and the U.S. OK", true, "word_tokenize: NASA, U.S., OK are upper"],
  ["change_case:capital_word_frequency", { capital_frequency: 2, capital_relation: "less than" }, "I think WE win", false, "I and WE are 2 capital words"],
  ["language:response_language", { language: "de" }, "Heute ist das Wetter sehr schön und wir gehen spazieren.", true, "langdetect de"],
  ["language:response_language", { language: "sw" }, "Leo ni siku nzuri sana na tunakwenda sokoni.", true, "Swahili is in langdetect's profiles"],
  ["language:response_language", { language: "hi" }, "This is English.", false, "wrong language"],
  ["language:response_language", { language: "hi" }, "12345 !!! ???", true, "no features: LangDetectException counts as followed"],
  ["punctuation:no_comma", {}, "No commas here，only a fullwidth one", true, "only the ASCII comma"],
  ["punctuation:no_comma", {}, "a, b", false, "a comma"],
];

test("every published instruction type has a checker (25) and a row in the table", () => {
  assert.equal(INSTRUCTION_IDS.length, 25);
  assert.deepEqual([...new Set(TABLE.map((r) => r[0]))].sort(), [...INSTRUCTION_IDS]);
});

for (const [id, kwargs, response, expected, why] of TABLE) {
  test(`${id}: ${why} → ${expected}`, () => assert.equal(one(id, kwargs, response), expected));
}

test("strict fails an empty or blank response on every instruction, even ones it would otherwise pass", () => {
  for (const r of ["", "  \n "]) assert.equal(one("punctuation:no_comma", {}, r), false);
});

test("loose tries the eight lm-eval variants: first/last line removed and * stripped", () => {
  const v = looseVariants("Sure:\n**Body** text\nBye");
  assert.deepEqual(v.map((x) => x.text), ["Sure:\n**Body** text\nBye", "Sure:\nBody text\nBye", "**Body** text\nBye", "Sure:\n**Body** text", "**Body** text", "Body text\nBye", "Sure:\nBody text", "Body text"]);
  assert.equal(one("startend:quotation", {}, 'Here you go:\n"quoted"', "strict"), false);
  assert.equal(one("startend:quotation", {}, 'Here you go:\n"quoted"', "loose"), true);
  assert.equal(one("change_case:english_lowercase", {}, "**note**: all of this is lowercase english text.", "loose"), true);
  // A one-line response: removing its only line leaves "", which loose skips (response.strip() is false).
  assert.equal(one("punctuation:no_comma", {}, "a, b", "loose"), false);
});

test("verifyIfeval: score is the fraction followed, status correct only when all are", () => {
  const input = { prompt: "p", completion: '"Rain on the roof"', instruction_id_list: ["startend:quotation", "punctuation:no_comma", "keywords:existence"], kwargs: [{}, {}, { keywords: ["snow"] }] };
  const v = verifyIfeval(input);
  assert.equal(v.status, "wrong");
  assert.equal(v.score, 2 / 3);
  assert.deepEqual(v.instructions!.map((i) => i.followed), [true, true, false]);
  assert.match(v.message!, /not followed: keywords:existence/);
  assert.equal(verifyIfeval({ ...input, instruction_id_list: input.instruction_id_list.slice(0, 2), kwargs: [{}, {}] }).status, "correct");
});

test("kwargs the published code would randomise or reject are the verifier's error, naming the field", () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ["keywords:letter_frequency", { letter: "#", let_frequency: 4, let_relation: "at least" }, /^kwargs\[0\]\.letter$/],
    ["length_constraints:number_words", { num_words: 0, relation: "at least" }, /^kwargs\[0\]\.num_words$/],
    ["length_constraints:number_words", { num_words: 10, relation: "at most" }, /^kwargs\[0\]\.relation$/],
    ["punctuation:no_comma", { extra: 1 }, /^kwargs\[0\]$/],
    ["length_constraints:nth_paragraph_first_word", { num_paragraphs: 2, nth_paragraph: 3, first_word: "a" }, /^kwargs\[0\]\.nth_paragraph$/],
    ["language:response_language", { language: "xx" }, /^kwargs\[0\]\.language$/],
    ["keywords:existance", {}, /^instruction_id_list\[0\]$/],
  ];
  for (const [id, kwargs, field] of cases) {
    assert.throws(() => checkInstructions({ completion: "x", instruction_id_list: [id], kwargs: [kwargs] }), (e: unknown) => e instanceof IfevalInputError && field.test(e.field), `${id} ${JSON.stringify(kwargs)}`);
    const v = verifyIfeval({ completion: "x", instruction_id_list: [id], kwargs: [kwargs] });
    assert.equal(v.status, "error");
    assert.equal(v.score, 0);
  }
  // The Hugging Face copy of the data fills absent kwargs with null: those are dropped, as lm-eval does.
  assert.equal(one("punctuation:no_comma", { num_words: null, relation: null }, "ok"), true);
});

test("PyRandom reproduces CPython's random.Random: random(), gauss(), choice()", () => {
  const r = new PyRandom(0);
  assert.deepEqual([r.random(), r.random(), r.random()], [0.8444218515250481, 0.7579544029403025, 0.420571580830845]);
  const g = new PyRandom(0);
  const gs = [g.gauss(0, 1), g.gauss(0, 1), g.gauss(0, 1)];
  [0.9417154046806644, -1.3965781047011498, -0.6797144480784211].forEach((x, i) => assert.ok(Math.abs(gs[i]! - x) < 1e-12, `${gs[i]} vs ${x}`));
  const c = new PyRandom(12345);
  const xs = Array.from({ length: 1000 }, (_, i) => i);
  assert.deepEqual(Array.from({ length: 5 }, () => c.choice(xs)), [426, 750, 10, 839, 845]);
});

test("Python str semantics: strip, isupper/islower, json.loads", () => {
  assert.equal(pyStrip("\x1c\x85 a \u00a0"), "a");
  assert.equal(pyStrip("\ufeffa"), "\ufeffa", "BOM is not whitespace in Python");
  assert.equal(pyIsUpper("ABC 123"), true);
  assert.equal(pyIsUpper("123"), false);
  assert.equal(pyIsLower("abc ß"), true);
  assert.equal(pyJsonLoads('{"a": -Infinity}'), true);
  assert.equal(pyJsonLoads('{"a": "NaN"}'), true);
  assert.equal(pyJsonLoads("\ufeff{}"), false);
});

test("primitives: Punkt sentences, \\w+ words (nltk 3.10 regex engine), NLTK word tokens, langdetect", () => {
  assert.deepEqual(punktSentences('He said "Stop." Then he left. (Really.) Yes'), ['He said "Stop."', "Then he left.", "(Really.)", "Yes"]);
  assert.equal(punktSentences("").length, 0);
  assert.equal(countWords("ಇಂದು ಹವಾಮಾನ"), 2, "combining marks are word characters for the regex module");
  assert.equal(countWords("a_1 ² ½"), 1, "No (other numbers) are not");
  assert.deepEqual(wordTokenize("I can't go to the U.S.A. today."), ["I", "ca", "n't", "go", "to", "the", "U.S.A", ".", "today", "."], "untrained Punkt ends a sentence after U.S.A.");
  assert.equal(detectLanguage("Bon dia, com estàs avui? Fa molt bon temps."), "ca");
  assert.equal(detectLanguage("오늘은 날씨가 정말 좋습니다."), "ko");
  assert.equal(detectLanguage("!!! 123"), null);
});
