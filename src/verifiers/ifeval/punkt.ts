/**
 * NLTK's Punkt sentence tokenizer (nltk 3.10 `nltk/tokenize/punkt.py`, `PunktSentenceTokenizer.tokenize`
 * with `realign_boundaries=True`), the splitter behind IFEval's `count_sentences` and `word_tokenize`.
 *
 * The algorithm is ported step by step: `_match_potential_end_contexts` (candidate ends: `.`, `?`, `!`
 * followed by whitespace + a token or by non-word punctuation), `text_contains_sentbreak` on each context
 * (punkt word tokens → first-pass annotation → second-pass orthographic / collocation / initial
 * heuristics), `_slices_from_text` and `_realign_boundaries` (closing quotes and brackets stay with the
 * sentence they end).
 *
 * Where it departs: the published evaluation loads the trained English model (`punkt_tab/english`: a
 * learned list of abbreviations, collocations, sentence starters and an orthographic context table). That
 * model is data from nltk_data, which this project does not ship, so the parameters here are Punkt's
 * untrained defaults (all empty). With them a period after any word ends a sentence unless the word is a
 * single-letter initial or a number followed by a lowercase word, so "Dr. Smith" counts as two sentences
 * where the trained model says one. `PunktParameters` is open so a caller can pass trained parameters.
 */
import { PY_WS, PY_NOT_WS, pyRstrip, pyStrip } from "./pyText.js";

export interface PunktParameters {
  abbrevTypes: ReadonlySet<string>;
  /** "typ1 typ2" pairs. */
  collocations: ReadonlySet<string>;
  sentStarters: ReadonlySet<string>;
  orthoContext: ReadonlyMap<string, number>;
}

export const UNTRAINED_PUNKT: PunktParameters = {
  abbrevTypes: new Set(),
  collocations: new Set(),
  sentStarters: new Set(),
  orthoContext: new Map(),
};

// Orthographic context flags (punkt.py _ORTHO_*).
const ORTHO_BEG_UC = 1 << 1;
const ORTHO_MID_UC = 1 << 2;
const ORTHO_UNK_UC = 1 << 3;
const ORTHO_BEG_LC = 1 << 4;
const ORTHO_MID_LC = 1 << 5;
const ORTHO_UNK_LC = 1 << 6;
const ORTHO_UC = ORTHO_BEG_UC | ORTHO_MID_UC | ORTHO_UNK_UC;
const ORTHO_LC = ORTHO_BEG_LC | ORTHO_MID_LC | ORTHO_UNK_LC;

// PunktLanguageVars (English): sent_end_chars = . ? !
const NON_WORD = `(?:[)";}\\]*:@'({\\[\\u2018\\u2019\\u201c\\u201d\\xab\\xbb?!])`;
const MULTI_CHAR = `(?:-{2,}|\\.{2,}|(?:\\.${PY_WS}){2,}\\.)`;
const WORD_START = `[^("\`{\\[:;&#*@)}\\]\\-,]`;
const WORD_TOKENIZER = new RegExp(
  `(${MULTI_CHAR}|(?=${WORD_START})${PY_NOT_WS}+?(?=${PY_WS}|$|${NON_WORD}|${MULTI_CHAR}|,(?=$|${PY_WS}|${NON_WORD}|${MULTI_CHAR}))|${PY_NOT_WS})`,
  "gu",
);
const PERIOD_CONTEXT = new RegExp(`[.?!](?=(?<after_tok>${NON_WORD}|${PY_WS}+(?<next_tok>${PY_NOT_WS}+)))`, "gu");
const BOUNDARY_REALIGNMENT = /^["')\]}\u2018\u2019\u201c\u201d\xab\xbb]+?(?:[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|(?=--)|(?=\n)|$)/u;

const RE_ELLIPSIS = /^\.\.+$/;
const RE_NUMERIC = /^-?[.,]?\p{Nd}[\p{Nd},.-]*\.?$/u;
const RE_INITIAL = /^(?!\p{Nd})[\p{L}\p{N}_]\.$/u; // [^\W\d]\.$
const PUNCTUATION = new Set([";", ":", ",", ".", "!", "?"]);

interface Token {
  tok: string;
  type: string;
  periodFinal: boolean;
  sentbreak: boolean;
  abbr: boolean;
  ellipsis: boolean;
}

function makeToken(tok: string): Token {
  const lower = tok.toLowerCase();
  return {
    tok,
    type: RE_NUMERIC.test(lower) ? "##number##" : lower,
    periodFinal: tok.endsWith("."),
    sentbreak: false,
    abbr: false,
    ellipsis: false,
  };
}

const typeNoPeriod = (t: Token) => (t.type.length > 1 && t.type.endsWith(".") ? t.type.slice(0, -1) : t.type);
const typeNoSentPeriod = (t: Token) => (t.sentbreak ? typeNoPeriod(t) : t.type);
const firstUpper = (t: Token) => /^\p{Uppercase}/u.test(t.tok);
const firstLower = (t: Token) => /^\p{Lowercase}/u.test(t.tok);

function tokenizeWords(text: string): Token[] {
  const out: Token[] = [];
  for (const line of text.split("\n")) {
    if (pyStrip(line) === "") continue;
    for (const m of line.matchAll(WORD_TOKENIZER)) out.push(makeToken(m[0]));
  }
  return out;
}

function firstPass(t: Token, p: PunktParameters): void {
  const tok = t.tok;
  if (tok === "." || tok === "?" || tok === "!") t.sentbreak = true;
  else if (RE_ELLIPSIS.test(tok)) t.ellipsis = true;
  else if (t.periodFinal && !tok.endsWith("..")) {
    const base = tok.slice(0, -1).toLowerCase();
    if (p.abbrevTypes.has(base) || p.abbrevTypes.has(base.split("-").at(-1)!)) t.abbr = true;
    else t.sentbreak = true;
  }
}

function orthoHeuristic(t: Token, p: PunktParameters): boolean | "unknown" {
  if (PUNCTUATION.has(t.tok)) return false;
  const ctx = p.orthoContext.get(typeNoSentPeriod(t)) ?? 0;
  if (firstUpper(t) && ctx & ORTHO_LC && !(ctx & ORTHO_MID_UC)) return true;
  if (firstLower(t) && (ctx & ORTHO_UC || !(ctx & ORTHO_BEG_LC))) return false;
  return "unknown";
}

function secondPass(t1: Token, t2: Token, p: PunktParameters): void {
  if (!t1.periodFinal) return;
  const typ = typeNoPeriod(t1);
  const nextTyp = typeNoSentPeriod(t2);
  const isInitial = RE_INITIAL.test(t1.tok);
  if (p.collocations.has(`${typ} ${nextTyp}`)) {
    t1.sentbreak = false;
    t1.abbr = true;
    return;
  }
  if ((t1.abbr || t1.ellipsis) && !isInitial) {
    if (orthoHeuristic(t2, p) === true) {
      t1.sentbreak = true;
      return;
    }
    if (firstUpper(t2) && p.sentStarters.has(nextTyp)) {
      t1.sentbreak = true;
      return;
    }
  }
  if (isInitial || typ === "##number##") {
    const starter = orthoHeuristic(t2, p);
    if (starter === false) {
      t1.sentbreak = false;
      t1.abbr = true;
      return;
    }
    if (starter === "unknown" && isInitial && firstUpper(t2) && !((p.orthoContext.get(nextTyp) ?? 0) & ORTHO_LC)) {
      t1.sentbreak = false;
      t1.abbr = true;
    }
  }
}

/** PunktSentenceTokenizer.text_contains_sentbreak: a break before the context's last token. */
function containsSentbreak(text: string, p: PunktParameters): boolean {
  const toks = tokenizeWords(text);
  for (const t of toks) firstPass(t, p);
  for (let i = 0; i < toks.length; i++) {
    if (i + 1 < toks.length) secondPass(toks[i]!, toks[i + 1]!, p);
    if (i > 0 && toks[i - 1]!.sentbreak) return true;
  }
  return false;
}

function lastWhitespaceIndex(s: string): number {
  for (let i = s.length - 1; i >= 0; i--) if (" \t\n\r\v\f".includes(s[i]!)) return i; // string.whitespace
  return 0;
}

/** [start, end) spans of the sentences of `text`. */
export function punktSpans(text: string, p: PunktParameters = UNTRAINED_PUNKT): Array<[number, number]> {
  // _match_potential_end_contexts + _slices_from_text
  const slices: Array<[number, number]> = [];
  let lastBreak = 0;
  let prevSlice: [number, number] = [0, 0];
  let prevMatch: RegExpExecArray | null = null;
  const decide = (m: RegExpExecArray, slice: [number, number]) => {
    const context = text.slice(slice[0], slice[1]) + m[0] + (m.groups!.after_tok ?? "");
    if (!containsSentbreak(context, p)) return;
    const end = m.index + m[0].length;
    slices.push([lastBreak, end]);
    const nextTok = m.groups!.next_tok;
    lastBreak = nextTok !== undefined ? m.index + 1 + m.groups!.after_tok!.length - nextTok.length : end;
  };
  PERIOD_CONTEXT.lastIndex = 0;
  for (let m = PERIOD_CONTEXT.exec(text); m; m = PERIOD_CONTEXT.exec(text)) {
    const before = text.slice(prevSlice[1], m.index);
    let idx = lastWhitespaceIndex(before);
    idx = idx ? idx + prevSlice[1] + 1 : prevSlice[0];
    const wordSlice: [number, number] = [idx, m.index];
    if (prevMatch && prevSlice[1] <= wordSlice[0]) decide(prevMatch, prevSlice);
    prevMatch = m;
    prevSlice = wordSlice;
  }
  if (prevMatch) decide(prevMatch, prevSlice);
  slices.push([lastBreak, pyRstrip(text).length]);

  // _realign_boundaries
  const out: Array<[number, number]> = [];
  let realign = 0;
  for (let i = 0; i < slices.length; i++) {
    const s1: [number, number] = [slices[i]![0] + realign, slices[i]![1]];
    const s2 = slices[i + 1];
    const nonEmpty = s1[1] > s1[0];
    if (!s2) {
      if (nonEmpty) out.push(s1);
      continue;
    }
    const m = BOUNDARY_REALIGNMENT.exec(text.slice(s2[0], Math.max(s2[0], s2[1])));
    if (m) {
      out.push([s1[0], s2[0] + pyRstrip(m[0]).length]);
      realign = m[0].length;
    } else {
      realign = 0;
      if (nonEmpty) out.push(s1);
    }
  }
  return out;
}

/** The sentences of `text` (nltk `sent_tokenize` with the given parameters). */
export function punktSentences(text: string, p: PunktParameters = UNTRAINED_PUNKT): string[] {
  return punktSpans(text, p).map(([a, b]) => text.slice(a, b));
}
