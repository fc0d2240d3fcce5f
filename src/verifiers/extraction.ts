/**
 * Extraction: the shared result of every answer extractor (GSM8K, MATH).
 *
 * An extractor finds the final answer in a completion and says how: `rule` names the extraction rule that
 * fired, `span` is the [start, end) UTF-16 range of `extracted` in the text, `flags` carries notes a human
 * should see (quirks that fired, several answers), and `candidates` lists every answer-like match the
 * extractor saw, in text order — the raw material for answer-boundary and multiple-answer analysis
 * (`answerBoundary` in boundary.ts, `classifyFailure` in taxonomy.ts).
 */
export interface Extraction {
  /** The answer text exactly as it appears in the completion; null when nothing was found. */
  extracted: string | null;
  /** [start, end) of `extracted` in the completion (UTF-16 offsets); null when nothing was found. */
  span: [number, number] | null;
  /** Name of the extraction rule that fired, e.g. `gsm8k/hash` or `gsm8k/none`. */
  rule: string;
  /** Machine-readable notes, e.g. `lm-eval-quirk:unescaped-dot`. */
  flags: string[];
  /** Every answer-like match found, in text order. */
  candidates: { text: string; span: [number, number]; rule: string }[];
}
