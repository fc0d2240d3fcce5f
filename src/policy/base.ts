/** The shipped base checkpoint (made by scripts/pretrain.ts) in data/checkpoints/base/. */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { GPT } from "./gpt.js";
import type { CharTokenizer } from "./tokenizer.js";

/** Repo-root-relative folder of the base checkpoint, found from this file (works from src/ and dist/). */
export function baseCheckpointDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, "data", "checkpoints", "base");
    if (existsSync(join(candidate, "config.json"))) return candidate;
    dir = resolve(dir, "..");
  }
  throw new Error("base checkpoint not found (data/checkpoints/base/config.json); run `npx tsx scripts/pretrain.ts`");
}

/** Load the base policy. Call `initBackend()` first. */
export async function loadBaseCheckpoint(dir: string = baseCheckpointDir()): Promise<{ model: GPT; tokenizer: CharTokenizer }> {
  const model = await GPT.load(dir);
  return { model, tokenizer: model.tokenizer };
}
