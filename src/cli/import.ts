/**
 * `rlvr import HF_DIR CHECKPOINT` — read a Hugging Face GPT-2 folder with the policy's character tokenizer
 * (what `rlvr export --format hf` writes, possibly fine-tuned elsewhere) back into a policy checkpoint that
 * `rlvr serve --checkpoint` and the trainer load (src/hf/gpt2.ts). The result is loaded once to validate it.
 * Exit codes: 0 written; 2 bad arguments or a folder that is not such a model.
 */
import { existsSync, readdirSync } from "node:fs";
import { z } from "zod";
import { parseFlags, withUsage, UsageError, printedHelp } from "./args.js";

export const summary = "read a Hugging Face GPT-2 folder (as rlvr export writes it) back into a policy checkpoint";

const USAGE = `usage: rlvr import HF_DIR CHECKPOINT [--force]
  HF_DIR      config.json (gpt2), model.safetensors, tokenizer.json (character vocabulary)
  CHECKPOINT  output policy folder (must be empty or absent; --force writes into a non-empty one)`;

export function run(argv: string[]): Promise<number> {
  return withUsage(async () => {
    if (printedHelp(argv, USAGE)) return 0;
    const { flags, positionals } = parseFlags(argv, { force: { type: "boolean" } }, z.object({ force: z.boolean().default(false) }), USAGE, { max: 2, what: "argument" });
    if (positionals.length !== 2) throw new UsageError(`give HF_DIR and CHECKPOINT (got ${positionals.length} arguments)\n\n${USAGE}`);
    const [from, to] = positionals;
    if (existsSync(to) && readdirSync(to).length > 0 && !flags.force) throw new UsageError(`${to} is not empty: choose a new CHECKPOINT or pass --force`);
    const { importHF } = await import("../hf/gpt2.js");
    let r;
    try {
      r = await importHF(from, to);
    } catch (err) {
      throw new UsageError(`rlvr import: ${(err as Error).message}`);
    }
    const [{ initBackend }, { GPT }] = await Promise.all([import("../policy/backend.js"), import("../policy/gpt.js")]);
    await initBackend();
    try {
      (await GPT.load(to)).dispose();
    } catch (err) {
      throw new UsageError(`rlvr import: ${from} converted but does not load as a policy: ${(err as Error).message}`);
    }
    console.log(`wrote ${to} (${r.params} parameters)`);
    return 0;
  });
}
