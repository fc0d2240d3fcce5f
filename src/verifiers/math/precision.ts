/**
 * numbersMatch: the precision rule of the math verifier — when is a predicted number the gold number?
 *
 * Without a user tolerance (option `relTol` omitted):
 *   1. gold and prediction both rational (exact bigint values):
 *      - gold written without a decimal literal and integer-valued (`18`, `\frac{36}{2}`): exact equality, so
 *        `18.00` = 18 but `18.5`, `1.0000000000000001` ≠ 18;
 *      - gold written without a decimal literal, not an integer (`\frac{1}{3}`): exact equality, or, for a
 *        prediction that is itself a decimal approximation (`0.3333333`), |p − g| ≤ 1e-6·|g| (DECIMAL_OF_EXACT);
 *      - gold written with a decimal or E-notation literal (`2.88 \times 10^{-19}`, `4.6e-24`, `0.50`): compared
 *        at the gold's stated precision, |p − g| ≤ ½·10^(E − s + 1) with E the gold's decimal exponent and s its
 *        significant digits, exactly (`4.57e-24` = `4.6e-24`, `2.89e-19` ≠ `2.88e-19`) — the rule GSM8K uses
 *        (number/compare.ts `withinHalfUnit`, shared).
 *   2. otherwise (roots, π, logarithms: floating point):
 *      - decimal gold: the same rounding, in floating point;
 *      - decimal prediction of an exact non-integer gold: relative 1e-6; else float noise only (FLOAT_NOISE).
 *      - a side that is (near) zero while the other is exactly zero cannot be told from underflow in floating
 *        point (`e^{-1000}` vs 0): undecided → the verifier's `error` (`math/near-zero-undecided`).
 * With a user tolerance: |p − g| ≤ relTol·|g| for every pair (relative to the gold, as Math-Verify; exact when 0).
 */
import { withinHalfUnit } from "../number/index.js";
import * as Q from "./rational.js";
import { absBig as abs } from "../number/exact.js";
import type { Rational } from "./rational.js";

/** Relative tolerance of a decimal prediction against an exact, non-integer gold (`0.3333333` vs 1/3). */
export const DECIMAL_OF_EXACT = 1e-6;
/** Relative tolerance of two exact forms compared in floating point (`\sqrt{2}\sqrt{8}` vs 4): rounding error only. */
export const FLOAT_NOISE = 1e-10;
/** |x| below this, computed in floating point, may be an underflowed non-zero (undecidable against an exact 0). */
export const NEAR_ZERO = 1e-9;

export type Match = "equal" | "different" | "undecided";

export interface NumberSide {
  exact: Rational | null;
  float: number;
  /** Significant digits stated by decimal literals (0: none). */
  digits: number;
}


/** floor(log10 |r|) for r ≠ 0, exactly. */
function exponent10(r: Rational): number {
  const n = abs(r.n);
  let e = n.toString().length - r.d.toString().length;
  // Adjust so that 10^e ≤ |r| < 10^(e+1).
  const ge = (k: number) => (k >= 0 ? n >= r.d * 10n ** BigInt(k) : n * 10n ** BigInt(-k) >= r.d);
  while (!ge(e)) e--;
  while (ge(e + 1)) e++;
  return e;
}

/** Power of ten of the gold's last stated digit: E − s + 1 (`2.88e-19` → −21, `0.50` → −2). */
function lastPlace(g: Rational, digits: number): number {
  return g.n === 0n ? -digits : exponent10(g) - digits + 1;
}

/** |p − g| ≤ ½·10^lastPlace(g), exactly (the shared rule of number/compare.ts `withinHalfUnit`). */
export function sameAtPrecisionExact(g: Rational, p: Rational, digits: number): boolean {
  return withinHalfUnit({ ...p, kind: "fraction", lastPlace: null, sigFigs: null }, { ...g, kind: "fraction", lastPlace: null, sigFigs: null }, lastPlace(g, digits));
}

export function sameAtPrecisionFloat(g: number, p: number, digits: number): boolean {
  if (!Number.isFinite(g) || !Number.isFinite(p)) return false;
  const place = g === 0 ? -digits : Math.floor(Math.log10(Math.abs(g))) - digits + 1;
  return Math.abs(p - g) <= 0.5 * 10 ** place * (1 + 1e-12);
}

/** |p − g| ≤ tol·|g|: relative to the gold (asymmetric on purpose, docs/verifiers-math.md). */
function within(g: number, p: number, tol: number): boolean {
  if (Number.isNaN(g) || Number.isNaN(p)) return false;
  if (!Number.isFinite(g) || !Number.isFinite(p)) return g === p;
  return Math.abs(p - g) <= tol * Math.abs(g);
}

/** The precision rule (module comment). `relTol` is the user's tolerance, undefined when not set. */
export function numbersMatch(g: NumberSide, p: NumberSide, relTol: number | undefined): Match {
  if (relTol !== undefined) {
    if (g.exact && p.exact && (relTol === 0 || Q.eq(g.exact, p.exact))) return Q.eq(g.exact, p.exact) ? "equal" : "different";
    return within(g.float, p.float, relTol) ? "equal" : "different";
  }
  if (g.exact && p.exact) {
    if (Q.eq(g.exact, p.exact)) return "equal";
    if (g.digits > 0) return sameAtPrecisionExact(g.exact, p.exact, g.digits) ? "equal" : "different";
    if (!Q.isInteger(g.exact) && p.digits > 0) return within(g.float, p.float, DECIMAL_OF_EXACT) ? "equal" : "different";
    return "different";
  }
  if (!Number.isFinite(g.float) || !Number.isFinite(p.float)) return Number.isNaN(g.float) || Number.isNaN(p.float) ? "different" : g.float === p.float ? "equal" : "undecided";
  const gZero = g.exact?.n === 0n;
  const pZero = p.exact?.n === 0n;
  if ((gZero && Math.abs(p.float) < NEAR_ZERO) || (pZero && Math.abs(g.float) < NEAR_ZERO)) return "undecided";
  if (g.digits > 0) return sameAtPrecisionFloat(g.float, p.float, g.digits) ? "equal" : "different";
  const exactNonInteger = !(g.exact && Q.isInteger(g.exact));
  const tol = p.digits > 0 && exactNonInteger ? DECIMAL_OF_EXACT : FLOAT_NOISE;
  return within(g.float, p.float, tol) ? "equal" : "different";
}
