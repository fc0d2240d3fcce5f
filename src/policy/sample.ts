/**
 * Autoregressive sampling from a GPT with a KV cache.
 *
 * All prompts of a call are decoded together as one batch, whatever their lengths. Each distinct prompt's
 * prefix (all but its last token) is run once (prefill, `prefixKeysValues`: a GRPO group's G rows share it),
 * its keys/values are copied to the rows that use it (right-padded to the longest prefix, padded keys
 * masked), and then every step feeds one token per row — the prompt's last token first — at that row's own
 * position, attending to the cached keys/values. A row that finishes (EOS, stop string, its token budget)
 * decodes padding (ignored) until every row of the batch is done: compacting the caches to the running rows
 * cost more than it saved (docs/grpo.md, "Speed levers"). `kvCache: false` recomputes the whole
 * context every step instead, one batch per prompt length (the benchmark's baseline; same results up to
 * float rounding).
 *
 * Per sequence i the RNG is `createRng(hashSeed(seed, i))`, so a result depends only on (weights, prompt i,
 * options, seed, i) — not on which other prompts share the batch (up to float rounding of the logits).
 * `sampleGroups` decodes several (prompt, n, seed) groups in one batch with the RNGs of n separate calls.
 *
 * Result per prompt:
 *  - `ids`: every sampled token, including a final EOS or the tokens that completed a stop string, so
 *    `[...prompt, ...ids]` is exactly what `tokenLogprobs` should score;
 *  - `text`: decoded `ids` without special tokens, cut before the first stop string (OpenAI semantics);
 *  - `logprobsRaw[j]`: log softmax(logits)[ids[j]] of the untempered, unfiltered distribution;
 *  - `logprobsProcessed[j]`: log of the probability the sampler actually used (after temperature, top-k,
 *    top-p; 0 under greedy decoding);
 *  - `finishReason`: "stop" on EOS or a stop string, "length" on maxTokens or a full context (blockSize).
 *
 * `sampleSteps` is the same loop as a generator that yields after each decoding step (the streaming hook of
 * `rlvr serve`: it writes each token as it is drawn and interleaves concurrent requests between steps);
 * `sampleGPT` runs it to the end. A caller that stops early must still run it to the end (the KV caches are
 * disposed there).
 */
import * as tf from "@tensorflow/tfjs";
import { parseSampleOptions, type SampleOptions } from "./config.js";
import type { GPT, KVCache } from "./gpt.js";
import { prefixKeysValues } from "./prefix.js";
import { canFuseDecode, FusedDecoder } from "./decode.js";
import { createRng, hashSeed } from "./rng.js";
import { drawIndex, logSumExp, processLogits } from "./sampling.js";

export interface SampleResult {
  ids: number[];
  text: string;
  logprobsRaw: number[];
  logprobsProcessed: number[];
  finishReason: "stop" | "length";
}


type Options = ReturnType<typeof parseSampleOptions>;

export type DecodeBatching = "all" | "per-prompt";
let batching: DecodeBatching = "all";
/** Global switch (default "all": every prompt of a call in one decode batch); "per-prompt" is the benchmark's baseline. */
export function setDecodeBatching(b: DecodeBatching): void {
  batching = b;
}
interface RowState {
  ids: number[];
  raw: number[];
  proc: number[];
  text: string;
  done: boolean;
  reason: "stop" | "length";
}

/** One decoding step of one decode batch: the prompts it covers, the token each drew (null: already done), the logits drawn from. */
export interface SampleStep {
  /** Prompt indices of the batch's rows, in batch order. */
  prompts: number[];
  /** tokens[b]: the id prompt `prompts[b]` drew this step, null if it had finished before. */
  tokens: (number | null)[];
  /** Raw logits the tokens were drawn from, [B, V] row-major (before temperature/top-k/top-p). */
  logits: Float32Array;
}

export function sampleGPT(model: GPT, prompts: number[][], options: SampleOptions): SampleResult[] {
  return runToEnd(sampleSteps(model, prompts, options));
}

export function sampleSteps(model: GPT, prompts: number[][], options: SampleOptions): Generator<SampleStep, SampleResult[]> {
  const o = parseSampleOptions(options);
  return sampleRows(model, prompts, prompts.map((_, i) => createRng(hashSeed(o.seed, i))), o);
}

function runToEnd<R>(g: Generator<SampleStep, R>): R {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
}

/**
 * Several groups in one batch: group j gets `n` completions of `prompt`, completion g drawn with
 * `createRng(hashSeed(seed, g))` — exactly the RNGs of `sampleGPT(Array(n).fill(prompt), {…, seed})`.
 * `options.seed` is not used.
 */
export function sampleGroups(model: GPT, groups: { prompt: number[]; n: number; seed: number }[], options: Omit<SampleOptions, "seed">): SampleResult[][] {
  const o = parseSampleOptions({ ...options, seed: 0 });
  const prompts = groups.flatMap((g) => Array.from({ length: g.n }, () => g.prompt));
  const rngs = groups.flatMap((g) => Array.from({ length: g.n }, (_, i) => createRng(hashSeed(g.seed, i))));
  const flat = runToEnd(sampleRows(model, prompts, rngs, o));
  let at = 0;
  return groups.map((g) => flat.slice(at, (at += g.n)));
}

function* sampleRows(model: GPT, prompts: number[][], rngs: (() => number)[], o: Options): Generator<SampleStep, SampleResult[]> {
  const { blockSize } = model.config;
  const V = model.tokenizer.vocabSize;
  prompts.forEach((p, i) => {
    if (p.length === 0) throw new Error(`sample: prompt ${i} is empty (start it with tokenizer.bosId)`);
    if (p.length > blockSize) throw new Error(`sample: prompt ${i} has ${p.length} tokens > blockSize ${blockSize}`);
    for (const id of p) if (!Number.isInteger(id) || id < 0 || id >= V) throw new Error(`sample: prompt ${i} has invalid id ${id}`);
  });
  const out: RowState[] = prompts.map(() => ({ ids: [], raw: [], proc: [], text: "", done: false, reason: "length" }));
  const budgets = prompts.map((p) => Math.min(o.maxTokens, blockSize - p.length));
  const all = prompts.map((_, i) => i);
  if (o.kvCache && batching === "all") yield* decodeCached(model, all, prompts, rngs, budgets, out, o);
  else if (o.kvCache) {
    // Baseline: one decode batch per distinct prompt (what one sampler call per GRPO group did).
    const byPrompt = new Map<string, number[]>();
    prompts.forEach((p, i) => byPrompt.set(p.join(","), [...(byPrompt.get(p.join(",")) ?? []), i]));
    for (const idx of byPrompt.values())
      yield* decodeCached(model, idx, idx.map((i) => prompts[i]), idx.map((i) => rngs[i]), idx.map((i) => budgets[i]), idx.map((i) => out[i]), o);
  }
  else {
    const byLength = new Map<number, number[]>();
    prompts.forEach((p, i) => byLength.set(p.length, [...(byLength.get(p.length) ?? []), i]));
    for (const idx of byLength.values()) yield* decodeRecompute(model, idx, idx.map((i) => prompts[i]), idx.map((i) => rngs[i]), budgets[idx[0]], idx.map((i) => out[i]), o);
  }
  return out.map((s) => ({ ids: s.ids, text: s.text, logprobsRaw: s.raw, logprobsProcessed: s.proc, finishReason: s.reason }));
}

/** Draw row s's next token from logits z and update its state (EOS, stop strings, budget). */
function step(model: GPT, s: RowState, z: Float32Array, u: number, budget: number, o: Options): number {
  const probs = processLogits(z, o);
  const id = drawIndex(probs, u);
  s.ids.push(id);
  s.raw.push(z[id] - logSumExp(z));
  s.proc.push(Math.log(probs[id]));
  if (id === model.tokenizer.eosId) {
    s.done = true;
    s.reason = "stop";
    return id;
  }
  s.text += model.tokenizer.decode([id]);
  for (const stop of o.stop) {
    const at = s.text.indexOf(stop);
    if (at >= 0) {
      s.text = s.text.slice(0, at);
      s.done = true;
      s.reason = "stop";
      return id;
    }
  }
  if (s.ids.length >= budget) s.done = true; // reason stays "length"
  return id;
}

/**
 * KV-cache decoding of every row in one batch (module comment). Rows are laid out as [groups, slots]: one
 * group per distinct prompt, `Gmax` slots each (unused slots and finished rows decode padding, ignored).
 * A group's prefix keys/values are kept once (`[groups·H, ·, Pp]`, never copied per row); each row's own
 * keys/values (last prompt token and sampled tokens) grow by one position per step.
 */
function* decodeCached(model: GPT, ids: number[], prompts: number[][], rngs: (() => number)[], budgets: number[], out: RowState[], o: Options): Generator<SampleStep, void> {
  const { nLayer, nHead: H, nEmbd: E, blockSize } = model.config;
  const D = E / H;
  const padId = model.tokenizer.padId;
  const live = prompts.map((_, i) => i).filter((i) => budgets[i] > 0);
  if (live.length === 0) return;
  // Distinct prompts → groups; slot (b, g) holds row slots[b][g] (or −1).
  const index = new Map<string, number>();
  const members: number[][] = [];
  for (const i of live) {
    const key = prompts[i].join(",");
    if (!index.has(key)) index.set(key, members.push([]) - 1);
    members[index.get(key)!].push(i);
  }
  const Bg = members.length;
  const Gm = Math.max(...members.map((m) => m.length));
  const slotRow = members.flatMap((m) => Array.from({ length: Gm }, (_, g) => (g < m.length ? m[g] : -1))); // [ns]
  const ns = Bg * Gm;
  const pre = members.map((m) => prompts[m[0]].length - 1); // shared prefix length per group
  const Pp = Math.max(1, ...pre); // ≥ 1 so the prefix part always has a (possibly fully masked) key
  const prefixIds = members.map((m, b) => Array.from({ length: Pp }, (_, j) => (j < pre[b] ? prompts[m[0]][j] : padId)));
  const prefixMask = members.flatMap((_, b) => Array.from({ length: Pp }, (_, j) => (j < pre[b] ? 0 : -1e9))); // [Bg·Pp]
  const next = slotRow.map((i) => (i >= 0 ? prompts[i][prompts[i].length - 1] : padId));
  const pos = slotRow.map((_, s) => pre[Math.floor(s / Gm)]);
  if (canFuseDecode(model)) {
    // One SIMD call per step for the whole model (decode.ts); the prefix keys/values stay [groups, H, Pp, D].
    const kv = tf.tidy(() => prefixKeysValues(model, prefixIds));
    const fused = new FusedDecoder(model, kv, pre, Gm, Math.max(...budgets));
    try {
      for (let t = 0; slotRow.some((i) => i >= 0 && !out[i].done); t++) {
        const logits = fused.step(next, pos.map((p) => Math.min(p, blockSize - 1)), t);
        yield drawStep(model, ids, slotRow, logits, next, pos, rngs, budgets, out, o);
      }
    } finally {
      fused.dispose();
      for (const c of kv) tf.dispose([c.k, c.v]);
    }
    return;
  }
  const prefix = tf.tidy(() =>
    prefixKeysValues(model, prefixIds).map((c) => ({
      kT: c.k.reshape([Bg * H, Pp, D]).transpose([0, 2, 1]) as tf.Tensor3D, // [Bg·H, D, Pp]
      v: c.v.reshape([Bg * H, Pp, D]) as tf.Tensor3D,
    })),
  );
  const pMask = tf.tensor4d(prefixMask, [Bg, 1, 1, Pp]);
  let self: KVCache[] = []; // per layer [ns, H, s, D]
  const toGroups = (z: tf.Tensor, last: number) => z.reshape([Bg, Gm, H, last]).transpose([0, 2, 1, 3]).reshape([Bg * H, Gm, last]) as tf.Tensor3D;
  const toSlots = (z: tf.Tensor, last: number) => z.reshape([Bg, H, Gm, last]).transpose([0, 2, 1, 3]); // [Bg, Gm, H, last]
  try {
    for (let t = 0; slotRow.some((i) => i >= 0 && !out[i].done); t++) {
      const res = tf.tidy(() => {
        const ids = tf.tensor1d(next, "int32");
        const at = tf.tensor1d(pos.map((p) => Math.min(p, blockSize - 1)), "int32");
        let x = tf.gather(model.p("wte"), ids).add(tf.gather(model.p("wpe"), at)) as tf.Tensor2D; // [ns, E]
        const caches: KVCache[] = [];
        for (let l = 0; l < nLayer; l++) {
          const qkv = model.linear(model.layerNorm(x, `h${l}.ln1`), `h${l}.attn.wqkv`, `h${l}.attn.bqkv`, "attn.qkv"); // [ns, 3E]
          const [q, k, v] = tf.split(qkv, 3, 1); // [ns, E] each, channels head-major
          const kAll = (self.length ? tf.concat([self[l].k, k.reshape([ns, H, 1, D])], 2) : k.reshape([ns, H, 1, D])) as tf.Tensor4D;
          const vAll = (self.length ? tf.concat([self[l].v, v.reshape([ns, H, 1, D])], 2) : v.reshape([ns, H, 1, D])) as tf.Tensor4D;
          caches.push({ k: kAll, v: vAll });
          const s = t + 1;
          const preScores = toSlots(tf.matMul(toGroups(q, D), prefix[l].kT), Pp).add(pMask).reshape([ns, H, Pp]); // [ns, H, Pp]
          const selfScores = tf.matMul(q.reshape([ns * H, 1, D]), kAll.reshape([ns * H, s, D]), false, true).reshape([ns, H, s]);
          const att = tf.softmax(tf.concat([preScores.mul(1 / Math.sqrt(D)), selfScores.mul(1 / Math.sqrt(D))], 2)); // [ns, H, Pp+s]
          const yPre = toSlots(tf.matMul(toGroups(tf.slice(att, [0, 0, 0], [ns, H, Pp]), Pp), prefix[l].v), D).reshape([ns, E]);
          const ySelf = tf.matMul(tf.slice(att, [0, 0, Pp], [ns, H, s]).reshape([ns * H, 1, s]), vAll.reshape([ns * H, s, D])).reshape([ns, E]);
          x = model.block(l, x, yPre.add(ySelf) as tf.Tensor2D);
        }
        return { logits: model.head(model.layerNorm(x, "lnf")), caches };
      });
      for (const c of self) tf.dispose([c.k, c.v]);
      self = res.caches;
      const logits = res.logits.dataSync() as Float32Array;
      res.logits.dispose();
      yield drawStep(model, ids, slotRow, logits, next, pos, rngs, budgets, out, o);
    }
  } finally {
    // Also when the generator is closed early (`return()`: a streaming client that went away).
    for (const c of self) tf.dispose([c.k, c.v]);
    for (const c of prefix) tf.dispose([c.kT, c.v]);
    pMask.dispose();
  }
}

/**
 * Draw each running slot's next token from `logits` [slots·V] and advance it (`next`, `pos`, row state);
 * finished and unused slots get padding. Returns the step as the sampler yields it.
 */
function drawStep(model: GPT, ids: number[], slotRow: number[], logits: Float32Array, next: number[], pos: number[], rngs: (() => number)[], budgets: number[], out: RowState[], o: Options): SampleStep {
  const V = model.tokenizer.vocabSize;
  const shown: number[] = [];
  const drawn: (number | null)[] = [];
  slotRow.forEach((i, s) => {
    if (i >= 0) shown.push(s);
    if (i < 0 || out[i].done) {
      next[s] = model.tokenizer.padId;
      if (i >= 0) drawn.push(null);
      return;
    }
    next[s] = step(model, out[i], logits.subarray(s * V, (s + 1) * V), rngs[i](), budgets[i], o);
    drawn.push(next[s]);
    pos[s]++;
  });
  const rowsLogits = new Float32Array(shown.length * V);
  shown.forEach((s, b) => rowsLogits.set(logits.subarray(s * V, (s + 1) * V), b * V));
  return { prompts: shown.map((s) => ids[slotRow[s]]), tokens: drawn, logits: rowsLogits };
}

/** No cache: rows of one prompt length, the whole context recomputed every step (the baseline). */
function* decodeRecompute(model: GPT, ids: number[], prompts: number[][], rngs: (() => number)[], budget: number, out: RowState[], o: Options): Generator<SampleStep, void> {
  const B = prompts.length;
  const V = model.tokenizer.vocabSize;
  let context = prompts.map((p) => [...p]);
  for (let t = 0; t < budget; t++) {
    const T = context[0].length;
    const logits = tf.tidy(() => {
      const { h } = model.hidden(tf.tensor2d(context, [B, T], "int32"), null, { returnCaches: false });
      const last = tf.slice(h.reshape([B, T, -1]), [0, T - 1, 0], [B, 1, -1]).reshape([B, -1]) as tf.Tensor2D;
      return model.head(last);
    });
    const z = logits.dataSync() as Float32Array;
    logits.dispose();
    const drawn = out.map((s, b) => (s.done ? null : step(model, s, z.subarray(b * V, (b + 1) * V), rngs[b](), budget, o)));
    context = context.map((c, b) => [...c, drawn[b] ?? model.tokenizer.padId]);
    yield { prompts: ids, tokens: drawn, logits: z };
    if (out.every((s) => s.done)) break;
  }
}
