/**
 * Gsm8kOptions: the one place that defines GSM8K verifier options and their defaults.
 *
 * `Gsm8kOptionsSchema` (zod) is for boundaries (CLI flags, JSON configs): `parseGsm8kOptions` safeParses and
 * throws a message saying how to fix a bad value. The hot path (`verifyGsm8k` called 100k times a second)
 * does not run zod: `resolveGsm8kOptions` merges a trusted options object over the frozen defaults and
 * returns the defaults object itself when no option is given.
 */
import { z } from "zod";

export const GSM8K_MODES = ["numeric", "lm-eval-strict", "lm-eval-flexible", "lm-eval-cot-strict"] as const;
export type Gsm8kMode = (typeof GSM8K_MODES)[number];

export const Gsm8kOptionsSchema = z
  .object({
    /**
     * `numeric` (project default: extraction chain `####` → `\boxed{}` → answer phrase → last number,
     * numeric compare so `18.00` = `18`); `lm-eval-strict` (lm-eval `gsm8k` strict-match);
     * `lm-eval-flexible` (lm-eval `gsm8k` flexible-extract); `lm-eval-cot-strict` (lm-eval `gsm8k_cot`
     * strict-match, unescaped-dot quirk included).
     */
    mode: z.enum(GSM8K_MODES).default("numeric"),
    /**
     * Numeric mode only. Unset: the precision rule (integer gold exact, decimal gold at its stated precision; see
     * compare.ts). Set: |a−b| ≤ relTol·max(|a|,|b|,1) instead, reported in the verdict's rule and flags.
     */
    relTol: z.number().min(0).max(0.1).optional(),
    /**
     * lm-eval modes only: cut the completion at the first of the task's `until` stop strings before
     * matching, as lm-eval's generation would have stopped there (`Question:`, `</s>`, `<|im_end|>` for
     * gsm8k; `Q:`, `</s>`, `<|im_end|>` for gsm8k_cot). Off: the text is matched as given and a
     * `lm-eval-note:stop-sequence-in-text` flag says when this matters.
     */
    truncateAtStop: z.boolean().default(false),
  })
  .strict();

export type Gsm8kOptions = z.input<typeof Gsm8kOptionsSchema>;
export type ResolvedGsm8kOptions = z.output<typeof Gsm8kOptionsSchema>;

/** Defaults, derived from the schema so they are written down exactly once. */
export const GSM8K_DEFAULTS: Readonly<ResolvedGsm8kOptions> = Object.freeze(Gsm8kOptionsSchema.parse({}));

/** Validates untrusted options (CLI, files); throws an Error whose message says which field and how to fix. */
export function parseGsm8kOptions(input: unknown): ResolvedGsm8kOptions {
  const r = Gsm8kOptionsSchema.safeParse(input ?? {});
  if (!r.success) {
    const msg = r.error.issues
      .map((i) => `${i.path.join(".") || "(options)"}: ${i.message}`)
      .join("; ");
    throw new Error(`invalid GSM8K options: ${msg}. Valid modes: ${GSM8K_MODES.join(", ")}; relTol in [0, 0.1].`);
  }
  return r.data;
}

/** Hot-path merge over the defaults, no zod; unknown modes throw (fail loudly, not silently numeric). */
export function resolveGsm8kOptions(options?: Gsm8kOptions): Readonly<ResolvedGsm8kOptions> {
  if (options === undefined) return GSM8K_DEFAULTS;
  const mode = options.mode ?? GSM8K_DEFAULTS.mode;
  if (!(GSM8K_MODES as readonly string[]).includes(mode)) {
    throw new Error(`unknown GSM8K mode ${JSON.stringify(mode)}; use one of ${GSM8K_MODES.join(", ")}`);
  }
  return {
    mode,
    relTol: options.relTol ?? GSM8K_DEFAULTS.relTol,
    truncateAtStop: options.truncateAtStop ?? GSM8K_DEFAULTS.truncateAtStop,
  };
}
