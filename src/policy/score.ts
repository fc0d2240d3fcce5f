/**
 * scoreTokens: the log-probability of every token of a sequence given the ones before it, with the `topN`
 * most likely alternatives at each position — what an OpenAI-compatible server returns as `logprobs`
 * (`token_logprobs`, `top_logprobs`) and, with `echo`, for the prompt (lm-eval's loglikelihood path).
 *
 *   logits = GPT(ids[0 … T−2])                         one forward pass, no KV cache       [T−1, V]
 *   logprob[t] = log softmax(logits[t − 1])[ids[t]]    t = 1 … T−1 (raw distribution: no temperature,
 *                                                      top-k or top-p, as vLLM's default "raw_logprobs")
 *   top[t]     = the topN (id, logprob) of the same row, most likely first, ties by lower id
 *
 * Position 0 has no context and gets `null` (the OpenAI legacy completions shape does the same).
 * Pure JS after the forward pass (float64 log-softmax), so the numbers match `sampleGPT`'s `logprobsRaw`
 * up to float32 rounding of the logits (tested).
 */
import * as tf from "@tensorflow/tfjs";
import type { GPT } from "./gpt.js";
import { logSoftmax } from "./sampling.js";

export interface TokenScore {
  id: number;
  /** null at position 0 (nothing to condition on). */
  logprob: number | null;
  /** Most likely alternatives at this position (empty at position 0 or when topN = 0). */
  top: { id: number; logprob: number }[];
}

/** Score `ids` (≤ blockSize tokens) with `model`; see module comment. */
export function scoreTokens(model: GPT, ids: readonly number[], topN = 0): TokenScore[] {
  const T = ids.length;
  if (T === 0) return [];
  const V = model.tokenizer.vocabSize;
  if (T > model.config.blockSize) throw new Error(`scoreTokens: ${T} tokens exceed blockSize ${model.config.blockSize}`);
  const out: TokenScore[] = [{ id: ids[0], logprob: null, top: [] }];
  if (T === 1) return out;
  const logits = tf.tidy(() => model.forward(tf.tensor2d([ids.slice(0, T - 1) as number[]], [1, T - 1], "int32")));
  const flat = logits.dataSync() as Float32Array; // [1, T−1, V]
  logits.dispose();
  for (let t = 1; t < T; t++) {
    const lp = logSoftmax(flat.subarray((t - 1) * V, t * V));
    out.push({ id: ids[t], logprob: lp[ids[t]], top: topLogprobs(lp, topN) });
  }
  return out;
}

/** The `n` most likely (id, logprob) of one log-softmax row, most likely first, ties by lower id. */
export function topLogprobs(lp: Float64Array, n: number): { id: number; logprob: number }[] {
  const k = Math.min(n, lp.length);
  if (k <= 0) return [];
  const order = Array.from({ length: lp.length }, (_, i) => i).sort((a, b) => lp[b] - lp[a] || a - b);
  return order.slice(0, k).map((i) => ({ id: i, logprob: lp[i] }));
}
