/**
 * Shared-prefix scoring: `tokenLogprobs` for a batch whose rows come in groups that share a prompt (a GRPO
 * group: G completions of one prompt), computing each prompt's keys/values once per group instead of once
 * per row. The gradient then flows through the one shared prefix, which is the same function of the
 * weights as G copies of it, so log-probs and gradients equal the plain path up to float rounding (tested
 * against `GPT.tokenLogprobs` and against finite differences).
 *
 * Layout. The batch is `tokens` `[N, L]` (rows right-padded), grouped into B runs of G consecutive rows;
 * group b's rows share their first P_b tokens (the prompt with BOS), prompt lengths may differ per group.
 *
 *   prefix  of group b: tokens[0 … P_b−2]                       positions 0 … P_b−2, [B, Pp], Pp = max P_b − 1
 *   segment of row i:   tokens[P_b−1 … L−2] (last prompt token   positions P_b−1 …,   [N, S],  S = L − min P_b
 *                       and the completion), right-padded
 *
 * Per layer, the prefix runs as an ordinary causal block on `[B, Pp]` (right padding never reaches a real
 * query); the segment's queries attend to [their group's prefix keys | their own causal keys]:
 *
 *   scores = [q Kₚ(b)ᵀ | q Kₛᵀ] / √D + mask,   mask: prefix key j counts iff j < P_b − 1; self keys causal
 *   y      = softmax(scores)[:, :Pp] Vₚ(b) + softmax(scores)[:, Pp:] Vₛ
 *
 * with Kₚ(b) shared by the G rows of group b (one `[B·H, G·S, Pp]` batched matmul, no copies). Only the
 * segment's positions go through LN_f, the head and the log-softmax. Row i's S outputs are put back at
 * columns P_b−1 … L−2 of the `[N, L−1]` layout of `tokenLogprobs` (zeros before; the prompt positions'
 * values are not computed), by one batched matmul with 0/1 placement matrices.
 *
 * The last layer's prefix needs only its keys/values (no attention output, MLP or LN_f).
 */
import * as tf from "@tensorflow/tfjs";
import type { GPT, KVCache } from "./gpt.js";
import { matmul } from "./matmul.js";
import { embed } from "./embed.js";
import { targetLogprobs } from "./logprobs.js";
import { canFuseAttention, sharedPrefixAttention } from "./attention.js";

/** A run of `size` consecutive rows starting at row `start` whose first `promptLen` tokens are equal. */
export interface RowGroup {
  start: number;
  size: number;
  promptLen: number;
}

export type PrefixSharing = "on" | "off";
let sharing: PrefixSharing = "on";
/** Global switch (default "on"): "off" makes `groupedTokenLogprobs` use the plain path (benchmark baseline). */
export function setPrefixSharing(s: PrefixSharing): void {
  sharing = s;
}
export function getPrefixSharing(): PrefixSharing {
  return sharing;
}

/** Whether the shared path applies: equal-size groups covering the rows in order, some prefix to share. */
export function canSharePrefix(groups: readonly RowGroup[], n: number): boolean {
  if (sharing === "off" || groups.length === 0) return false;
  const G = groups[0].size;
  let next = 0;
  for (const g of groups) {
    if (g.size !== G || g.start !== next || g.promptLen < 1) return false;
    next += g.size;
  }
  return next === n && groups.some((g) => g.promptLen > 1);
}

/**
 * `model.tokenLogprobs(tokens)` computed with each group's prompt prefix shared (module comment). Values at
 * columns < P_b − 1 are 0 (not computed): mask them, as the loss does. With `span`, so are columns
 * ≥ P_b − 1 + span (pass the longest completion: its padding need not be scored). Falls back to the plain path when
 * `canSharePrefix` is false (unequal group sizes, sharing off).
 */
export function groupedTokenLogprobs(
  model: GPT,
  tokens: number[][],
  groups: readonly RowGroup[],
  options: { temperature?: number; span?: number } = {},
): { logprobs: tf.Tensor2D; entropy: tf.Tensor2D } {
  const temperature = options.temperature ?? 1;
  if (!(temperature > 0)) throw new Error("groupedTokenLogprobs: temperature must be > 0");
  const N = tokens.length;
  const L = tokens[0]?.length ?? 0;
  if (L < 2) throw new Error("groupedTokenLogprobs: need at least 2 tokens per row");
  if (!canSharePrefix(groups, N)) return tf.tidy(() => model.tokenLogprobs(tf.tensor2d(tokens, [N, L], "int32"), { temperature }));
  for (const g of groups) {
    if (g.promptLen > L) throw new Error(`groupedTokenLogprobs: prompt length ${g.promptLen} exceeds row length ${L}`);
    const p = tokens[g.start];
    for (let i = g.start + 1; i < g.start + g.size; i++)
      for (let j = 0; j < g.promptLen - 1; j++)
        if (tokens[i][j] !== p[j]) throw new Error(`groupedTokenLogprobs: row ${i} does not share its group's prompt (token ${j})`);
  }
  const { nLayer, nHead: H, nEmbd: E, blockSize } = model.config;
  const D = E / H;
  const padId = model.tokenizer.padId;
  const B = groups.length;
  const G = groups[0].size;
  const pre = groups.map((g) => g.promptLen - 1); // shared prefix length per group
  const Pp = Math.max(...pre);
  // Segment length: every column from P_b − 1 on, or only the first `span` of them (a batch's longest completion).
  const S = Math.max(1, Math.min(L - Math.min(...groups.map((g) => g.promptLen)), options.span ?? Infinity));
  if (L > blockSize) throw new Error(`GPT: sequence length ${L} exceeds blockSize ${blockSize}`);

  // Host-side index tensors: prefix ids, segment ids and targets, segment positions, masks, placement.
  const prefixIds = groups.map((g, b) => Array.from({ length: Pp }, (_, j) => (j < pre[b] ? tokens[g.start][j] : padId)));
  const segIds: number[][] = [];
  const segNext: number[] = [];
  groups.forEach((g, b) => {
    for (let i = g.start; i < g.start + g.size; i++) {
      const row: number[] = [];
      for (let t = 0; t < S; t++) {
        const c = pre[b] + t; // absolute column of the input token
        row.push(c < L - 1 ? tokens[i][c] : padId);
        segNext.push(c + 1 < L ? tokens[i][c + 1] : padId);
      }
      segIds.push(row);
    }
  });
  const posIdx = groups.flatMap((_, b) => Array.from({ length: S }, (_, t) => Math.min(pre[b] + t, blockSize - 1))); // [B·S]
  const Kall = Pp + S;
  const maskData = new Float32Array(B * S * Kall); // [B, 1, S, Pp+S]
  const place = new Float32Array(B * S * (L - 1)); // [B, S, L−1]: segment t of group b → column P_b−1+t
  for (let b = 0; b < B; b++)
    for (let t = 0; t < S; t++) {
      const o = (b * S + t) * Kall;
      for (let j = pre[b]; j < Pp; j++) maskData[o + j] = -1e9;
      for (let j = t + 1; j < S; j++) maskData[o + Pp + j] = -1e9;
      if (pre[b] + t < L - 1) place[(b * S + t) * (L - 1) + pre[b] + t] = 1;
    }

  return tf.tidy(() => {
    const wte = model.p("wte") as tf.Tensor2D;
    // Segment stream [N·S, E] at per-group positions (the prefix stream is prefixKeysValues).
    const segPos = embed(model.p("wpe") as tf.Tensor2D, posIdx).reshape([B, 1, S, E]);
    let xs = embed(wte, segIds.flat()).reshape([B, G, S, E]).add(segPos).reshape([N * S, E]) as tf.Tensor2D;
    const mask = tf.tensor4d(maskData, [B, 1, S, Kall]);
    const heads = (z: tf.Tensor, rows: number, len: number) => z.reshape([rows, len, H, D]).transpose([0, 2, 1, 3]); // [rows, H, len, D]
    const kv = prefixKeysValues(model, prefixIds); // per layer [B, H, Pp, D]
    for (let l = 0; l < nLayer; l++) {
      const n = `h${l}`;
      const qkvS = model.linear(model.layerNorm(xs, `${n}.ln1`), `${n}.attn.wqkv`, `${n}.attn.bqkv`, "attn.qkv");
      if (canFuseAttention(D)) {
        // One op for the whole attention and its gradient (attention.ts): the same function as the ops below.
        xs = model.block(l, xs, sharedPrefixAttention(qkvS, kv[l].k, kv[l].v, pre, { B, G, S, H }));
        continue;
      }
      const kp = kv[l].k.reshape([B * H, Pp, D]);
      const vp = kv[l].v.reshape([B * H, Pp, D]);
      const [q, k, v] = tf.split(qkvS, 3, 1).map((z) => heads(z, B, G * S)); // [B, H, G·S, D]
      const qs = q.reshape([B * H * G, S, D]) as tf.Tensor3D;
      const selfScores = matmul(qs, k.reshape([B * H * G, S, D]).transpose([0, 2, 1]) as tf.Tensor3D).reshape([B, H * G, S, S]);
      const scores = tf.concat([matmul(q.reshape([B * H, G * S, D]) as tf.Tensor3D, kp.transpose([0, 2, 1]) as tf.Tensor3D).reshape([B, H * G, S, Pp]), selfScores], 3);
      const att = tf.softmax(scores.mul(1 / Math.sqrt(D)).add(mask)); // [B, H·G, S, Pp+S]
      let y = matmul(tf.slice(att, [0, 0, 0, Pp], [B, H * G, S, S]).reshape([B * H * G, S, S]) as tf.Tensor3D, v.reshape([B * H * G, S, D]) as tf.Tensor3D);
      y = y.add(matmul(tf.slice(att, [0, 0, 0, 0], [B, H * G, S, Pp]).reshape([B * H, G * S, Pp]) as tf.Tensor3D, vp as tf.Tensor3D).reshape([B * H * G, S, D]));
      xs = model.block(l, xs, y.reshape([B, H, G * S, D]).transpose([0, 2, 1, 3]).reshape([N * S, E]) as tf.Tensor2D);
    }
    let logits = model.head(model.layerNorm(xs, "lnf")); // [N·S, V]
    if (temperature !== 1) logits = logits.div(temperature);
    const sel = targetLogprobs(logits, segNext); // logprobs.ts
    const lpSeg = sel.logprobs.reshape([B, G, S]) as tf.Tensor3D;
    const entSeg = sel.entropy.reshape([B, G, S]) as tf.Tensor3D;
    const P = tf.tensor3d(place, [B, S, L - 1]);
    return {
      logprobs: matmul(lpSeg, P).reshape([N, L - 1]) as tf.Tensor2D,
      entropy: matmul(entSeg, P).reshape([N, L - 1]) as tf.Tensor2D,
    };
  });
}

/**
 * Keys and values of every layer for prompt prefixes `ids` `[B, Pp]` (right-padded: padding comes after the
 * real tokens, so causality keeps it from every real position), positions 0 … Pp−1: `[B, H, Pp, D]` per
 * layer. The last layer stops after its keys/values. Differentiable; shared by training and sampling.
 */
export function prefixKeysValues(model: GPT, ids: number[][]): KVCache[] {
  const { nLayer, nHead: H, nEmbd: E } = model.config;
  const D = E / H;
  const B = ids.length;
  const Pp = ids[0].length;
  const mask = new Float32Array(Pp * Pp);
  for (let i = 0; i < Pp; i++) for (let j = i + 1; j < Pp; j++) mask[i * Pp + j] = -1e9;
  const pMask = tf.tensor2d(mask, [Pp, Pp]);
  let x = embed(model.p("wte") as tf.Tensor2D, ids.flat()).reshape([B, Pp, E]).add(tf.slice(model.p("wpe"), [0, 0], [Pp, E])).reshape([B * Pp, E]) as tf.Tensor2D;
  const out: KVCache[] = [];
  for (let l = 0; l < nLayer; l++) {
    const qkv = model.linear(model.layerNorm(x, `h${l}.ln1`), `h${l}.attn.wqkv`, `h${l}.attn.bqkv`, "attn.qkv");
    const [q, k, v] = tf.split(qkv, 3, 1).map((z) => z.reshape([B, Pp, H, D]).transpose([0, 2, 1, 3]) as tf.Tensor4D); // [B, H, Pp, D]
    out.push({ k, v });
    if (l === nLayer - 1) break;
    const kT = k.reshape([B * H, Pp, D]).transpose([0, 2, 1]) as tf.Tensor3D;
    const att = tf.softmax(matmul(q.reshape([B * H, Pp, D]) as tf.Tensor3D, kT).mul(1 / Math.sqrt(D)).add(pMask)) as tf.Tensor3D;
    const y = matmul(att, v.reshape([B * H, Pp, D]) as tf.Tensor3D).reshape([B, H, Pp, D]).transpose([0, 2, 1, 3]).reshape([B * Pp, E]) as tf.Tensor2D;
    x = model.block(l, x, y);
  }
  return out;
}

/** The row groups of a GRPO batch: `sizes[b]` rows per group, consecutive, with prompt lengths `promptLens[b]`. */
export function rowGroups(sizes: readonly number[], promptLens: readonly number[]): RowGroup[] {
  let start = 0;
  return sizes.map((size, b) => {
    const g = { start, size, promptLen: promptLens[b] };
    start += size;
    return g;
  });
}
