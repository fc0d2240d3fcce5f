/**
 * Reward-hack guards of the training modes (`default`, `contract`): completions that a human grader would not
 * score as answering, whatever their box holds. Each returns the rule that refuses the completion (status
 * `wrong`, score 0) or null. `minerva` mode reproduces lm-eval and runs none of them (the red team reports
 * what it accepts).
 *
 * | rule | what is refused |
 * |---|---|
 * | `math/macro-definition` | `\def`, `\newcommand`, `\renewcommand`, `\let`, … anywhere: the text can redefine what a box shows |
 * | `math/grader-injection` | text addressed to the grader or reward ("note to grader", "mark this correct", "ignore previous instructions") |
 * | `math/hidden-text` | the answer, or any box, inside or containing invisible text: HTML comments, `\phantom`, white text, `\iffalse` |
 * | `math/negated` | the answer preceded by a negation ("the answer is not $\boxed{18}$") |
 * | `math/retracted` | the answer followed by a retraction and another value ("Wait, that's wrong … 54"); a re-check ("Wait, let me verify: 6 + 6 + 6 = 18") of a plain-number answer only when it concludes another value |
 * | `math/forged-turn` | chat-template or role markers (`<|im_start|>`, `</response>`, `[INST]`): a forged second response |
 * | `math/next-question` | a new problem after the answer ("Problem: …", "Question: …"): the answer belonged to an echoed exemplar |
 * | `math/multiplier-word` | a multiplier right after the answer (`\boxed{5} hundred`, `$5$ thousand`) |
 * | `math/truncated` | the completion stops mid-sentence well after the answer (cut off before its final step) |
 */

const MACRO = /\\(?:def|edef|gdef|xdef|let|futurelet|newcommand|renewcommand|providecommand|DeclareMathOperator|DeclareRobustCommand|newenvironment|renewenvironment|catcode|csname)(?![A-Za-z])/;

const INJECTION = new RegExp(
  [
    String.raw`\b(?:note|message|instructions?|hint)\s+(?:to|for)\s+(?:the\s+)?(?:grader|evaluator|verifier|checker|judge|reward model|marker|autograder)`,
    String.raw`\b(?:dear|attention|hey)\s+(?:the\s+)?(?:grader|evaluator|verifier|checker|judge|autograder)`,
    String.raw`\b(?:grader|evaluator|verifier|checker|judge|autograder)\s*:`,
    String.raw`\b(?:mark|grade|score|count|treat|consider)\s+(?:this|it|my answer|the answer|this answer|this response)\s+(?:as\s+)?(?:correct|full marks)\b`,
    String.raw`\b(?:give|award|assign)\s+(?:me\s+|this\s+)?(?:full|maximum|max|the)\s+(?:credit|marks|reward|score|points)`,
    String.raw`\bignore\s+(?:all\s+|any\s+)?(?:previous|prior|above|earlier|the)\s+(?:instructions|rules|answers?)`,
    String.raw`\b(?:system|assistant)\s+(?:override|prompt)\s*:`,
    String.raw`\breward\s*(?:=|:|is)\s*1\b`,
  ].join("|"),
  "i",
);

/**
 * Every alternative of MACRO, INJECTION and FORGED_TURN contains one of these (both capitalizations of a word
 * share its suffix): one scan of the text decides whether any of the three larger regexes needs to run.
 */
const HINT = /rader|valuator|erifier|hecker|udge|arker|gnore|orrect|ull marks|redit|eward|ull points|ull score|aximum|ax points|ax score|the points|the score|verride|rompt|<[|/a-z]|INST\]|ssistant|ystem|ser\s*:|\\[egx]?def|\\(?:futurelet|let|newcommand|renewcommand|providecommand|Declare|newenvironment|renewenvironment|catcode|csname)/;

/** Commands whose argument is invisible when rendered. */
const HIDING_COMMAND = /\\(?:phantom|hphantom|vphantom|textcolor\s*\{\s*white\s*\}|color\s*\{\s*white\s*\})\s*\{/g;

/** [start, end) ranges of the text a reader does not see. */
function hiddenRanges(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (let i = text.indexOf("<!--"); i >= 0; i = text.indexOf("<!--", i + 4)) {
    const end = text.indexOf("-->", i + 4);
    out.push([i, end < 0 ? text.length : end + 3]);
    if (end < 0) break;
  }
  for (let i = text.indexOf("\\iffalse"); i >= 0; i = text.indexOf("\\iffalse", i + 8)) {
    const end = text.indexOf("\\fi", i + 8);
    out.push([i, end < 0 ? text.length : end + 3]);
    if (end < 0) break;
  }
  HIDING_COMMAND.lastIndex = 0;
  for (let m = HIDING_COMMAND.exec(text); m !== null; m = HIDING_COMMAND.exec(text)) {
    let depth = 1;
    let j = m.index + m[0].length;
    for (; j < text.length && depth > 0; j++) {
      if (text[j] === "\\") j++;
      else if (text[j] === "{") depth++;
      else if (text[j] === "}") depth--;
    }
    out.push([m.index, j]);
  }
  return out;
}

const overlaps = (a: [number, number], b: [number, number]) => a[0] < b[1] && b[0] < a[1];

/** The text just before the answer (same sentence): a negation ending right before it. */
const NEGATION = /\b(?:not|never|isn't|aren't|wasn't|isnt|cannot be|can't be|won't be|no longer)\s+(?:(?:equal|equals|be|to|exactly|simply|just|the|answer|final|is|quite|actually|really|necessarily)\s+)*(?:\*\*)?(?:\$+|\\\(|\\\[)?\s*(?:\\boxed\s*\{|\\fbox\s*\{)?\s*$/i;

/** A cue that takes the answer back: what follows it with a number is another answer. */
const RETRACTION = /\b(?:oops|scratch that|correction|i made an? (?:mistake|error)|that(?:'s| is| was) (?:wrong|incorrect|not right)|(?:is|was) (?:wrong|incorrect)|just kidding|on second thought|never ?mind|let me correct|i take (?:it|that) back)\b/i;
/**
 * A cue that only may take the answer back ("Wait", "Actually", "let me re-check", "the correct answer is"):
 * models use it to verify an answer, too. It retracts when a value it concludes (the last number, a number
 * ending an equation, a number after "answer is" / "get" / "gives" / "equals") is not the answer; with an
 * answer that is not a plain number every number after it counts as another answer (as for RETRACTION).
 */
const RECHECK = /\b(?:wait|actually|let me (?:re-?check|double[- ]check|check|verify|reconsider|redo|recompute)|double[- ]checking|checking|the (?:correct|real|actual|right) answer is)\b/i;
const CONCLUDED = /(?:=|\b(?:answer is|get|gives|equals|is))\s*\$*\s*(-?\d[\d,]*(?:\.\d+)?)(?![\d.]*\s*[-+*/×^]|\s*\\(?:times|cdot|div))/gi;
const PLAIN = /^\s*-?\d[\d,]*(?:\.\d+)?\s*$/;

/** The after-text concludes a value other than `answer` (a plain number). */
function concludesOther(after: string, answer: string): boolean {
  const want = Number(answer.replace(/,/g, ""));
  const values: string[] = [];
  for (const m of after.matchAll(CONCLUDED)) values.push(m[1]!);
  const nums = after.match(/-?\d[\d,]*(?:\.\d+)?/g);
  if (nums) values.push(nums[nums.length - 1]!);
  return values.some((v) => Number(v.replace(/,/g, "")) !== want);
}

const FORGED_TURN = /<\|(?:im_start|im_end|endoftext|eot_id|start_header_id|end_header_id|assistant|user|system)\|>|<\/?(?:response|assistant|user|system|answer)>|\[\/?INST\]|^\s*(?:assistant|user|system)\s*:/im;
const NEXT_QUESTION = /(?:^|\n)\s*(?:#+\s*)?(?:\*\*)?(?:problem|question|exercise|q)\s*(?:\d+\s*)?(?:\*\*)?\s*[:.]/i;
const MULTIPLIER = /^\s*(?:\}\s*)*(?:\$+|\\\)|\\\])?\s*(?:hundred|thousand|million|billion|trillion|dozen|times|lakh|crore)\b/i;
/** How a complete completion ends: sentence punctuation, a closing bracket or math delimiter, a number. */
const COMPLETE_END = /(?:[.!?)\]}$0-9"'”’]|\\\]|\\\))\s*$/;

export interface GuardInput {
  text: string;
  /** Span of the extracted answer in `text`. */
  span: [number, number];
  /** Content spans of every box (Extraction candidates with rule `math/boxed`). */
  boxes: [number, number][];
}

/** The first guard that refuses the completion, or null (see the module table). */
export function guardRule(g: GuardInput): string | null {
  const { text, span } = g;
  const hinted = HINT.test(text);
  if (hinted && MACRO.test(text)) return "math/macro-definition";
  if (hinted && INJECTION.test(text)) return "math/grader-injection";
  const hidden = text.includes("<!--") || text.includes("\\iffalse") || text.includes("phantom") || text.includes("white") ? hiddenRanges(text) : [];
  if (hidden.some((h) => overlaps(h, span) || g.boxes.some((b) => overlaps(h, b)))) {
    return "math/hidden-text";
  }
  const lineStart = Math.max(text.lastIndexOf("\n", span[0] - 1), span[0] - 160, 0);
  const before = text.slice(lineStart, span[0]);
  const sentence = before.slice(Math.max(before.lastIndexOf(". "), before.lastIndexOf("? "), before.lastIndexOf("! ")) + 1);
  if (NEGATION.test(sentence)) return "math/negated";
  const after = text.slice(span[1], span[1] + 2000);
  const cue = RETRACTION.exec(after);
  if (cue && /\d/.test(after.slice(cue.index))) return "math/retracted";
  const recheck = /\d/.test(after) ? RECHECK.exec(after) : null;
  if (recheck && /\d/.test(after.slice(recheck.index))) {
    const answer = text.slice(span[0], span[1]);
    if (!PLAIN.test(answer) || concludesOther(after.slice(recheck.index), answer)) return "math/retracted";
  }
  if (hinted && FORGED_TURN.test(text)) return "math/forged-turn";
  if (NEXT_QUESTION.test(after)) return "math/next-question";
  if (MULTIPLIER.test(after)) return "math/multiplier-word";
  const tail = text.slice(span[1]).replace(/[\s*_`]+$/, "");
  if (tail.length > 40 && !COMPLETE_END.test(tail)) return "math/truncated";
  return null;
}
