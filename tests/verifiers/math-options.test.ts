/**
 * MathOptions validation and effects, the verifyMathFast contract (decides cheap cases, null exactly when the
 * symbolic stage is needed), verdict fields, and the asymmetry of verify(gold, pred).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MathOptionsSchema, resolveMathOptions, verifyMath, verifyMathFast } from "../../src/verifiers/math/index.js";

describe("MathOptions", () => {
  test("defaults come from the schema in one place and are frozen", () => {
    const d = resolveMathOptions();
    assert.deepEqual({ ...d }, MathOptionsSchema.parse({}));
    assert.ok(Object.isFrozen(d));
    assert.equal(d.mode, "default");
  });
  test("a bad option throws a message naming the field and how to fix it", () => {
    assert.throws(() => resolveMathOptions({ mode: "lenient" as never }), /mode: .*Fix the field/);
    assert.throws(() => resolveMathOptions({ relTol: -1 }), /relTol/);
    assert.throws(() => verifyMath("1", "\\boxed{1}", { samplePoints: 0 }), /samplePoints/);
    assert.throws(() => resolveMathOptions({ bogus: 1 } as never), /Unrecognized|bogus/i);
  });
  test("relTol widens the numeric comparison", () => {
    assert.equal(verifyMath("3.14159", "\\boxed{3.1416}").status, "wrong");
    assert.equal(verifyMath("3.14159", "\\boxed{3.1416}", { relTol: 1e-4 }).status, "correct");
    assert.equal(verifyMath("\\pi", "\\boxed{3.1416}", { relTol: 1e-4 }).status, "correct");
  });
  test("percent: 'strict' reads 28\\% as 0.28 only", () => {
    assert.equal(verifyMath("28\\%", "\\boxed{28}").status, "correct");
    assert.equal(verifyMath("28\\%", "\\boxed{28}", { percent: "strict" }).status, "wrong");
    assert.equal(verifyMath("28\\%", "\\boxed{0.28}", { percent: "strict" }).status, "correct");
  });
  test("answers over maxAnswerChars are refused, not parsed: a verifier limit (error), not the model's wrong", () => {
    const v = verifyMath("1", `\\boxed{${"1+".repeat(100)}1}`, { maxAnswerChars: 50 });
    assert.equal(v.status, "error");
    assert.equal(v.rule, "math/too-large");
  });
});

describe("verifyMathFast", () => {
  test("decides extraction failures as unparseable", () => {
    assert.equal(verifyMathFast("3", "no answer here")?.status, "unparseable");
  });
  test("decides exact, numeric and structural cases without the symbolic stage", () => {
    const cases: [string, string, string, string][] = [
      ["\\frac{1}{2}", "\\boxed{\\frac{1}{2}}", "correct", "math/exact"],
      ["\\frac{1}{2}", "\\boxed{0.5}", "correct", "math/numeric"],
      ["\\frac{1}{2}", "\\boxed{0.6}", "wrong", "math/numeric"],
      ["2\\sqrt{2}", "\\boxed{\\sqrt{8}}", "correct", "math/numeric"],
      ["(1,2)", "\\boxed{(2,1)}", "wrong", "math/tuple"],
      ["\\{1,2\\}", "\\boxed{\\{2,1\\}}", "correct", "math/set-unordered"],
      ["3", "\\boxed{x=3}", "correct", "math/numeric"],
    ];
    for (const [g, c, status, rule] of cases) {
      const f = verifyMathFast(g, c);
      assert.ok(f, `${g} vs ${c} decided`);
      assert.equal(f.status, status, `${g} vs ${c}`);
      assert.equal(f.rule, rule, `${g} vs ${c}`);
    }
  });
  test("returns null exactly when expressions with variables need random-point evaluation", () => {
    assert.equal(verifyMathFast("2k+2", "\\boxed{2(k+1)}"), null);
    assert.equal(verifyMathFast("y=2x+3", "\\boxed{2x+3=y}"), null);
    const full = verifyMath("2k+2", "\\boxed{2(k+1)}");
    assert.equal(full.status, "correct");
    assert.equal(full.rule, "math/symbolic");
  });
});

describe("verdict fields", () => {
  test("a verdict carries rule, normalized forms, span and ms", () => {
    const text = "Thus $\\boxed{\\dfrac{14}{3}}$.";
    const v = verifyMath("\\frac{14}{3}", text);
    assert.equal(v.status, "correct");
    assert.equal(v.rule, "math/exact");
    assert.equal(v.normalizedGold, "\\frac{14}{3}");
    assert.equal(v.normalizedPred, "\\frac{14}{3}");
    assert.deepEqual(v.span, [text.indexOf("\\dfrac"), text.indexOf("}$")]);
    assert.equal(v.extracted, "\\dfrac{14}{3}");
    assert.ok(v.ms >= 0 && Number.isFinite(v.ms));
  });
  test("a gold given as a full solution is reduced to its last box", () => {
    assert.equal(verifyMath("so $x = \\boxed{7}$", "\\boxed{7}").normalizedGold, "7");
  });
  test("verdicts are deterministic (seeded random points)", () => {
    const a = verifyMath("x^2-1", "\\boxed{(x-1)(x+1)}");
    const b = verifyMath("x^2-1", "\\boxed{(x-1)(x+1)}");
    assert.equal(a.status, b.status);
    assert.equal(a.rule, b.rule);
  });
});

describe("verify is asymmetric on purpose (gold first)", () => {
  test("percent: gold 28\\% accepts 0.28 but gold 0.28 rejects a bare 28", () => {
    assert.equal(verifyMath("28\\%", "\\boxed{0.28}").status, "correct");
    assert.equal(verifyMath("0.28", "\\boxed{28}").status, "wrong");
  });
  test("tolerance is relative to the gold's magnitude", () => {
    // |pred − gold| ≤ relTol·|gold|: 1 vs 1.05 passes with relTol 0.05 when gold = 1.05, not when gold = 1.
    assert.equal(verifyMath("1.05", "\\boxed{1}", { relTol: 0.05 }).status, "correct");
    assert.equal(verifyMath("1", "\\boxed{1.05}", { relTol: 0.0499 }).status, "wrong");
  });
  test("a gold equation that is not an assignment needs an equation in the prediction", () => {
    assert.equal(verifyMath("y = 2x + 3", "\\boxed{2x+3}").status, "wrong");
    assert.equal(verifyMath("2x+3", "\\boxed{y = 2x + 3}").status, "correct");
  });
});

describe("docs/verifiers-math.md examples", () => {
  test("the opening examples give the documented results", () => {
    const v = verifyMath("\\frac{1}{2}", "So the probability is $\\boxed{0.5}$.");
    assert.deepEqual([v.status, v.extracted, v.span, v.rule, v.normalizedGold, v.normalizedPred], ["correct", "0.5", [30, 33], "math/numeric", "\\frac{1}{2}", "0.5"]);
    assert.equal(verifyMath("(1,2)", "The point is $\\boxed{(2,1)}$.").status, "wrong");
    assert.equal(verifyMath("\\{1,2\\}", "Roots: $\\boxed{\\{2,1\\}}$.").rule, "math/set-unordered");
    assert.equal(verifyMath("2k+2", "Factor: $\\boxed{2(k+1)}$.").rule, "math/symbolic");
    assert.equal(verifyMathFast("2k+2", "Factor: $\\boxed{2(k+1)}$."), null);
  });
});
