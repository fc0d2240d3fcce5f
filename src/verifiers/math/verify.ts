/**
 * verifyMathFast / verifyMath: gold answer + model completion → Verdict.
 *
 * Stages: extract (extract.ts) → normalize (normalize.ts, or minerva.ts in `minerva` mode) → compare:
 *   exact string of the normalized forms (`math/exact`) → parse both (parse.ts) → compareAnswers (compare.ts):
 *   numeric (exact rationals / floats), then symbolic (random-point evaluation) only in `verifyMath`.
 * `verifyMathFast` runs the same chain but returns null where the symbolic stage would be needed, so a caller
 * (the worker pool) can decide the common cases inline and send only the rest to a worker with a hard timeout.
 * `gold` may be a bare answer (`\frac{14}{3}`) or a full solution: its last `\boxed{}` is used when present.
 * `verify` is asymmetric on purpose (gold first), see compare.ts and docs/verifiers-math.md.
 */
import type { Verdict } from "../../schemas/verdict.js";
import { freeSymbols, renameSymbol, type Node } from "./ast.js";
import { compareAnswers, NeedsSymbolic, type CompareResult } from "./compare.js";
import { extractMath, findBoxed, NUMBER_WORD } from "./extract.js";
import { normalizeFinalAnswer } from "./minerva.js";
import { guardRule } from "./guards.js";
import { cleanAnswer, type CleanAnswer } from "./normalize.js";
import { unitsAgree } from "./units.js";
import { resolveMathOptions, type MathOptions, type ResolvedMathOptions } from "./options.js";
import { parseLatex } from "./parse.js";

const GOLD_CACHE = new Map<string, Node | null>();
const GOLD_CACHE_MAX = 4096;

/** The gold's answer text: the content of its last `\boxed{}` when it has one, else the whole string. */
export function goldAnswer(gold: string): string {
  const last = findBoxed(gold).at(-1);
  return last?.content ? gold.slice(last.content[0], last.content[1]) : gold;
}

function tryParse(text: string, cache: boolean): Node | null {
  if (cache && GOLD_CACHE.has(text)) return GOLD_CACHE.get(text)!;
  let node: Node | null = null;
  try {
    node = parseLatex(text);
  } catch {
    node = null; // ParseError or any other surprise in untrusted text: treated as "did not parse"
  }
  if (cache) {
    if (GOLD_CACHE.size >= GOLD_CACHE_MAX) GOLD_CACHE.clear();
    GOLD_CACHE.set(text, node);
  }
  return node;
}

interface Judgement {
  status: Verdict["status"];
  rule: string;
  ng: string | null;
  np: string | null;
  flags?: string[];
}

const J = (status: Verdict["status"], rule: string, ng: string | null, np: string | null, flags?: string[]): Judgement =>
  flags ? { status, rule, ng, np, flags } : { status, rule, ng, np };

/** Gold answer text against one predicted answer text: normalize → exact → parse → units → compare. */
function judge(goldText: string, predText: string, opts: ResolvedMathOptions, symbolic: boolean): Judgement | null {
  const prefix = opts.mode === "minerva" ? "minerva" : "math";
  if (!/\S/.test(goldText)) return J("error", `${prefix}/empty-gold`, null, null);
  if (predText.length > opts.maxAnswerChars || goldText.length > opts.maxAnswerChars) return J("error", `${prefix}/too-large`, null, null);
  let g: CleanAnswer;
  let p: CleanAnswer;
  if (opts.mode === "minerva") {
    const ng = normalizeFinalAnswer(goldText, opts.minervaNormalizer);
    const np = normalizeFinalAnswer(predText, opts.minervaNormalizer);
    if (ng === np) return J("correct", "minerva/exact", ng, np);
    // lm-eval hands the normalized strings to sympy's parse_latex; our parser gets the same strings, prepared
    // by cleanAnswer (which knows `\dfrac` etc.), while the verdict shows Minerva's normalized forms.
    g = { ...cleanAnswer(ng), compact: ng, unit: null };
    p = { ...cleanAnswer(np), compact: np, unit: null };
  } else {
    g = cleanAnswer(goldText);
    p = cleanAnswer(predText);
    if (p.refused) return J("wrong", p.refused, g.compact, p.compact);
    // Degrees are not radians: an angle is answered in the gold's unit, never converted (the problem asked for
    // it). `\frac{\pi}{6}^\circ` or `30^\circ` does not answer `\frac{\pi}{6}`; `\frac{\pi}{6}` or `30 radians` does
    // not answer `30^\circ`. (A degree mark inside a trig function is a value: normalize.ts converts it.)
    const radians = (c: CleanAnswer) => c.unit !== null && /^\s*(?:\\text\s*\{\s*)?rad(?:ian)?s?\b/i.test(c.unit);
    const pi = (c: CleanAnswer) => /\\pi|π/.test(c.text);
    if ((p.degrees && !g.degrees && pi(g)) || (g.degrees && !p.degrees && pi(p)) || (g.degrees && radians(p)) || (p.degrees && radians(g))) {
      return J("wrong", "math/degrees-radians", g.compact, p.compact);
    }
    if (g.compact === p.compact && unitsAgree(g.unit, p.unit) === true) return J("correct", "math/exact", g.compact, p.compact);
  }
  const gn: Node | null = g.isText ? { k: "text", text: g.text } : tryParse(g.text, true);
  let pn: Node | null = p.isText ? { k: "text", text: p.text } : tryParse(p.text, false);
  if (!gn) return J("error", `${prefix}/gold-parse-failed`, g.compact, p.compact, ["gold-parse-failed"]);
  if (!pn) return J("wrong", `${prefix}/parse-failed`, g.compact, p.compact, ["pred-parse-failed"]);
  const flags: string[] = [];
  if (g.unit && p.unit) {
    const factor = unitsAgree(g.unit, p.unit);
    if (factor === false) return J("wrong", `${prefix}/unit-mismatch`, `${g.compact} [${g.unit}]`, `${p.compact} [${p.unit}]`);
    if (factor !== true) {
      pn = { k: "bin", op: "*", a: pn, b: { k: "bin", op: "/", a: { k: "num", text: String(factor[0]) }, b: { k: "num", text: String(factor[1]) } } };
      flags.push(`unit-converted:${p.unit}->${g.unit}`);
    }
  }
  // An arbitrary constant written `c` in the gold and `C` in the prediction (or the reverse) is the same constant.
  const gs = freeSymbols(gn);
  const ps = freeSymbols(pn);
  if (gs.has("c") !== ps.has("c") && gs.has("C") !== ps.has("C") && gs.has("c") !== gs.has("C")) {
    pn = gs.has("c") ? renameSymbol(pn, "C", "c") : renameSymbol(pn, "c", "C");
    flags.push("constant-case");
  }
  if (opts.relTol !== undefined) flags.push(`tolerance=${opts.relTol}`);
  let res: CompareResult;
  try {
    res = compareAnswers(gn, pn, { opts, symbolic });
  } catch (e) {
    if (e instanceof NeedsSymbolic) return null;
    if (e instanceof RangeError) return J("error", `${prefix}/too-large`, g.compact, p.compact);
    throw e;
  }
  const rule = prefix === "math" ? res.rule : res.rule.replace(/^math\//, "minerva/");
  const status = res.ok ? "correct" : res.undecided ? "error" : "wrong";
  return J(status, rule, g.compact, p.compact, flags.length ? flags : undefined);
}

function run(gold: string, completion: string, options: MathOptions | ResolvedMathOptions | undefined, symbolic: boolean): Verdict | null {
  const t0 = performance.now();
  const opts = resolveMathOptions(options);
  const ex = extractMath(completion, opts);
  const verdict = (j: Judgement): Verdict => {
    const v: Verdict = {
      status: j.status,
      score: j.status === "correct" ? 1 : 0,
      extracted: ex.extracted,
      span: ex.span,
      normalizedGold: j.ng,
      normalizedPred: j.np,
      rule: j.rule,
      ms: performance.now() - t0,
    };
    const all = j.flags ? [...ex.flags, ...j.flags] : ex.flags;
    if (all.length) v.flags = all;
    return v;
  };
  const goldText = goldAnswer(gold);
  if (ex.extracted === null || ex.span === null) {
    const ng = opts.mode === "minerva" ? normalizeFinalAnswer(goldText, opts.minervaNormalizer) : cleanAnswer(goldText).compact;
    return verdict(J("unparseable", ex.rule, ng, null));
  }
  const training = opts.mode !== "minerva";
  const main = judge(goldText, ex.extracted, opts, symbolic);
  if (!main || !training) return main && verdict(main);
  // Guards only matter where the answer would be rewarded, so wrong answers (most rollouts) skip their scans;
  // an answer that did not parse gets them too, for a rule that says why (`\phantom`, a macro).
  if (main.status !== "correct" && main.rule !== "math/parse-failed") return verdict(main);
  const boxes = ex.candidates.filter((c) => c.rule === "math/boxed").map((c) => c.span);
  const refused = guardRule({ text: completion, span: ex.span, boxes });
  if (refused) return verdict(J("wrong", refused, main.ng, main.np));
  if (main.status !== "correct") return verdict(main);
  // Several answers: every box, and every parseable final-answer phrase after the last box, must agree.
  const own = ex.extracted.replace(/\s+/g, "");
  const lastBox = ex.candidates.filter((c) => c.rule === "math/boxed").at(-1);
  for (const c of ex.candidates) {
    if (c.text.replace(/\s+/g, "") === own) continue;
    const phraseAfterBox = c.rule === "math/final-answer" && lastBox !== undefined && c.span[0] > lastBox.span[1];
    if (c.rule !== "math/boxed" && !phraseAfterBox) continue;
    const other = judge(goldText, c.text, opts, symbolic);
    if (other === null) return null;
    if (other.status === "correct") continue;
    // Prose after "answer:" ("Final Answer: The final answer is $18$" yields "The" too) is not an answer.
    if (phraseAfterBox && (other.rule === "math/parse-failed" || (other.rule === "math/text" && !NUMBER_WORD.test(c.text)))) continue;
    return verdict(J(other.status === "error" ? "error" : "wrong", "math/answers-disagree", main.ng, other.np, [`disagreeing:${c.span[0]}-${c.span[1]}`]));
  }
  return verdict(main);
}

/**
 * Cheap verdict: extraction failure → `unparseable`; exact-string, numeric and structural decisions that need
 * no random-point evaluation → `correct`/`wrong`; otherwise null (call `verifyMath`, e.g. in a worker).
 */
export function verifyMathFast(gold: string, completion: string, options?: MathOptions): Verdict | null {
  return run(gold, completion, options, false);
}

/** Full verdict, synchronous; bounded but may take milliseconds on large symbolic answers. */
export function verifyMath(gold: string, completion: string, options?: MathOptions): Verdict {
  return run(gold, completion, options, true)!;
}

export type { ResolvedMathOptions };
