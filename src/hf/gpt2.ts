/**
 * The tiny policy ⇄ a Hugging Face GPT-2 folder (transformers 5.x `GPT2LMHeadModel`, read in
 * `models/gpt2/modeling_gpt2.py` and `configuration_gpt2.py` of the peers venv). File-level conversion
 * (no tfjs): `exportHF(checkpointDir, outDir)` and `importHF(hfDir, checkpointDir)`.
 *
 * Architecture, side by side (src/policy/gpt.ts):
 *
 * | | rlvr-lab GPT | GPT2LMHeadModel | exported as |
 * | --- | --- | --- | --- |
 * | embeddings | wte [V, C] + wpe [blockSize, C] | transformer.wte / wpe | same tensors |
 * | block | pre-LN, x + Attn(LN₁x), x + MLP(LN₂x) | same | h.{l}.ln_1, attn, ln_2, mlp |
 * | qkv | x · W_qkv [C, 3C] + b, split q,k,v, heads as [B,T,H,D] | Conv1D c_attn [C, 3C], same split | c_attn.weight = W_qkv (Conv1D stores [in, out]) |
 * | attention | softmax(q kᵀ/√D + causal), no dropout | scale_attn_weights, causal | — |
 * | MLP | GELU tanh approximation, width mlpRatio·C | activation_function "gelu_new", n_inner | c_fc, c_proj |
 * | layer norm | biased variance, ε = 1e-5 | nn.LayerNorm, layer_norm_epsilon 1e-5 | ln_*.weight/bias = g/b |
 * | head | separate W_head [C, V], no bias | lm_head [V, C], tied to wte by default | lm_head.weight = W_headᵀ, tie_word_embeddings false |
 *
 * Nothing differs in the forward pass (the peers test checks logits to 1e-4). LoRA adapters are merged into
 * the exported weights (W + (alpha/rank)·A·B). The tokenizer is written by charTokenizer.ts.
 *
 * The native checkpoint (src/policy/checkpoint.ts: config.json manifest `rlvr-lab-gpt/1`, tokenizer.json,
 * weights.bin float32) is read and written here with plain file IO so that `hf/` needs no tfjs; the format is
 * pinned by its `format` string, and `GPT.load` validates what importHF writes (tested).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { charTokenizerConfig, charTokenizerJson } from "./charTokenizer.js";
import { readSafetensors, writeSafetensors, type Tensor } from "./safetensors.js";

const NATIVE = "rlvr-lab-gpt/1";
const Manifest = z.object({
  format: z.literal(NATIVE),
  config: z.object({ alphabet: z.string(), blockSize: z.number().int(), nLayer: z.number().int(), nHead: z.number().int(), nEmbd: z.number().int(), mlpRatio: z.number().int() }).passthrough(),
  lora: z.object({ rank: z.number(), alpha: z.number(), targets: z.array(z.string()) }).nullable(),
  params: z.array(z.object({ name: z.string(), shape: z.array(z.number().int()), offset: z.number().int() })),
});
type Manifest = z.infer<typeof Manifest>;

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new Error(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    throw new Error(`${path} is not JSON (${(err as Error).message})`);
  }
}

/** Read a native checkpoint into named tensors (LoRA merged). */
export async function readNativeCheckpoint(dir: string): Promise<{ config: Manifest["config"]; tensors: Map<string, Tensor> }> {
  const parsed = Manifest.safeParse(await readJson(join(dir, "config.json")));
  if (!parsed.success) throw new Error(`${join(dir, "config.json")} is not a ${NATIVE} checkpoint manifest: ${parsed.error.issues[0].path.join(".")}: ${parsed.error.issues[0].message}`);
  const m = parsed.data;
  const buf = await readFile(join(dir, "weights.bin"));
  const flat = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const tensors = new Map<string, Tensor>();
  for (const p of m.params) {
    const n = p.shape.reduce((a, b) => a * b, 1);
    if (p.offset + n > flat.length) throw new Error(`${join(dir, "weights.bin")} is too short for ${p.name}`);
    tensors.set(p.name, { shape: p.shape, data: flat.slice(p.offset, p.offset + n) });
  }
  if (m.lora) {
    const scale = m.lora.alpha / m.lora.rank;
    for (const name of [...tensors.keys()].filter((k) => k.endsWith(".loraA"))) {
      const w = name.slice(0, -".loraA".length);
      const W = tensors.get(w)!;
      const A = tensors.get(name)!;
      const B = tensors.get(`${w}.loraB`)!;
      const [I, O] = W.shape;
      const r = A.shape[1];
      for (let i = 0; i < I; i++) for (let o = 0; o < O; o++) {
        let s = 0;
        for (let k = 0; k < r; k++) s += A.data[i * r + k] * B.data[k * O + o];
        W.data[i * O + o] += scale * s;
      }
      tensors.delete(name);
      tensors.delete(`${w}.loraB`);
    }
  }
  return { config: m.config, tensors };
}

function transpose(t: Tensor): Tensor {
  const [R, C] = t.shape;
  const out = new Float32Array(R * C);
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) out[c * R + r] = t.data[r * C + c];
  return { shape: [C, R], data: out };
}

/** native name → HF name (the head is transposed separately). */
function nameMap(nLayer: number): [string, string][] {
  const m: [string, string][] = [["wte", "transformer.wte.weight"], ["wpe", "transformer.wpe.weight"]];
  for (let l = 0; l < nLayer; l++) {
    const h = `transformer.h.${l}`;
    m.push(
      [`h${l}.ln1.g`, `${h}.ln_1.weight`], [`h${l}.ln1.b`, `${h}.ln_1.bias`],
      [`h${l}.attn.wqkv`, `${h}.attn.c_attn.weight`], [`h${l}.attn.bqkv`, `${h}.attn.c_attn.bias`],
      [`h${l}.attn.wproj`, `${h}.attn.c_proj.weight`], [`h${l}.attn.bproj`, `${h}.attn.c_proj.bias`],
      [`h${l}.ln2.g`, `${h}.ln_2.weight`], [`h${l}.ln2.b`, `${h}.ln_2.bias`],
      [`h${l}.mlp.wfc`, `${h}.mlp.c_fc.weight`], [`h${l}.mlp.bfc`, `${h}.mlp.c_fc.bias`],
      [`h${l}.mlp.wproj`, `${h}.mlp.c_proj.weight`], [`h${l}.mlp.bproj`, `${h}.mlp.c_proj.bias`],
    );
  }
  m.push(["lnf.g", "transformer.ln_f.weight"], ["lnf.b", "transformer.ln_f.bias"]);
  return m;
}

/** Write config.json, generation_config.json, model.safetensors, tokenizer.json, tokenizer_config.json into outDir. */
export async function exportHF(checkpointDir: string, outDir: string): Promise<{ files: string[]; params: number }> {
  const { config: c, tensors } = await readNativeCheckpoint(checkpointDir);
  const V = Array.from(c.alphabet).length + 3;
  const out = new Map<string, Tensor>();
  for (const [from, to] of nameMap(c.nLayer)) {
    const t = tensors.get(from);
    if (!t) throw new Error(`${checkpointDir}: the checkpoint lacks ${from}`);
    out.set(to, t);
  }
  out.set("lm_head.weight", transpose(tensors.get("head.w")!));
  const hf = {
    architectures: ["GPT2LMHeadModel"],
    model_type: "gpt2",
    vocab_size: V,
    n_positions: c.blockSize,
    n_embd: c.nEmbd,
    n_layer: c.nLayer,
    n_head: c.nHead,
    n_inner: c.mlpRatio * c.nEmbd,
    activation_function: "gelu_new",
    layer_norm_epsilon: 1e-5,
    resid_pdrop: 0,
    embd_pdrop: 0,
    attn_pdrop: 0,
    scale_attn_weights: true,
    scale_attn_by_inverse_layer_idx: false,
    reorder_and_upcast_attn: false,
    tie_word_embeddings: false,
    bos_token_id: 1,
    eos_token_id: 2,
    pad_token_id: 0,
    torch_dtype: "float32",
    rlvr_lab: { format: NATIVE, alphabet: c.alphabet, source: checkpointDir },
  };
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, "config.json"), JSON.stringify(hf, null, 2) + "\n");
  await writeFile(join(outDir, "generation_config.json"), JSON.stringify({ bos_token_id: 1, eos_token_id: 2, pad_token_id: 0 }, null, 2) + "\n");
  await writeSafetensors(join(outDir, "model.safetensors"), out, { format: "pt" });
  await writeFile(join(outDir, "tokenizer.json"), JSON.stringify(charTokenizerJson(c.alphabet)) + "\n");
  await writeFile(join(outDir, "tokenizer_config.json"), JSON.stringify(charTokenizerConfig(c.blockSize, c.alphabet), null, 2) + "\n");
  let params = 0;
  for (const t of out.values()) params += t.data.length;
  return { files: ["config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"], params };
}

const HFConfig = z.object({
  model_type: z.literal("gpt2", { message: 'model_type must be "gpt2" (only GPT-2 folders can be imported)' }),
  vocab_size: z.number().int(),
  n_positions: z.number().int(),
  n_embd: z.number().int(),
  n_layer: z.number().int(),
  n_head: z.number().int(),
  n_inner: z.number().int().nullable().optional(),
  activation_function: z.literal("gelu_new", { message: 'activation_function must be "gelu_new" (the policy uses the tanh GELU)' }).default("gelu_new"),
  layer_norm_epsilon: z.number().refine((e) => Math.abs(e - 1e-5) < 1e-12, "layer_norm_epsilon must be 1e-5 (the policy's value)").default(1e-5),
  scale_attn_by_inverse_layer_idx: z.literal(false, { message: "scale_attn_by_inverse_layer_idx is not supported" }).default(false),
  tie_word_embeddings: z.boolean().default(true),
}).passthrough();

/** The alphabet of a char-level tokenizer.json: ids 0,1,2 = <pad>,<bos>,<eos>, then one character per id. */
function alphabetOf(tok: unknown, path: string): string {
  const vocab = (tok as { model?: { vocab?: Record<string, number> } }).model?.vocab;
  if (!vocab) throw new Error(`${path}: no model.vocab; only the character tokenizer that rlvr export writes can be imported`);
  const byId: string[] = [];
  for (const [t, id] of Object.entries(vocab)) byId[id] = t;
  if (byId[0] !== "<pad>" || byId[1] !== "<bos>" || byId[2] !== "<eos>") throw new Error(`${path}: ids 0, 1, 2 must be <pad>, <bos>, <eos> (the policy's layout)`);
  if (byId.at(-1) === "<unk>") byId.pop(); // one past the model's vocabulary (charTokenizer.ts); older exports lack it
  const chars = byId.slice(3);
  if (chars.some((c) => c === undefined || Array.from(c).length !== 1)) throw new Error(`${path}: every id from 3 on must be one character (a character-level vocabulary)`);
  return chars.join("");
}

/** Read an HF GPT-2 folder (as exportHF writes it) and write a native checkpoint into checkpointDir. */
export async function importHF(hfDir: string, checkpointDir: string): Promise<{ params: number }> {
  const cfgPath = join(hfDir, "config.json");
  const parsed = HFConfig.safeParse(await readJson(cfgPath));
  if (!parsed.success) throw new Error(`${cfgPath}: ${parsed.error.issues[0].path.join(".")}: ${parsed.error.issues[0].message}`);
  const c = parsed.data;
  const alphabet = alphabetOf(await readJson(join(hfDir, "tokenizer.json")), join(hfDir, "tokenizer.json"));
  if (Array.from(alphabet).length + 3 !== c.vocab_size) throw new Error(`${cfgPath}: vocab_size ${c.vocab_size} differs from tokenizer.json's ${Array.from(alphabet).length + 3} ids`);
  const inner = c.n_inner ?? 4 * c.n_embd;
  if (inner % c.n_embd !== 0) throw new Error(`${cfgPath}: n_inner ${inner} must be a multiple of n_embd ${c.n_embd}`);
  const { tensors } = await readSafetensors(join(hfDir, "model.safetensors"));
  const config = { alphabet, blockSize: c.n_positions, nLayer: c.n_layer, nHead: c.n_head, nEmbd: c.n_embd, mlpRatio: inner / c.n_embd, initStd: 0.02 };
  const params: { name: string; shape: number[]; offset: number }[] = [];
  const parts: Float32Array[] = [];
  let offset = 0;
  const put = (name: string, t: Tensor | undefined, hfName: string) => {
    if (!t) throw new Error(`${join(hfDir, "model.safetensors")}: no tensor ${hfName}`);
    params.push({ name, shape: t.shape, offset });
    parts.push(t.data);
    offset += t.data.length;
  };
  for (const [native, hfName] of nameMap(c.n_layer)) put(native, tensors.get(hfName), hfName);
  const head = c.tie_word_embeddings ? tensors.get("transformer.wte.weight") : tensors.get("lm_head.weight");
  put("head.w", head && transpose(head), c.tie_word_embeddings ? "transformer.wte.weight" : "lm_head.weight");
  const flat = new Float32Array(offset);
  let at = 0;
  for (const p of parts) flat.set(p, at), (at += p.length);
  await mkdir(checkpointDir, { recursive: true });
  await writeFile(join(checkpointDir, "config.json"), JSON.stringify({ format: NATIVE, config, lora: null, params }, null, 1) + "\n");
  await writeFile(join(checkpointDir, "tokenizer.json"), JSON.stringify({ type: "char", alphabet }) + "\n");
  await writeFile(join(checkpointDir, "weights.bin"), Buffer.from(flat.buffer));
  return { params: offset };
}
