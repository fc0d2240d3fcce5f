/**
 * IFEval: the 25 verifiable instructions of Zhou et al. 2023 as a reward (docs/verifiers-ifeval.md).
 * `verifyIfeval(record, {mode})` → Verdict with per-instruction results; `checkInstructions` for the
 * results alone; the text primitives (Punkt sentences, NLTK word tokens, langdetect) for reuse.
 */
export { verifyIfeval, checkInstructions, looseVariants, IFEVAL_MODES } from "./evaluate.js";
export type { IfevalInput, IfevalOptions, IfevalMode } from "./evaluate.js";
export { INSTRUCTIONS, INSTRUCTION_IDS, resolveInstructions, IfevalInputError } from "./registry.js";
export type { ResolvedInstruction } from "./registry.js";
export type { InstructionSpec, CheckResult } from "./spec.js";
export { LANGUAGE_CODES } from "./checks-text.js";
export { detectLanguage, detectLanguages } from "./langdetect.js";
export type { LanguageProbability } from "./langdetect.js";
export { punktSentences, punktSpans, UNTRAINED_PUNKT } from "./punkt.js";
export type { PunktParameters } from "./punkt.js";
export { countWords, wordTokenize, treebankTokenize } from "./words.js";
