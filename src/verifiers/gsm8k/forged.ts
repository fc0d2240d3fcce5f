/**
 * Answer structure borrowed from the prompt, which a completion can forge: `<answer>` tags (R1-style prompts) and
 * the few-shot exemplars of lm-eval's gsm8k-cot prompt. extract.ts reads tags as statements; select.ts refuses
 * unpaired tags (`gsm8k/answer-tags-unpaired`) and a restated exemplar (`gsm8k/echoed-exemplar`).
 */
import { readOneNumber } from "./answer.js";
import type { Statement } from "./extract.js";

const TAG_RE = /<\/?answer>/gi;

/**
 * `<answer>…</answer>` tags (R1-style prompts): each content is a statement (`gsm8k/answer-tag`) that must be one
 * number unless it holds an answer phrase (read as a phrase then). Tags that do not pair up — a `</answer>` with no
 * `<answer>` open, a second `<answer>` inside one — are a forged structure: returns false.
 */
export function answerTagStatements(t: string, regionEnd: number, out: Statement[]): boolean {
  if (t.indexOf("answer>") < 0) return true;
  TAG_RE.lastIndex = 0;
  let open = -1;
  for (let m: RegExpExecArray | null; (m = TAG_RE.exec(t)) !== null && m.index < regionEnd; ) {
    const closing = m[0].charCodeAt(1) === 47;
    if (!closing) {
      if (open >= 0) return false;
      open = m.index + m[0].length;
      continue;
    }
    if (open < 0) return false;
    const content = t.slice(open, m.index);
    const read = readOneNumber(content);
    if (read.kind === "number") out.push({ rule: "gsm8k/answer-tag", start: open + read.start, end: open + read.end, read });
    else if (read.kind === "refused" && !/answer/i.test(content)) out.push({ rule: "gsm8k/answer-tag", start: open, end: m.index, read });
    open = -1;
  }
  return true;
}

/**
 * lm-eval 0.4.13 `gsm8k-cot.yaml` few-shot exemplar questions (their opening words): a completion that restates one
 * answers the exemplar, not the question asked.
 */
export const COT_EXEMPLAR_OPENINGS = [
  "There are 15 trees in the grove",
  "If there are 3 cars in the parking lot",
  "Leah had 32 chocolates",
  "Jason had 20 lollipops",
  "Shawn has five toys",
  "There were nine computers in the server room",
  "Michael had 58 golf balls",
  "Olivia has $23",
] as const;

/** Offset of the first few-shot exemplar question restated before `regionEnd`, or -1. */
export function echoedExemplar(t: string, regionEnd: number): number {
  const m = EXEMPLAR_RE.exec(t);
  return m !== null && m.index < regionEnd ? m.index : -1;
}
const EXEMPLAR_RE = new RegExp(COT_EXEMPLAR_OPENINGS.map((q) => q.replace(/[$]/g, "\\$")).join("|"));

