/**
 * Public API of the verifiers: extract → normalize → compare, every call a Verdict.
 *
 * Entry points: `extractAnswer` / `verifyAnswer` / `verifyMany` (verify.ts) dispatch to the GSM8K
 * verifier (gsm8k/) or the MATH verifier (math/), running the slow symbolic math stage in a
 * `WorkerPool` (pool.ts) under a hard time limit. `explainVerdict` (explain.ts) prints how a verdict came
 * about; `answerBoundary` (boundary.ts) and `classifyFailure` (taxonomy.ts) analyse completions.
 */
export type { Extraction } from "./extraction.js";
export * from "./gsm8k/index.js";
export * from "./boundary.js";
export * from "./taxonomy.js";
export * from "./math/index.js";
export * from "./redteam/index.js";
export * from "./code/index.js";
export * from "./number/index.js";
export * from "./text/index.js";
export {
  extractAnswer,
  verifyAnswer,
  verifyAnswerMaybeSync,
  verifyMany,
  resolveVerifyOptions,
  VerifyOptionsSchema,
  getVerifyCounters,
  resetVerifyCounters,
  TASKS,
  MATH_MODES,
} from "./verify.js";
export type { VerifyOptions, ResolvedVerifyOptions, VerifyCounters, VerifyInput, Task } from "./verify.js";
export { WorkerPool, PoolOptions, getDefaultPool, closeDefaultPool } from "./pool.js";
export { resolveWorkerEntry } from "./workerEntry.js";
export type { JobResult, PoolStats } from "./pool.js";
export { orderedMap } from "./orderedMap.js";
export { explainVerdict, spanInContext, visible } from "./explain.js";
export type { ExplainInput } from "./explain.js";
export * from "./ifeval/index.js";
