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
import type { Node } from "./ast.js";
import { compareAnswers, NeedsSymbolic, type CompareResult } from "./compare.js";
import { extractMath, findBoxed } from "./extract.js";
import { normalizeFinalAnswer } from "./minerva.js";
import { cleanAnswer, type CleanAnswer } from "./normalize.js";
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

function run(gold: string, completion: string, options: MathOptions | ResolvedMathOptions | undefined, symbolic: boolean): Verdict | null {
  const t0 = performance.now();
  const opts = resolveMathOptions(options);
  const ex = extractMath(completion, opts);
  const flags = [...ex.flags];
  const verdict = (status: Verdict["status"], rule: string, ng: string | null, np: string | null, extra?: string[]): Verdict => {
    const v: Verdict = {
      status,
      score: status === "correct" ? 1 : 0,
      extracted: ex.extracted,
      span: ex.span,
      normalizedGold: ng,
      normalizedPred: np,
      rule,
      ms: performance.now() - t0,
    };
    const all = extra ? [...flags, ...extra] : flags;
    if (all.length) v.flags = all;
    return v;
  };
  const goldText = goldAnswer(gold);
  if (ex.extracted === null) {
    return verdict("unparseable", ex.rule, opts.mode === "minerva" ? normalizeFinalAnswer(goldText, opts.minervaNormalizer) : cleanAnswer(goldText).compact, null);
  }

  if (ex.extracted.length > opts.maxAnswerChars || goldText.length > opts.maxAnswerChars) {
    return verdict("wrong", `${opts.mode === "minerva" ? "minerva" : "math"}/too-large`, null, null);
  }
  let g: CleanAnswer;
  let p: CleanAnswer;
  let prefix = "math";
  if (opts.mode === "minerva") {
    prefix = "minerva";
    const ng = normalizeFinalAnswer(goldText, opts.minervaNormalizer);
    const np = normalizeFinalAnswer(ex.extracted, opts.minervaNormalizer);
    if (ng === np) return verdict("correct", "minerva/exact", ng, np);
    // lm-eval hands the normalized strings to sympy's parse_latex; our parser gets the same strings, prepared
    // by cleanAnswer (which knows `\dfrac` etc.), while the verdict shows Minerva's normalized forms.
    g = { ...cleanAnswer(ng), compact: ng };
    p = { ...cleanAnswer(np), compact: np };
  } else {
    g = cleanAnswer(goldText);
    p = cleanAnswer(ex.extracted);
    if (g.compact === p.compact) return verdict("correct", "math/exact", g.compact, p.compact);
  }
  const gn: Node | null = g.isText ? { k: "text", text: g.text } : tryParse(g.text, true);
  const pn: Node | null = p.isText ? { k: "text", text: p.text } : tryParse(p.text, false);
  if (!gn || !pn) {
    return verdict("wrong", `${prefix}/parse-failed`, g.compact, p.compact, [!gn ? "gold-parse-failed" : "pred-parse-failed"]);
  }
  let res: CompareResult;
  try {
    res = compareAnswers(gn, pn, { opts, symbolic });
  } catch (e) {
    if (e instanceof NeedsSymbolic) return null;
    if (e instanceof RangeError) return verdict("wrong", `${prefix}/too-large`, g.compact, p.compact);
    throw e;
  }
  const rule = prefix === "math" ? res.rule : res.rule.replace(/^math\//, "minerva/");
  return verdict(res.ok ? "correct" : "wrong", rule, g.compact, p.compact);
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
