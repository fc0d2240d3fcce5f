/**
 * GSM8K numeric (default) mode on completions written the way real models write them (chat, o1-style, base
 * few-shot), grouped by family: each is right and must score 1, with the extraction rule that found it.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { verifyGsm8k } from "../../src/verifiers/gsm8k/index.js";
import { Verdict } from "../../src/schemas/verdict.js";

type Row = [gold: string, completion: string, extracted: string, rule: RegExp];

function family(name: string, rows: Row[]): void {
  describe(name, () => {
    for (const [gold, completion, extracted, rule] of rows) {
      test(`${JSON.stringify(completion.slice(-60))} → correct via ${rule.source}`, () => {
        const v = verifyGsm8k(gold, completion);
        assert.equal(v.status, "correct", JSON.stringify(v));
        assert.equal(v.extracted, extracted);
        assert.match(v.rule, rule);
        assert.equal(completion.slice(v.span![0], v.span![1]), extracted, "span points at the answer in the model's own text");
        assert.ok(Verdict.safeParse(v).success);
      });
    }
  });
}

family("the final answer stated in a sentence", [
  ["7", "The two-digit multiples of 13 are 13, 26, 39, 52, 65, 78 and 91. Counting them one by one, there are 7 such numbers between 10 and 99.", "7", /final-sentence/],
  ["2", "Sam's trip takes 6 hours and Ann's takes 4 hours, so 6 - 4 = 2. Sam took 2 more hours than Ann's 4.", "2", /final-sentence/],
  ["7425", "She earns $1,485 per day for 5 days: 1,485 * 5 = 7,425. She earns $7425 in 1 week.", "$7425", /final-sentence/],
  ["25", "Tom is 20 now. He will be 25 in 5 years.", "25", /final-sentence/],
  ["18", "16 - 3 - 4 = 9 eggs are left, and 9 * 2 = 18.\nSo Janet makes $18 every day.\n\nNote: the muffins are not sold, so they add nothing to the 2 dollars per egg.", "$18", /last-number/],
  ["40", "Each week she saves 10 dollars. After 4 weeks she has 4 * 10 = 40 dollars.", "40", /last-number/],
]);

family("markdown emphasis", [
  ["81", "Each row has 9 seats and there are 9 rows.\n\n9 × 9 = 81\n\n**81**", "81", /last-number/],
  ["81", "### Solution\n9 rows of 9 seats: 9 × 9 = 81.\n\n**Answer:** **81**", "81", /phrase/],
  ["14", "She bakes 2 batches of 7 cookies, so she has 2 * 7 = **14** cookies.", "14", /last-number/],
  ["14", "Total cookies = 2 × 7 = 14**", "14", /last-number/],
  ["18", "#### Step 1: eggs left\n16 - 3 - 4 = 9\n#### Step 2: money\n9 × $2 = $18\n\n**Final Answer: 18**", "18", /phrase/],
  ["18", "The answer is *18*.", "18", /phrase/],
]);

family("unicode spaces, minus and digits", [
  ["1234", "The total is 1\u00A0000 + 234 = 1\u00A0234 dollars.\n#### 1\u00A0234", "1\u00A0234", /hash/],
  ["5000", "She saved 5\u202F000 dollars in total.", "5\u202F000", /last-number/],
  ["-5", "It was 3 degrees and dropped 8, so 3 − 8 = −5.\n#### −5", "−5", /hash/],
  ["18", "She makes ９ × ２ = １８ dollars.\n#### １８", "１８", /hash/],
  ["18", "#### \u200E18\u200F", "18", /hash/],
  ["18", "The answer is 1\u200B8.", "1\u200B8", /phrase/],
]);

family("units and suffixes glued on", [
  ["2600", "The box holds 13 bags of 200 g, so 13 * 200 = 2600g.\n#### 2600g", "2600", /hash/],
  ["156", "Each crate weighs 12 kg and there are 13 crates: 12 * 13 = 156.\n#### 156kgs", "156", /hash/],
  ["18", "Counting from the first step, she finishes on step 18.\n#### 18th", "18", /hash/],
  ["77", "The jacket costs €70 plus 10% tax: 70 * 1.1 = 77.\n#### €77", "€77", /hash/],
  ["540", "#### 540 meters", "540", /hash/],
  ["12", "He drives at 12 miles per hour.\n#### 12 miles per hour", "12", /hash/],
  ["3", "The train leaves at 1:00 and the trip takes 2 hours, so it arrives at 3:00 PM.", "3:00", /last-number/],
  ["3", "#### 3:00 PM", "3:00", /hash/],
]);

family("answer phrases and boxes", [
  ["18", "Janet sells 9 eggs at $2 each.\nThe answer is 18.", "18", /phrase/],
  ["18", "She makes 9 * 2 = $18.\nFinal answer:\n18", "18", /phrase/],
  ["8", "He has 3 apples and buys 5 more.\nAnswer: 3 + 5 = 8", "8", /phrase/],
  ["18", "9 eggs × $2 = $18.\n\nTherefore, the final answer is $\\boxed{18}$.", "18", /boxed/],
  ["18", "The answer is \\boxed{\\$18.00}.", "\\$18.00", /boxed/],
  ["18", "<think>9 eggs, $2 each.</think>\n<answer>18</answer>", "18", /answer-tag/],
  ["18", "İstanbul answer: 18 (not 16)", "18", /phrase/],
]);

family("self-checks that confirm the answer", [
  ["18", "The answer is 18. Wait, let me double-check: 16 - 3 - 4 = 9 and 9 × 2 = 18. Yes, 18.", "18", /phrase/],
  ["18", "#### 18\n\nQuestion: Tom has 3 apples and buys 5 more. How many?\nAnswer: 3 + 5 = 8\n#### 8", "18", /hash/],
]);
