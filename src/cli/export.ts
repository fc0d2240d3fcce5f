/**
 * `rlvr export --format hf CHECKPOINT DIR` — write a policy checkpoint as a Hugging Face GPT-2 folder
 * (config.json, generation_config.json, model.safetensors, tokenizer.json, tokenizer_config.json with the
 * chat template) that transformers, TRL, vLLM and lm-eval load (src/hf/gpt2.ts).
 * Exit codes: 0 written; 2 bad flags, an unreadable checkpoint or a non-empty DIR.
 */
import { existsSync, readdirSync } from "node:fs";
import { parseFlags, withUsage, UsageError, printedHelp } from "./args.js";
import { z } from "zod";

export const summary = "write a policy checkpoint as a Hugging Face GPT-2 folder (safetensors, tokenizer, chat template)";

const USAGE = `usage: rlvr export --format hf CHECKPOINT DIR [--force]
  CHECKPOINT  a policy folder (config.json, tokenizer.json, weights.bin), e.g. data/checkpoints/base or runs/ID/checkpoint
  DIR         output folder (must be empty or absent; --force writes into a non-empty one)
  --format    hf (the only format)`;

const Flags = z.object({ format: z.literal("hf", { message: 'the only format is "hf"' }), force: z.boolean().default(false) });

export function run(argv: string[]): Promise<number> {
  return withUsage(async () => {
    if (printedHelp(argv, USAGE)) return 0;
    const { flags, positionals } = parseFlags(argv, { format: { type: "string" }, force: { type: "boolean" } }, Flags, USAGE, { max: 2, what: "argument" });
    if (positionals.length !== 2) throw new UsageError(`give CHECKPOINT and DIR (got ${positionals.length} arguments)\n\n${USAGE}`);
    const [from, to] = positionals;
    if (existsSync(to) && readdirSync(to).length > 0 && !flags.force) throw new UsageError(`${to} is not empty: choose a new DIR or pass --force`);
    const { exportHF } = await import("../hf/gpt2.js");
    let r;
    try {
      r = await exportHF(from, to);
    } catch (err) {
      throw new UsageError(`rlvr export: ${(err as Error).message}`);
    }
    console.log(`wrote ${r.files.join(", ")} to ${to} (${r.params} parameters, GPT2LMHeadModel)`);
    return 0;
  });
}
