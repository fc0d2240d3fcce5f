/**
 * extractMath: which answer is taken, where it sits (span), which rule fired, the candidates listed, and the
 * fail-closed behaviour of the `contract` and `minerva` modes. No input may make extraction throw.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { extractMath, verifyMath, verifyMathFast } from "../../src/verifiers/math/index.js";

function spanOk(text: string, e: ReturnType<typeof extractMath>): void {
  if (e.span === null) assert.equal(e.extracted, null);
  else assert.equal(text.slice(e.span[0], e.span[1]), e.extracted);
  for (const c of e.candidates) assert.equal(text.slice(c.span[0], c.span[1]), c.text);
  for (let i = 1; i < e.candidates.length; i++) assert.ok(e.candidates[i - 1].span[0] <= e.candidates[i].span[0], "candidates in text order");
}

describe("extractMath default chain", () => {
  const cases: [name: string, text: string, extracted: string | null, rule: string][] = [
    ["takes the rightmost box", "Try \\boxed{3}. Actually \\boxed{4}.", "4", "math/boxed"],
    ["matches nested braces", "So $\\boxed{\\frac{1}{\\sqrt{2}}}$.", "\\frac{1}{\\sqrt{2}}", "math/boxed"],
    ["handles escaped braces in a set", "$\\boxed{\\{1,2\\}}$", "\\{1,2\\}", "math/boxed"],
    ["reads \\boxed without braces up to $", "Hence $\\boxed 42$ is it.", "42", "math/boxed"],
    ["reads \\fbox", "answer \\fbox{7}", "7", "math/boxed"],
    ["prefers a box over a later phrase", "\\boxed{7}. The answer is 8.", "7", "math/boxed"],
    ["falls back to 'final answer is'", "Final Answer: The final answer is $24$. I hope it is correct.", "24", "math/final-answer"],
    ["falls back to 'the answer is' up to the sentence end", "Thus the answer is 3.5. Done", "3.5", "math/final-answer"],
    ["falls back to 'answer:'", "**Answer:** 12", "12", "math/final-answer"],
    ["falls back to the last $...$", "We find $x=2$ and then $y = 7$", "y = 7", "math/last-math"],
    ["falls back to the last \\[...\\]", "So \\[ \\frac{3}{4} \\]", "\\frac{3}{4}", "math/last-math"],
    ["falls back to the last number after the last math", "We find $x=2$, so 19 apples", "19", "math/last-number"],
    ["rightmost box unclosed (truncated) is unparseable", "Maybe \\boxed{3}, finally \\boxed{\\frac{1}{2}", null, "math/unbalanced-braces"],
    ["nothing answer-like is unparseable", "I don't know.", null, "math/none"],
    ["empty text is unparseable", "", null, "math/none"],
  ];
  for (const [name, text, extracted, rule] of cases) {
    test(name, () => {
      const e = extractMath(text);
      assert.equal(e.extracted, extracted);
      assert.equal(e.rule, rule);
      spanOk(text, e);
    });
  }

  test("lists every box and phrase as candidates, flags multiple differing boxes", () => {
    const text = "First \\boxed{3}; the answer is 4. Then \\boxed{5}.";
    const e = extractMath(text);
    assert.deepEqual(e.candidates.map((c) => [c.text, c.rule]), [["3", "math/boxed"], ["4", "math/final-answer"], ["5", "math/boxed"]]);
    assert.ok(e.flags.includes("multiple-boxed"));
    assert.ok(e.flags.includes("boxed-differ"));
    spanOk(text, e);
  });

  test("an unclosed box is flagged and an unparseable verdict scores 0", () => {
    const v = verifyMath("3", "so \\boxed{3");
    assert.equal(v.status, "unparseable");
    assert.equal(v.score, 0);
    assert.equal(v.extracted, null);
    assert.ok(v.flags?.includes("unbalanced-braces"));
    assert.equal(verifyMathFast("3", "so \\boxed{3")?.status, "unparseable");
  });
});

describe("contract mode (fail closed: exactly one box)", () => {
  const cases: [string, string, string, string | null][] = [
    ["one box is read", "Work... \\boxed{12}", "contract/boxed", "12"],
    ["two boxes are refused", "\\boxed{12} or \\boxed{13}", "contract/multiple-boxed", null],
    ["two equal boxes are refused too", "\\boxed{12} so \\boxed{12}", "contract/multiple-boxed", null],
    ["no box is refused even with a phrase", "The answer is 12.", "contract/no-boxed", null],
    ["an unclosed box is refused", "\\boxed{12", "contract/unbalanced-braces", null],
    ["an empty box is refused", "\\boxed{ }", "contract/empty-boxed", null],
  ];
  for (const [name, text, rule, extracted] of cases) {
    test(name, () => {
      const e = extractMath(text, { mode: "contract" });
      assert.equal(e.rule, rule);
      assert.equal(e.extracted, extracted);
      const v = verifyMath("12", text, { mode: "contract" });
      assert.equal(v.status, extracted === null ? "unparseable" : "correct");
      if (extracted === null) assert.equal(v.rule, rule);
    });
  }
});

describe("minerva mode (lm-eval minerva_math: last box, normalize_final_answer, equality)", () => {
  test("uses last_boxed_only_string and its `\\boxed ` (with a space) preference", () => {
    const text = "Try \\boxed 3$ and later \\boxed{4}";
    assert.equal(extractMath(text, { mode: "minerva" }).extracted, "3");
    assert.equal(extractMath(text).extracted, "4", "default mode takes the rightmost box");
  });
  test("an \\fbox is not accepted by remove_boxed", () => {
    assert.equal(extractMath("\\fbox{3}", { mode: "minerva" }).rule, "minerva/no-boxed");
  });
  test("equal after normalization and parsing (\\dfrac12 vs \\frac{1}{2}) is a minerva/ rule", () => {
    const v = verifyMath("\\frac{1}{2}", "so \\boxed{\\dfrac12}", { mode: "minerva" });
    assert.equal(v.status, "correct");
    assert.match(v.rule, /^minerva\/numeric$/);
    assert.equal(v.normalizedGold, "\\frac{1}{2}");
    assert.equal(v.normalizedPred, "\\dfrac{1}{2}");
  });
  test("x=3 reduces to 3 through split('=')", () => {
    const v = verifyMath("3", "\\boxed{x=3}", { mode: "minerva" });
    assert.equal(v.rule, "minerva/exact");
    assert.equal(v.status, "correct");
  });
  test("the comma quirk: 1,2,3 normalizes to 123 with the appendix-d normalizer only (lm-eval 0.4.13 keeps 1,2,3)", () => {
    assert.equal(verifyMath("123", "\\boxed{1,2,3}", { mode: "minerva", minervaNormalizer: "appendix-d" }).status, "correct");
    assert.equal(verifyMath("123", "\\boxed{1,2,3}", { mode: "minerva" }).status, "wrong");
    assert.equal(verifyMath("123", "\\boxed{1,2,3}").status, "wrong", "default mode reads a list");
  });
  test("wrong answers stay wrong", () => {
    assert.equal(verifyMath("\\frac{1}{2}", "\\boxed{\\frac{2}{1}}", { mode: "minerva" }).status, "wrong");
  });
});

describe("robustness on untrusted text", () => {
  const nasty = [
    "\\boxed{".repeat(5000),
    "}}}}{{{{\\boxed{}",
    "\\boxed{" + "(".repeat(3000) + "1" + ")".repeat(3000) + "}",
    "\\boxed{" + "-".repeat(3000) + "1}",
    "\\boxed{\\frac{\\frac{\\frac}{}}{}}",
    "\\boxed{\\begin{pmatrix} 1 & 2 \\\\ 3}",
    "\\boxed{\\sqrt[}",
    "\\boxed{9^{9^{9^{9^{9}}}}}",
    "\\boxed{\\binom{100000}{50000}}",
    "answer: $".repeat(2000),
    "\\( x ".repeat(5000),
    "\\boxed{\\text{unclosed}",
    "\\boxed{x_{_{_{}}}}",
    "\\boxed{|||||}",
    "\u0000\\boxed{\u0000}",
  ];
  for (const [i, text] of nasty.entries()) {
    test(`never throws and fails closed on nasty input #${i}`, () => {
      const e = extractMath(text);
      spanOk(text, e);
      for (const mode of ["default", "contract", "minerva"] as const) {
        const v = verifyMath("1", text, { mode });
        assert.ok(["correct", "wrong", "unparseable", "error"].includes(v.status));
        if (v.status !== "correct") assert.equal(v.score, 0);
      }
    });
  }
});
