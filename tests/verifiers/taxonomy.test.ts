import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  aggregateFailures,
  classifyFailure,
  FAILURE_CATEGORIES,
  looksCutMidSentence,
  type FailureCategory,
} from "../../src/verifiers/taxonomy.js";
import { extractGsm8k, verifyGsm8k, type Gsm8kMode } from "../../src/verifiers/gsm8k/index.js";
import type { Verdict } from "../../src/schemas/verdict.js";

const GOLD = "She sells 9 eggs.\nShe makes 9 * 2 = $<<9*2=18>>18.\n#### 18";
const COT = "Janet's ducks lay 16 eggs. She uses 3 + 4 = 7, so 16 - 7 = 9 are sold.\nAt $2 each she makes 9 * 2 = ";

type Row = [mode: Gsm8kMode, completion: string, finishReason: string | undefined, expected: FailureCategory | null];

function classify(mode: Gsm8kMode, completion: string, finishReason?: string) {
  const v = verifyGsm8k(GOLD, completion, { mode });
  return classifyFailure(v, completion, extractGsm8k(completion, { mode }), finishReason);
}

function rows(table: Row[]) {
  for (const [mode, completion, finish, expected] of table) {
    test(`${mode} ${JSON.stringify(completion.slice(-40))} finish=${finish} → ${expected}`, () => {
      const c = classify(mode, completion, finish);
      assert.equal(c.category, expected, c.reason);
      assert.ok(c.reason.length > 0);
    });
  }
}

describe("truncated", () => {
  rows([
    ["numeric", COT + "18 dollars per day, minus 2 for", "length", "truncated"],
    ["numeric", COT + "18.\n#### 17", "length", "truncated"],
    ["numeric", COT + "18 dollars. Then she also sells 3 muffins which cost", undefined, "truncated"],
    ["numeric", COT + "\\boxed{1", undefined, "truncated"],
    ["numeric", COT + "17 dollars. Then she also sells muffins which cost", "stop", "wrong_value_messy"],
  ]);
});

describe("unparseable", () => {
  rows([
    ["numeric", "I am not sure how to solve this problem.", "stop", "unparseable"],
    ["lm-eval-strict", "I cannot tell.\n#### unknown", "stop", "unparseable"],
  ]);
});

describe("multiple_conflicting_answers", () => {
  rows([
    ["lm-eval-flexible", COT + "18\n#### 18\n\nQuestion: Tom has 3 apples and buys 5.\nAnswer: 3 + 5 = 8\n#### 8", "stop", "multiple_conflicting_answers"],
    ["numeric", COT + "17.\n#### 17\nActually, the answer is \\boxed{18}", "stop", "multiple_conflicting_answers"],
  ]);
});

describe("format_only: the right value is present but the rule rejected it", () => {
  rows([
    ["lm-eval-strict", COT + "18. The answer is 18.", "stop", "format_only"],
    ["lm-eval-strict", COT + "18\n####18", "stop", "format_only"],
    ["lm-eval-strict", COT + "18.00\n#### 18.00", "stop", "format_only"],
    ["lm-eval-cot-strict", COT + "18. The answer is 18", "stop", "format_only"],
    ["lm-eval-flexible", COT + "$18.00", "stop", "format_only"],
  ]);
});

describe("wrong values", () => {
  rows([
    ["numeric", COT + "17.\n#### 17", "stop", "wrong_value_clean_final_line"],
    ["numeric", COT + "17.\nThe answer is 17.", "stop", "wrong_value_clean_final_line"],
    ["numeric", COT + "17 dollars, which she spends on feed.", "stop", "wrong_value_messy"],
    ["numeric", COT + "17.\n#### 17 dollars a day", "stop", "wrong_value_messy"],
  ]);
});

describe("correct and verifier errors", () => {
  test("a correct verdict has no category", () => {
    assert.equal(classify("numeric", COT + "18.\n#### 18").category, null);
  });
  test("timeout and error verdicts are verifier_error, not model failures", () => {
    const v: Verdict = { status: "timeout", score: 0, extracted: null, span: null, normalizedGold: "1", normalizedPred: null, rule: "math/symbolic", ms: 5000, message: "over 5000 ms" };
    const c = classifyFailure(v, "\\boxed{x}", extractGsm8k("\\boxed{x}"));
    assert.equal(c.category, "verifier_error");
    assert.match(c.reason, /timeout: over 5000 ms/);
  });
  test("looksCutMidSentence reads the last character and open boxes", () => {
    assert.equal(looksCutMidSentence("so she has"), true);
    assert.equal(looksCutMidSentence("9 * 2 ="), true);
    assert.equal(looksCutMidSentence("She has 18."), false);
    assert.equal(looksCutMidSentence("**18**"), false);
    assert.equal(looksCutMidSentence("= 18"), false);
    assert.equal(looksCutMidSentence(""), false);
    assert.equal(looksCutMidSentence("\\boxed{\\frac{1}{2}"), true);
  });
});

describe("aggregateFailures", () => {
  test("counts every category, fractions over n and over failures", () => {
    const a = aggregateFailures(["truncated", "truncated", null, "format_only", null]);
    assert.equal(a.n, 5);
    assert.equal(a.failures, 3);
    assert.equal(a.counts.truncated, 2);
    assert.equal(a.counts.unparseable, 0);
    assert.equal(a.fractions.truncated, 2 / 5);
    assert.equal(a.fractionsOfFailures.truncated, 2 / 3);
    assert.deepEqual(Object.keys(a.counts).sort(), [...FAILURE_CATEGORIES].sort());
    const sum = Object.values(a.fractionsOfFailures).reduce((s, x) => s + x, 0);
    assert.ok(Math.abs(sum - 1) < 1e-12);
  });
  test("accepts classifyFailure results", () => {
    const a = aggregateFailures([classify("numeric", COT + "17.\n#### 17"), classify("numeric", COT + "18.\n#### 18")]);
    assert.equal(a.counts.wrong_value_clean_final_line, 1);
    assert.equal(a.failures, 1);
  });
  test("empty input gives n = 0 and zero fractions, not NaN", () => {
    const a = aggregateFailures([]);
    assert.equal(a.n, 0);
    for (const c of FAILURE_CATEGORIES) {
      assert.equal(a.fractions[c], 0);
      assert.equal(a.fractionsOfFailures[c], 0);
    }
  });
  test("an unknown category is rejected with the valid list", () => {
    assert.throws(() => aggregateFailures(["bogus" as FailureCategory]), /use one of truncated/);
  });
});
