/**
 * Batch layout for the loss: every completion becomes one row `[BOS, prompt…, completion…, PAD…]` of a
 * `[N, L]` token matrix (N = B·G, L = longest row). `GPT.tokenLogprobs` scores position t as the log-prob
 * of token t+1, so the loss works on `[N, L−1]` and the mask selects exactly the completion tokens:
 * row i's completion occupies logprob positions [P_i − 1, P_i − 1 + C_i), P_i = prompt length with BOS,
 * C_i = completion tokens (EOS included when sampled). Per-row values (advantages, sampler log-probs)
 * are scattered into that layout here, once, so the trainer reads top to bottom without index juggling.
 */
import type { Group } from "./rollouts.js";

export interface Batch {
  /** [N, L] token ids, right-padded with PAD. */
  tokens: number[][];
  /** [N, L−1] 1 on completion tokens that enter the loss, else 0. */
  mask: number[][];
  /** [N, L−1] 1 on completion tokens (regardless of masking rules) — for statistics. */
  completionMask: number[][];
  /** [N, L−1] the sampler's processed (tempered/filtered) log-probs on completion positions, 0 elsewhere. */
  samplerLogprobs: number[][];
  /** Per row: where its completion starts in logprob coordinates, and its length. */
  spans: { start: number; length: number }[];
  /** Per row: group index and rollout index inside the group. */
  rows: { group: number; rollout: number }[];
}

export interface BatchOptions {
  padId: number;
  /** Give finish_reason "length" completions mask 0. */
  maskTruncated: boolean;
  /** Per group: false to drop the whole group from the loss (zero-std filtering). */
  keepGroup?: boolean[];
}

export function buildBatch(groups: Group[], o: BatchOptions): Batch {
  const rows: { group: number; rollout: number }[] = [];
  const seqs: number[][] = [];
  const spans: { start: number; length: number }[] = [];
  groups.forEach((g, gi) =>
    g.rollouts.forEach((r, ri) => {
      rows.push({ group: gi, rollout: ri });
      seqs.push([...g.promptIds, ...r.result.ids]);
      spans.push({ start: g.promptIds.length - 1, length: r.result.ids.length });
    }),
  );
  const L = Math.max(2, ...seqs.map((s) => s.length));
  const tokens = seqs.map((s) => [...s, ...new Array(L - s.length).fill(o.padId)]);
  const zeros = () => seqs.map(() => new Array(L - 1).fill(0));
  const mask = zeros();
  const completionMask = zeros();
  const samplerLogprobs = zeros();
  rows.forEach(({ group, rollout }, i) => {
    const r = groups[group].rollouts[rollout].result;
    const counts = (o.keepGroup?.[group] ?? true) && !(o.maskTruncated && r.finishReason === "length");
    for (let j = 0; j < spans[i].length; j++) {
      const t = spans[i].start + j;
      completionMask[i][t] = 1;
      mask[i][t] = counts ? 1 : 0;
      samplerLogprobs[i][t] = r.logprobsProcessed[j];
    }
  });
  return { tokens, mask, completionMask, samplerLogprobs, spans, rows };
}

/** Values of row i at its completion positions (e.g. trainer log-probs for rollouts.jsonl). */
export function completionValues(values: ArrayLike<number>[], batch: Batch, i: number): number[] {
  const { start, length } = batch.spans[i];
  return Array.from({ length }, (_, j) => values[i][start + j]);
}
