/**
 * The 25 IFEval instructions (lm-eval 0.4.13 `tasks/ifeval/instructions_registry.py` INSTRUCTION_DICT, the
 * same 25 the published 541 prompts use) and `resolveInstructions`, which validates a record's
 * `instruction_id_list` and `kwargs` before anything is checked.
 */
import type { InstructionSpec } from "./spec.js";
import { TEXT_CHECKS } from "./checks-text.js";
import { FORMAT_CHECKS } from "./checks-format.js";

export const INSTRUCTIONS: ReadonlyMap<string, InstructionSpec> = new Map(
  [...TEXT_CHECKS, ...FORMAT_CHECKS].map((s) => [s.id, s as unknown as InstructionSpec]),
);
export const INSTRUCTION_IDS: readonly string[] = [...INSTRUCTIONS.keys()].sort();

export interface ResolvedInstruction {
  id: string;
  spec: InstructionSpec;
  kwargs: Record<string, unknown>;
}

/** A record the verifier cannot check: names the field (`instruction_id_list[2]`, `kwargs[1].num_words`). */
export class IfevalInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "IfevalInputError";
  }
}

/** lm-eval's `{k: v for k, v in kwargs.items() if v}`: Python-falsy values are dropped. */
function dropFalsy(kwargs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(kwargs)) {
    const falsy = v === null || v === undefined || v === false || v === 0 || v === "" || (Array.isArray(v) && v.length === 0) || (typeof v === "object" && !Array.isArray(v) && Object.keys(v as object).length === 0);
    if (!falsy) out[k] = v;
  }
  return out;
}

/** Validate ids and kwargs; throws IfevalInputError naming the first bad field. */
export function resolveInstructions(ids: readonly string[], kwargs: ReadonlyArray<Record<string, unknown> | null | undefined>): ResolvedInstruction[] {
  if (ids.length === 0) throw new IfevalInputError("instruction_id_list", "is empty; list at least one instruction");
  if (kwargs.length !== ids.length) {
    throw new IfevalInputError("kwargs", `has ${kwargs.length} entries for ${ids.length} instructions; give one object (or {}) per instruction, in order`);
  }
  return ids.map((id, i) => {
    const spec = INSTRUCTIONS.get(id);
    if (!spec) {
      const near = INSTRUCTION_IDS.map((k) => [k, editDistance(k, id)] as const)
        .filter(([k, d]) => d <= 4 || k.split(":")[1] === id.split(":").at(-1))
        .sort((a, b) => a[1] - b[1])
        .map(([k]) => k);
      throw new IfevalInputError(
        `instruction_id_list[${i}]`,
        `unknown IFEval instruction ${JSON.stringify(id)}; ${near.length ? `did you mean ${near.slice(0, 4).join(", ")}? ` : ""}the ${INSTRUCTION_IDS.length} known ids are listed in docs/verifiers-ifeval.md`,
      );
    }
    const given = dropFalsy(kwargs[i] ?? {});
    const r = spec.kwargs.safeParse(given);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      const key = issue.path.length ? `.${issue.path.join(".")}` : "";
      const absent = issue.path.length === 1 && !(String(issue.path[0]) in given);
      const message =
        issue.code === "unrecognized_keys"
          ? `${id} takes no kwarg ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`
          : absent
            ? `is missing (null, 0, "" and [] count as missing: lm-eval drops them and the checker then draws a random value) (${id})`
            : `${issue.message} (${id})`;
      throw new IfevalInputError(`kwargs[${i}]${key}`, message);
    }
    return { id, spec, kwargs: r.data as Record<string, unknown> };
  });
}

/** Levenshtein distance, for "did you mean" suggestions. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
