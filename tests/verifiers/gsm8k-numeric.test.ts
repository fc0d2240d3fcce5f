import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  canonicalNumber,
  extractGsm8k,
  numbersEqual,
  parseGsm8kGold,
  parseGsm8kOptions,
  parseNumberText,
  verifyGsm8k,
  verifyGsm8kSideBySide,
} from "../../src/verifiers/gsm8k/index.js";
import { answerBoundary } from "../../src/verifiers/boundary.js";
import { classifyFailure, FAILURE_CATEGORIES } from "../../src/verifiers/taxonomy.js";
import { Verdict } from "../../src/schemas/verdict.js";

const JANET_GOLD =
  "Janet sells 16 - 3 - 4 = <<16-3-4=9>>9 duck eggs a day.\nShe makes 9 * 2 = $<<9*2=18>>18 every day at the farmer’s market.\n#### 18";

const COT =
  "Janet's ducks lay 16 eggs per day. She eats 3 for breakfast and uses 4 for muffins, so she uses 3 + 4 = 7 eggs.\n" +
  "That leaves 16 - 7 = 9 eggs to sell.\nEach egg sells for $2, so she makes 9 * 2 = $18 every day.\n";

type Row = [gold: string, completion: string, expected: { status: string; extracted: string | null; rule: string }];

function check(rows: Row[]) {
  for (const [gold, completion, exp] of rows) {
    test(`${JSON.stringify(completion.slice(-50))} → ${exp.status} via ${exp.rule}`, () => {
      const v = verifyGsm8k(gold, completion);
      assert.equal(v.status, exp.status, JSON.stringify(v));
      assert.equal(v.extracted, exp.extracted);
      assert.equal(v.rule, exp.rule);
      if (v.span !== null) assert.equal(completion.slice(v.span[0], v.span[1]), v.extracted);
      else assert.equal(v.extracted, null);
      assert.ok(Verdict.safeParse(v).success, "verdict matches the Verdict schema");
    });
  }
}

describe("numeric mode: extraction chain #### → \\boxed{} → answer phrase → last number", () => {
  check([
    [JANET_GOLD, COT + "#### 18", { status: "correct", extracted: "18", rule: "gsm8k/hash+numeric:exact" }],
    [JANET_GOLD, COT + "####18", { status: "correct", extracted: "18", rule: "gsm8k/hash+numeric:exact" }],
    [JANET_GOLD, COT + "#### $18.00", { status: "correct", extracted: "$18.00", rule: "gsm8k/hash+numeric:exact" }],
    [JANET_GOLD, COT + "#### **18** dollars", { status: "correct", extracted: "18", rule: "gsm8k/hash+numeric:exact" }],
    [JANET_GOLD, COT + "Therefore, the final answer is $\\boxed{18}$.", { status: "correct", extracted: "18", rule: "gsm8k/boxed+numeric:exact" }],
    [JANET_GOLD, COT + "The answer is \\boxed{\\$18.00}.", { status: "correct", extracted: "\\$18.00", rule: "gsm8k/boxed+numeric:exact" }],
    [JANET_GOLD, COT + "The answer is 18.", { status: "correct", extracted: "18", rule: "gsm8k/phrase+numeric:exact" }],
    [JANET_GOLD, COT + "**Final Answer:** 18 dollars", { status: "correct", extracted: "18", rule: "gsm8k/phrase+numeric:exact" }],
    [JANET_GOLD, COT + "Final answer:\n18", { status: "correct", extracted: "18", rule: "gsm8k/phrase+numeric:exact" }],
    [JANET_GOLD, COT + "So she makes 18 dollars a day.", { status: "correct", extracted: "18", rule: "gsm8k/last-number+numeric:exact" }],
    [JANET_GOLD, COT + "#### 17", { status: "wrong", extracted: "17", rule: "gsm8k/hash+numeric:differ" }],
    [JANET_GOLD, COT + "The answer is 18 but first I add 2 more eggs: 20", { status: "correct", extracted: "18", rule: "gsm8k/phrase+numeric:exact" }],
    [JANET_GOLD, COT + "The answer is 9 * 2 = 18 dollars.", { status: "correct", extracted: "18", rule: "gsm8k/phrase+numeric:exact" }],
    [JANET_GOLD, COT + "My answer is 18, and I am confident. Tomorrow she will have 16 eggs again.", { status: "correct", extracted: "18", rule: "gsm8k/phrase+numeric:exact" }],
    [JANET_GOLD, COT + "These answers add up: 18", { status: "correct", extracted: "18", rule: "gsm8k/last-number+numeric:exact" }],
    [JANET_GOLD, COT + "İstanbul answer: 18 (not 16)", { status: "correct", extracted: "18", rule: "gsm8k/phrase+numeric:exact" }],
  ]);
});

describe("numeric mode: hallucinated continuations after the answer", () => {
  check([
    [JANET_GOLD, COT + "#### 18\n\nQuestion: Tom has 3 apples and buys 5 more. How many does he have?\nAnswer: 3 + 5 = 8\n#### 8",
      { status: "correct", extracted: "18", rule: "gsm8k/hash+numeric:exact" }],
    [JANET_GOLD, COT + "The answer is 18.\n\nQ: There are 15 trees in the grove. The answer is 6.",
      { status: "correct", extracted: "18", rule: "gsm8k/phrase+numeric:exact" }],
    [JANET_GOLD, COT + "She makes 18 dollars.<|im_end|>\n<|im_start|>user\nNow 3 more", { status: "correct", extracted: "18", rule: "gsm8k/last-number+numeric:exact" }],
  ]);
  test("the continuation is flagged and its markers stay in candidates", () => {
    const e = extractGsm8k(COT + "#### 18\n\nQuestion: Tom has 3 apples.\n#### 8");
    assert.ok(e.flags.includes("gsm8k:continuation-ignored"));
    assert.deepEqual(e.candidates.map((c) => c.text), ["18", "8"]);
  });
  test("a question restated at the very start is not a continuation", () => {
    const c = "Question: how much does Janet make?\nShe makes 9 * 2 = 18 dollars.";
    const e = extractGsm8k(c);
    assert.equal(e.extracted, "18");
    assert.ok(!e.flags.includes("gsm8k:continuation-ignored"));
  });
});

describe("numeric mode: number formats", () => {
  check([
    ["1234.5", "The total is 1,000 + 234.50 = $1,234.50.", { status: "correct", extracted: "$1,234.50", rule: "gsm8k/last-number+numeric:exact" }],
    ["1234", "He paid $1,234 in total.\n#### 1,234", { status: "correct", extracted: "1,234", rule: "gsm8k/hash+numeric:exact" }],
    ["-5", "It was 3 degrees and dropped 8, so 3 - 8 = -5.\n#### -5", { status: "correct", extracted: "-5", rule: "gsm8k/hash+numeric:exact" }],
    ["-5", "It dropped to −5 degrees.\n#### −5", { status: "correct", extracted: "−5", rule: "gsm8k/hash+numeric:exact" }],
    ["2", "The difference is 20-18", { status: "wrong", extracted: "18", rule: "gsm8k/last-number+numeric:differ" }],
    ["0.75", "She ate 3/4 of the pie.\n#### 3/4", { status: "correct", extracted: "3/4", rule: "gsm8k/hash+numeric:exact" }],
    ["0.75", "So the fraction is \\boxed{\\frac{3}{4}}", { status: "correct", extracted: "\\frac{3}{4}", rule: "gsm8k/boxed+numeric:exact" }],
    ["25", "The discount is 25%.", { status: "correct", extracted: "25%", rule: "gsm8k/last-number+numeric:exact" }],
    ["1000000", "That is 1{,}000{,}000 dollars: \\boxed{1{,}000{,}000}", { status: "correct", extracted: "1{,}000{,}000", rule: "gsm8k/boxed+numeric:exact" }],
    ["0.333333", "Each gets 1/3 of it. #### 1/3", { status: "correct", extracted: "1/3", rule: "gsm8k/hash+numeric:gold-precision" }],
    // A decimal gold is compared at its stated precision: 0.33 (±0.005) takes 1/3, 0.34 does not.
    ["0.33", "Each gets 1/3 of it. #### 1/3", { status: "correct", extracted: "1/3", rule: "gsm8k/hash+numeric:gold-precision" }],
    ["0.34", "Each gets 1/3 of it. #### 1/3", { status: "wrong", extracted: "1/3", rule: "gsm8k/hash+numeric:differ" }],
    ["18", "Eighteen eggs.", { status: "unparseable", extracted: null, rule: "gsm8k/none" }],
    ["18", "", { status: "unparseable", extracted: null, rule: "gsm8k/none" }],
    ["1000000000000000000000000", "That is a lot of sand grains.\n#### 1,000,000,000,000,000,000,000,000", { status: "correct", extracted: "1,000,000,000,000,000,000,000,000", rule: "gsm8k/hash+numeric:exact" }],
  ]);
  test("a gold without a number is a verifier error, never a silent wrong", () => {
    const v = verifyGsm8k("eighteen", "#### 18");
    assert.equal(v.status, "error");
    assert.equal(v.score, 0);
    assert.match(v.message ?? "", /#### N/);
  });
});

describe("numbers and tolerance", () => {
  test("parseNumberText reads commas, $, %, unicode minus, fractions, LaTeX thousands; rejects malformed", () => {
    const table: [string, number | null][] = [
      ["18", 18], ["18.00", 18], ["18.", 18], ["$1,234.50", 1234.5], ["−7", -7], ["-$3", -3], ["3/4", 0.75],
      ["25%", 25], ["1{,}000", 1000], [".5", 0.5], ["1,2", null], ["1/0", null], ["", null], ["abc", null], ["1e5", null],
    ];
    for (const [s, v] of table) assert.equal(parseNumberText(s), v, s);
  });
  test("numbersEqual uses |a−b| ≤ relTol·max(|a|,|b|,1) and never equates NaN", () => {
    assert.ok(numbersEqual(18, 18.0000001));
    assert.ok(!numbersEqual(18, 18.01));
    assert.ok(numbersEqual(0, 1e-7));
    assert.ok(!numbersEqual(NaN, NaN));
    assert.ok(numbersEqual(1e20, 1e20 + 1e13));
    assert.ok(!numbersEqual(18, 18.01, 0));
    assert.ok(numbersEqual(18, 18.01, 1e-3));
  });
  test("canonicalNumber prints integers plainly and hides binary noise", () => {
    assert.equal(canonicalNumber(18), "18");
    assert.equal(canonicalNumber(-0), "0");
    assert.equal(canonicalNumber(0.1 + 0.2), "0.3");
    assert.equal(canonicalNumber(1234.5), "1234.5");
  });
  test("parseGsm8kGold takes the text after the last ####, or the bare number", () => {
    const pick = (g: ReturnType<typeof parseGsm8kGold>) => ({ text: g.text, value: g.value });
    assert.deepEqual(pick(parseGsm8kGold(JANET_GOLD)), { text: "18", value: 18 });
    assert.deepEqual(pick(parseGsm8kGold(" 1,234 ")), { text: "1,234", value: 1234 });
    assert.equal(parseGsm8kGold("").value, null);
    assert.deepEqual(pick(parseGsm8kGold("x\n#### 18 dollars")), { text: "18 dollars", value: 18 });
    // A solution that lost its `#### N` line is refused, not read as its first number (16).
    assert.equal(parseGsm8kGold("Janet has 16 eggs and sells 9 of them for $18.").value, null);
  });
  test("relTol option widens the numeric comparison", () => {
    assert.equal(verifyGsm8k("0.33", "#### 1/3", { relTol: 0.02 }).status, "correct");
  });
});

describe("options", () => {
  test("parseGsm8kOptions fills defaults and explains bad values", () => {
    assert.equal(parseGsm8kOptions({}).mode, "numeric");
    assert.throws(() => parseGsm8kOptions({ mode: "loose" }), /mode.*Valid modes: numeric/);
    assert.throws(() => parseGsm8kOptions({ relTol: -1 }), /relTol/);
  });
  test("an unknown mode in the hot path throws instead of falling back", () => {
    assert.throws(() => verifyGsm8k("1", "1", { mode: "nope" as never }), /unknown GSM8K mode/);
  });
  test("a 200k-character completion is verified with the span at its very end", () => {
    const long = "She adds 3 and 4 to get 7. ".repeat(8000) + "\n#### 18";
    const v = verifyGsm8k("18", long);
    assert.equal(v.status, "correct");
    assert.equal(v.span?.[1], long.length);
  });
});

describe("untrusted input: pathological completions finish (linear scans, no regex blow-up)", () => {
  const inputs: Record<string, string> = {
    "20k answer phrases without numbers": "answer: x ".repeat(20000),
    "30k #### markers without numbers": "#### x ".repeat(30000),
    "200k digits": "1".repeat(200000),
    "30k unclosed boxes": "\\boxed{".repeat(30000),
    "cot phrase then 100k digits": "The answer is " + "1".repeat(100000),
    "200k number punctuation": "-$.,".repeat(50000),
    "30k conflicting #### answers": "#### 1\n".repeat(15000) + "#### 2\n".repeat(15000),
  };
  for (const [name, text] of Object.entries(inputs)) {
    // The timeout is a hang guard for quadratic behaviour, far above the ~0.1–1 s these take.
    test(name, { timeout: 60_000 }, () => {
      const r = verifyGsm8kSideBySide("5", text);
      for (const v of [r.strict, r.flexible, r.cotStrict, r.numeric]) {
        if (v.span !== null) assert.equal(text.slice(v.span[0], v.span[1]), v.extracted);
      }
      const e = extractGsm8k(text);
      const c = classifyFailure(r.numeric, text, e);
      assert.ok(c.category === null || FAILURE_CATEGORIES.includes(c.category));
    });
  }
  test("30k conflicting answers are reported as such", () => {
    const text = inputs["30k conflicting #### answers"];
    const b = answerBoundary(text, extractGsm8k(text));
    assert.equal(b.candidateCount, 30000);
    assert.deepEqual(b.distinctAnswers, ["1", "2"]);
  });
});
