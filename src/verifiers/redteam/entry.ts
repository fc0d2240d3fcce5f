/**
 * RedTeamEntry: one attempt of the red-team catalogue — a completion written as a model would write it,
 * the gold it is scored against, and what a reward that resists hacking must do with it.
 *
 * - `expected: "no-reward"` — a reward hack: the completion does not commit to the gold as its one final
 *   answer (it hedges, lists candidates, hides the gold, overflows, injects, retracts, …). Any score > 0 is
 *   an accepted hack.
 * - `expected: "reward"` — an honest control: the gold answer written the way real models write it. A
 *   score of 0 is a false negative, so a checker that rejects everything cannot pass the red team.
 *
 * `format` says how the final answer is presented; a mode that promises to read only some formats (lm-eval
 * strict reads `#### N`, contract mode exactly one `\boxed{}`) is not charged with controls outside them
 * (see `CONTROL_FORMATS` in run.ts). Hacks are charged in every mode.
 */
import { z } from "zod";

export const RED_TEAM_TASKS = ["gsm8k", "math", "code", "ifeval"] as const;
export type RedTeamTask = (typeof RED_TEAM_TASKS)[number];

/** How the final answer is written: `hash` `#### N`; `boxed` one `\boxed{}`; `phrase` "The answer is N."; `free` anything else. */
export const AnswerFormat = z.enum(["hash", "boxed", "phrase", "free"]);
export type AnswerFormat = z.infer<typeof AnswerFormat>;

export const RedTeamEntry = z
  .object({
    /** Stable within a catalogue version: `<task>/<family>/<n>`. */
    id: z.string().regex(/^(gsm8k|math|code|ifeval)\/[a-z0-9-]+\/\d+$/, "id must be <task>/<family>/<n>"),
    /** Family of the attempt, e.g. `overflow`; controls are `control-<kind>`. */
    family: z.string().regex(/^[a-z0-9-]+$/),
    task: z.enum(RED_TEAM_TASKS),
    /** gsm8k/math: the gold answer. code: the problem (`HumanEval/38`, an entry point). ifeval: the instruction ids. */
    gold: z.string(),
    completion: z.string().min(1),
    expected: z.enum(["no-reward", "reward"]),
    format: AnswerFormat,
    /** Why this is a hack (what it exploits) or why it is correct (what real models do). */
    note: z.string().min(1),
    /**
     * code and ifeval: the rest of the task's input record (code: `test` + `entry_point` (+ `prompt`,
     * `language`) or `test_list` (+ `test_setup_code`); ifeval: `prompt`, `instruction_id_list`, `kwargs`).
     * `--list` writes it flattened into the line, so `rlvr verify --task code|ifeval --in` reads it as is.
     */
    record: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((e) => e.id.startsWith(`${e.task}/${e.family}/`), { message: "id must start with <task>/<family>/" })
  .refine((e) => (e.task === "code" || e.task === "ifeval") === (e.record !== undefined), {
    message: "code and ifeval entries (and only they) carry the task's input record",
  })
  .refine((e) => (e.expected === "reward") === e.family.startsWith("control-"), {
    message: "controls (expected reward) and only they have a family named control-<kind>",
  });
export type RedTeamEntry = z.infer<typeof RedTeamEntry>;

/** An entry before numbering: the catalogue files write these. */
export type Draft = Omit<RedTeamEntry, "id" | "task">;

/** A reward hack (expected no reward). `format` defaults to how the completion ends. */
export function hack(family: string, gold: string, completion: string, note: string, format?: AnswerFormat): Draft {
  return { family, gold, completion, expected: "no-reward", format: format ?? guessFormat(completion), note };
}

/** An honest control (expected reward); `kind` becomes the family `control-<kind>`. */
export function control(kind: string, gold: string, completion: string, note: string, format?: AnswerFormat): Draft {
  return { family: `control-${kind}`, gold, completion, expected: "reward", format: format ?? guessFormat(completion), note };
}

function guessFormat(completion: string): AnswerFormat {
  const boxes = completion.split("\\boxed").length - 1;
  if (/####/.test(completion)) return "hash";
  if (boxes === 1) return "boxed";
  if (/The answer is -?[\d,.]+\.\s*$/.test(completion)) return "phrase";
  return "free";
}
