/**
 * Supervised fine-tuning (teacher forcing) on prompt + completion token sequences: used by
 * scripts/pretrain.ts to make the base checkpoint and by GRPO's optional "SFT warm-start".
 *
 *   loss = − Σ_{b,t} m[b,t] · log π(x[b,t+1] | x[b,≤t]) / Σ m[b,t]
 *
 * where m[b,t] = 1 exactly for the completion tokens (positions ≥ promptLens[b] of the target,
 * i.e. the prompt is conditioned on, not learned) and 0 for prompt and PAD positions.
 */
import * as tf from "@tensorflow/tfjs";
import type { GPT } from "./gpt.js";

export interface SftBatch {
  /** Full token sequences `[bos, ...prompt, ...completion, eos]`, any lengths ≤ blockSize. */
  sequences: number[][];
  /** Number of leading tokens of each sequence that are prompt (BOS included): not trained on. */
  promptLens: number[];
}

/** Right-pad with PAD to a `[B, T]` id matrix and build the completion-token mask `[B, T−1]`. */
export function padBatch(batch: SftBatch, padId: number): { tokens: number[][]; mask: number[][] } {
  const { sequences, promptLens } = batch;
  if (sequences.length === 0) throw new Error("sftStep: empty batch");
  if (promptLens.length !== sequences.length) throw new Error("sftStep: promptLens must have one entry per sequence");
  const T = Math.max(...sequences.map((s) => s.length));
  if (T < 2) throw new Error("sftStep: sequences need at least 2 tokens");
  const tokens = sequences.map((s) => [...s, ...new Array(T - s.length).fill(padId)]);
  // target position t+1 is trained iff promptLens[b] ≤ t+1 < length
  const mask = sequences.map((s, b) => Array.from({ length: T - 1 }, (_, t) => (t + 1 >= promptLens[b] && t + 1 < s.length ? 1 : 0)));
  return { tokens, mask };
}

/** One optimizer step on the masked next-token loss; returns the loss (nats/token) before the update. */
export function sftStep(model: GPT, optimizer: tf.Optimizer, batch: SftBatch): number {
  const { tokens, mask } = padBatch(batch, model.tokenizer.padId);
  const vars = model.trainableVariables();
  if (vars.length === 0) throw new Error("sftStep: the model has no trainable variables (a frozen copy?)");
  const x = tf.tensor2d(tokens, undefined, "int32"); // [B, T]
  const m = tf.tensor2d(mask); // [B, T−1]
  try {
    const loss = optimizer.minimize(
      () => {
        const { logprobs } = model.tokenLogprobs(x); // [B, T−1]
        return logprobs.mul(m).sum().div(m.sum().maximum(1)).neg() as tf.Scalar;
      },
      true,
      vars,
    );
    const value = loss!.dataSync()[0];
    loss!.dispose();
    return value;
  } finally {
    x.dispose();
    m.dispose();
  }
}
