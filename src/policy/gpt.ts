/**
 * GPT: a small nanoGPT-style decoder-only transformer in tfjs, the policy that GRPO trains.
 *
 *   h⁰ = onehot(x) · W_te + W_pe[pos]                       token + position embeddings          [B, T, C]
 *   hˡ = hˡ⁻¹ + Attn(LN₁(hˡ⁻¹));  hˡ = hˡ + MLP(LN₂(hˡ))     pre-LN blocks, l = 1 … nLayer
 *   Attn(u) = softmax(q kᵀ / √D + causal mask) v, per head  q, k, v = u · W_qkv (split), D = C / H
 *   MLP(u)  = GELU(u · W_fc + b_fc) · W_proj + b_proj        GELU = tanh approximation, width 4C
 *   logits  = LN_f(h^L) · W_head                             separate (untied) head               [B, T, V]
 *
 * Departures from nanoGPT, each for a measured tfjs-wasm reason (DESIGN.md):
 *  1. Embeddings go through `embed()` (embed.ts): a gather whose gradient is this project's scatter-add kernel
 *     where its SIMD kernels run, else `oneHot(i).cast("float32")` + matmul (tfjs-wasm has no gather
 *     gradient); log-prob selection multiplies by a one-hot, never `oneHot(..., "float32")` (1e-45 on wasm).
 *  2. Every matmul goes through `matmul()` whose backward uses explicit transposes (4× faster on wasm).
 *  3. GELU has a closed-form custom gradient (gelu.ts): fewer elementwise kernels in the backward pass.
 *  4. No dropout (RL fine-tuning and tiny pretraining do not need it).
 * One attention code path serves training (no past) and KV-cache decoding (past keys/values), so sampler
 * log-probs and training log-probs come from the same arithmetic.
 *
 * LoRA: `addLoRA(rank, alpha, targets)` adds W ← W + (alpha / rank) · A · B on the targeted matrices
 * (A ~ N(0, 1/in), B = 0, so outputs are unchanged at first); `trainableVariables()` then returns only
 * the adapters; `mergeLoRA()` folds them into W.
 */
import * as tf from "@tensorflow/tfjs";
import { LORA_TARGETS, parseGPTConfig, type GPTConfig, type GPTConfigInput, type LoRAConfig, type LoRATarget, type SampleOptions } from "./config.js";
import { gelu } from "./gelu.js";
import { matmul } from "./matmul.js";
import { embed } from "./embed.js";
import { targetLogprobs } from "./logprobs.js";
import { fusedLayerNorm } from "./layerNorm.js";
import { wasmKernels } from "./wasmKernels.js";
import { canFuseAttention, sharedPrefixAttention } from "./attention.js";
import { createRng, normalArray } from "./rng.js";
import { CharTokenizer } from "./tokenizer.js";
import { sampleGPT, type SampleResult } from "./sample.js";
import { loadGPT, saveGPT } from "./checkpoint.js";


/** Per-layer attention cache: keys and values of every past position, `[B, H, S, D]`. */
export type KVCache = { k: tf.Tensor4D; v: tf.Tensor4D };

/** Wrap a fresh tensor in a variable and release the tensor handle (the variable keeps the data). */
export function toVariable(t: tf.Tensor, trainable = true): tf.Variable {
  const v = tf.variable(t, trainable);
  t.dispose();
  return v;
}

export class GPT {
  readonly config: GPTConfig;
  readonly tokenizer: CharTokenizer;
  /** Parameters by name (`wte`, `wpe`, `h0.attn.wqkv`, …, `head.w`; LoRA: `<w>.loraA`, `<w>.loraB`). */
  readonly params = new Map<string, tf.Variable>();
  private lora: LoRAConfig | null = null;
  private frozen = false;

  constructor(config: GPTConfigInput = {}, seed = 0) {
    this.config = parseGPTConfig(config);
    this.tokenizer = new CharTokenizer(this.config.alphabet, { padChar: this.config.padChar });
    const { nLayer, nEmbd: C, blockSize, mlpRatio, initStd } = this.config;
    const V = this.tokenizer.vocabSize;
    const rng = createRng(seed);
    const normal = (shape: number[], std: number) =>
      toVariable(tf.tensor(normalArray(shape.reduce((a, b) => a * b, 1), std, rng), shape));
    const fill = (shape: number[], v: number) => toVariable(tf.fill(shape, v));
    const residStd = initStd / Math.sqrt(2 * nLayer);
    this.params.set("wte", normal([V, C], initStd));
    this.params.set("wpe", normal([blockSize, C], initStd));
    for (let l = 0; l < nLayer; l++) {
      this.params.set(`h${l}.ln1.g`, fill([C], 1));
      this.params.set(`h${l}.ln1.b`, fill([C], 0));
      this.params.set(`h${l}.attn.wqkv`, normal([C, 3 * C], initStd));
      this.params.set(`h${l}.attn.bqkv`, fill([3 * C], 0));
      this.params.set(`h${l}.attn.wproj`, normal([C, C], residStd));
      this.params.set(`h${l}.attn.bproj`, fill([C], 0));
      this.params.set(`h${l}.ln2.g`, fill([C], 1));
      this.params.set(`h${l}.ln2.b`, fill([C], 0));
      this.params.set(`h${l}.mlp.wfc`, normal([C, mlpRatio * C], initStd));
      this.params.set(`h${l}.mlp.bfc`, fill([mlpRatio * C], 0));
      this.params.set(`h${l}.mlp.wproj`, normal([mlpRatio * C, C], residStd));
      this.params.set(`h${l}.mlp.bproj`, fill([C], 0));
    }
    this.params.set("lnf.g", fill([C], 1));
    this.params.set("lnf.b", fill([C], 0));
    this.params.set("head.w", normal([C, V], initStd));
  }

  /** @internal a parameter by name (prefix.ts builds its forward from these). */
  p(name: string): tf.Variable {
    const v = this.params.get(name);
    if (!v) throw new Error(`GPT: no parameter ${name}`);
    return v;
  }

  /** Number of scalar parameters (adapters included when attached). */
  numParams(): number {
    let n = 0;
    for (const v of this.params.values()) n += v.size;
    return n;
  }

  /** Variables an optimizer should update: all weights, or only the LoRA adapters once `addLoRA` ran; none when frozen. */
  trainableVariables(): tf.Variable[] {
    if (this.frozen) return [];
    const names = [...this.params.keys()];
    return (this.lora ? names.filter((n) => n.endsWith(".loraA") || n.endsWith(".loraB")) : names).map((n) => this.p(n));
  }

  /** @internal x [N, in] · W [in, out] (+ b) (+ LoRA (alpha/r) · x A B) → [N, out]. */
  linear(x: tf.Tensor2D, w: string, b: string | null, target: LoRATarget): tf.Tensor2D {
    let y = matmul(x, this.p(w) as tf.Tensor2D);
    if (this.lora && this.lora.targets.includes(target)) {
      const scale = this.lora.alpha / this.lora.rank;
      const xa = matmul(x, this.p(`${w}.loraA`) as tf.Tensor2D); // [N, r]
      y = y.add(matmul(xa, this.p(`${w}.loraB`) as tf.Tensor2D).mul(scale));
    }
    return b ? y.add(this.p(b)) : y;
  }

  /** @internal */
  layerNorm(x: tf.Tensor2D, prefix: string): tf.Tensor2D {
    if (wasmKernels() === "simd") return fusedLayerNorm(x, this.p(`${prefix}.g`), this.p(`${prefix}.b`)); // same formula, one op (layerNorm.ts)
    const mean = x.mean(-1, true); // [N, 1]
    const xc = x.sub(mean);
    const variance = xc.square().mean(-1, true);
    return xc.mul(variance.add(1e-5).rsqrt()).mul(this.p(`${prefix}.g`)).add(this.p(`${prefix}.b`));
  }

  /**
   * Run the transformer on new tokens `[B, T]` at positions past … past+T−1, attending to `caches`
   * (one per layer, `[B, H, past, D]`, or null for none). Returns final hidden states `[B·T, C]` (after LN_f)
   * and the extended caches (none with `returnCaches: false`, default true: the fused path then skips their
   * split). Building block of `forward`, `tokenLogprobs` and the KV-cache sampler.
   */
  hidden(tokens: tf.Tensor2D, caches: KVCache[] | null = null, options: { returnCaches?: boolean } = {}): { h: tf.Tensor2D; caches: KVCache[] } {
    const [B, T] = tokens.shape;
    const { nLayer, nHead: H, nEmbd: C, blockSize } = this.config;
    const D = C / H;
    const past = caches ? caches[0].k.shape[2] : 0;
    if (past + T > blockSize) throw new Error(`GPT: sequence length ${past + T} exceeds blockSize ${blockSize}`);
    const tok = embed(this.p("wte") as tf.Tensor2D, tokens.dataSync()); // [B·T, C] (embed.ts: a gather, or one-hot · W_te)
    const pos = tf.slice(this.p("wpe"), [past, 0], [T, C]); // [T, C]
    let x = tok.reshape([B, T, C]).add(pos).reshape([B * T, C]) as tf.Tensor2D; // [B·T, C]
    // Causal mask [T, past+T]: query i (absolute past+i) sees key j iff j ≤ past+i.
    const S = past + T;
    const maskData = new Float32Array(T * S);
    for (let i = 0; i < T; i++) for (let j = past + i + 1; j < S; j++) maskData[i * S + j] = -1e9;
    const mask = tf.tensor2d(maskData, [T, S]);
    const newCaches: KVCache[] = [];
    if (!caches && canFuseAttention(D)) {
      // No cache: the fused attention op (attention.ts) with no prefix; the caches returned are k, v per layer.
      const none = tf.zeros([B, H, 0, D]) as tf.Tensor4D;
      for (let l = 0; l < nLayer; l++) {
        const qkv = this.linear(this.layerNorm(x, `h${l}.ln1`), `h${l}.attn.wqkv`, `h${l}.attn.bqkv`, "attn.qkv"); // [B·T, 3C]
        if (options.returnCaches !== false) {
          const [k, v] = tf.split(qkv, 3, 1).slice(1).map((z) => z.reshape([B, T, H, D]).transpose([0, 2, 1, 3]) as tf.Tensor4D);
          newCaches.push({ k, v });
        }
        x = this.block(l, x, sharedPrefixAttention(qkv, none, none, new Array(B).fill(0), { B, G: 1, S: T, H }));
      }
      return { h: this.layerNorm(x, "lnf"), caches: newCaches };
    }
    for (let l = 0; l < nLayer; l++) {
      const u = this.layerNorm(x, `h${l}.ln1`);
      const qkv = this.linear(u, `h${l}.attn.wqkv`, `h${l}.attn.bqkv`, "attn.qkv"); // [B·T, 3C]
      const [q, k, v] = tf.split(qkv, 3, 1).map(
        (z) => z.reshape([B, T, H, D]).transpose([0, 2, 1, 3]) as tf.Tensor4D, // [B, H, T, D]
      );
      const kAll = caches ? tf.concat([caches[l].k, k], 2) : k; // [B, H, S, D]
      const vAll = caches ? tf.concat([caches[l].v, v], 2) : v;
      if (options.returnCaches !== false) newCaches.push({ k: kAll, v: vAll });
      const q3 = q.reshape([B * H, T, D]) as tf.Tensor3D;
      const kT = kAll.reshape([B * H, S, D]).transpose([0, 2, 1]) as tf.Tensor3D; // [B·H, D, S]
      const att = tf.softmax(matmul(q3, kT).mul(1 / Math.sqrt(D)).add(mask)) as tf.Tensor3D; // [B·H, T, S]
      const y = matmul(att, vAll.reshape([B * H, S, D]) as tf.Tensor3D) // [B·H, T, D]
        .reshape([B, H, T, D])
        .transpose([0, 2, 1, 3])
        .reshape([B * T, C]) as tf.Tensor2D;
      x = this.block(l, x, y);
    }
    return { h: this.layerNorm(x, "lnf"), caches: newCaches };
  }

  /**
   * @internal The rest of block l after attention: x + proj(y), then x + MLP(LN₂(x)). Shared by `hidden`, the
   * shared-prefix scorer and the batched sampler (prefix.ts, sample.ts), so all three run the same arithmetic.
   */
  block(l: number, x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
    const n = `h${l}`;
    const x1 = x.add(this.linear(y, `${n}.attn.wproj`, `${n}.attn.bproj`, "attn.proj")) as tf.Tensor2D;
    const m = this.linear(this.layerNorm(x1, `${n}.ln2`), `${n}.mlp.wfc`, `${n}.mlp.bfc`, "mlp.fc");
    return x1.add(this.linear(gelu(m), `${n}.mlp.wproj`, `${n}.mlp.bproj`, "mlp.proj")) as tf.Tensor2D; // gelu: closed-form backward (gelu.ts)
  }

  /** Hidden states `[N, C]` → logits `[N, V]`. */
  head(h: tf.Tensor2D): tf.Tensor2D {
    return this.linear(h, "head.w", null, "head");
  }

  /** tokens `[B, T]` int32 → logits `[B, T, V]`. */
  forward(tokens: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => {
      const [B, T] = tokens.shape;
      const { h } = this.hidden(tokens, null, { returnCaches: false });
      return this.head(h).reshape([B, T, this.tokenizer.vocabSize]) as tf.Tensor3D;
    });
  }

  /**
   * Log-probability of every next token and the entropy of each next-token distribution:
   *   logprobs[b, t] = log softmax(logits[b, t] / τ)[tokens[b, t+1]],
   *   entropy[b, t]  = −Σ_v p_v log p_v  of the same (tempered) distribution,   both `[B, T−1]`.
   * Differentiable (one-hot selection, no gather). Positions after padding are computed too: mask them.
   */
  tokenLogprobs(tokens: tf.Tensor2D, options: { temperature?: number } = {}): { logprobs: tf.Tensor2D; entropy: tf.Tensor2D } {
    const temperature = options.temperature ?? 1;
    if (!(temperature > 0)) throw new Error("tokenLogprobs: temperature must be > 0");
    return tf.tidy(() => {
      const [B, T] = tokens.shape;
      if (T < 2) throw new Error("tokenLogprobs: need at least 2 tokens per row");
      const { h } = this.hidden(tf.slice(tokens, [0, 0], [B, T - 1]), null, { returnCaches: false });
      let logits = this.head(h); // [B·(T−1), V]
      if (temperature !== 1) logits = logits.div(temperature);
      const next = tf.slice(tokens, [0, 1], [B, T - 1]).reshape([B * (T - 1)]).toInt().dataSync(); // [B·(T−1)]
      const { logprobs, entropy } = targetLogprobs(logits, next); // logprobs.ts: one fused op where the SIMD kernels run
      return { logprobs: logprobs.reshape([B, T - 1]) as tf.Tensor2D, entropy: entropy.reshape([B, T - 1]) as tf.Tensor2D };
    });
  }

  /** Generate completions for token-id prompts (each should start with `tokenizer.bosId`). See sample.ts. */
  sample(prompts: number[][], options: SampleOptions): SampleResult[] {
    return sampleGPT(this, prompts, options);
  }

  /** Attach LoRA adapters; afterwards `trainableVariables()` returns only them. */
  addLoRA(rank: number, alpha: number = rank, targets: LoRATarget[] = ["attn.qkv", "attn.proj"], seed = 0): void {
    if (this.lora) throw new Error("addLoRA: adapters already attached (mergeLoRA first)");
    if (!Number.isInteger(rank) || rank < 1) throw new Error("addLoRA: rank must be a positive integer");
    for (const t of targets) if (!LORA_TARGETS.includes(t)) throw new Error(`addLoRA: unknown target ${t}; use ${LORA_TARGETS.join(", ")}`);
    const rng = createRng(seed);
    for (const w of this.loraWeightNames(targets)) {
      const [inDim, outDim] = this.p(w).shape;
      this.params.set(`${w}.loraA`, toVariable(tf.tensor2d(normalArray(inDim * rank, 1 / Math.sqrt(inDim), rng), [inDim, rank])));
      this.params.set(`${w}.loraB`, toVariable(tf.zeros([rank, outDim])));
    }
    this.lora = { rank, alpha, targets: [...targets] };
  }

  /** Fold adapters into the base weights (W ← W + (alpha/rank) A B) and remove them. */
  mergeLoRA(): void {
    const lora = this.lora;
    if (!lora) return;
    for (const w of this.loraWeightNames(lora.targets)) {
      const a = this.p(`${w}.loraA`);
      const b = this.p(`${w}.loraB`);
      tf.tidy(() => this.p(w).assign(this.p(w).add(tf.matMul(a, b).mul(lora.alpha / lora.rank))));
      a.dispose();
      b.dispose();
      this.params.delete(`${w}.loraA`);
      this.params.delete(`${w}.loraB`);
    }
    this.lora = null;
  }

  get loraConfig(): LoRAConfig | null {
    return this.lora ? { ...this.lora, targets: [...this.lora.targets] } : null;
  }

  private loraWeightNames(targets: LoRATarget[]): string[] {
    const names: string[] = [];
    for (let l = 0; l < this.config.nLayer; l++) {
      if (targets.includes("attn.qkv")) names.push(`h${l}.attn.wqkv`);
      if (targets.includes("attn.proj")) names.push(`h${l}.attn.wproj`);
      if (targets.includes("mlp.fc")) names.push(`h${l}.mlp.wfc`);
      if (targets.includes("mlp.proj")) names.push(`h${l}.mlp.wproj`);
    }
    if (targets.includes("head")) names.push("head.w");
    return names;
  }

  /** A frozen deep copy (e.g. the KL reference policy): same weights, `trainableVariables()` is empty. */
  copy(): GPT {
    const c = new GPT(this.config, 0);
    for (const v of c.params.values()) v.dispose();
    c.params.clear();
    for (const [name, v] of this.params) c.params.set(name, toVariable(v.clone(), false));
    c.lora = this.loraConfig;
    c.frozen = true;
    return c;
  }

  /** @internal restore state after loading a checkpoint. */
  setLoRAConfig(lora: LoRAConfig | null): void {
    this.lora = lora;
  }

  /** Write `config.json`, `tokenizer.json` and `weights.bin` (float32, little-endian) into `dir`. */
  save(dir: string): Promise<void> {
    return saveGPT(this, dir);
  }

  static load(dir: string): Promise<GPT> {
    return loadGPT(dir);
  }

  /** Free every variable. The model is unusable afterwards. */
  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
  }
}
