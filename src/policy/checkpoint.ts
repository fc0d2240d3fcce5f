/**
 * GPT checkpoints: a folder with
 *   config.json    { format: "rlvr-lab-gpt/1", config: GPTConfig, lora: LoRAConfig | null,
 *                    params: [{ name, shape, offset }] }   (offset in float32 elements into weights.bin)
 *   tokenizer.json CharTokenizer.toJSON()
 *   weights.bin    every parameter, float32 little-endian, concatenated in `params` order.
 * No tfjs io handlers involved; files are plain and diffable (config) or tiny (weights).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { LORA_TARGETS } from "./config.js";
import { GPT, toVariable } from "./gpt.js";
import { CharTokenizer } from "./tokenizer.js";

export const CHECKPOINT_FORMAT = "rlvr-lab-gpt/1";

const Manifest = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  config: z.record(z.string(), z.unknown()),
  lora: z
    .object({ rank: z.number().int().positive(), alpha: z.number(), targets: z.array(z.enum(LORA_TARGETS)) })
    .nullable(),
  params: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()), offset: z.number().int().nonnegative() })),
});

export async function saveGPT(model: GPT, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const names = [...model.params.keys()];
  const params: { name: string; shape: number[]; offset: number }[] = [];
  let total = 0;
  for (const n of names) {
    const v = model.params.get(n)!;
    params.push({ name: n, shape: v.shape, offset: total });
    total += v.size;
  }
  const flat = new Float32Array(total);
  for (const p of params) flat.set(model.params.get(p.name)!.dataSync() as Float32Array, p.offset);
  const manifest = { format: CHECKPOINT_FORMAT, config: model.config, lora: model.loraConfig, params };
  await writeFile(join(dir, "config.json"), JSON.stringify(manifest, null, 1) + "\n");
  await writeFile(join(dir, "tokenizer.json"), JSON.stringify(model.tokenizer.toJSON()) + "\n");
  const bytes = Buffer.from(flat.buffer, flat.byteOffset, flat.byteLength);
  if (!isLittleEndian()) throw new Error("saveGPT: big-endian hosts are not supported");
  await writeFile(join(dir, "weights.bin"), bytes);
}

function isLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

export async function loadGPT(dir: string): Promise<GPT> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(dir, "config.json"), "utf8"));
  } catch (e) {
    throw new Error(`GPT.load: cannot read ${join(dir, "config.json")}: ${(e as Error).message}`);
  }
  const parsed = Manifest.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`GPT.load: ${join(dir, "config.json")} is not a ${CHECKPOINT_FORMAT} manifest: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  const m = parsed.data;
  const tok = CharTokenizer.fromJSON(JSON.parse(await readFile(join(dir, "tokenizer.json"), "utf8")));
  if (tok.alphabet !== (m.config as { alphabet?: string }).alphabet) {
    throw new Error(`GPT.load: tokenizer.json alphabet differs from config.json in ${dir}`);
  }
  const buf = await readFile(join(dir, "weights.bin"));
  const flat = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const model = new GPT(m.config, 0);
  for (const v of model.params.values()) v.dispose();
  model.params.clear();
  for (const p of m.params) {
    const size = p.shape.reduce((a, b) => a * b, 1);
    if (p.offset + size > flat.length) throw new Error(`GPT.load: weights.bin too short for ${p.name}`);
    model.params.set(p.name, toVariable(tf.tensor(flat.subarray(p.offset, p.offset + size), p.shape)));
  }
  model.setLoRAConfig(m.lora);
  // Every parameter the architecture needs must be present.
  const fresh = new GPT(m.config, 0);
  try {
    for (const [n, v] of fresh.params) {
      const got = model.params.get(n);
      if (!got) throw new Error(`GPT.load: ${dir} lacks parameter ${n}`);
      if (got.shape.join(",") !== v.shape.join(",")) throw new Error(`GPT.load: ${n} has shape [${got.shape}] but the config needs [${v.shape}]`);
    }
  } finally {
    fresh.dispose();
  }
  return model;
}
