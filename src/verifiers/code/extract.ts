/**
 * Extraction stage of the code verifier: which part of a completion is the program.
 *
 * Rules, first that applies:
 *   `fenced-block`       the last complete ``` fenced block (any info string: python, js, py, none)
 *   `unterminated-fence` an opening fence after the last complete block with no closing fence (a
 *                        generation cut off mid-block): its text to the end of the completion
 *   `whole-text`         no fence: the whole completion
 * The span is [start, end) of the program in the completion (UTF-16 offsets, end exclusive).
 */
export type CodeExtractionRule = "fenced-block" | "unterminated-fence" | "whole-text";

export interface CodeExtraction {
  code: string;
  span: [number, number];
  rule: CodeExtractionRule;
  /** The fence's info string (`python`, `js`, …), lower-cased; null without one. */
  info: string | null;
}


export function extractCode(text: string): CodeExtraction {
  let last: CodeExtraction | null = null;
  let open: { marker: string; info: string; start: number } | null = null;
  // Walk fence lines in order, pairing an opening fence with the next closing line of the same marker.
  const lines = text.split("\n");
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const lineEnd = offset + line.length;
    const m = /^[ \t]*(`{3,}|~{3,})[ \t]*([^\s`]*)/.exec(line);
    if (m) {
      if (open === null) {
        open = { marker: m[1], info: m[2].toLowerCase(), start: Math.min(lineEnd + 1, text.length) };
      } else if (m[1][0] === open.marker[0] && m[1].length >= open.marker.length && m[2] === "") {
        const end = offset > open.start ? offset - 1 : open.start;
        last = { code: text.slice(open.start, end), span: [open.start, end], rule: "fenced-block", info: open.info || null };
        open = null;
      }
    }
    offset = lineEnd + 1;
  }
  if (open !== null) {
    return { code: text.slice(open.start), span: [open.start, text.length], rule: "unterminated-fence", info: open.info || null };
  }
  return last ?? { code: text, span: [0, text.length], rule: "whole-text", info: null };
}
