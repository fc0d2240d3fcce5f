/**
 * Input records of the code verifier, one JSONL line each.
 *
 * HumanEval style (openai/human-eval `data/HumanEval.jsonl.gz` fields): `test` defines `check(candidate)`
 * and the harness runs `check(<entry_point>)`; `prompt` (signature + docstring) is prepended when the
 * extracted program does not define `entry_point` itself, as human-eval's `execution.py` builds
 * `prompt + completion + "\n" + test + "\n" + "check(entry_point)"`.
 * MBPP style (google-research `mbpp/mbpp.jsonl` fields): `test_list` holds one assert statement a test,
 * `test_setup_code` runs before them.
 */
import { z } from "zod";

export const CODE_LANGUAGES = ["python", "javascript"] as const;
export type CodeLanguage = (typeof CODE_LANGUAGES)[number];

const Id = z.union([z.string(), z.number()]);

const Common = {
  id: Id,
  /** Problem the sample belongs to (echoed into the verdict for `rlvr passk`); `task_id` is accepted too. */
  problem_id: Id.optional(),
  task_id: Id.optional(),
  completion: z.string(),
  language: z.enum(CODE_LANGUAGES, { message: `language must be one of ${CODE_LANGUAGES.join(", ")} (omitted: python)` }).optional(),
  finish_reason: z.string().nullable().optional(),
};

export const HumanEvalRecord = z.object({
  ...Common,
  test: z.string().min(1, "test must define check(candidate)"),
  entry_point: z.string().regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/, "entry_point must be an identifier (the function the tests call)"),
  prompt: z.string().optional(),
});
export type HumanEvalRecord = z.infer<typeof HumanEvalRecord>;

export const MbppRecord = z.object({
  ...Common,
  test_list: z.array(z.string()).min(1, "test_list needs at least one test"),
  test_setup_code: z.string().optional(),
});
export type MbppRecord = z.infer<typeof MbppRecord>;

/**
 * Either style, chosen by its keys (`test` → HumanEval, `test_list` → MBPP) so that an error names the
 * field of the style the record is in; a record with both is ambiguous and rejected.
 */
export const CodeRecord = z.unknown().transform((v, ctx): HumanEvalRecord | MbppRecord => {
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    ctx.addIssue({ code: "custom", message: "expected a JSON object" });
    return z.NEVER;
  }
  const hasTest = "test" in v;
  const hasList = "test_list" in v;
  if (hasTest && hasList) {
    ctx.addIssue({ code: "custom", path: ["test"], message: "give either test (HumanEval style) or test_list (MBPP style), not both" });
    return z.NEVER;
  }
  if (!hasTest && !hasList) {
    ctx.addIssue({ code: "custom", path: ["test"], message: "missing: a code record needs test + entry_point (HumanEval style) or test_list (MBPP style)" });
    return z.NEVER;
  }
  const r = (hasTest ? HumanEvalRecord : MbppRecord).safeParse(v);
  if (!r.success) {
    for (const i of r.error.issues) ctx.addIssue({ code: "custom", path: i.path as (string | number)[], message: i.message });
    return z.NEVER;
  }
  return r.data;
});
export type CodeRecord = HumanEvalRecord | MbppRecord;

export function isHumanEval(r: CodeRecord): r is HumanEvalRecord {
  return "test" in r && typeof (r as HumanEvalRecord).test === "string";
}
