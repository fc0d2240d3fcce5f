/**
 * SFT label masks for a right-padded batch, two ways:
 *
 *   labelsByPadId      labels[t] = ids[t] if ids[t] ≠ pad_id else −100   (the common shortcut: find padding by its id)
 *   labelsByLength     labels[t] = ids[t] if t < length else −100        (padding is where the sequence ended)
 *
 * They agree only when the pad id never occurs inside a sequence. With `pad_token = eos_token` (what many
 * scripts do when a tokenizer has no pad) the real EOS that ends every answer has the pad id, so the first
 * form masks it: the model never gets a gradient for stopping and generates until max_tokens — the
 * "pad-token truncation bug" (templateCheck.ts `pad-is-eos`). When the pad token is an ordinary vocabulary
 * entry (e.g. "."), the same shortcut masks every real "." of the text, and `cutAtPad` (strip the padding of a
 * generated batch by cutting each row at its first pad id) truncates the completion at its first ".": the
 * `pad-is-real-token` finding. tests/hf/padTruncation.test.ts reproduces both with the real Qwen3 tokenizer.
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

/** Each row cut before its first `padId` (how code that finds padding by its id strips it from generated rows). */
export function cutAtPad(ids: number[][], padId: number): number[][] {
  return ids.map((row) => {
    const at = row.indexOf(padId);
    return at < 0 ? [...row] : row.slice(0, at);
  });
}
