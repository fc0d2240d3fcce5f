/**
 * Random-point identity tests: are two expressions with free variables the same function?
 *
 * Points are exact rationals drawn (seeded) from five families, so that a difference hiding outside a small
 * positive range shows: small integers in [-6, 6], simple fractions k/d (d ∈ {2, 3, 7}) in [-6, 6], positive
 * fractions n/97 in [0.25, 2.75] (the old range), their negatives, and large values ±(10 … 10^4) (with a
 * fractional part). At each point both sides are evaluated exactly (evaluate.ts `evalExact`: polynomials,
 * rational functions, integer powers, floor/ceil/abs) when they can be, else in floating point (relative 1e-9);
 * points where either side is undefined are skipped. Agreement needs `samplePoints` agreeing points (at least
 * MIN_AGREEING), one disagreement decides "different". Fewer agreeing points → undecided (the verifier's `error`).
 * Piecewise functions (floor, ceil, abs, mod) agree on many points without being equal: when the sampled test
 * agrees, the two sides must contain the same piecewise sub-terms, else undecided (`math/piecewise-undecided`).
 */
import { piecewiseTerms, type Node } from "./ast.js";
import { evalComplex, type C } from "./complex.js";
import { evalExact, evalFloat } from "./evaluate.js";
import * as Q from "./rational.js";
import type { Rational } from "./rational.js";
import { createRng } from "../../stats/rng.js";

export const MIN_AGREEING = 3;
const FLOAT_TOL = 1e-9;

export type Identity = "equal" | "different" | "undecided" | "piecewise-undecided";

/** The k-th sample value for one variable (family k mod 5), drawn with `rng`. */
function samplePoint(k: number, rng: () => number): Rational {
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  switch (k % 5) {
    case 0: return Q.rat(BigInt(int(-6, 6)))!;
    case 1: { const d = [2, 3, 7][int(0, 2)]; return Q.rat(BigInt(int(-6 * d, 6 * d)), BigInt(d))!; }
    case 2: return Q.rat(BigInt(int(25, 267)), 97n)!;
    case 3: return Q.rat(-BigInt(int(25, 267)), 97n)!;
    default: {
      const mag = 10 ** int(1, 4);
      const v = BigInt(int(mag, 10 * mag)) * 8n + BigInt(int(1, 7)); // (…)/8: a fractional part
      return Q.rat(rng() < 0.5 ? v : -v, 8n)!;
    }
  }
}

/** Sample assignments for `names`: attempt t uses family (t + index of the variable) so families mix. */
export function samplePoints(names: string[], count: number, seed: number): Map<string, Rational>[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, t) => new Map(names.map((v, j) => [v, samplePoint(t + j, rng)] as const)));
}

function toFloatEnv(env: Map<string, Rational>): Map<string, number> {
  return new Map([...env].map(([k, v]) => [k, Q.toNumber(v)] as const));
}

function closeC(g: C, p: C, tol: number): boolean {
  if (![...g, ...p].every(Number.isFinite)) return false;
  return Math.hypot(p[0] - g[0], p[1] - g[1]) <= Math.max(tol * Math.hypot(g[0], g[1]), 1e-12);
}

/** Is g ≡ p as functions of `vars`? `complex`: evaluate over ℂ with `i` the imaginary unit. */
export function sampledIdentity(g: Node, p: Node, vars: Set<string>, points: number, seed: number, complex: boolean, relTol?: number): Identity {
  const names = [...vars];
  const tol = Math.max(relTol ?? 0, FLOAT_TOL);
  let agree = 0;
  for (const env of samplePoints(names, points * 5, seed)) {
    if (agree >= points) break;
    if (!complex) {
      const ge = evalExact(g, env);
      const pe = ge && evalExact(p, env);
      if (ge && pe && relTol === undefined) {
        if (!Q.eq(ge, pe)) return "different";
        agree++;
        continue;
      }
    }
    const fenv = toFloatEnv(env);
    const gv: C = complex ? evalComplex(g, fenv) : [evalFloat(g, fenv), 0];
    const pv: C = complex ? evalComplex(p, fenv) : [evalFloat(p, fenv), 0];
    if (![...gv, ...pv].every(Number.isFinite)) continue;
    if (!closeC(gv, pv, tol)) return "different";
    agree++;
  }
  if (agree < Math.min(MIN_AGREEING, points)) return "undecided";
  const gp = piecewiseTerms(g);
  const pp = piecewiseTerms(p);
  if ((gp.length || pp.length) && JSON.stringify(gp) !== JSON.stringify(pp)) return "piecewise-undecided";
  return "equal";
}

/** Are the equations gl = gr and pl = pr the same up to a non-zero constant factor? */
export function proportionalEquations(dg: Node, dp: Node, vars: Set<string>, points: number, seed: number): Identity {
  let ratio = NaN;
  let agree = 0;
  for (const env of samplePoints([...vars], points * 5, seed)) {
    if (agree >= points) break;
    const fenv = toFloatEnv(env);
    const a = evalFloat(dg, fenv);
    const b = evalFloat(dp, fenv);
    if (!Number.isFinite(a) || !Number.isFinite(b) || Math.abs(b) < 1e-12) continue;
    if (Number.isNaN(ratio)) ratio = a / b;
    else if (Math.abs(a / b - ratio) > FLOAT_TOL * Math.abs(ratio)) return "different";
    agree++;
  }
  if (agree < Math.min(MIN_AGREEING, points)) return "undecided";
  return ratio !== 0 ? "equal" : "different";
}
