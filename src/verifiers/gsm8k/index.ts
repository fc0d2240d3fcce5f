/**
 * Public API of the GSM8K verifier: extract (extract.ts, lmeval.ts) → normalize (normalize.ts) → compare
 * (compare.ts), wired in verify.ts; options and defaults in options.ts. See docs/verifiers-gsm8k.md.
 */
export { extractGsm8k, extractNumericChain, parseGsm8kGold, verifyGsm8k, verifyGsm8kSideBySide } from "./verify.js";
export type { Gsm8kSideBySide } from "./verify.js";
export type { Gsm8kOptions, Gsm8kMode, ResolvedGsm8kOptions } from "./options.js";
export { GSM8K_DEFAULTS, GSM8K_MODES, Gsm8kOptionsSchema, parseGsm8kOptions } from "./options.js";
export {
  extractLmEval, lastFlexibleMatch, lmEvalGold, lmEvalNormalize, lmEvalStopIndex, LM_EVAL_FALLBACK, LM_EVAL_RULES,
  LM_EVAL_STOP, matchLmEval,
} from "./lmeval.js";
export type { LmEvalMode } from "./lmeval.js";
export { answerRegionEnd, boxedValue, scanGsm8kMarkers } from "./extract.js";
export { selectGsm8kNumeric } from "./select.js";
export type { NumericSelection, Refusal } from "./select.js";
export { readOneNumber, readPhraseAnswer } from "./answer.js";
export type { OneNumber } from "./answer.js";
export type { MarkerCandidate, MarkerScan } from "./extract.js";
export { canonicalNumber, compareGsm8k, DEFAULT_REL_TOL, numbersEqual } from "./compare.js";
export { exactOfToken, parseNumberText } from "./normalize.js";
