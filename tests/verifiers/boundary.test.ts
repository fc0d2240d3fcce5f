import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { answerBoundary, normalizeAnswerText } from "../../src/verifiers/boundary.js";
import { extractGsm8k } from "../../src/verifiers/gsm8k/index.js";
import type { Extraction } from "../../src/verifiers/extraction.js";

const COT = "She sells 16 - 3 - 4 = 9 eggs.\nShe makes 9 * 2 = $18 every day.\n";

type Expect = Partial<ReturnType<typeof answerBoundary>>;
function rows(table: [completion: string, expected: Expect][]) {
  for (const [completion, exp] of table) {
    test(`${JSON.stringify(completion.slice(-45))} → ${JSON.stringify(exp)}`, () => {
      const b = answerBoundary(completion, extractGsm8k(completion));
      for (const [k, v] of Object.entries(exp)) assert.deepEqual(b[k as keyof typeof b], v, k);
    });
  }
}

describe("exactMatch: the completion is the answer and nothing else", () => {
  rows([
    ["18", { exactMatch: true, strictFinalLine: true, trailingText: "", hasTrailingText: false }],
    ["  18\n", { exactMatch: true, strictFinalLine: true }],
    ["18.", { exactMatch: false, strictFinalLine: true, trailingText: "" }],
    [COT + "#### 18", { exactMatch: false, strictFinalLine: true }],
  ]);
});

describe("strictFinalLine: answer alone on the last non-empty line, wrappers allowed", () => {
  rows([
    [COT + "#### 18\n\n", { strictFinalLine: true, finalLine: "#### 18" }],
    [COT + "The answer is 18.", { strictFinalLine: true }],
    [COT + "Therefore, the final answer is $\\boxed{18}$.", { strictFinalLine: true }],
    [COT + "**Final Answer:** 18", { strictFinalLine: true }],
    [COT + "\\[\\boxed{18}\\]", { strictFinalLine: true }],
    [COT + "#### 18 dollars", { strictFinalLine: false, trailingText: "dollars" }],
    [COT + "So she makes $18 a day.", { strictFinalLine: false, trailingText: "a day." }],
    [COT + "#### 18\nI hope this helps!", { strictFinalLine: false, trailingText: "I hope this helps!" }],
    ["", { strictFinalLine: false, exactMatch: false, finalLine: "", trailingText: null }],
  ]);
});

describe("trailingText and multipleAnswers on hallucinated continuations", () => {
  rows([
    [COT + "#### 18\n\nQuestion: Tom has 3 apples and buys 5 more.\nAnswer: 3 + 5 = 8\n#### 8", {
      hasTrailingText: true, multipleAnswers: true, conflicting: true, distinctAnswers: ["18", "8"], candidateCount: 3,
    }],
    [COT + "The answer is 18.\n#### 18", { multipleAnswers: true, conflicting: false, distinctAnswers: ["18"] }],
    [COT + "The answer is $18.00.\n#### 18", { multipleAnswers: true, conflicting: false, distinctAnswers: ["18"] }],
    [COT + "The answer is 17.\nWait, recheck: \\boxed{18}", { multipleAnswers: true, conflicting: true }],
    [COT + "She makes 18 dollars.", { multipleAnswers: false, conflicting: false, candidateCount: 1 }],
  ]);
});

describe("works for any Extraction (math-style boxed answers)", () => {
  test("a MATH extraction of \\frac{1}{2} on the last line is a strict final line", () => {
    const completion = "The probability is one half.\n$$\\boxed{\\frac{1}{2}}$$";
    const start = completion.indexOf("\\frac");
    const ex: Extraction = {
      extracted: "\\frac{1}{2}",
      span: [start, start + "\\frac{1}{2}".length],
      rule: "math/boxed",
      flags: [],
      candidates: [{ text: "\\frac{1}{2}", span: [start, start + 11], rule: "math/boxed" }, { text: "0.5", span: [0, 0], rule: "math/phrase" }],
    };
    const b = answerBoundary(completion, ex);
    assert.equal(b.strictFinalLine, true);
    assert.equal(b.trailingText, "");
    assert.equal(b.conflicting, false, "1/2 and 0.5 are the same value");
  });
  test("symbolic answers compare as text without spaces", () => {
    assert.equal(normalizeAnswerText("x + 1"), "x+1");
    assert.equal(normalizeAnswerText("\\left( 1, 2 \\right)"), "(1,2)");
    assert.equal(normalizeAnswerText("$1,234.50"), "1234.5");
    assert.equal(normalizeAnswerText("\\frac{3}{4}"), "0.75");
  });
});
