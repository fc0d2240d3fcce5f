/**
 * What an IFEval instruction checker is: an id, a zod schema for its kwargs, and a `check` that says
 * whether one response follows it and why (`evidence`, for a person debugging the reward).
 *
 * Kwargs reach the checker the way lm-eval 0.4.13 `tasks/ifeval/utils.py` passes them: falsy values are
 * dropped first (`{k: v for k, v in kwargs.items() if v}`: null, 0, "" and [] all vanish), then the checker's
 * `build_description(**kwargs)` runs. Where Python would then pick a *random* value (a missing threshold,
 * relation, keyword, letter, marker) or raise (an unknown relation, an unexpected kwarg), the verifier
 * refuses the record instead: a reward that depends on a random draw is a verifier error, not the model's.
 */
import { z } from "zod";
import { escapeRegExp } from "./pyText.js";

export interface CheckResult {
  followed: boolean;
  evidence: string;
}

export interface InstructionSpec<K = Record<string, unknown>> {
  id: string;
  kwargs: z.ZodType<K>;
  check(value: string, kwargs: K): CheckResult;
}

/** Help `defineInstruction` infer K from the schema. */
export function defineInstruction<S extends z.ZodType>(spec: {
  id: string;
  kwargs: S;
  check(value: string, kwargs: z.output<S>): CheckResult;
}): InstructionSpec<z.output<S>> {
  return spec as InstructionSpec<z.output<S>>;
}

export const RELATIONS = ["less than", "at least"] as const;
export const Relation = z.enum(RELATIONS, { message: 'must be "less than" or "at least"' });
export type Relation = z.infer<typeof Relation>;

/** A threshold Python compares with `<` / `>=`; 0 was already dropped (Python would draw a random one). */
export const Threshold = z.number({ message: "must be a number" }).finite().nonnegative("must not be negative (Python would draw a random threshold)");

export function compare(actual: number, relation: Relation, threshold: number): boolean {
  return relation === "less than" ? actual < threshold : actual >= threshold;
}

export function relationText(actual: number, relation: Relation, threshold: number, what: string): string {
  return `${actual} ${what} (needs ${relation} ${threshold})`;
}

const REGEX_META = /[\\^$.|?*+()[\]{}]/;

/**
 * A kwarg that Python uses as a regular expression (keywords, forbidden words, markers): plain text is
 * matched literally; text with regex syntax is compiled (Python's and JavaScript's syntax agree on the
 * common subset) and refused when JavaScript cannot compile it.
 */
export function pyPattern(pattern: string): string {
  if (!REGEX_META.test(pattern)) return escapeRegExp(pattern);
  new RegExp(pattern, "iu"); // throws a SyntaxError that the kwargs schema reports
  return pattern;
}

export const PatternText = z
  .string({ message: "must be a string" })
  .superRefine((s, ctx) => {
    try {
      pyPattern(s);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: `is used as a regular expression and does not compile: ${(err as Error).message}` });
    }
  });

/** A short, single-line quote of model text for evidence. */
export function quote(s: string, max = 60): string {
  const one = s.replace(/\s+/g, " ");
  return JSON.stringify(one.length > max ? one.slice(0, max - 1) + "…" : one);
}
