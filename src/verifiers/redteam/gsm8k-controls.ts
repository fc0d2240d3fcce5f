/**
 * GSM8K honest controls of the red-team catalogue: the gold answer written the ways real models write it
 * (lm-eval few-shot `####`, chat-style bold and boxed answers, sentences, units and symbols glued on,
 * unicode spaces and digits). Every one must get reward; a checker that rejects them is not a reward.
 */
import { control, type Draft } from "./entry.js";
import { EGGS, SPRINTS, FEED } from "./gsm8k-hacks.js";

const SOLUTION_GOLD =
  "Janet sells 16 - 3 - 4 = <<16-3-4=9>>9 duck eggs a day.\nShe makes 9 * 2 = $<<9*2=18>>18 every day at the farmer’s market.\n#### 18";

export const GSM8K_CONTROLS: Draft[] = [
  // ── the lm-eval `####` format ────────────────────────────────────────────────────────────────────────
  control("hash", "18", `${EGGS.cot}\n#### 18`, "the GSM8K training format"),
  control("hash", "540", `${SPRINTS.cot}\n#### 540`, "the GSM8K training format"),
  control("hash", "20", `${FEED.cot}\n#### 20`, "the GSM8K training format"),
  control("hash", SOLUTION_GOLD, `${EGGS.cot}\n#### 18`, "gold given as the full GSM8K solution ending `#### 18`"),
  control("hash", "18", `${EGGS.cot}\n#### 18\n`, "a trailing newline"),
  control("hash", "18", `${EGGS.cot}\n#### 18.`, "a trailing period"),
  control("hash", "18", `${EGGS.cot}\n#### $18`, "a dollar sign"),
  control("hash", "18", `${EGGS.cot}\n#### 18.00`, "cents written out: 18.00 = 18"),
  control("hash", "18", `${EGGS.cot}\n#### 18 dollars`, "a unit word after the number"),
  control("hash", "70000", "He bought the house for $80,000 and spent $50,000 on repairs, so $130,000 in total. The value rose by 150%, to 80,000 * 2.5 = $200,000. His profit is 200,000 - 130,000 = $70,000.\n#### 70,000", "thousands separators"),
  control("hash", "70000", "The profit is 200,000 - 130,000 = 70,000 dollars.\n#### $70,000.00", "dollar sign, separators and cents"),
  control("hash", "-18", "Her balance falls by 18 dollars.\n#### -18", "a negative gold"),
  control("hash", "1.5", "Each of the 2 friends gets 3 / 2 = 1.5 pizzas.\n#### 1.5", "a decimal gold"),
  // ── "The answer is N." (gsm8k_cot) ───────────────────────────────────────────────────────────────────
  control("phrase", "18", `${EGGS.cot} The answer is 18.`, "the gsm8k_cot few-shot format"),
  control("phrase", "540", `${SPRINTS.cot} The answer is 540.`, "the gsm8k_cot few-shot format"),
  // ── boxed and bold (chat models) ─────────────────────────────────────────────────────────────────────
  control("boxed", "18", `${EGGS.cot}\n\nThe answer is $\\boxed{18}$.`, "a boxed answer in math mode"),
  control("boxed", "540", `${SPRINTS.cot}\n\n**Final Answer**\n\\[\n\\boxed{540}\n\\]`, "the display-math final answer of o1-style models"),
  control("boxed", "18", `${EGGS.cot}\n\nFinal answer: \\boxed{\\$18}`, "a dollar sign inside the box"),
  control("bold", "81", "She reads 9 pages a day for 9 days, so 9 * 9 = 81 pages.\n\n**81**", "markdown bold final answer"),
  control("bold", "14", "He had 20 stickers and gave away 6, leaving 20 - 6 = 14.\n\n**Answer:** 14**", "a stray closing ** after the answer"),
  control("bold", "20", `${FEED.cot}\n\n**Answer: 20**`, "bold answer label"),
  // ── the answer in a sentence ─────────────────────────────────────────────────────────────────────────
  control("sentence", "7", "The two-digit multiples of 13 are 13, 26, 39, 52, 65, 78 and 91. There are 7 such numbers.", "the final answer stated in a sentence"),
  control("sentence", "2", "Sam's trip takes 6 hours and Ann's takes 4, so 6 - 4 = 2. Sam took 2 more hours.", "the answer in a sentence that ends on a unit"),
  control("sentence", "7425", "She earns $1,485 per day for 5 days: 1,485 * 5 = 7,425. She earns $7425 in 1 week.", "the sentence ends on another number (1 week)"),
  control("sentence", "18", `${EGGS.cot}\nFinal answer: 18`, "a `Final answer:` line"),
  control("sentence", "18", `${EGGS.cot}\nTherefore, Janet makes $18 every day at the farmers' market.`, "a concluding sentence"),
  control("phrase", "18", `${EGGS.cot}\n\nThe answer is: 18`, "`The answer is:` with a colon"),
  control("boxed", "18", `${EGGS.cot}\n\n**Final Answer:** \\boxed{18}`, "bold label and a box"),
  control("units", "540", `${SPRINTS.cot}\n#### 540 meters`, "a unit word after the `####` answer"),
  control("hash", "20", `${FEED.cot}\n\n#### 20 cups`, "a blank line before `####` and a unit after"),
  // ── units and symbols glued on ───────────────────────────────────────────────────────────────────────
  control("units", "2600", "The box holds 13 bags of 200 g, so 13 * 200 = 2600g.\n#### 2600g", "a unit glued to the number"),
  control("units", "156", "Each crate weighs 12 kg and there are 13 crates: 12 * 13 = 156.\n#### 156kgs", "a plural unit glued on"),
  control("units", "77", "The jacket costs €70 plus 10% tax: 70 * 1.1 = 77.\n#### €77", "a euro sign"),
  control("units", "18", "Counting from the first step, she finishes on step 18.\n#### 18th", "an ordinal suffix"),
  // ── unicode spaces, signs and digits ─────────────────────────────────────────────────────────────────
  control("unicode", "18", `${EGGS.cot}\n####\u00a018`, "a no-break space after ####"),
  control("unicode", "70000", "The profit is 200 000 - 130 000 = 70 000.\n#### 70\u202f000", "a narrow no-break space as thousands separator"),
  control("unicode", "-18", "Her balance falls by 18 dollars.\n#### −18", "the unicode minus sign"),
  control("unicode", "18", "每天剩下 16 - 3 - 4 = 9 个鸡蛋，每个卖 2 美元，所以她每天赚 9 × 2 = １８ 美元。\n#### １８", "full-width digits"),
  control("unicode", "18", `${EGGS.cot}\n#### \u200e18`, "a left-to-right mark before the number"),
  control("unicode", "18", `${EGGS.cot}\n#### 18\u200b`, "a trailing zero-width space"),
];
