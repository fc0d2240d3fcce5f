/**
 * Comparison stage of the GSM8K numeric mode: two parsed values, equal or not, and their canonical text.
 */

/** Default relative tolerance of the numeric comparison (see module comment). */
export const DEFAULT_REL_TOL = 1e-6;

/** `|a − b| ≤ relTol · max(|a|, |b|, 1)`; NaN never equals anything. */
export function numbersEqual(a: number, b: number, relTol: number = DEFAULT_REL_TOL): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  if (a === b) return true;
  return Math.abs(a - b) <= relTol * Math.max(Math.abs(a), Math.abs(b), 1);
}

/** Canonical text of a value for `normalizedGold`/`normalizedPred`: `18`, `1234.5`, `0.75`, `-3`. */
export function canonicalNumber(v: number): string {
  if (Number.isSafeInteger(v)) return String(v); // also turns -0 into "0"
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return v.toFixed(0);
  // 12 significant digits hides binary noise such as 0.1 + 0.2.
  return String(Number(v.toPrecision(12)));
}

