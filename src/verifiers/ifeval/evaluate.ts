/**
 * IFEval verdicts: strict and loose evaluation of one response against its instructions
 * (lm-eval 0.4.13 `tasks/ifeval/utils.py` `test_instruction_following_strict` / `_loose`, the same as
 * google-research `evaluation_lib.py`).
 *
 *   strict: instruction i is followed iff `response.strip()` is non-empty and check_i(response).
 *   loose:  the same over eight variants — the response; with its first line, its last line, or both
 *           removed (each `.strip()`ped); and each of those four with every "*" deleted. Followed iff any
 *           non-blank variant passes (the variant is named in the evidence).
 *
 * One Verdict per response: `instructions` in `instruction_id_list` order, `score` = fraction followed
 * (instruction-level; average constraint satisfaction), `status` "correct" only if all are followed
 * (prompt-level; all-or-nothing) else "wrong". A record the verifier cannot check (unknown id, bad kwargs)
 * is status "error" with the field in `message` — never blamed on the model.
 */
import type { Verdict, InstructionVerdict } from "../../schemas/verdict.js";
import { resolveInstructions, IfevalInputError, type ResolvedInstruction } from "./registry.js";
import { pyStrip } from "./pyText.js";

export const IFEVAL_MODES = ["strict", "loose"] as const;
export type IfevalMode = (typeof IFEVAL_MODES)[number];

export interface IfevalInput {
  prompt?: string;
  completion: string;
  instruction_id_list: readonly string[];
  kwargs: ReadonlyArray<Record<string, unknown> | null | undefined>;
}

export interface IfevalOptions {
  mode?: IfevalMode;
}

interface Variant {
  name: string;
  text: string;
}

/** The loose variants in lm-eval's order (the first is the response itself). */
export function looseVariants(response: string): Variant[] {
  const r = response.split("\n");
  const first = pyStrip(r.slice(1).join("\n"));
  const last = pyStrip(r.slice(0, -1).join("\n"));
  const both = pyStrip(r.slice(1, -1).join("\n"));
  const star = (s: string) => s.replaceAll("*", "");
  return [
    { name: "as is", text: response },
    { name: "* removed", text: star(response) },
    { name: "first line removed", text: first },
    { name: "last line removed", text: last },
    { name: "first and last lines removed", text: both },
    { name: "first line and * removed", text: star(first) },
    { name: "last line and * removed", text: star(last) },
    { name: "first and last lines and * removed", text: star(both) },
  ];
}

function checkOne(inst: ResolvedInstruction, variants: Variant[]): InstructionVerdict {
  let firstEvidence: string | null = null;
  for (const v of variants) {
    if (!pyStrip(v.text)) {
      firstEvidence ??= "empty response";
      continue;
    }
    const r = inst.spec.check(v.text, inst.kwargs);
    if (r.followed) return { id: inst.id, followed: true, evidence: variants.length > 1 && v.name !== "as is" ? `(loose: ${v.name}) ${r.evidence}` : r.evidence };
    firstEvidence ??= r.evidence;
  }
  return { id: inst.id, followed: false, evidence: firstEvidence ?? "empty response" };
}

/** Per-instruction results of one response; throws IfevalInputError on an unknown id or bad kwargs. */
export function checkInstructions(input: IfevalInput, options: IfevalOptions = {}): InstructionVerdict[] {
  const resolved = resolveInstructions(input.instruction_id_list, input.kwargs);
  const variants = (options.mode ?? "strict") === "loose" ? looseVariants(input.completion) : [{ name: "as is", text: input.completion }];
  return resolved.map((inst) => checkOne(inst, variants));
}

/** The Verdict of one response (never throws for bad input: that is an "error" verdict). */
export function verifyIfeval(input: IfevalInput, options: IfevalOptions = {}): Verdict {
  const t0 = performance.now();
  const mode = options.mode ?? "strict";
  const base = { extracted: null, span: null, normalizedGold: null, normalizedPred: null };
  let instructions: InstructionVerdict[];
  try {
    instructions = checkInstructions(input, { mode });
  } catch (err) {
    const field = err instanceof IfevalInputError ? err.field : "";
    return {
      status: "error",
      score: 0,
      ...base,
      rule: err instanceof IfevalInputError ? "ifeval/bad-input" : "ifeval/error",
      ms: performance.now() - t0,
      message: err instanceof IfevalInputError ? `${err.message} (the verifier cannot check this record; scored 0, not blamed on the model)` : `IFEval checker threw: ${String(err)}`,
      ...(field ? { flags: [`field:${field}`] } : {}),
    };
  }
  const followed = instructions.filter((i) => i.followed).length;
  const failed = instructions.filter((i) => !i.followed).map((i) => i.id);
  return {
    status: failed.length === 0 ? "correct" : "wrong",
    score: followed / instructions.length,
    ...base,
    rule: `ifeval/${mode}`,
    ms: performance.now() - t0,
    ...(failed.length ? { message: `not followed: ${failed.join(", ")}` } : {}),
    instructions,
  };
}
