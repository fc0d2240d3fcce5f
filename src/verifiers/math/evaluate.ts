/**
 * Evaluation of scalar AST nodes, exactly (bigint rationals) or in floating point at a variable assignment.
 *
 * `evalExact` succeeds only on rational-valued expressions built from literals, + − × ÷, integer powers,
 * perfect-square roots, factorials (n ≤ 300) and binomials (n ≤ 2000); otherwise null. Sizes are bounded by
 * rational.ts (MAX_BITS), so `10^{10^{10}}` is refused rather than computed.
 * `evalFloat` handles every scalar node; anything non-scalar or undefined gives NaN. Odd roots of negative
 * numbers are real (`\sqrt[3]{-8} = -2`). Answers containing `i` go through complex.ts instead.
 */
import type { Node } from "./ast.js";
import * as Q from "./rational.js";
import type { Rational } from "./rational.js";

const ONE: Rational = { n: 1n, d: 1n };

/** Exact rational value of an expression (symbols from `env`, exact rationals), or null. */
export function evalExact(n: Node, env?: ReadonlyMap<string, Rational>): Rational | null {
  switch (n.k) {
    case "num":
      return Q.parseDecimal(n.text);
    case "sym":
      return env?.get(n.name) ?? null;
    case "neg": {
      const a = evalExact(n.a, env);
      return a && { n: -a.n, d: a.d };
    }
    case "pct": {
      const a = evalExact(n.a, env);
      return a && Q.div(a, { n: 100n, d: 1n });
    }
    case "bin": {
      const a = evalExact(n.a, env);
      if (!a) return null;
      const b = evalExact(n.b, env);
      if (!b) return null;
      switch (n.op) {
        case "+": return Q.add(a, b);
        case "-": return Q.sub(a, b);
        case "*": return Q.mul(a, b);
        case "/": return Q.div(a, b);
        case "^":
          if (Q.isInteger(b)) return Q.powInt(a, b.n);
          if (b.d === 2n) {
            const r = Q.sqrtExact(a);
            return r && Q.powInt(r, b.n);
          }
          return null;
      }
      return null;
    }
    case "fn": {
      const args = n.args.map((a) => evalExact(a, env));
      if (args.some((a) => a === null)) return null;
      const [a, b] = args as Rational[];
      switch (n.name) {
        case "sqrt": return Q.sqrtExact(a);
        case "abs": return { n: a.n < 0n ? -a.n : a.n, d: a.d };
        case "fact": return Q.isInteger(a) && a.n >= 0n && a.n <= 300n ? Q.rat(factorial(a.n)) : null;
        case "binom": return binom(a, b);
        case "floor": return Q.rat(floorDiv(a.n, a.d));
        case "ceil": return Q.rat(-floorDiv(-a.n, a.d));
      }
      return null;
    }
    default:
      return null;
  }
}

function factorial(k: bigint): bigint {
  let r = 1n;
  for (let i = 2n; i <= k; i++) r *= i;
  return r;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

function binom(a: Rational, b: Rational): Rational | null {
  if (!Q.isInteger(a) || !Q.isInteger(b) || a.n > 2000n || b.n < 0n) return null;
  if (b.n > a.n) return a.n >= 0n ? { n: 0n, d: 1n } : null;
  let r = ONE as Rational | null;
  for (let i = 0n; i < b.n && r; i++) r = Q.mul(r, { n: a.n - i, d: i + 1n });
  return r;
}

/** Floating-point value of a scalar node with free symbols taken from `env` (missing symbol → NaN). */
export function evalFloat(n: Node, env?: ReadonlyMap<string, number>): number {
  switch (n.k) {
    case "num":
      return Number(n.text);
    case "sym":
      return env?.get(n.name) ?? NaN;
    case "const":
      return n.name === "pi" ? Math.PI : n.name === "e" ? Math.E : Infinity;
    case "neg":
      return -evalFloat(n.a, env);
    case "pct":
      return evalFloat(n.a, env) / 100;
    case "bin": {
      const a = evalFloat(n.a, env);
      const b = evalFloat(n.b, env);
      switch (n.op) {
        case "+": return a + b;
        case "-": return a - b;
        case "*": return a * b;
        case "/": return a / b;
        case "^": return realPow(a, b, n.b);
      }
      return NaN;
    }
    case "fn":
      return evalFn(n.name, n.args.map((x) => evalFloat(x, env)));
    default:
      return NaN;
  }
}

/** a^b over the reals; a negative base with exponent p/q (q odd) keeps its sign pattern. */
function realPow(a: number, b: number, exponent: Node): number {
  if (a >= 0 || Number.isInteger(b)) return Math.pow(a, b);
  const q = exponent.k === "bin" && exponent.op === "/" ? evalExact(exponent.b) : null;
  const p = exponent.k === "bin" && exponent.op === "/" ? evalExact(exponent.a) : null;
  if (p && q && Q.isInteger(p) && Q.isInteger(q) && q.n % 2n !== 0n) {
    const mag = Math.pow(-a, b);
    return p.n % 2n === 0n ? mag : -mag;
  }
  return NaN;
}

function evalFn(name: string, x: number[]): number {
  const [a, b] = x;
  switch (name) {
    case "sqrt": return Math.sqrt(a);
    case "root": {
      if (a >= 0) return Math.pow(a, 1 / b);
      return Number.isInteger(b) && b % 2 === 1 ? -Math.pow(-a, 1 / b) : NaN;
    }
    case "abs": return Math.abs(a);
    case "fact": return Number.isInteger(a) && a >= 0 && a <= 170 ? factFloat(a) : a > 170 ? Infinity : NaN;
    case "binom": {
      if (!Number.isInteger(a) || !Number.isInteger(b) || b < 0) return NaN;
      let r = 1;
      for (let i = 0; i < b && i < 1000; i++) r = (r * (a - i)) / (i + 1);
      return r;
    }
    case "floor": return Math.floor(a);
    case "ceil": return Math.ceil(a);
    case "sin": return Math.sin(a);
    case "cos": return Math.cos(a);
    case "tan": return Math.tan(a);
    case "sec": return 1 / Math.cos(a);
    case "csc": return 1 / Math.sin(a);
    case "cot": return 1 / Math.tan(a);
    case "arcsin": return Math.asin(a);
    case "arccos": return Math.acos(a);
    case "arctan": return Math.atan(a);
    case "sinh": return Math.sinh(a);
    case "cosh": return Math.cosh(a);
    case "tanh": return Math.tanh(a);
    case "ln": return Math.log(a);
    case "log": return x.length > 1 ? Math.log(a) / Math.log(b) : Math.log10(a);
    case "exp": return Math.exp(a);
    default: return NaN;
  }
}

function factFloat(k: number): number {
  let r = 1;
  for (let i = 2; i <= k; i++) r *= i;
  return r;
}
