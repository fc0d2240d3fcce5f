/**
 * Autoregressive sampling from a GPT with a KV cache.
 *
 * Prompts of equal length are decoded together as one batch `[B, ·]` (a GRPO group shares its prompt, so a
 * group is one batch); each prompt is first run once over its whole length (prefill, caches filled), then
 * one token per step attends to the cached keys/values. `kvCache: false` recomputes the whole context
 * every step instead (the benchmark's baseline; same results up to float rounding).
 *
 * Per sequence i the RNG is `createRng(hashSeed(seed, i))`, so a result depends only on (weights, prompt i,
 * options, seed, i) — not on which other prompts share the batch.
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
import { createRng, hashSeed } from "./rng.js";
import { drawIndex, logSoftmax, processLogits } from "./sampling.js";

export interface SampleResult {
  ids: number[];
  text: string;
  logprobsRaw: number[];
  logprobsProcessed: number[];
  finishReason: "stop" | "length";
}

/** One decoding step of one equal-length group: the prompts it covers, the token each drew (null: already done), the logits drawn from. */
export interface SampleStep {
  /** Prompt indices of the group, in batch order. */
  prompts: number[];
  /** tokens[b]: the id prompt `prompts[b]` drew this step, null if it had finished before. */
  tokens: (number | null)[];
  /** Raw logits the tokens were drawn from, [B, V] row-major (before temperature/top-k/top-p). */
  logits: Float32Array;
}

export function sampleGPT(model: GPT, prompts: number[][], options: SampleOptions): SampleResult[] {
  const steps = sampleSteps(model, prompts, options);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

export function* sampleSteps(model: GPT, prompts: number[][], options: SampleOptions): Generator<SampleStep, SampleResult[]> {
  const o = parseSampleOptions(options);
  const { blockSize } = model.config;
  const V = model.tokenizer.vocabSize;
  const results: SampleResult[] = new Array(prompts.length);
  const byLength = new Map<number, number[]>();
  prompts.forEach((p, i) => {
    if (p.length === 0) throw new Error(`sample: prompt ${i} is empty (start it with tokenizer.bosId)`);
    if (p.length > blockSize) throw new Error(`sample: prompt ${i} has ${p.length} tokens > blockSize ${blockSize}`);
    for (const id of p) if (!Number.isInteger(id) || id < 0 || id >= V) throw new Error(`sample: prompt ${i} has invalid id ${id}`);
    byLength.set(p.length, [...(byLength.get(p.length) ?? []), i]);
  });

  for (const [Tp, idx] of byLength) {
    const B = idx.length;
    const rngs = idx.map((i) => createRng(hashSeed(o.seed, i)));
    const out = idx.map(() => ({ ids: [] as number[], raw: [] as number[], proc: [] as number[], text: "", done: false, reason: "length" as "stop" | "length" }));
    const budget = Math.min(o.maxTokens, blockSize - Tp);
    let caches: KVCache[] | null = null;
    let context = idx.map((i) => [...prompts[i]]); // used when kvCache is off
    let lastLogits: Float32Array | null = null;
    if (budget > 0) {
      const first = tf.tidy(() => {
        const tokens = tf.tensor2d(context, [B, Tp], "int32");
        const { h, caches: c } = model.hidden(tokens);
        const last = tf.slice(h.reshape([B, Tp, -1]), [0, Tp - 1, 0], [B, 1, -1]).reshape([B, -1]) as tf.Tensor2D;
        return { logits: model.head(last), caches: o.kvCache ? c : [] };
      });
      lastLogits = first.logits.dataSync() as Float32Array;
      first.logits.dispose();
      caches = o.kvCache ? first.caches : null;
    }
    for (let step = 0; step < budget && lastLogits; step++) {
      const nextIds: number[] = [];
      const drawn: (number | null)[] = new Array(B).fill(null);
      for (let b = 0; b < B; b++) {
        const s = out[b];
        if (s.done) {
          nextIds.push(model.tokenizer.padId);
          continue;
        }
        const z = lastLogits.subarray(b * V, (b + 1) * V);
        const probs = processLogits(z, o);
        const id = drawIndex(probs, rngs[b]());
        s.ids.push(id);
        s.raw.push(logSoftmax(z)[id]);
        s.proc.push(Math.log(probs[id]));
        nextIds.push(id);
        drawn[b] = id;
        if (id === model.tokenizer.eosId) {
          s.done = true;
          s.reason = "stop";
          continue;
        }
        s.text += model.tokenizer.decode([id]);
        for (const stop of o.stop) {
          const at = s.text.indexOf(stop);
          if (at >= 0) {
            s.text = s.text.slice(0, at);
            s.done = true;
            s.reason = "stop";
            break;
          }
        }
      }
      yield { prompts: idx, tokens: drawn, logits: lastLogits };
      if (out.every((s) => s.done) || step === budget - 1) break;
      const input = nextIds;
      const next = tf.tidy(() => {
        if (caches) {
          const { h, caches: c } = model.hidden(tf.tensor2d(input, [B, 1], "int32"), caches);
          return { logits: model.head(h), caches: c };
        }
        context = context.map((c, b) => [...c, input[b]]);
        const T = context[0].length;
        const { h } = model.hidden(tf.tensor2d(context, [B, T], "int32"));
        const last = tf.slice(h.reshape([B, T, -1]), [0, T - 1, 0], [B, 1, -1]).reshape([B, -1]) as tf.Tensor2D;
        return { logits: model.head(last), caches: [] as KVCache[] };
      });
      if (caches) for (const c of caches) tf.dispose([c.k, c.v]);
      caches = o.kvCache ? next.caches : null;
      lastLogits = next.logits.dataSync() as Float32Array;
      next.logits.dispose();
    }
    if (caches) for (const c of caches) tf.dispose([c.k, c.v]);
    idx.forEach((i, b) => {
      const s = out[b];
      results[i] = { ids: s.ids, text: s.text, logprobsRaw: s.raw, logprobsProcessed: s.proc, finishReason: s.reason };
    });
  }
  return results;
}
