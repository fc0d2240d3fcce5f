/**
 * Fused KV-cache decoding: one call of the SIMD module's `decodeStep` (src/policy/wasm/assembly/kernels.ts)
 * computes a whole decoding step — embeddings, every layer, LN_f and the head — for all slots of the batched
 * sampler (sample.ts, `decodeCached`), instead of ~60 tfjs ops per step. Same arithmetic as the tfjs path up to
 * float rounding (tested against it: logits to 1e-5, and equal samples for seeded runs); its keys/values are
 * written in place into self caches preallocated for the whole call, where the tfjs path concatenates a new
 * cache every step.
 *
 * Used when the SIMD kernels are active on the wasm backend (`wasmKernels()`), the model has no LoRA
 * adapters attached and GELU is the default sigmoid form; otherwise the sampler runs its tfjs ops. The prompt
 * prefixes are still computed by tfjs (`prefixKeysValues`, once per call). `setFusedDecode("off")` forces
 * the tfjs path (the benchmark's baseline).
 */
import * as tf from "@tensorflow/tfjs";
import type { GPT, KVCache } from "./gpt.js";
import { geluKernel } from "./gelu.js";
import { activeKernels } from "./wasmKernels.js";

export type FusedDecode = "on" | "off";
let mode: FusedDecode = "on";
/** Global switch (default "on"); "off" decodes with tfjs ops (benchmark baseline). */
export function setFusedDecode(m: FusedDecode): void {
  mode = m;
}

/** Whether the fused decoder can run for `model` now. */
export function canFuseDecode(model: GPT): boolean {
  return mode === "on" && activeKernels() !== null && model.loraConfig === null && geluKernel() === "sigmoid" && (model.config.nEmbd / model.config.nHead) % 4 === 0; // (the config guarantees nEmbd % nHead = 0)
}

const LAYER_WEIGHTS = ["ln1.g", "ln1.b", "attn.wqkv", "attn.bqkv", "attn.wproj", "attn.bproj", "ln2.g", "ln2.b", "mlp.wfc", "mlp.bfc", "mlp.wproj", "mlp.bproj"];

/**
 * State of one fused decode: scratch memory for activations, caches and the descriptor, laid out once.
 * `prefix[l]` are the prompt prefixes' keys/values `[groups, H, Pp, D]` (kept by the caller); `pre[g]` the
 * number of valid prefix keys of group g; slots are `groups × Gm`, slot s in group ⌊s / Gm⌋.
 */
export class FusedDecoder {
  private readonly scratch: tf.Tensor;
  private readonly at: Record<string, number> = {};
  private readonly ns: number;
  private readonly V: number;

  constructor(private readonly model: GPT, private readonly prefix: KVCache[], pre: number[], Gm: number, Tmax: number) {
    const { nLayer: L, nHead: H, nEmbd: E, mlpRatio } = model.config;
    const D = E / H;
    const F = mlpRatio * E;
    const V = model.tokenizer.vocabSize;
    const groups = pre.length;
    const ns = groups * Gm;
    const Pp = prefix[0].k.shape[2];
    this.ns = ns;
    this.V = V;
    // Regions in floats (each rounded up to 4 floats: 16-byte aligned for the SIMD loads).
    const sizes: [string, number][] = [
      ["ids", ns], ["pos", ns], ["pre", groups], ["x", ns * E], ["u", ns * E], ["qkv", ns * 3 * E], ["y", ns * E],
      ["m", ns * F], ["logits", ns * V], ["scores", Pp + Tmax], ["desc", 24 + 16 * L],
      ...Array.from({ length: L }, (_, l): [string, number][] => [[`Ks${l}`, ns * H * Tmax * D], [`Vs${l}`, ns * H * Tmax * D]]).flat(),
    ];
    let total = 0;
    for (const [name, n] of sizes) {
      this.at[name] = total;
      total += Math.ceil(n / 4) * 4;
    }
    this.scratch = tf.zeros([total + 4]); // + 4: the start is aligned up to 16 bytes below
    const ctx = activeKernels()!;
    const base = this.base(ctx.offset(this.scratch));
    const i32 = new Int32Array(ctx.memory.buffer);
    i32.set(pre, (base >> 2) + this.at.pre);
    const d = (base >> 2) + this.at.desc;
    i32.set([E, H, F, V, L, ns, Gm, Pp, Tmax], d);
    i32.set(["ids", "pos", "pre", "x", "u", "qkv", "y", "m", "logits", "scores"].map((n) => base + this.at[n] * 4), d + 14);
  }

  /** 16-byte aligned start of the scratch region. */
  private base(offset: number): number {
    return (offset + 15) & ~15;
  }

  /** Run step t (0-based: the self caches hold t earlier positions) on tokens `ids` at positions `pos`; returns logits [ns·V] (a copy). */
  step(ids: readonly number[], pos: readonly number[], t: number): Float32Array {
    const ctx = activeKernels();
    if (!ctx) throw new Error("FusedDecoder: the SIMD kernels are no longer active (backend changed?)");
    const { nLayer: L } = this.model.config;
    const base = this.base(ctx.offset(this.scratch));
    const i32 = new Int32Array(ctx.memory.buffer);
    const w = base / 4;
    i32.set(ids, w + this.at.ids);
    i32.set(pos, w + this.at.pos);
    // Weight addresses are read every step: an optimizer step between calls gives variables new buffers.
    const d = w + this.at.desc;
    const p = (name: string) => ctx.offset(this.model.p(name));
    i32.set([p("wte"), p("wpe"), p("lnf.g"), p("lnf.b"), p("head.w")], d + 9);
    for (let l = 0; l < L; l++) {
      const o = d + 24 + 16 * l;
      i32.set(LAYER_WEIGHTS.map((n) => p(`h${l}.${n}`)), o);
      i32.set([ctx.offset(this.prefix[l].k), ctx.offset(this.prefix[l].v), base + this.at[`Ks${l}`] * 4, base + this.at[`Vs${l}`] * 4], o + 12);
    }
    ctx.kernels.decodeStep(base + this.at.desc * 4, t);
    return new Float32Array(ctx.memory.buffer, base + this.at.logits * 4, this.ns * this.V).slice();
  }

  dispose(): void {
    this.scratch.dispose();
  }
}
