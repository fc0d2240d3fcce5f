/**
 * IfevalRecord: the input of `rlvr verify --task ifeval` — the fields of the published IFEval input data
 * (google-research `instruction_following_eval/data/input_data.jsonl`: key, prompt, instruction_id_list,
 * kwargs) plus the model's `completion`. `id` may be given as the published `key`. Each kwargs entry may
 * be null or hold nulls (the Hugging Face copy of the data fills absent kwargs with null). With several
 * samples per prompt, give each its own `id` and the prompt's `problem_id` (and `sample_index`).
 */
import { z } from "zod";

const Id = z.union([z.string(), z.number()]);

export const IfevalRecord = z
  .object({
    id: Id.optional(),
    key: Id.optional(),
    prompt: z.string(),
    completion: z.string(),
    instruction_id_list: z.array(z.string()).nonempty("must list at least one instruction"),
    kwargs: z.array(z.record(z.string(), z.unknown()).nullable()),
    finish_reason: z.string().nullable().optional(),
    /** Several samples per prompt (pass@k): echoed into the verdict for `rlvr passk`. */
    problem_id: Id.optional(),
    sample_index: z.number().int().nonnegative().optional(),
  })
  .passthrough()
  .superRefine((r, ctx) => {
    if (r.id === undefined && r.key === undefined) ctx.addIssue({ code: "custom", path: ["id"], message: "give an id (or the published data's key)" });
    if (r.kwargs.length !== r.instruction_id_list.length) {
      ctx.addIssue({
        code: "custom",
        path: ["kwargs"],
        message: `has ${r.kwargs.length} entries for ${r.instruction_id_list.length} instructions; give one object (or {}) per instruction, in order`,
      });
    }
  })
  .transform(({ key, ...r }) => ({ ...r, id: (r.id ?? key)! }));
export type IfevalRecord = z.output<typeof IfevalRecord>;
export type IfevalRecordInput = z.input<typeof IfevalRecord>;
