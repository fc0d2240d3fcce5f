/**
 * compareExact(pred, gold, options): are two exact numbers (exact.ts) the same answer? All arithmetic is on bigint
 * rationals, so nothing overflows, underflows or rounds.
 *
 * The precision rule, first match decides:
 *   1. `exact`          — the same rational (`18.00` = `18`, `3/4` = `0.75`, `1e2` = `100`).
 *   2. `tolerance`      — only when the caller sets one: |p − g| ≤ max(rel·max(|p|, |g|), abs). It overrides rule 3
 *                         and the integer-exactness of rule 4; the verdict reports it.
 *   3. `gold-precision` — a decimal or scientific gold is compared at the precision it is written to:
 *                         |p − g| ≤ ½·10^lastPlace(g). `4.57e-24` matches gold `4.6e-24` (|Δ| = 3e-26 ≤ 5e-26);
 *                         `2.89e-19` does not match gold `2.88e-19` (|Δ| = 1e-21 > 5e-22); gold `0.75` takes
 *                         `0.754` but not `0.76`; a less precise prediction (`4.6` for gold `4.57`) fails.
 *   4. otherwise `differ` — an integer or fraction gold is exact: `18.5`, `1.0000000000000001` ≠ gold `18`, `1`.
 */
import type { ExactNumber } from "./exact.js";

export interface Tolerance {
  /** Relative tolerance, ≥ 0. */
  rel: number;
  /** Absolute floor, ≥ 0 (default 0). */
  abs?: number;
}

export interface NumberComparison {
  equal: boolean;
  /** Which step of the precision rule decided (module comment). */
  how: "exact" | "tolerance" | "gold-precision" | "differ";
}

const absBig = (a: bigint): bigint => (a < 0n ? -a : a);

/** A finite non-negative float as an exact rational (its shortest decimal text, so 1e-6 is exactly 1/10^6). */
function floatToRational(x: number): { n: bigint; d: bigint } {
  if (!Number.isFinite(x) || x < 0) throw new Error(`tolerance must be a finite number ≥ 0, got ${x}`);
  const m = /^(\d+)(?:\.(\d+))?(?:e([-+]\d+))?$/.exec(String(x));
  if (m === null) throw new Error(`cannot read tolerance ${x}`);
  const frac = m[2] ?? "";
  let n = BigInt(m[1] + frac);
  let d = 10n ** BigInt(frac.length);
  const e = Number(m[3] ?? 0);
  if (e > 0) n *= 10n ** BigInt(e);
  else if (e < 0) d *= 10n ** BigInt(-e);
  return { n, d };
}

/** |p − g| as a rational with denominator p.d·g.d. */
function diff(p: ExactNumber, g: ExactNumber): { n: bigint; d: bigint } {
  return { n: absBig(p.n * g.d - g.n * p.d), d: p.d * g.d };
}

/** a ≤ b for non-negative rationals. */
const le = (a: { n: bigint; d: bigint }, b: { n: bigint; d: bigint }): boolean => a.n * b.d <= b.n * a.d;

/** True when |p − g| ≤ max(rel·max(|p|,|g|), abs), exactly. */
export function withinTolerance(p: ExactNumber, g: ExactNumber, tol: Tolerance): boolean {
  const rel = floatToRational(tol.rel);
  const abs = floatToRational(tol.abs ?? 0);
  const delta = diff(p, g);
  // max(|p|, |g|) with the common denominator p.d·g.d
  const mp = absBig(p.n) * g.d;
  const mg = absBig(g.n) * p.d;
  const mag = { n: mp > mg ? mp : mg, d: p.d * g.d };
  const relBound = { n: rel.n * mag.n, d: rel.d * mag.d };
  return le(delta, relBound) || le(delta, abs);
}

/** True when |p − g| ≤ ½·10^place. */
export function withinHalfUnit(p: ExactNumber, g: ExactNumber, place: number): boolean {
  const delta = diff(p, g);
  const half = place >= 0 ? { n: 5n * 10n ** BigInt(place), d: 10n } : { n: 5n, d: 10n ** BigInt(1 - place) };
  return le(delta, half);
}

/** Whether `pred` is the same answer as `gold` under the precision rule (module comment). Gold second. */
export function compareExact(pred: ExactNumber, gold: ExactNumber, options?: { tolerance?: Tolerance }): NumberComparison {
  if (pred.n === gold.n && pred.d === gold.d) return { equal: true, how: "exact" };
  const tol = options?.tolerance;
  if (tol !== undefined) return withinTolerance(pred, gold, tol) ? { equal: true, how: "tolerance" } : { equal: false, how: "differ" };
  if ((gold.kind === "decimal" || gold.kind === "scientific") && gold.lastPlace !== null && withinHalfUnit(pred, gold, gold.lastPlace)) {
    return { equal: true, how: "gold-precision" };
  }
  return { equal: false, how: "differ" };
}
