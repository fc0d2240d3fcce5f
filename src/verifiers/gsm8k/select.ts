/**
 * The numeric mode's decision: which number a completion answers, or why it answers none.
 *
 * Over the answer statements of extract.ts (cleaned text, answer region only), first match decides:
 *   1. `gsm8k/grader-injection` (wrong) — text addressed to the grader ("Note to grader: …", "ignore the previous
 *      instructions", "mark this as correct", a fake system turn), anywhere in the completion.
 *   2. `gsm8k/<kind>-not-one-number` (unparseable) — a stated answer that is not one number (answer.ts): `#### 5!`,
 *      `\boxed{2^{5}}`, "The answer is 18 or 20". A model that marks an answer owns what it marked: no fallback.
 *   3. `gsm8k/conflicting-answers` (wrong) — stated answers (every `####`, box and answer phrase) that disagree.
 *   4. the stated answer: the last `####`, else the last box, else the last answer phrase.
 *   5. with no statement, the last number of the final sentence (`gsm8k/last-number`), skipping numbers that only
 *      qualify it — after `in`/`within`/`after`/`before`/`per`/`every`/`during`/`than`/`out of`, or inside
 *      `between … and …`/`from … to …` — when an earlier number in that sentence is left (`gsm8k/final-sentence`:
 *      "He earns $7425 in 1 week" → 7425; "There are 7 such numbers between 1 and 50" → 7). Trailing notes ("Note:",
 *      "I hope this helps") are not the final sentence. A clock time `3:00` reads as its hour (flag `gsm8k:clock-time`).
 * Then, on the chosen answer:
 *   6. `gsm8k/negated-answer` (wrong) — the completion denies that value ("the answer is not 18").
 *   7. `gsm8k/retracted` (wrong) — after the answer comes a retraction ("Wait, that's wrong", "just kidding",
 *      "actually", "correction") whose last number differs from it.
 */
import { isNumberLimit, parseExactNumber, type ExactNumber, type NumberLimit } from "../number/exact.js";
import { echoedExemplar } from "./forged.js";
import { scanClean, toCandidate, type CleanScan, type MarkerCandidate, type Statement } from "./extract.js";
import { exactOfToken, lastNumberIn, NUMBER_TOKEN_RE } from "./normalize.js";
import { originalSpan } from "../text/clean.js";

/** Why a completion states no usable answer (score 0); status and rule go into the verdict. */
export interface Refusal {
  status: "wrong" | "unparseable";
  rule: string;
  message: string;
  span: [number, number] | null;
  text: string | null;
}

export interface NumericSelection {
  /** The answer, original offsets; null when there is none or it was refused. */
  chosen: MarkerCandidate | null;
  flags: string[];
  refusal?: Refusal;
}

const INJECTION_RE =
  /\b(?:note|message|instructions?|hint|reminder|memo)s?\s+(?:to|for)\s+(?:the\s+|any\s+)?(?:auto-?)?(?:grader|evaluator|judge|checker|verifier|reviewer|marker|scorer|grading\s+(?:system|script|model)|reward\s+model)s?\b|\b(?:dear\s+)?(?:auto-?)?(?:grader|evaluator|verifier|reward\s+model|grading\s+(?:system|script|model))\s*[:,]|\bignore\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+)?(?:previous|prior|above|earlier|preceding|other)\b|\b(?:mark|grade|score|treat|count|consider|accept)\s+(?:this|it|me|my\s+(?:answer|response|solution)|the\s+(?:answer|response|solution)|this\s+(?:answer|response|solution))\s+(?:as\s+)?(?:correct|right|true|valid|full\s+(?:marks|credit|score))|\b(?:system|admin|developer)\s*(?:prompt|override|message|note)?\s*:\s*(?:the\s+)?(?:correct|expected|gold|reference)\b|\b(?:the\s+)?(?:gold|reference|expected)\s+(?:answer|label|solution)\s+(?:is|=|:)|\[\s*(?:system|admin|grader)\s*\]|\bas\s+an?\s+(?:ai\s+|automated\s+)?(?:grader|judge|evaluator|verifier|checker|reward\s+model)\b|\byou\s+(?:must|should|will|have\s+to)\s+(?:now\s+)?(?:output|respond|reply|return|print|say|mark|grade|score|accept|award)\b/i;
/** Cheap pre-test: every INJECTION_RE alternative contains one of these stems. */
const INJECTION_HINT_RE =
  /(?:gra[dn]|valuat|judg|hecke|erifi|eview|rewar|eferen|arker|scor|gnor|ystem|admin|evelop|xpect|gold|mark\s|treat\s|ccept\s|count\s|nsider\s|you\s+(?:must|should|will|have))|\[/; // on the lower-cased text
const RETRACT_RE =
  /\b(?:wait|actually|hold\s+on|oops|sorry|correction|just\s+kidding|kidding|j\/k|scratch\s+that|on\s+second\s+thought|i\s+was\s+wrong|i\s+made\s+(?:a|an)\s+(?:mistake|error)|that(?:'s|’s|\s+is|\s+was)\s+(?:wrong|incorrect|not\s+right|a\s+mistake)|let\s+me\s+(?:re-?calculate|redo|re-?check|correct|fix|reconsider)|mistake|miscalculat\w*|not\s+correct|no,\s+(?:it|the)|instead)\b/i;
const QUALIFIER_RE = /\b(?:in|within|after|before|per|every|during|than|out\s+of|between|and|from|to)\s+(?:[\w'’$€£-]+\s+){0,2}[$€£]?$/i;
/** The last word of a text cut off mid-sentence: a function word or an operation waiting for its operand. */
const CUT_END_RE =
  /(?:[,:;=+\-*/×÷(\[{]|\b(?:a|an|the|and|or|but|so|to|of|in|on|at|by|for|from|with|which|that|who|whose|what|when|where|while|if|then|than|as|is|are|was|were|be|we|he|she|they|it|its|his|her|their|our|my|your|you|i|plus|minus|times|divided|multiply|multiplied|add|subtract|gives|give|makes|make|equals|equal|into|per|each|every|another|also|because|since|whether|let|us|get|gets|need|needs|total|is))\s*$/i;
/** A final sentence that wonders rather than concludes. */
const UNDECIDED_RE = /\b(?:hmm+|whether|reconsider|let\s+me|wait|not\s+sure|i\s+think|maybe|perhaps|might|could\s+be|double-check)\b|\?\s*$/i;
const NEGATION_BEFORE_RE = /\b(?:not|never|no\s+longer|isn['’]?t|wasn['’]?t|cannot|can['’]?t|won['’]?t|impossible|rule\s+out)\b[^.;!?\d]*$/i;
const NUMBER_WORDS: Readonly<Record<string, number>> = Object.freeze({
  two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20,
  thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, hundred: 100, zero: 0,
});
const NUMBER_WORD_RE =
  /\b(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|zero|(?:a|one)\s+hundred)\b/gi;
const UNITS: Readonly<Record<string, number>> = Object.freeze({ one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9 });

/** Value of a number-word group matched by NUMBER_WORD_RE (`forty`, `twenty-five`, `a hundred`). */
function wordValue(w: string): number {
  const parts = w.toLowerCase().split(/[- ]+/);
  if (parts[parts.length - 1] === "hundred") return 100;
  return (NUMBER_WORDS[parts[0]] ?? 0) + (parts.length > 1 ? UNITS[parts[1]] ?? 0 : 0);
}

const NOTE_RE = /^\s*(?:\(?\s*note\b|p\.?\s*s\.?\b|i\s+hope\b|hope\s+this\s+helps|let\s+me\s+know\b|feel\s+free\b|check\s*:|verification\s*:|to\s+verify\b)/i;

/** Answers of the lm-eval 0.4.13 gsm8k-cot exemplars (forged.ts), in exemplar order: 6, 5, 39, 8, 9, 29, 33, 8. */
const EXEMPLAR_ANSWERS = new Set([6n, 5n, 39n, 8n, 9n, 29n, 33n]);
const same = (a: ExactNumber, b: ExactNumber): boolean => a.n === b.n && a.d === b.d;

/** The numeric mode's answer for `text` (module comment). Never throws on model text. */
export function selectGsm8kNumeric(text: string): NumericSelection {
  const scan = scanClean(text);
  const flags = [...scan.c.flags];
  const t = scan.c.text;
  if (scan.regionEnd < t.length) flags.push("gsm8k:continuation-ignored");
  if (scan.hashWithoutNumber > 0) flags.push("gsm8k:hash-without-number");
  if (scan.hashHeadings > 0) flags.push("gsm8k:hash-heading");
  const refuse = (status: Refusal["status"], rule: string, message: string, s?: { start: number; end: number }): NumericSelection => {
    const span = s ? originalSpan(scan.c, [s.start, s.end]) : null;
    return { chosen: null, flags, refusal: { status, rule, message, span, text: span ? text.slice(span[0], span[1]) : null } };
  };

  const inj = INJECTION_HINT_RE.test(scan.lower) ? INJECTION_RE.exec(t) : null;
  if (inj !== null) {
    return refuse("wrong", "gsm8k/grader-injection", `text addressed to the grader: ${JSON.stringify(inj[0])}`, { start: inj.index, end: inj.index + inj[0].length });
  }
  if (!scan.tagsPaired) return refuse("wrong", "gsm8k/answer-tags-unpaired", "<answer> and </answer> tags do not pair up (a forged answer structure)");
  if (scan.intermediatePhrases > 0) flags.push("gsm8k:intermediate-answer-phrase");

  const stated: Statement[] = [];
  const denied: (ExactNumber | NumberLimit)[] = [];
  for (const s of scan.statements) {
    if (s.start >= scan.regionEnd) break;
    if (s.read.kind === "refused") {
      const kind = s.rule.slice("gsm8k/".length);
      return refuse("unparseable", `gsm8k/${kind}-not-one-number`, `the stated answer is not one number: ${s.read.reason}`, s);
    }
    if (s.read.kind === "negated") denied.push(s.read.value);
    else if (s.read.kind === "number") stated.push(s);
  }
  let chosen: Statement | null = null;
  if (stated.length > 0) {
    const values: ExactNumber[] = [];
    for (const s of stated) {
      const v = (s.read as { value: ExactNumber | NumberLimit }).value;
      if (isNumberLimit(v)) continue;
      if (!values.some((w) => same(w, v))) values.push(v);
    }
    if (values.length > 1) {
      return refuse("wrong", "gsm8k/conflicting-answers", `the completion states ${values.length} different answers`, stated[stated.length - 1]);
    }
    for (const kind of ["gsm8k/hash", "gsm8k/boxed", "gsm8k/answer-tag", "gsm8k/phrase"] as const) {
      for (const s of stated) if (s.rule === kind) chosen = s;
      if (chosen !== null) break;
    }
  }
  let cand: MarkerCandidate | null;
  if (chosen !== null) cand = toCandidate(text, scan, chosen);
  else {
    const fb = finalSentenceNumber(scan);
    if (fb === null) return { chosen: null, flags };
    if (fb.refused !== undefined) {
      if (fb.rule === "gsm8k/negated-answer") return refuse("wrong", fb.rule, "the completion says the answer is not this value", fb);
      return refuse("unparseable", fb.rule === "gsm8k/last-number" || fb.rule === "gsm8k/final-sentence" ? "gsm8k/last-number-not-a-number" : fb.rule, fb.refused, fb);
    }
    chosen = { rule: "gsm8k/hash", start: fb.start, end: fb.end, read: { kind: "number", value: fb.value!, start: 0, end: 0, flags: fb.flags } };
    cand = { ...toCandidate(text, scan, chosen), rule: fb.rule };
  }
  if (cand.flags) flags.push(...cand.flags);
  const value = cand.exact;
  // An echoed exemplar can only be rewarded with the exemplar's own answer: look for one only then (cheap gate).
  if (value !== null && !isNumberLimit(value) && value.d === 1n && EXEMPLAR_ANSWERS.has(value.n)) {
    const echo = echoedExemplar(t, scan.regionEnd);
    if (echo >= 0) {
      return refuse("wrong", "gsm8k/echoed-exemplar", "the completion restates a few-shot exemplar question (lm-eval gsm8k-cot) instead of answering", { start: echo, end: echo + 20 });
    }
  }
  if (value !== null && !isNumberLimit(value)) {
    if (denied.some((d) => !isNumberLimit(d) && same(d, value))) {
      return refuse("wrong", "gsm8k/negated-answer", "the completion says the answer is not this value", chosen);
    }
    const after = t.slice(chosen.end, scan.regionEnd);
    const r = RETRACT_RE.exec(after);
    if (r !== null) {
      const from = chosen.end + r.index;
      const last = lastNumberIn(t, from, scan.regionEnd);
      const lv = last === null ? null : exactOfToken(last.text);
      if (lv !== null && !isNumberLimit(lv) && !same(lv, value)) {
        return refuse("wrong", "gsm8k/retracted", `the answer is followed by ${JSON.stringify(r[0])} and then ${last!.text}`, { start: from, end: last!.span[1] });
      }
    }
  }
  return { chosen: cand, flags };
}

interface Fallback {
  start: number;
  end: number;
  value?: ExactNumber | NumberLimit;
  refused?: string;
  rule: string;
  flags: string[];
}

/** Rule 5 of the module comment, in cleaned coordinates; null when the region holds no number. */
function finalSentenceNumber(scan: CleanScan): Fallback | null {
  const t = scan.c.text;
  let end = scan.regionEnd;
  // Drop trailing note paragraphs/lines.
  for (;;) {
    const body = t.slice(0, end).trimEnd();
    const ls = Math.max(body.lastIndexOf("\n"), -1) + 1;
    if (ls === 0 || !NOTE_RE.test(body.slice(ls))) break;
    end = ls;
  }
  const body = t.slice(Math.max(0, end - 40), end).replace(/[\s*_]+$/, "");
  const cut = CUT_END_RE.exec(body);
  if (cut !== null && !/\d\s*$/.test(body)) {
    const at = Math.max(0, end - 40);
    return { start: at + cut.index, end: at + body.length, refused: "the text stops mid-sentence with no final answer (truncated?)", rule: "gsm8k/truncated", flags: [] };
  }
  const last = lastNumberIn(t, 0, end);
  if (last === null) return null;
  // Sentence containing the last number.
  let s0 = last.span[0];
  while (s0 > 0) {
    const ch = t.charCodeAt(s0 - 1);
    if (ch === 10) break;
    if ((ch === 46 || ch === 33 || ch === 63) && /\s/.test(t[s0] ?? " ")) break;
    s0--;
  }
  const tokens: { text: string; span: [number, number] }[] = [];
  NUMBER_TOKEN_RE.lastIndex = 0;
  const sentence = t.slice(s0, last.span[1]);
  for (let m: RegExpExecArray | null; (m = NUMBER_TOKEN_RE.exec(sentence)) !== null; ) {
    tokens.push({ text: m[0], span: [s0 + m.index, s0 + m.index + m[0].length] });
  }
  if (tokens.length === 0) tokens.push(last);
  let k = tokens.length - 1;
  let rule = "gsm8k/last-number";
  const eq = sentence.lastIndexOf("=");
  if (eq < 0) {
    while (k > 0) {
      const before = t.slice(tokens[k - 1].span[1], tokens[k].span[0]);
      if (!QUALIFIER_RE.test(before) || /[=:;]/.test(before)) break;
      if (/\band\s/i.test(before) && !/\bbetween\b/i.test(t.slice(s0, tokens[k].span[0]))) break;
      if (/\bto\s/i.test(before) && !/\bfrom\b/i.test(t.slice(s0, tokens[k].span[0]))) break;
      k--;
      rule = "gsm8k/final-sentence";
    }
  }
  const tok = tokens[k];
  const flags: string[] = [];
  let sEnd = tok.span[1];
  while (sEnd < end && !/[.!?\n]/.test(t[sEnd])) sEnd++;
  const finalSentence = t.slice(s0, sEnd); // the sentence holding the answer, not what follows it
  if (UNDECIDED_RE.test(finalSentence)) {
    return { start: s0, end: Math.max(s0, end), refused: "the final sentence wonders instead of stating an answer", rule: "gsm8k/no-final-answer", flags };
  }
  // A later quantity written in words ("… she needs forty cups.") is the last number.
  NUMBER_WORD_RE.lastIndex = tok.span[1];
  let word: RegExpExecArray | null = null;
  for (let m: RegExpExecArray | null; (m = NUMBER_WORD_RE.exec(t)) !== null && m.index < end; ) word = m;
  if (word !== null) {
    const v = parseExactNumber(String(wordValue(word[0])));
    if (v !== null) return { start: word.index, end: word.index + word[0].length, value: v, rule: "gsm8k/last-number-word", flags: ["gsm8k:number-word"] };
  }
  if (NEGATION_BEFORE_RE.test(t.slice(Math.max(s0, tok.span[0] - 40), tok.span[0]))) {
    return { start: tok.span[0], end: tok.span[1], refused: "negated", rule: "gsm8k/negated-answer", flags };
  }
  // Clock time: `3:00` → 3; the minutes token itself is not the answer.
  const prev = tok.span[0] >= 2 ? t.slice(Math.max(0, tok.span[0] - 3), tok.span[0]) : "";
  if (/\d:$/.test(prev) && /^\d\d$/.test(tok.text)) {
    const hourTok = k > 0 ? tokens[k - 1] : null;
    if (hourTok === null || hourTok.span[1] !== tok.span[0] - 1) return { start: tok.span[0], end: tok.span[1], refused: "a clock time", rule, flags };
    if (tok.text !== "00") return { start: hourTok.span[0], end: tok.span[1], refused: "a clock time that is not a whole hour", rule, flags };
    const v = exactOfToken(hourTok.text);
    if (v === null) return null;
    return { start: hourTok.span[0], end: tok.span[1], value: v, rule, flags: ["gsm8k:clock-time"] };
  }
  const v = exactOfToken(tok.text);
  if (v === null) return null;
  return { start: tok.span[0], end: tok.span[1], value: v, rule, flags };
}

