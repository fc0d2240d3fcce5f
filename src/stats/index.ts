/** Public API of src/stats: pure estimators, intervals and summaries over per-problem counts. */
export { createRng, randInt, hashSeed, type Rng } from "./rng.js";
export { passAtK, passHatK, meanAtK, passAtKMany, validateNCK } from "./passAtK.js";
export { majAtK, majAtFirstK, type MajSample } from "./majAtK.js";
export { wilson, Z95 } from "./wilson.js";
export {
  bootstrapMeanCI,
  bootstrapMeansCI,
  pairedBootstrap,
  quantileSorted,
  bootstrapOptions,
  BOOTSTRAP_DEFAULTS,
  type BootstrapOptions,
  type Estimate,
  type PairedResult,
} from "./bootstrap.js";
export {
  ProblemCounts,
  aggregateByProblem,
  stratify,
  compareStrata,
  MISSING_STRATUM,
  type ProblemCountsView,
  type Sample,
} from "./problemCounts.js";
export {
  summarizePassAtK,
  summarizeCounts,
  normalizeKs,
  type PassAtKSummary,
  type PassAtKTable,
  type SummaryOptions,
} from "./summary.js";
export { regressionGate, gateDecision, type GateOptions, type GateResult, type GateMetric } from "./regressionGate.js";
export { parseVerdictLine, ANSWER_FIELDS, type VerdictLine, type VerdictLineError, type ParsedVerdictLine } from "./verdictLine.js";
export { extent, arrayMax } from "./extent.js";
export { ifevalAccuracy, type IfevalAccuracy } from "./ifevalAccuracy.js";
