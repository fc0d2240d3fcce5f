/**
 * normalize_final_answer parity with lm-eval 0.4.13: every expected value below was produced by running
 * lm-evaluation-harness 0.4.13's Python `normalize_final_answer` (lm_eval/tasks/minerva_math/utils.py) on the
 * input — hand-picked quirk cases followed by every 10th MATH-500 answer. The TypeScript port must agree
 * character for character; math-minerva-peer.test.ts re-runs the Python function itself on this table and more.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { lastBoxedOnlyString, normalizeFinalAnswer, removeBoxed } from "../../src/verifiers/math/index.js";

const PYTHON_REFERENCE: [input: string, expected: string][] = [
  ["\\frac12", "\\frac{1}{2}"],
  ["\\sqrt2", "\\sqrt{2}"],
  ["\\fracabc", "\\frac{a}{b}c"],
  ["x = \\frac{1}{2}", "\\frac{1}{2}"],
  ["57,500", "57500"],
  ["1,2,3", "1,2,3"],
  ["10\\text{ cm}", "10"],
  ["5 \\text{ inches}", "5"],
  ["The answer is $5$.", "5"],
  ["\\textbf{(B)}", "(B)"],
  ["\\overline{AB}", "AB"],
  ["\\boxed{\\frac{1}{2}}", "\\frac{1}{2}"],
  ["a square", ""],
  ["30^\\circ", "30"],
  ["\\$32,\\!348", "32348"],
  ["\\text{and} 4", ",4"],
  ["1,\\text{and}2", "1,2"],
  ["0.5", "0.5"],
  [".5", ".5"],
  ["12 students", "12"],
  ["y = 2x+3", "2x+3"],
  ["\\sqrt{2}a", "\\sqrt{2}a"],
  ["14{,}916", "14916"],
  ["\"quoted\"", "quoted"],
  ["\\left( 3, \\frac{\\pi}{2} \\right)", "\\left(3,\\frac{\\pi}{2}\\right)"],
  ["\\left( 3, \\frac{\\pi}{2} \\right)", "\\left(3,\\frac{\\pi}{2}\\right)"],
  ["2220", "2220"],
  ["6+9i", "6+9i"],
  ["52_8", "52_8"],
  ["12", "12"],
  ["203", "203"],
  ["(6,31,-1)", "(6,31,-1)"],
  ["40_9", "40_9"],
  ["501", "501"],
  ["\\frac{3}{2}", "\\frac{3}{2}"],
  ["145^\\circ", "145"],
  ["504", "504"],
  ["\\text{even}", "even"],
  ["13", "13"],
  ["13", "13"],
  ["1", "1"],
  ["18", "18"],
  ["1736", "1736"],
  ["3", "3"],
  ["\\frac{13}{18}", "\\frac{13}{18}"],
  ["40", "40"],
  ["10", "10"],
  ["\\frac{16}{27}", "\\frac{16}{27}"],
  ["\\frac{16}{5}", "\\frac{16}{5}"],
  ["116", "116"],
  ["13", "13"],
  ["120^\\circ", "120"],
  ["10", "10"],
  ["8", "8"],
  ["4", "4"],
  ["12", "12"],
  ["49", "49"],
  ["-\\frac{24}{25}", "-\\frac{24}{25}"],
  ["1940", "1940"],
  ["55^\\circ", "55"],
  ["4", "4"],
  ["\\frac{7}{4}", "\\frac{7}{4}"],
  ["-41", "-41"],
  ["(0,9) \\cup (9,36)", "(0,9)\\cup(9,36)"],
  ["12", "12"],
  ["\\frac{14}{3}", "\\frac{14}{3}"],
  ["6", "6"],
  ["\\begin{pmatrix} 16/49 \\\\ 48/49 \\\\ 24/49 \\end{pmatrix}", "\\begin{pmatrix}16/49\\48/49\\24/49\\end{pmatrix}"],
  ["4.5", "4.5"],
  ["14", "14"],
  ["64", "64"],
  ["75^\\circ", "75"],
  ["27648", "27648"],
  ["1", "1"],
  ["14", "14"],
];

test("normalizeFinalAnswer matches the Python reference on every table row", () => {
  const mismatches = PYTHON_REFERENCE.filter(([input, expected]) => normalizeFinalAnswer(input) !== expected)
    .map(([input, expected]) => ({ input, expected, got: normalizeFinalAnswer(input) }));
  assert.deepEqual(mismatches, []);
});

/** The five rows where the earlier appendix-D port differs from 0.4.13, kept as `minervaNormalizer: "appendix-d"`. */
const APPENDIX_D: [input: string, expected: string][] = [
  ["1,2,3", "123"],
  ["\\text{and} 4", "4"],
  ["1,\\text{and}2", "12"],
  ["\\left( 3, \\frac{\\pi}{2} \\right)", "\\le(3,\\frac{\\pi}{2}\\right)"],
  ["2\\pi cm", "2\\pi"],
];

test("the appendix-d normalizer keeps the older behaviour on the rows where 0.4.13 changed it", () => {
  for (const [input, expected] of APPENDIX_D) assert.equal(normalizeFinalAnswer(input, "appendix-d"), expected, input);
  assert.equal(normalizeFinalAnswer("1,2,3"), "1,2,3");
  assert.equal(normalizeFinalAnswer("\\sqrt[3]a"), "\\sqrt[3]{a}");
  assert.equal(normalizeFinalAnswer("\\sqrt[3]a", "appendix-d"), "\\sqrt{[}3]a");
});

test("normalizeFinalAnswer is total on empty and odd input", () => {
  assert.equal(normalizeFinalAnswer(""), "");
  assert.equal(normalizeFinalAnswer("="), "");
  assert.equal(normalizeFinalAnswer("$$$"), "");
});

test("lastBoxedOnlyString takes the last box with balanced braces, or null when it never closes", () => {
  assert.equal(lastBoxedOnlyString("a \\boxed{1} b \\boxed{\\frac{1}{2}} c")?.boxed, "\\boxed{\\frac{1}{2}}");
  assert.equal(lastBoxedOnlyString("\\boxed{1} then \\boxed{2"), null);
  assert.equal(lastBoxedOnlyString("no box"), null);
  assert.equal(lastBoxedOnlyString("\\fbox{3}")?.boxed, "\\fbox{3}");
  assert.equal(removeBoxed("\\boxed{3}"), "3");
  assert.equal(removeBoxed("\\boxed 3"), "3");
  assert.equal(removeBoxed("\\fbox{3}"), null);
});
