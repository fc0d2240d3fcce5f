/**
 * Exact rational arithmetic over bigint, for deciding `\frac{2}{4} = 0.5 = \frac{1}{2}` without floating error.
 *
 * A `Rational` is n/d with d > 0 and gcd(|n|, d) = 1. Every operation is bounded: results whose numerator or
 * denominator would exceed `MAX_BITS` bits return null, and callers fall back to floating point. This is what
 * keeps `10^{10^{10}}` from allocating a ten-billion-digit integer.
 */
import { absBig as abs, gcd } from "../number/exact.js";

export interface Rational {
  n: bigint;
  d: bigint;
}

/** Largest numerator/denominator size (bits) an exact result may have before we give up on exactness. */
export const MAX_BITS = 4096;

function bitLength(a: bigint): number {
  return abs(a).toString(16).length * 4;
}

/** n/d in lowest terms; null when d = 0 or the result is too large. */
export function rat(n: bigint, d: bigint = 1n): Rational | null {
  if (d === 0n) return null;
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d);
  if (g > 1n) {
    n /= g;
    d /= g;
  }
  if (bitLength(n) > MAX_BITS || bitLength(d) > MAX_BITS) return null;
  return { n, d };
}

/** Parses a decimal literal such as `12`, `-0.25`, `.5`, `3.` exactly; null when it is not one. */
export function parseDecimal(text: string): Rational | null {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return null;
  const frac = m[3] ?? "";
  if (m[2].length + frac.length > 400) return null;
  const n = BigInt((m[2] || "0") + frac) * (m[1] === "-" ? -1n : 1n);
  return rat(n, 10n ** BigInt(frac.length));
}

export const add = (a: Rational, b: Rational) => rat(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Rational, b: Rational) => rat(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Rational, b: Rational) => rat(a.n * b.n, a.d * b.d);
export const div = (a: Rational, b: Rational) => (b.n === 0n ? null : rat(a.n * b.d, a.d * b.n));
export const eq = (a: Rational, b: Rational) => a.n === b.n && a.d === b.d;
export const isInteger = (a: Rational) => a.d === 1n;
export const toNumber = (a: Rational) => Number(a.n) / Number(a.d);

/** a^k for an integer k, refusing (null) when the result would exceed MAX_BITS. */
export function powInt(a: Rational, k: bigint): Rational | null {
  if (k === 0n) return a.n === 0n ? null : { n: 1n, d: 1n };
  if (a.n === 0n) return k > 0n ? a : null;
  const neg = k < 0n;
  const e = neg ? -k : k;
  const size = Math.max(bitLength(a.n), bitLength(a.d));
  if (abs(a.n) !== 1n || a.d !== 1n) {
    if (e > BigInt(MAX_BITS) || size * Number(e) > MAX_BITS * 2) return null;
  } else if (e > 1_000_000n) {
    // ±1 to a huge power: only the parity matters.
    return rat(a.n < 0n && e % 2n === 1n ? -1n : 1n);
  }
  const r = rat(a.n ** e, a.d ** e);
  return r && neg ? div({ n: 1n, d: 1n }, r) : r;
}

/** Exact integer square root of a non-negative rational when both parts are perfect squares. */
export function sqrtExact(a: Rational): Rational | null {
  if (a.n < 0n || bitLength(a.n) > 2000 || bitLength(a.d) > 2000) return null;
  const rn = isqrt(a.n);
  const rd = isqrt(a.d);
  return rn * rn === a.n && rd * rd === a.d ? { n: rn, d: rd } : null;
}

function isqrt(x: bigint): bigint {
  if (x < 2n) return x;
  let r = BigInt(Math.floor(Math.sqrt(Number(x))));
  while (r * r > x) r -= 1n;
  while ((r + 1n) * (r + 1n) <= x) r += 1n;
  return r;
}
