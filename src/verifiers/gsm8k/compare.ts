/**
 * Comparison stage of the GSM8K numeric mode: exact values under the precision rule of number/compare.ts.
 *
 * An integer gold (every GSM8K gold) is exact: `18.00` = 18, `18.5` ≠ 18, `1.0000000000000001` ≠ 1, a 400-digit
 * number is compared digit for digit. A decimal gold is compared at its stated precision (gold `2.5` takes `2.54`,
 * not `2.56`). A user-set `relTol` replaces both: |p − g| ≤ relTol·max(|p|, |g|, 1), and the verdict says so.
 *
 * `numbersEqual`/`canonicalNumber` are the float helpers of earlier versions, kept for callers that hold floats
 * (failure taxonomy); verdicts never use them.
 */
import { compareExact, type NumberComparison } from "../number/compare.js";
import type { ExactNumber } from "../number/exact.js";

/** `pred` against `gold` (gold second) under the precision rule, or under `relTol` when one is set. */
export function compareGsm8k(pred: ExactNumber, gold: ExactNumber, relTol?: number): NumberComparison {
  return compareExact(pred, gold, relTol === undefined ? undefined : { tolerance: { rel: relTol, abs: relTol } });
}

/** Relative tolerance of the float helper `numbersEqual`. */
export const DEFAULT_REL_TOL = 1e-6;

/** Floats: `|a − b| ≤ relTol · max(|a|, |b|, 1)`; NaN and infinities never equal anything. */
export function numbersEqual(a: number, b: number, relTol: number = DEFAULT_REL_TOL): boolean {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  if (a === b) return true;
  return Math.abs(a - b) <= relTol * Math.max(Math.abs(a), Math.abs(b), 1);
}

/** Canonical text of a float: `18`, `1234.5`, `0.75`, `-3`. */
export function canonicalNumber(v: number): string {
  if (Number.isSafeInteger(v)) return String(v); // also turns -0 into "0"
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return v.toFixed(0);
  // 12 significant digits hides binary noise such as 0.1 + 0.2.
  return String(Number(v.toPrecision(12)));
}
