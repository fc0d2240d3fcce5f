/**
 * The code verifier (`--task code`): extract a program from a completion, run it against HumanEval- or
 * MBPP-style tests in the sandbox, return a Verdict with `tests`, `failure` and `output`.
 * docs/verifiers-code.md has the sandbox escape table.
 */
export { extractCode } from "./extract.js";
export type { CodeExtraction, CodeExtractionRule } from "./extract.js";
export { CodeRecord, HumanEvalRecord, MbppRecord, CODE_LANGUAGES, isHumanEval } from "./records.js";
export type { CodeLanguage } from "./records.js";
export { verifyCode, verifyCodeMany, CodeOptionsSchema, assembleProgram, verdictFromRun, parseJudgeRecords, withIds } from "./verify.js";
export type { CodeOptions } from "./verify.js";
export { probeSandbox, runInSandbox, SandboxLimits, SandboxSlots, slotUids, insideSandboxRoot } from "./sandbox.js";
export type { SandboxProbe, SandboxJob, SandboxResult } from "./sandbox.js";
