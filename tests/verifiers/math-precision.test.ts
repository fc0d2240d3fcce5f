/**
 * The precision rule (src/verifiers/math/precision.ts) and whose fault a verdict is. Rows are `(gold, boxed
 * prediction, status)`; the completions are short chains of thought ending in a box, as models write them. The
 * sig-fig rule is also checked against a plain reference: round-half-up of decimal strings at the gold's digits.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { verifyMath } from "../../src/verifiers/math/index.js";
import { numbersMatch, sameAtPrecisionExact } from "../../src/verifiers/math/precision.js";
import { parseDecimal } from "../../src/verifiers/math/rational.js";

type Row = [gold: string, pred: string, status: "correct" | "wrong" | "error"];
const cot = (answer: string) => `Using the formula and substituting the values, we get $\\boxed{${answer}}$.`;

function table(name: string, rows: Row[], options?: { relTol?: number }): void {
  describe(name, () => {
    for (const [gold, pred, status] of rows) {
      test(`gold ${JSON.stringify(gold)} vs ${JSON.stringify(pred)} → ${status}`, () => {
        const v = verifyMath(gold, cot(pred), options);
        assert.equal(v.status, status, `${v.rule}: ${v.normalizedGold} | ${v.normalizedPred}`);
        assert.equal(v.score, status === "correct" ? 1 : 0);
      });
    }
  });
}

table("an integer gold is exact", [
  ["18", "18.00", "correct"],
  ["18", "\\frac{36}{2}", "correct"],
  ["18", "18.5", "wrong"],
  ["1", "1.0000000000000001", "wrong"],
  ["1", "0.9999999", "wrong"],
  ["4", "\\sqrt{2}\\cdot\\sqrt{8}", "correct"],
  ["2", "\\sqrt{2}^2", "correct"],
]);

table("a fraction gold is exact, or matched by a decimal to 1e-6 relative", [
  ["\\frac{1}{3}", "0.3333333", "correct"],
  ["\\frac{1}{3}", "0.333", "wrong"],
  ["\\frac{1}{8}", "0.125", "correct"],
  ["\\frac{1}{1000000}", "\\frac{1}{1000001}", "wrong"],
]);

table("a decimal or scientific gold is compared at its significant figures", [
  ["2.88 \\times 10^{-19}", "2.89 \\times 10^{-19}", "wrong"],
  ["2.88e-19", "2.88 \\times 10^{-19}", "correct"],
  ["4.6e-24", "4.57e-24", "correct"],
  ["4.6e-24", "4.7e-24", "wrong"],
  ["4.57", "4.6", "wrong"],
  ["0.75", "0.754", "correct"],
  ["0.75", "0.76", "wrong"],
  ["3.14", "\\pi", "correct"],
  ["2.718", "e", "correct"],
  ["6.02 \\times 10^{23}", "6.022 \\times 10^{23}", "correct"],
  ["1e-3", "0.001", "correct"],
]);

table("a user tolerance overrides the rule (relative to the gold)", [
  ["100", "101", "correct"],
  ["100", "102", "wrong"],
  ["2.88e-19", "2.89e-19", "correct"],
], { relTol: 0.01 });

test("a user tolerance is reported in the verdict", () => {
  const v = verifyMath("100", cot("101"), { relTol: 0.01 });
  assert.ok(v.flags?.includes("tolerance=0.01"), JSON.stringify(v.flags));
  assert.equal(verifyMath("100", cot("100")).flags, undefined);
});

table("verifier limits are the verifier's error, never the model's wrong", [
  ["", "5", "error"],
  ["\\frac{", "5", "error"],
  ["10^{10^{10}}", "10^{10^{10}}+1", "error"],
  ["2", "100000!", "error"],
  ["0", "e^{-1000}", "error"],
  ["|x|", "\\sqrt{x^2}", "error"],
]);

test("error verdicts name the limit in their rule", () => {
  const rules = [["", "5"], ["\\frac{", "5"], ["10^{10^{10}}", "10^{10^{10}}+1"], ["|x|", "\\sqrt{x^2}"]]
    .map(([g, p]) => verifyMath(g, cot(p)).rule);
  assert.deepEqual(rules, ["math/empty-gold", "math/gold-parse-failed", "math/overflow", "math/piecewise-undecided"]);
});

/** Plain reference: |p − g| ≤ ½·10^(last place of g), on decimal strings via exact integers. */
function reference(g: string, p: string, digits: number): boolean {
  const gq = parseDecimal(g)!;
  const pq = parseDecimal(p)!;
  const e = Math.floor(Math.log10(Math.abs(Number(g))));
  const place = e - digits + 1;
  // |p − g|·10^-place·2 ≤ 1  ⇔  2·|pn·gd − gn·pd|·10^(-place) ≤ pd·gd
  const num = 2n * (pq.n * gq.d - gq.n * pq.d < 0n ? -(pq.n * gq.d - gq.n * pq.d) : pq.n * gq.d - gq.n * pq.d);
  return place <= 0 ? num * 10n ** BigInt(-place) <= pq.d * gq.d : num <= pq.d * gq.d * 10n ** BigInt(place);
}

test("sameAtPrecisionExact agrees with the plain reference on 2,000 seeded decimal pairs", () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let k = 0; k < 2000; k++) {
    const digits = 1 + Math.floor(rnd() * 4);
    const g = (rnd() * 1000 + 0.001).toFixed(3);
    const p = (Number(g) + (rnd() - 0.5) * 10 ** (2 - digits)).toFixed(5);
    const gd = parseDecimal(g)!;
    const pd = parseDecimal(p)!;
    assert.equal(sameAtPrecisionExact(gd, pd, digits), reference(g, p, digits), `g=${g} p=${p} digits=${digits}`);
  }
});

test("numbersMatch never treats an overflowed float as equal and says undecided near an exact zero", () => {
  assert.equal(numbersMatch({ exact: { n: 0n, d: 1n }, float: 0, digits: 0 }, { exact: null, float: 1e-12, digits: 0 }, undefined), "undecided");
  assert.equal(numbersMatch({ exact: { n: 2n, d: 1n }, float: 2, digits: 0 }, { exact: null, float: 2 + 1e-14, digits: 0 }, undefined), "equal");
});
