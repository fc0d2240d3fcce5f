/**
 * SFT label masks for a right-padded batch, two ways:
 *
 *   labelsByPadId      labels[t] = ids[t] if ids[t] ≠ pad_id else −100   (the common shortcut: find padding by its id)
 *   labelsByLength     labels[t] = ids[t] if t < length else −100        (padding is where the sequence ended)
 *
 * They agree only when the pad id never occurs inside a sequence. With `pad_token = eos_token` (what many
 * scripts do when a tokenizer has no pad) the real EOS that ends every answer has the pad id, so the first
 * form masks it: the model never gets a gradient for stopping and generates until max_tokens — the
 * "pad-token truncation bug" (templateCheck.ts `pad-is-eos`). The test reproduces it with the real Qwen3 tokenizer.
 */

export const IGNORE = -100;

/** Right-pad sequences to the longest with `padId`. */
export function padRight(seqs: number[][], padId: number): { ids: number[][]; lengths: number[] } {
  const T = Math.max(0, ...seqs.map((s) => s.length));
  return { ids: seqs.map((s) => [...s, ...Array(T - s.length).fill(padId)]), lengths: seqs.map((s) => s.length) };
}

export function labelsByPadId(ids: number[][], padId: number): number[][] {
  return ids.map((row) => row.map((id) => (id === padId ? IGNORE : id)));
}

export function labelsByLength(ids: number[][], lengths: number[]): number[][] {
  return ids.map((row, b) => row.map((id, t) => (t < lengths[b] ? id : IGNORE)));
}
