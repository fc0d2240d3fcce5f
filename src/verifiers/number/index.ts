/** Exact numbers shared by the verifiers: parse a number text to a bigint rational (exact.ts), compare two under the precision rule (compare.ts). */
export { parseExactNumber, isNumberLimit, formatExact, toFloat, NUMBER_LIMITS } from "./exact.js";
export type { ExactNumber, NumberLimit } from "./exact.js";
export { compareExact, withinTolerance, withinHalfUnit } from "./compare.js";
export type { NumberComparison, Tolerance } from "./compare.js";
