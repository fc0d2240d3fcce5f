/**
 * compareAnswers: is the predicted AST equivalent to the gold AST? Returns `{ ok, rule }`, the rule naming the
 * stage that decided (`math/numeric`, `math/symbolic`, `math/set-unordered`, `math/tuple`, `math/interval`,
 * `math/matrix`, `math/equation`, `math/inequality`, `math/percent`, `math/text`, `math/shape-mismatch`, ...).
 *
 * Asymmetric on purpose, gold first (as HF Math-Verify's `verify(gold, pred)`): the gold is a clean reference,
 * the prediction is model text. So a prediction `x = 3` (or a chain `a = b = 3`: the last side counts) answers
 * gold `3`, while a gold `y = 2x + 3` (an equation, not a constant assignment like `x = 5`) needs an equation; a gold `28\%` accepts 28, 0.28 or 28\%, but a gold `0.28` does not accept a bare `28`; the numeric
 * tolerance is relative to the gold's magnitude: |pred − gold| ≤ max(relTol·|gold|, 1e-12).
 *
 * Scalars: exact rationals when both sides are rational and free of decimal literals; floating point when
 * variable-free; otherwise (symbolic stage) both sides are evaluated at `samplePoints` seeded random points with
 * every variable in [0.25, 2.75] — agreement at all points where both are finite (at least 3 such points) counts
 * as equal. This is a probabilistic identity test: polynomials/rational functions that differ almost surely
 * differ at a random point; it cannot see branch choices outside the sampled range. `i` is the imaginary unit:
 * answers containing it are evaluated over the complex numbers (complex.ts). In fast mode
 * (`symbolic: false`) reaching that stage throws NeedsSymbolic instead.
 */
import { freeSymbols, hasDecimal, isScalar, statedDigits, type Node } from "./ast.js";
import { evalComplex } from "./complex.js";
import { evalExact, evalFloat } from "./evaluate.js";
import { proportionalEquations, sampledIdentity } from "./identity.js";
import { DECIMAL_OF_EXACT, FLOAT_NOISE, numbersMatch, type NumberSide } from "./precision.js";
import * as Q from "./rational.js";
import type { ResolvedMathOptions } from "./options.js";

/** Control flow of the fast path (no stack trace captured: it is thrown per verdict). */
export class NeedsSymbolic extends Error {
  constructor() {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super("symbolic stage needed");
    Error.stackTraceLimit = limit;
  }
}

export interface CompareContext {
  opts: ResolvedMathOptions;
  /** false: throw NeedsSymbolic where random-point evaluation would be needed (verifyMathFast). */
  symbolic: boolean;
}

export interface CompareResult {
  ok: boolean;
  rule: string;
  /** The verifier could not decide (overflow, underflow, too few sample points, piecewise): status `error`. */
  undecided?: boolean;
}

/** More distinct variables than this is not an answer (e.g. a sentence read as a product of letters). */
const MAX_VARIABLES = 24;
const R = (ok: boolean, rule: string, undecided?: boolean): CompareResult => (undecided ? { ok, rule, undecided } : { ok, rule });
const INF: Node = { k: "const", name: "inf" };
const NEG_INF: Node = { k: "neg", a: INF };

function side(n: Node, exact: Q.Rational | null): NumberSide {
  return { exact, float: exact ? Q.toNumber(exact) : evalFloat(n), digits: statedDigits(n) };
}

/** Scalar equality: the precision rule (precision.ts) → random-point identity test (identity.ts). */
export function scalarEqual(g: Node, p: Node, ctx: CompareContext): CompareResult {
  const ge = evalExact(g);
  const pe = ge && evalExact(p);
  const vars = freeSymbols(p, freeSymbols(g));
  if (g.k === "sym" && p.k === "sym") return R(g.name === p.name, "math/exact");
  // `i` is the imaginary unit (as in sympy / Math-Verify): evaluate over the complex numbers.
  const complex = vars.delete("i");
  if (complex && vars.size === 0) {
    const tol = ctx.opts.relTol ?? (hasDecimal(g) || hasDecimal(p) ? DECIMAL_OF_EXACT : FLOAT_NOISE);
    const [gv, pv] = [evalComplex(g), evalComplex(p)];
    if (![...gv, ...pv].every(Number.isFinite)) return R(false, "math/overflow", true);
    return R(Math.hypot(pv[0] - gv[0], pv[1] - gv[1]) <= Math.max(tol * Math.hypot(gv[0], gv[1]), 1e-12), "math/numeric");
  }
  if (vars.size === 0) {
    const gs = side(g, ge);
    const ps = side(p, pe ?? (ge ? null : evalExact(p)));
    // Overflow (10^{10^{10}}) is not infinity: undecidable unless `\infty` is written.
    if ((!Number.isFinite(gs.float) || !Number.isFinite(ps.float)) && !containsInf(g) && !containsInf(p)) {
      if (!(gs.exact && ps.exact)) return R(false, "math/overflow", !Number.isNaN(gs.float) && !Number.isNaN(ps.float));
    }
    const m = numbersMatch(gs, ps, ctx.opts.relTol);
    if (m === "undecided") return R(false, "math/near-zero-undecided", true);
    return R(m === "equal", "math/numeric");
  }
  if (vars.size > MAX_VARIABLES) return R(false, "math/too-large", true);
  if (!ctx.symbolic) throw new NeedsSymbolic();
  const id = sampledIdentity(g, p, vars, ctx.opts.samplePoints, ctx.opts.seed, complex, ctx.opts.relTol);
  if (id === "undecided") return R(false, "math/symbolic-undecided", true);
  if (id === "piecewise-undecided") return R(false, "math/piecewise-undecided", true);
  return R(id === "equal", "math/symbolic");
}

/** Percent policy (`percent: "math-verify"`): see the module comment. */
function scalarWithPercent(g: Node, p: Node, ctx: CompareContext): CompareResult {
  const gp = g.k === "pct";
  const pp = p.k === "pct";
  if (ctx.opts.percent === "strict" || (!gp && !pp)) return scalarEqual(g, p, ctx);
  const gv = gp ? g.a : g;
  const pv = pp ? p.a : p;
  const direct = scalarEqual(gv, pv, ctx);
  if (direct.ok || (gp && pp)) return R(direct.ok, gp && pp ? direct.rule : "math/percent");
  // gold 28% vs pred 0.28, or gold 0.28 vs pred 28%.
  return R(scalarEqual(gp ? { k: "pct", a: gv } : g, gp ? pv : p, ctx).ok, "math/percent");
}

function isInfinity(n: Node): boolean {
  return (n.k === "const" && n.name === "inf") || (n.k === "neg" && n.a.k === "const" && n.a.name === "inf");
}

function containsInf(n: Node): boolean {
  switch (n.k) {
    case "const": return n.name === "inf";
    case "neg": case "pct": return containsInf(n.a);
    case "bin": return containsInf(n.a) || containsInf(n.b);
    case "fn": return n.args.some(containsInf);
    default: return false;
  }
}

function isVarLike(n: Node): boolean {
  return n.k === "sym" || (n.k === "fn" && !["sqrt", "root", "abs", "fact", "binom"].includes(n.name));
}

/** `x > 2` → (2, ∞); `a ≤ x < b` → [a, b); null when the relation is not an interval in one variable. */
function relToInterval(r: Extract<Node, { k: "rel" }>): Node | null {
  const ops = r.ops;
  const parts = r.parts;
  if (parts.length === 2 && ops[0] !== "=" && ops[0] !== "!=" && ops[0] !== "in") {
    let [l, rt] = parts;
    let op = ops[0];
    if (rt.k === "sym" && l.k !== "sym") {
      [l, rt] = [rt, l];
      op = op.replace("<", "#").replace(">", "<").replace("#", ">");
    }
    if (l.k !== "sym") return null;
    if (op === ">") return { k: "tuple", open: "(", close: ")", items: [rt, INF] };
    if (op === ">=") return { k: "tuple", open: "[", close: ")", items: [rt, INF] };
    if (op === "<") return { k: "tuple", open: "(", close: ")", items: [NEG_INF, rt] };
    if (op === "<=") return { k: "tuple", open: "(", close: "]", items: [NEG_INF, rt] };
    return null;
  }
  if (parts.length === 3 && parts[1].k === "sym" && ops.every((o) => o === "<" || o === "<=")) {
    return { k: "tuple", open: ops[0] === "<" ? "(" : "[", close: ops[1] === "<" ? ")" : "]", items: [parts[0], parts[2]] };
  }
  return null;
}

function intervals(n: Node): Node[] | null {
  const items = n.k === "union" ? n.items : [n];
  return items.every((x) => x.k === "tuple" && x.items.length === 2) ? items : null;
}

function unordered(gs: Node[], ps: Node[], ctx: CompareContext, rule: string): CompareResult {
  if (gs.length !== ps.length) return R(false, rule);
  if (gs.length > ctx.opts.maxElements) return R(false, "math/too-large", true);
  const used = new Array<boolean>(ps.length).fill(false);
  for (const g of gs) {
    let undecided = false;
    const j = ps.findIndex((p, k) => {
      if (used[k]) return false;
      const r = compareAnswers(g, p, ctx);
      undecided ||= r.undecided === true;
      return r.ok;
    });
    if (j < 0) return R(false, rule, undecided);
    used[j] = true;
  }
  return R(true, rule);
}

function ordered(gs: Node[], ps: Node[], ctx: CompareContext, rule: string): CompareResult {
  if (gs.length !== ps.length) return R(false, rule);
  if (gs.length > ctx.opts.maxElements) return R(false, "math/too-large", true);
  for (let i = 0; i < gs.length; i++) {
    const r = compareAnswers(gs[i], ps[i], ctx);
    if (!r.ok) return R(false, rule, r.undecided);
  }
  return R(true, rule);
}

/** Items of a set/list with `a ± b` expanded into its two values. */
function expandPm(items: Node[]): Node[] {
  return items.flatMap((x): Node[] =>
    x.k === "pm"
      ? [x.a ? { k: "bin", op: "+", a: x.a, b: x.b } : x.b, x.a ? { k: "bin", op: "-", a: x.a, b: x.b } : { k: "neg", a: x.b }]
      : [x],
  );
}

function textOf(n: Node): string | null {
  if (n.k === "text") return n.text;
  if (n.k === "sym") return n.name;
  return null;
}

function compareRelations(g: Extract<Node, { k: "rel" }>, p: Extract<Node, { k: "rel" }>, ctx: CompareContext): CompareResult {
  const gi = relToInterval(g);
  const pi = relToInterval(p);
  if (gi && pi) return R(compareAnswers(gi, pi, ctx).ok, "math/inequality");
  if (g.ops.length !== p.ops.length) return R(false, "math/equation");
  if (g.ops.length === 1 && (g.ops[0] === "=" || g.ops[0] === "in") && p.ops[0] === g.ops[0]) {
    const [gl, gr] = g.parts;
    const [pl, pr] = p.parts;
    if (isVarLike(gl) && isVarLike(pl) && !(gl.k === "sym" && pl.k === "sym" && gl.name !== pl.name)) {
      return R(compareAnswers(gr, pr, ctx).ok, "math/equation");
    }
    if (g.ops[0] === "=" && [gl, gr, pl, pr].every(isScalar)) {
      // Same equation up to a non-zero factor: (gl − gr) / (pl − pr) is constant at random points.
      if (!ctx.symbolic) throw new NeedsSymbolic();
      const dg: Node = { k: "bin", op: "-", a: gl, b: gr };
      const dp: Node = { k: "bin", op: "-", a: pl, b: pr };
      const id = proportionalEquations(dg, dp, freeSymbols(dp, freeSymbols(dg)), ctx.opts.samplePoints, ctx.opts.seed);
      return R(id === "equal", id === "undecided" ? "math/symbolic-undecided" : "math/equation", id === "undecided");
    }
  }
  const mirror = (o: string) => o.replace("<", "#").replace(">", "<").replace("#", ">");
  const same = g.ops.every((o, i) => o === p.ops[i]) && ordered(g.parts, p.parts, ctx, "math/equation").ok;
  const flipped = g.ops.every((o, i) => o === mirror(p.ops[p.ops.length - 1 - i])) &&
    ordered(g.parts, [...p.parts].reverse(), ctx, "math/equation").ok;
  return R(same || flipped, g.ops.every((o) => o === "=") ? "math/equation" : "math/inequality");
}

/**
 * A chain `a = b = c` whose variable-free sides are not all equal (`20 = 18`): a false statement, not an answer.
 * A decimal side is read at its own stated precision (`\frac{1}{3} = 0.333` is true), so is a side after `\approx`.
 */
function falseEquation(parts: Node[], ctx: CompareContext): boolean {
  const consts = parts.filter((x) => isScalar(x) && freeSymbols(x).size === 0 && !containsInf(x));
  for (let k = 1; k < consts.length; k++) {
    const [a, b] = [consts[k - 1], consts[k]];
    const precise = statedDigits(b) > 0 ? [b, a] : [a, b]; // the decimal side states the precision: it goes first
    const r = scalarEqual(precise[0], precise[1], ctx);
    if (!r.ok && !r.undecided) return true;
  }
  return false;
}

/** Equivalence of gold and predicted answers (gold first; see the module comment). */
export function compareAnswers(g: Node, p: Node, ctx: CompareContext): CompareResult {
  if (g.k === "text" || p.k === "text") {
    const a = textOf(g);
    const b = textOf(p);
    const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");
    return R(a !== null && b !== null && norm(a) === norm(b) && norm(a) !== "", "math/text");
  }
  if (p.k === "rel" && g.k !== "rel") {
    if (p.ops.every((o) => o === "=")) {
      if (falseEquation(p.parts, ctx)) return R(false, "math/false-equation");
      const last = compareAnswers(g, p.parts[p.parts.length - 1], ctx);
      // `\frac{1}{3} \approx 0.333`: a decimal last side approximates the exact side before it.
      for (let k = p.parts.length - 2; !last.ok && k >= 0 && statedDigits(p.parts[k + 1]) > 0; k--) {
        if (freeSymbols(p.parts[k]).size > 0) break;
        const r = compareAnswers(g, p.parts[k], ctx);
        if (r.ok) return r;
      }
      return last;
    }
    if (p.ops.length === 1 && p.ops[0] === "in") return compareAnswers(g, p.parts[1], ctx);
    const iv = relToInterval(p);
    if (iv && intervals(g)) return R(compareAnswers(g, iv, ctx).ok, "math/inequality");
    return R(false, "math/shape-mismatch");
  }
  if (g.k === "rel" && p.k !== "rel") {
    // Gold `x = 5` / `x \in [a, b]` answers with its right side; a gold equation such as `y = 2x + 3` is an
    // equation (of a line), so a bare `2x + 3` does not answer it.
    if (g.ops.length === 1 && (g.ops[0] === "=" || g.ops[0] === "in") && isVarLike(g.parts[0]) &&
      (g.ops[0] === "in" || freeSymbols(g.parts[1]).size === 0)) {
      return compareAnswers(g.parts[1], p, ctx);
    }
    const iv = relToInterval(g);
    if (iv && intervals(p)) return R(compareAnswers(iv, p, ctx).ok, "math/inequality");
    return R(false, "math/shape-mismatch");
  }
  if (g.k === "rel" && p.k === "rel") return compareRelations(g, p, ctx);

  const gItems = g.k === "set" || g.k === "list" ? expandPm(g.items) : g.k === "pm" ? expandPm([g]) : null;
  const pItems = p.k === "set" || p.k === "list" ? expandPm(p.items) : p.k === "pm" ? expandPm([p]) : null;
  if (gItems && pItems) return unordered(gItems, pItems, ctx, "math/set-unordered");
  if (g.k === "list" && p.k === "tuple") return ordered(g.items, p.items, ctx, "math/tuple");
  if (g.k === "tuple" && p.k === "list") return ordered(g.items, p.items, ctx, "math/tuple");
  if (gItems && gItems.length === 1 && !pItems) return compareAnswers(gItems[0], p, ctx);
  if (pItems && pItems.length === 1 && !gItems) return compareAnswers(g, pItems[0], ctx);
  if (gItems || pItems) return R(false, "math/shape-mismatch");

  const gi = g.k === "union" || g.k === "tuple" ? intervals(g) : null;
  const pi = p.k === "union" || p.k === "tuple" ? intervals(p) : null;
  if ((g.k === "union" || p.k === "union") && gi && pi) {
    if (gi.length !== pi.length) return R(false, "math/interval");
    return unordered(gi, pi, ctx, "math/interval");
  }
  if (g.k === "tuple" && p.k === "tuple") {
    const rule = g.items.length === 2 && (g.open !== "(" || g.close !== ")" || g.items.some(isInfinity))
      ? "math/interval" : "math/tuple";
    if (g.open !== p.open || g.close !== p.close) return R(false, rule);
    return ordered(g.items, p.items, ctx, rule);
  }
  if (g.k === "matrix" && p.k === "matrix") {
    if (g.rows.length !== p.rows.length || g.rows.some((r, i) => r.length !== p.rows[i].length)) return R(false, "math/matrix");
    return ordered(g.rows.flat(), p.rows.flat(), ctx, "math/matrix");
  }
  if (isScalar(g) && isScalar(p)) return scalarWithPercent(g, p, ctx);
  return R(false, "math/shape-mismatch");
}
