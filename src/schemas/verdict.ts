/**
 * Verdict: what every verifier call returns — never a bare boolean.
 *
 * `rule` and `span` say *why*: which extraction/comparison rule fired and where in the completion the
 * extracted answer sits (UTF-16 offsets, end exclusive). Fail closed: anything unparseable, timed out or
 * errored scores 0 and says so in `status`.
 */
import { z } from "zod";

export const VerdictStatus = z.enum(["correct", "wrong", "unparseable", "timeout", "error"]);
export type VerdictStatus = z.infer<typeof VerdictStatus>;

export const Span = z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]);
export type Span = z.infer<typeof Span>;

/** One instruction of a multi-constraint task (IFEval): was it followed, and why. */
export const InstructionVerdict = z.object({
  id: z.string(),
  followed: z.boolean(),
  evidence: z.string(),
});
export type InstructionVerdict = z.infer<typeof InstructionVerdict>;

export const Verdict = z.object({
  /** Echoed record id when the verdict belongs to a record (CLI, sweeps). */
  id: z.union([z.string(), z.number()]).optional(),
  status: VerdictStatus,
  /** 1 for correct, 0 otherwise (fail closed); partial scores are allowed for custom verifiers. */
  score: z.number().min(0).max(1),
  /** The answer text taken from the completion, exactly as it appears there; null when none was found. */
  extracted: z.string().nullable(),
  /** [start, end) of `extracted` in the completion; null when nothing was extracted. */
  span: Span.nullable(),
  normalizedGold: z.string().nullable(),
  normalizedPred: z.string().nullable(),
  /** Name of the rule that decided the verdict, e.g. `gsm8k/strict-match` or `math/symbolic`. */
  rule: z.string(),
  /** Milliseconds spent verifying (extract, normalize, compare; in a worker for the symbolic stage), not waiting. */
  ms: z.number().nonnegative(),
  /** Milliseconds the verdict waited for a worker (pool queue, start-up, transfer); only for pooled verdicts. */
  queueMs: z.number().nonnegative().optional(),
  /** Machine-readable notes a human should see: quirks that fired, truncation, multiple answers. */
  flags: z.array(z.string()).optional(),
  /** Free-form human explanation (errors, timeouts). */
  message: z.string().optional(),
  /** Code verifier: tests passed of the tests the judge ran (score is passed/total with partial credit). */
  tests: z.object({ passed: z.number().int().nonnegative(), total: z.number().int().nonnegative() }).optional(),
  /** Code verifier: the first failing test (0-based index), its source and the failure message. */
  failure: z.object({ index: z.number().int(), test: z.string(), message: z.string() }).optional(),
  /** Code verifier: the program's stdout/stderr as captured (truncated; display only, never trusted). */
  output: z.string().optional(),
  /** IFEval: one entry per instruction, in `instruction_id_list` order; `score` is the fraction followed. */
  instructions: z.array(InstructionVerdict).optional(),
});
export type Verdict = z.infer<typeof Verdict>;
