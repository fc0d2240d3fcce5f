/**
 * Language identification as IFEval does it: Python `langdetect` 1.0.9 (Nakatani Shuyo's
 * language-detection, naive Bayes over character 1–3-grams, 7 random-restart trials), on the language
 * profiles of the npm package `langdetect` 0.2.1 (the same Shuyo profiles as the Python package's).
 *
 * The detection loop is ported from Python `langdetect/detector.py` + `utils/ngram.py` rather than
 * calling the npm package's `detect()`, because that port drifts from Python: it draws alpha uniformly
 * instead of from a Gaussian, skips the Vietnamese and CJK normalizations, uses other URL / e-mail regexes
 * and an unseeded `Math.random`. Here the random source is Python's own Mersenne Twister (pyRandom.ts)
 * seeded with `seed` (default 0), so a verdict is deterministic and equals Python's with
 * `DetectorFactory.seed = 0`. The published evaluation never seeds langdetect, so on borderline text
 * (short, mixed-language) its own answer varies from run to run; ours does not.
 *
 * The npm package has 53 of Python's 55 profiles, 52 of them identical to Python's; the other two (`ca`
 * Catalan, `cy` Welsh) and Python's newer Korean profile are copied from Python's package into
 * data/langdetect/ (see its README), so the profiles are Python's. Languages are
 * indexed in sorted order (Python: directory order), which changes float sums in the last bits only.
 * `detect` returns null where Python raises "No features in text" (IFEval counts that as followed).
 */
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PyRandom } from "./pyRandom.js";

const ALPHA_DEFAULT = 0.5;
const ALPHA_WIDTH = 0.05;
const ITERATION_LIMIT = 1000;
const PROB_THRESHOLD = 0.1;
const CONV_THRESHOLD = 0.99999;
const BASE_FREQ = 10000;
const N_TRIAL = 7;
const MAX_TEXT_LENGTH = 10000;
const URL_RE = /https?:\/\/[-_.?&~;+=/#0-9A-Za-z]{1,2076}/g;
const MAIL_RE = /[-_.0-9A-Za-z]{1,64}@[-_0-9A-Za-z]{1,255}[-_.0-9A-Za-z]{1,255}/g;
const LATIN1_EXCLUDED = "\u00A0\u00AB\u00B0\u00BB";
const TO_NORMALIZE_VI_CHARS = "AEIOUYaeiouy\u00c2\u00ca\u00d4\u00e2\u00ea\u00f4\u0102\u0103\u01a0\u01a1\u01af\u01b0";
const DMARK_CLASS = "\u0300\u0301\u0303\u0309\u0323";
const NORMALIZED_VI_CHARS = [
  "\u00C0\u00C8\u00CC\u00D2\u00D9\u1EF2\u00E0\u00E8\u00EC\u00F2\u00F9\u1EF3\u1EA6\u1EC0\u1ED2\u1EA7\u1EC1\u1ED3\u1EB0\u1EB1\u1EDC\u1EDD\u1EEA\u1EEB",
  "\u00C1\u00C9\u00CD\u00D3\u00DA\u00DD\u00E1\u00E9\u00ED\u00F3\u00FA\u00FD\u1EA4\u1EBE\u1ED0\u1EA5\u1EBF\u1ED1\u1EAE\u1EAF\u1EDA\u1EDB\u1EE8\u1EE9",
  "\u00C3\u1EBC\u0128\u00D5\u0168\u1EF8\u00E3\u1EBD\u0129\u00F5\u0169\u1EF9\u1EAA\u1EC4\u1ED6\u1EAB\u1EC5\u1ED7\u1EB4\u1EB5\u1EE0\u1EE1\u1EEE\u1EEF",
  "\u1EA2\u1EBA\u1EC8\u1ECE\u1EE6\u1EF6\u1EA3\u1EBB\u1EC9\u1ECF\u1EE7\u1EF7\u1EA8\u1EC2\u1ED4\u1EA9\u1EC3\u1ED5\u1EB2\u1EB3\u1EDE\u1EDF\u1EEC\u1EED",
  "\u1EA0\u1EB8\u1ECA\u1ECC\u1EE4\u1EF4\u1EA1\u1EB9\u1ECB\u1ECD\u1EE5\u1EF5\u1EAC\u1EC6\u1ED8\u1EAD\u1EC7\u1ED9\u1EB6\u1EB7\u1EE2\u1EE3\u1EF0\u1EF1",
];
const VI_RE = new RegExp(`([${TO_NORMALIZE_VI_CHARS}])([${DMARK_CLASS}])`, "g");

interface Model {
  langs: string[];
  /** n-gram → probability per language (index into `langs`). */
  probs: Map<string, Float64Array>;
  cjk: Map<string, string>;
}

let model: Model | null = null;

/** The profiles, loaded on first use (about 2 MB of JSON from the npm package `langdetect`). */
function loadModel(): Model {
  if (model) return model;
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve("langdetect/package.json"));
  const extra = fileURLToPath(new URL("../../../data/langdetect/", import.meta.url));
  // data/langdetect/ adds ca and cy and replaces ko (the npm package carries an older Korean profile).
  const byName = new Map<string, string>();
  for (const f of readdirSync(join(root, "profiles"))) if (f.endsWith(".json")) byName.set(f, join(root, "profiles", f));
  for (const f of readdirSync(extra)) if (f.endsWith(".json")) byName.set(f, join(extra, f));
  const files = [...byName.keys()].sort().map((f) => byName.get(f)!);
  const langs: string[] = [];
  const probs = new Map<string, Float64Array>();
  files.forEach((file, index) => {
    const p = JSON.parse(readFileSync(file, "utf8")) as { name: string; freq: Record<string, number>; n_words: number[] };
    langs.push(p.name);
    for (const [word, f] of Object.entries(p.freq)) {
      let row = probs.get(word);
      if (!row) probs.set(word, (row = new Float64Array(files.length)));
      const len = [...word].length;
      if (len >= 1 && len <= 3) row[index] = f / p.n_words[len - 1]!;
    }
  });
  const cjk = new Map<string, string>();
  const classes = JSON.parse(readFileSync(join(root, "res", "cjk.json"), "utf8")) as Record<string, string>;
  for (const list of Object.values(classes)) {
    const chars = [...list];
    for (const ch of chars) cjk.set(ch, chars[0]!);
  }
  return (model = { langs, probs, cjk });
}

function block(cp: number): string {
  if (cp <= 0x7f) return "basic-latin";
  if (cp <= 0xff) return "latin-1";
  if (cp >= 0x180 && cp <= 0x24f) return "latin-ext-b";
  if (cp >= 0x600 && cp <= 0x6ff) return "arabic";
  if (cp >= 0x1e00 && cp <= 0x1eff) return "latin-ext-additional";
  if (cp >= 0x2000 && cp <= 0x206f) return "general-punctuation";
  if (cp >= 0x3040 && cp <= 0x309f) return "hiragana";
  if (cp >= 0x30a0 && cp <= 0x30ff) return "katakana";
  if ((cp >= 0x3100 && cp <= 0x312f) || (cp >= 0x31a0 && cp <= 0x31bf)) return "bopomofo";
  if (cp >= 0x4e00 && cp <= 0x9fff) return "cjk";
  if (cp >= 0xac00 && cp <= 0xd7af) return "hangul";
  return "other";
}

/** NGram.normalize */
function normalize(ch: string, m: Model): string {
  const cp = ch.codePointAt(0)!;
  switch (block(cp)) {
    case "basic-latin":
      return ch < "A" || (ch > "Z" && ch < "a") || ch > "z" ? " " : ch;
    case "latin-1":
      return LATIN1_EXCLUDED.includes(ch) ? " " : ch;
    case "latin-ext-b":
      return ch === "\u0219" ? "\u015f" : ch === "\u021b" ? "\u0163" : ch;
    case "general-punctuation":
      return " ";
    case "arabic":
      return ch === "\u06cc" ? "\u064a" : ch;
    case "latin-ext-additional":
      return cp >= 0x1ea0 ? "\u1ec3" : ch;
    case "hiragana":
      return "\u3042";
    case "katakana":
      return "\u30a2";
    case "bopomofo":
      return "\u3105";
    case "cjk":
      return m.cjk.get(ch) ?? ch;
    case "hangul":
      return "\uac00";
    default:
      return ch;
  }
}

const isUpperChar = (ch: string) => /\p{Uppercase}/u.test(ch) && !/\p{Lowercase}|\p{Lt}/u.test(ch);

/** Detector.append + cleaning_text: the code points the n-grams are taken from. */
function prepare(text: string): string[] {
  let t = text.replace(URL_RE, " ").replace(MAIL_RE, " ");
  t = t.replace(VI_RE, (_all, a: string, d: string) => [...NORMALIZED_VI_CHARS[DMARK_CLASS.indexOf(d)]!][TO_NORMALIZE_VI_CHARS.indexOf(a)]!);
  const cps = [...t].slice(0, MAX_TEXT_LENGTH);
  const kept: string[] = [];
  let pre = "";
  for (const ch of cps) {
    if (ch !== " " || pre !== " ") kept.push(ch);
    pre = ch;
  }
  let latin = 0;
  let nonLatin = 0;
  for (const ch of kept) {
    if (ch >= "A" && ch <= "z") latin++;
    else if (ch.codePointAt(0)! >= 0x300 && block(ch.codePointAt(0)!) !== "latin-ext-additional") nonLatin++;
  }
  return latin * 2 < nonLatin ? kept.filter((ch) => ch < "A" || ch > "z") : kept;
}

function extractNgrams(chars: string[], m: Model): string[] {
  const out: string[] = [];
  let grams = [" "];
  let capitalword = false;
  for (const raw of chars) {
    // NGram.add_char
    const ch = normalize(raw, m);
    const last = grams[grams.length - 1]!;
    if (last === " ") {
      grams = [" "];
      capitalword = false;
      if (ch === " ") continue;
    } else if (grams.length >= 3) grams = grams.slice(1);
    grams.push(ch);
    if (isUpperChar(ch)) {
      if (isUpperChar(last)) capitalword = true;
    } else capitalword = false;
    if (capitalword) continue;
    for (let n = 1; n <= 3; n++) {
      if (grams.length < n) break;
      const w = grams.slice(-n).join("");
      if (w !== " " && m.probs.has(w)) out.push(w);
    }
  }
  return out;
}

export interface LanguageProbability {
  lang: string;
  prob: number;
}

/** Detector.get_probabilities: languages above 0.1, most probable first; null when the text has no features. */
export function detectLanguages(text: string, seed = 0): LanguageProbability[] | null {
  const m = loadModel();
  const ngrams = extractNgrams(prepare(text), m);
  if (ngrams.length === 0) return null;
  const L = m.langs.length;
  const langprob = new Float64Array(L);
  const rng = new PyRandom(seed);
  for (let t = 0; t < N_TRIAL; t++) {
    const prob = new Float64Array(L).fill(1 / L);
    const alpha = ALPHA_DEFAULT + rng.gauss(0, 1) * ALPHA_WIDTH;
    const weight = alpha / BASE_FREQ;
    for (let i = 0; ; i++) {
      const row = m.probs.get(rng.choice(ngrams))!;
      for (let k = 0; k < L; k++) prob[k]! *= weight + row[k]!;
      if (i % 5 === 0) {
        let sum = 0;
        for (let k = 0; k < L; k++) sum += prob[k]!;
        let maxp = 0;
        for (let k = 0; k < L; k++) {
          const p = prob[k]! / sum;
          if (maxp < p) maxp = p;
          prob[k] = p;
        }
        if (maxp > CONV_THRESHOLD || i >= ITERATION_LIMIT) break;
      }
    }
    for (let k = 0; k < L; k++) langprob[k]! += prob[k]! / N_TRIAL;
  }
  const out: LanguageProbability[] = [];
  for (let k = 0; k < L; k++) if (langprob[k]! > PROB_THRESHOLD) out.push({ lang: m.langs[k]!, prob: langprob[k]! });
  return out.sort((a, b) => b.prob - a.prob);
}

/** `langdetect.detect(text)`: the most probable language, "unknown" when none passes 0.1, null for no features. */
export function detectLanguage(text: string, seed = 0): string | null {
  const r = detectLanguages(text, seed);
  if (r === null) return null;
  return r[0]?.lang ?? "unknown";
}
