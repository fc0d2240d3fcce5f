/**
 * MathOptions: the one place where the math verifier's options and their defaults live.
 *
 * Parse with `resolveMathOptions(partial)`; it throws a message naming the bad field and how to fix it.
 * The resolved object is frozen, as in HF Math-Verify's frozen config objects.
 */
import { z } from "zod";

export const MathMode = z.enum(["default", "contract", "minerva"]);
export type MathMode = z.infer<typeof MathMode>;

export const MathOptionsSchema = z
  .object({
    /**
     * `default`: rightmost boxed, else final-answer phrase, else last math expression; full equivalence chain.
     * `contract`: fail closed — exactly one `\boxed{}` or the verdict is unparseable (`contract/...` rules).
     * `minerva`: Minerva/lm-eval `minerva_math` style — last boxed, `normalize_final_answer`, then equality.
     */
    mode: MathMode.default("default"),
    /**
     * User-set relative tolerance: |pred − gold| ≤ relTol · |gold| for every numeric comparison, overriding the
     * precision rule (integer golds exact, decimal golds at their significant figures); reported in the verdict
     * as flag `tolerance=<relTol>`. Omitted: the precision rule (docs/verifiers-math.md, "Numbers").
     */
    relTol: z.number().nonnegative().max(0.5).optional(),
    /** `minerva` mode: which `normalize_final_answer` — lm-eval 0.4.13's, or the older appendix-D port. */
    minervaNormalizer: z.enum(["lm-eval-0.4.13", "appendix-d"]).default("lm-eval-0.4.13"),
    /** Percent policy (see docs/verifiers-math.md): gold `28\%` accepts pred 28, 0.28 or 28\%. */
    percent: z.enum(["math-verify", "strict"]).default("math-verify"),
    /** Number of random points at which expressions with free variables are compared. */
    samplePoints: z.number().int().min(1).max(50).default(6),
    /** Seed of the random evaluation points (deterministic verdicts). */
    seed: z.number().int().default(1234),
    /** Answers longer than this (after extraction) are not parsed symbolically: verdict `math/too-large`. */
    maxAnswerChars: z.number().int().positive().max(100_000).default(2000),
    /** Elements compared pairwise at most in sets/tuples/matrices. */
    maxElements: z.number().int().positive().max(10_000).default(200),
  })
  .strict();

export type MathOptions = z.input<typeof MathOptionsSchema>;
export type ResolvedMathOptions = Readonly<z.output<typeof MathOptionsSchema>>;

const RESOLVED = new WeakSet<object>();
const DEFAULTS: ResolvedMathOptions = Object.freeze(MathOptionsSchema.parse({}));
RESOLVED.add(DEFAULTS);

/** Validates options once and fills defaults; the default object is shared (cheap on the hot path). */
export function resolveMathOptions(options?: MathOptions | ResolvedMathOptions): ResolvedMathOptions {
  if (options === undefined) return DEFAULTS;
  if (RESOLVED.has(options)) return options as ResolvedMathOptions;
  const r = MathOptionsSchema.safeParse(options);
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${i.path.join(".") || "(options)"}: ${i.message}`).join("; ");
    throw new Error(`invalid MathOptions — ${msg}. Fix the field(s) named or omit them to use the defaults.`);
  }
  const resolved = Object.freeze(r.data);
  RESOLVED.add(resolved);
  return resolved;
}
