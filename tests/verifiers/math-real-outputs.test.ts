/**
 * What real models write, grouped by family: each row is right and must score `correct` in `default` mode (and in
 * `contract` when it has exactly one box). Completions imitate chat, o1-style and base-model outputs: markdown,
 * Unicode, LaTeX spacing, Minerva's compact golds, answers stated in a sentence.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { verifyMath } from "../../src/verifiers/math/index.js";

type Row = [gold: string, completion: string];

const o1 = (answer: string) =>
  `**Step 1.** Set up the equation.\n\n**Step 2.** Solve it.\n\n**Final Answer**\n\\[\n\\boxed{${answer}}\n\\]`;

const FAMILIES: Record<string, Row[]> = {
  "LaTeX spacing inside the box": [
    ["(-4,1)", "The solution is $\\boxed{\\, (-4,\\ 1)\\,}$."],
    ["x^2-10x+41", "The polynomial is $\\boxed{x^{2} - 10\\,x +\\;41}$."],
    ["x^2-10x+41", o1("x^{2} - 10\\!x \\quad +41")],
    ["\\frac{3}{4}", "So $P = \\boxed{\\,\\dfrac{3}{4}\\,}$."],
    ["10080", "There are $\\boxed{10\\,080}$ arrangements."],
  ],
  "markdown and Unicode": [
    ["81", "The answer is **81**"],
    ["81", "So the total is 81.\n\n**Answer: 81**"],
    ["14", "Final answer: 14**"],
    ["81", "Final answer: $\\boxed{８１}$"],
    ["-5", "So $x = \\boxed{\u22125}$."],
    ["18", "The answer is $\\boxed{1\u200b8}$."],
    ["18", "The answer is\u00a0$\\boxed{18}$\u202f."],
    ["x^2", "The area is $\\boxed{x²}$."],
  ],
  "compact Minerva golds": [
    ["\\pit", "The displacement is $\\boxed{\\pi t}$."],
    ["\\pit", "The displacement is $\\boxed{t\\pi}$."],
    ["\\omegat", "The phase is $\\boxed{\\omega t}$."],
    ["\\piG", "The constant is $\\boxed{G \\pi}$."],
    ["\\lambdakT", "The energy is $\\boxed{\\lambda k T}$."],
  ],
  "E-notation golds against decimals": [
    ["1e-3", "The concentration is $\\boxed{0.001}$."],
    ["2.5e4", "The population is $\\boxed{25000}$."],
    ["4.6e-24", "The energy is $\\boxed{4.57 \\times 10^{-24}}$ J."],
    ["6.02e23", "Avogadro's number is about $\\boxed{6.022 \\times 10^{23}}$."],
  ],
  "arbitrary constants and base subscripts": [
    ["x^2 + c", "Integrating, $\\boxed{x^2 + C}$."],
    ["\\frac{x^3}{3} + C", "Integrating term by term, $\\boxed{\\frac{1}{3}x^3 + c}$."],
    ["100100_b", "In base $b$ the number is $\\boxed{100100_b}$."],
    ["10001_2", "In binary that is $\\boxed{10001_{2}}$."],
  ],
  "the final answer stated in a sentence": [
    ["7", "Counting the cases one by one, there are 7 such numbers."],
    ["2", "After the break Sam took 2 more hours."],
    ["7425", "So she earns $7425 in 1 week."],
    ["12", "Adding the two groups gives 5 + 7 = 12 apples"],
  ],
  "units the gold does not state, or states the same": [
    ["10", "The side is $\\boxed{10\\text{ cm}}$."],
    ["10\\text{ cm}", "The side is $\\boxed{10 \\text{ centimeters}}$."],
    ["10\\text{ cm}", "The side is $\\boxed{0.1\\text{ m}}$."],
    ["5\\text{ hours}", "It takes $\\boxed{5 \\text{ hrs}}$."],
    ["30^\\circ", "The angle is $\\boxed{30^{\\circ}}$."],
    ["30", "The angle is $\\boxed{30^\\circ}$."],
  ],
  "answers that agree with themselves": [
    ["18", "The total is $\\boxed{18}$.\n\nFinal Answer: The final answer is $18$. I hope it is correct."],
    ["\\frac{639}{40}", "So the mean is $\\boxed{15\\frac{39}{40}}$, i.e. $\\boxed{\\frac{639}{40}}$."],
    ["3", "Since $x \\neq 0$, the answer is $\\boxed{3}$. Check: $3 \\cdot 2 = 6$ ✓."],
    ["3", "It is not hard to see that the answer is $\\boxed{3}$."],
    ["\\frac{1}{3}", "So $p = \\boxed{\\frac{1}{3} \\approx 0.333}$."],
  ],
};

for (const [family, rows] of Object.entries(FAMILIES)) {
  describe(`real outputs: ${family}`, () => {
    for (const [gold, completion] of rows) {
      const shown = completion.length > 70 ? "…" + completion.slice(-60) : completion;
      test(`gold ${JSON.stringify(gold)} vs ${JSON.stringify(shown)} is correct`, () => {
        const v = verifyMath(gold, completion);
        assert.equal(v.status, "correct", `${v.rule}: ${v.normalizedGold} | ${v.normalizedPred} (extracted ${JSON.stringify(v.extracted)})`);
        assert.ok(v.span && completion.slice(v.span[0], v.span[1]) === v.extracted, "span points at the extracted text");
        if ((completion.match(/\\boxed/g) ?? []).length === 1) {
          const c = verifyMath(gold, completion, { mode: "contract" });
          assert.equal(c.status, "correct", `contract: ${c.rule}`);
        }
      });
    }
  });
}
