/**
 * IFEval checkers on the shape of a response: placeholders, postscript, bullets, highlights, sections,
 * paragraphs, JSON, title, two responses, repeated prompt, start/end (lm-eval 0.4.13
 * `tasks/ifeval/instructions.py`). Line-by-line ports of `check_following`, Python quoted above each.
 * Regexes are Python's, rewritten with pyText.ts pieces (`.` → [^\n], `\s` → PY_WS, MULTILINE ^/$).
 */
import { z } from "zod";
import { defineInstruction, Threshold, PatternText, pyPattern, quote } from "./spec.js";
import { PY_BOL, PY_EOL, PY_WS, countMatches, pyJsonLoads, pySplitWs, pyStrip, pyStripChars } from "./pyText.js";

const CONSTRAINED_RESPONSE_OPTIONS = ["My answer is yes.", "My answer is no.", "My answer is maybe."];
const NonEmptyText = (what: string) => z.string({ message: "must be a string" }).min(1, `must not be empty (Python would draw a random ${what})`);

/** Python's str.removeprefix / removesuffix. */
const removePrefix = (s: string, p: string) => (s.startsWith(p) ? s.slice(p.length) : s);
const removeSuffix = (s: string, p: string) => (p && s.endsWith(p) ? s.slice(0, -p.length) : s);

export const FORMAT_CHECKS = [
  // re.findall(r"\[.*?\]", value) — at least num_placeholders
  defineInstruction({
    id: "detectable_content:number_placeholders",
    kwargs: z.object({ num_placeholders: Threshold }).strict(),
    check(value, { num_placeholders }) {
      const n = countMatches(/\[[^\n]*?\]/gu, value);
      return { followed: n >= num_placeholders, evidence: `${n} [placeholders] (needs at least ${num_placeholders})` };
    },
  }),
  // re.findall(r"\s*p\.\s?s\..*$" (or p.p.s / the marker), value.lower(), flags=re.MULTILINE)
  defineInstruction({
    id: "detectable_content:postscript",
    kwargs: z.object({ postscript_marker: PatternText.pipe(NonEmptyText("marker")) }).strict(),
    check(value, { postscript_marker }) {
      const marker = pyStrip(postscript_marker);
      const body =
        marker === "P.P.S" ? `p\\.${PY_WS}?p\\.${PY_WS}?s` : marker === "P.S." ? `p\\.${PY_WS}?s\\.` : pyPattern(marker.toLowerCase());
      const m = new RegExp(`${PY_WS}*${body}[^\\n]*${PY_EOL}`, "u").exec(value.toLowerCase());
      return m ? { followed: true, evidence: `postscript ${quote(pyStrip(m[0]))}` } : { followed: false, evidence: `no line with ${JSON.stringify(marker)}` };
    },
  }),
  // re.findall(r"^\s*\*[^\*].*$", ..., re.MULTILINE) + re.findall(r"^\s*-.*$", ..., re.MULTILINE) == num_bullets
  defineInstruction({
    id: "detectable_format:number_bullet_lists",
    kwargs: z.object({ num_bullets: Threshold }).strict(),
    check(value, { num_bullets }) {
      const stars = countMatches(new RegExp(`${PY_BOL}${PY_WS}*\\*[^*][^\\n]*${PY_EOL}`, "gu"), value);
      const dashes = countMatches(new RegExp(`${PY_BOL}${PY_WS}*-[^\\n]*${PY_EOL}`, "gu"), value);
      return { followed: stars + dashes === num_bullets, evidence: `${stars + dashes} bullets (${stars} "*", ${dashes} "-"; needs exactly ${num_bullets})` };
    },
  }),
  // any(option in value.strip() for option in ("My answer is yes.", "My answer is no.", "My answer is maybe."))
  defineInstruction({
    id: "detectable_format:constrained_response",
    kwargs: z.object({}).strict(),
    check(value) {
      const v = pyStrip(value);
      const hit = CONSTRAINED_RESPONSE_OPTIONS.find((o) => v.includes(o));
      return hit ? { followed: true, evidence: `contains ${JSON.stringify(hit)}` } : { followed: false, evidence: "none of the three allowed answers" };
    },
  }),
  // count re.findall(r"\*[^\n\*]*\*") with non-blank content + re.findall(r"\*\*[^\n\*]*\*\*") likewise
  defineInstruction({
    id: "detectable_format:number_highlighted_sections",
    kwargs: z.object({ num_highlights: Threshold }).strict(),
    check(value, { num_highlights }) {
      let n = 0;
      for (const m of value.matchAll(/\*[^\n*]*\*/gu)) if (pyStrip(pyStripChars(m[0], "*"))) n++;
      for (const m of value.matchAll(/\*\*[^\n*]*\*\*/gu)) if (pyStrip(removeSuffix(removePrefix(m[0], "**"), "**"))) n++;
      return { followed: n >= num_highlights, evidence: `${n} *highlighted* sections (needs at least ${num_highlights})` };
    },
  }),
  // len(re.split(r"\s?" + section_spliter + r"\s?\d+\s?", value)) - 1 >= num_sections
  defineInstruction({
    id: "detectable_format:multiple_sections",
    kwargs: z.object({ section_spliter: PatternText.pipe(NonEmptyText("splitter")), num_sections: Threshold }).strict(),
    check(value, { section_spliter, num_sections }) {
      const s = pyStrip(section_spliter);
      const n = countMatches(new RegExp(`${PY_WS}?${pyPattern(s)}${PY_WS}?\\p{Nd}+${PY_WS}?`, "gu"), value);
      return { followed: n >= num_sections, evidence: `${n} "${s} N" markers (needs at least ${num_sections})` };
    },
  }),
  // json.loads(value.strip().removeprefix("```json")...removeprefix("```").removesuffix("```").strip())
  defineInstruction({
    id: "detectable_format:json_format",
    kwargs: z.object({}).strict(),
    check(value) {
      let v = pyStrip(value);
      for (const p of ["```json", "```Json", "```JSON", "```"]) v = removePrefix(v, p);
      v = pyStrip(removeSuffix(v, "```"));
      return pyJsonLoads(v) ? { followed: true, evidence: "parses as JSON" } : { followed: false, evidence: `not JSON: starts ${quote(v, 30)}` };
    },
  }),
  // any(title.lstrip("<").rstrip(">").strip() for title in re.findall(r"<<[^\n]+>>", value))
  defineInstruction({
    id: "detectable_format:title",
    kwargs: z.object({}).strict(),
    check(value) {
      for (const m of value.matchAll(/<<[^\n]+>>/gu)) {
        if (pyStrip(pyStripChars(pyStripChars(m[0], "<", "left"), ">", "right"))) return { followed: true, evidence: `title ${quote(m[0])}` };
      }
      return { followed: false, evidence: "no <<title>>" };
    },
  }),
  // paragraphs = re.split(r"\s?\*\*\*\s?", value); blank first/last dropped, blank inside → False; == num_paragraphs
  defineInstruction({
    id: "length_constraints:number_paragraphs",
    kwargs: z.object({ num_paragraphs: Threshold }).strict(),
    check(value, { num_paragraphs }) {
      const parts = value.split(new RegExp(`${PY_WS}?\\*\\*\\*${PY_WS}?`, "u"));
      let n = parts.length;
      for (let i = 0; i < parts.length; i++) {
        if (pyStrip(parts[i]!)) continue;
        if (i === 0 || i === parts.length - 1) n--;
        else return { followed: false, evidence: `empty paragraph ${i + 1} between *** dividers` };
      }
      return { followed: n === num_paragraphs, evidence: `${n} paragraphs split by *** (needs exactly ${num_paragraphs})` };
    },
  }),
  // paragraphs split on "\n\n"; count non-blank == num_paragraphs and the nth's first word == first_word
  defineInstruction({
    id: "length_constraints:nth_paragraph_first_word",
    kwargs: z
      .object({ num_paragraphs: Threshold, nth_paragraph: z.number().int().positive(), first_word: NonEmptyText("word") })
      .strict()
      .refine((k) => k.nth_paragraph <= k.num_paragraphs, { path: ["nth_paragraph"], message: "must be at most num_paragraphs (Python would draw a random one)" }),
    check(value, { num_paragraphs, nth_paragraph, first_word }) {
      const paragraphs = value.split("\n\n");
      const n = paragraphs.filter((p) => pyStrip(p)).length;
      if (nth_paragraph > n) return { followed: false, evidence: `only ${n} paragraphs split by a blank line (paragraph ${nth_paragraph} needed)` };
      const para = pyStrip(paragraphs[nth_paragraph - 1]!);
      if (!para) return { followed: false, evidence: `paragraph ${nth_paragraph} is blank` };
      let word = pyStripChars(pyStripChars(pyStrip(pySplitWs(para)[0]!), "'", "left"), '"', "left");
      let got = "";
      for (const ch of word) {
        if (".,?!'\"".includes(ch)) break;
        got += ch.toLowerCase();
      }
      word = first_word.toLowerCase();
      const ok = n === num_paragraphs && got === word;
      return { followed: ok, evidence: `${n} paragraphs (needs ${num_paragraphs}); paragraph ${nth_paragraph} starts with ${JSON.stringify(got)} (needs ${JSON.stringify(word)})` };
    },
  }),
  // responses = value.split("******"): exactly two non-blank, different, no blank one inside
  defineInstruction({
    id: "combination:two_responses",
    kwargs: z.object({}).strict(),
    check(value) {
      const parts = value.split("******");
      const valid: string[] = [];
      for (let i = 0; i < parts.length; i++) {
        if (pyStrip(parts[i]!)) valid.push(parts[i]!);
        else if (i !== 0 && i !== parts.length - 1) return { followed: false, evidence: `blank response ${i + 1} between ****** dividers` };
      }
      const ok = valid.length === 2 && pyStrip(valid[0]!) !== pyStrip(valid[1]!);
      return { followed: ok, evidence: valid.length === 2 && !ok ? "the two responses are identical" : `${valid.length} responses split by ****** (needs 2 different)` };
    },
  }),
  // value.strip().lower().startswith(prompt_to_repeat.strip().lower())
  defineInstruction({
    id: "combination:repeat_prompt",
    kwargs: z.object({ prompt_to_repeat: NonEmptyText("prompt") }).strict(),
    check(value, { prompt_to_repeat }) {
      const want = pyStrip(prompt_to_repeat).toLowerCase();
      const v = pyStrip(value).toLowerCase();
      if (v.startsWith(want)) return { followed: true, evidence: "starts with the prompt, word for word" };
      let i = 0;
      while (i < want.length && v[i] === want[i]) i++;
      return { followed: false, evidence: `differs from the prompt at character ${i}: ${quote(v.slice(i, i + 30))} vs ${quote(want.slice(i, i + 30))}` };
    },
  }),
  // value.strip().strip('"').lower().endswith(end_phrase.strip().lower())
  defineInstruction({
    id: "startend:end_checker",
    kwargs: z.object({ end_phrase: NonEmptyText("phrase") }).strict(),
    check(value, { end_phrase }) {
      const v = pyStripChars(pyStrip(value), '"').toLowerCase();
      const want = pyStrip(end_phrase).toLowerCase();
      return v.endsWith(want)
        ? { followed: true, evidence: `ends with ${quote(want)}` }
        : { followed: false, evidence: `ends with ${quote(v.slice(-Math.max(want.length, 20)))} (needs ${quote(want)})` };
    },
  }),
  // value = value.strip(); len(value) > 1 and value[0] == '"' and value[-1] == '"'
  defineInstruction({
    id: "startend:quotation",
    kwargs: z.object({}).strict(),
    check(value) {
      const v = pyStrip(value);
      const ok = [...v].length > 1 && v.startsWith('"') && v.endsWith('"');
      return { followed: ok, evidence: ok ? "wrapped in double quotes" : `starts ${quote(v.slice(0, 10))}, ends ${quote(v.slice(-10))}` };
    },
  }),
];
