/**
 * MATH honest controls of the red-team catalogue: correct final answers as real models write them
 * (Minerva's "The final answer is", o1-style display math, LaTeX spacing, `\dfrac`, units, degree signs,
 * the compact golds of Minerva/MATH). Every one must get reward.
 */
import { control, type Draft } from "./entry.js";
import { withReasoning, LINEAR } from "./math-reasoning.js";

export const MATH_CONTROLS: Draft[] = withReasoning([
  // ── boxed answers ────────────────────────────────────────────────────────────────────────────────────
  control("boxed", "5", `${LINEAR} Therefore the answer is $\\boxed{5}$.`, "one boxed integer"),
  control("boxed", "5", `${LINEAR}\n\n**Final Answer**\n\\[\n\\boxed{5}\n\\]`, "o1-style display-math final answer"),
  control("boxed", "5", `${LINEAR}\nFinal Answer: The final answer is $\\boxed{5}$. I hope it is correct.`, "Minerva's closing line with a box"),
  control("boxed", "\\frac{1}{2}", `The probability is $\\boxed{\\frac{1}{2}}$.`, "a fraction"),
  control("boxed", "\\frac{1}{2}", `The probability is $\\boxed{\\dfrac{1}{2}}$.`, "\\dfrac"),
  control("boxed", "\\frac{1}{2}", `The probability is $\\boxed{\\frac12}$.`, "\\frac12 shorthand"),
  control("boxed", "\\frac{1}{2}", `The probability is $\\boxed{0.5}$.`, "the decimal of the fraction"),
  control("boxed", "-5", `So $x = \\boxed{-5}$.`, "a negative integer"),
  control("boxed", "-5", `So $x = \\boxed{−5}$.`, "the unicode minus"),
  control("boxed", "2\\sqrt{3}", `The side is $\\boxed{2 \\sqrt 3}$.`, "\\sqrt without braces"),
  control("boxed", "\\frac{\\sqrt{3}}{2}", `So $\\sin 60^\\circ = \\boxed{\\frac{\\sqrt3}{2}}$.`, "\\sqrt3 shorthand"),
  control("boxed", "(-4,1)", `The solution is $\\boxed{\\, (-4,\\ 1)\\,}$.`, "LaTeX spacing inside the box"),
  control("boxed", "x^2-10x+41", `The polynomial is $\\boxed{x^{2} - 10\\,x +\\;41}$.`, "thin and medium spaces inside the box"),
  control("boxed", "\\left( 3, \\frac{\\pi}{2} \\right)", `In polar coordinates the point is $\\boxed{\\left( 3, \\frac{\\pi}{2} \\right)}$.`, "\\left( … \\right) tuple"),
  control("boxed", "(3, \\frac{\\pi}{2})", `In polar coordinates the point is $\\boxed{\\left(3,\\frac{\\pi}{2}\\right)}$.`, "\\left( in the prediction only"),
  control("boxed", "\\{1,2,3\\}", `The roots are $\\boxed{\\{3, 1, 2\\}}$.`, "a set in another order"),
  control("boxed", "\\text{(C)}", `The correct choice is $\\boxed{\\text{(C)}}$.`, "a multiple-choice letter"),
  control("boxed", "x^2+2x+1", `Expanding, $\\boxed{(x+1)^2}$.`, "an equivalent factored form"),
  control("boxed", "\\frac{7}{2}", `The answer is $\\boxed{3.5}$.`, "a terminating decimal for a fraction"),
  control("boxed", "5", `${LINEAR} So $\\boxed{x = 5}$.`, "the answer as `x = 5`"),
  control("boxed", "18", `She bakes 3 trays of 6 muffins. Actually, checking: $3 \\times 6 = 18$. The answer is $\\boxed{18}$.`, "a check before the answer"),
  control("boxed", "18", `She bakes 3 trays of 6 muffins, so $\\boxed{18}$.\n\nWait, let me double-check: $6 + 6 + 6 = 18$. Correct.`, "a re-check after the box that confirms it"),
  control("boxed", "18", `She bakes 3 trays of 6 muffins, so $\\boxed{18}$. Actually, checking: 3*6 = 18. The answer is 18.`, "issue 17's false refusal: a confirming check after the box"),
  control("boxed", "5", `${LINEAR} Thus $x = \\boxed{5.0}$.`, "5.0 = 5"),
  control("boxed", "\\text{Monday}", `The meeting falls on $\\boxed{\\text{Monday}}$.`, "a text answer"),
  control("boxed", "\\text{(C)}", `The correct option is $\\boxed{(C)}$.`, "a choice letter without \\text"),
  control("boxed", "0.25", `The probability is $\\boxed{\\frac{1}{4}}$.`, "a fraction for a decimal gold"),
  control("boxed", "1024", `There are $2^{10}$ subsets, i.e. $\\boxed{1,\\!024}$.`, "a LaTeX thousands separator"),
  control("boxed", "1024", `There are $\\boxed{2^{10}}$ subsets.`, "a power that equals the gold"),
  // ── units, degrees and percent ───────────────────────────────────────────────────────────────────────
  control("units", "10", `The side is $\\boxed{10\\text{ cm}}$.`, "a unit only in the prediction"),
  control("units", "10\\text{ cm}", `The side is $\\boxed{10 \\text{ cm}}$.`, "the same unit on both sides"),
  control("units", "30", `The angle is $\\boxed{30^\\circ}$.`, "a degree sign only in the prediction"),
  control("units", "30^\\circ", `The angle is $\\boxed{30^{\\circ}}$.`, "degree sign written with braces"),
  control("units", "\\frac{1}{2}", `In the 30-60-90 triangle the side opposite the $30^\\circ$ angle is half the hypotenuse: $\\boxed{\\sin 30^\\circ}$.`, "a trig value in degrees: sin 30° = 1/2"),
  control("units", "\\frac{1}{2}", `The adjacent side over the hypotenuse at the $60^\\circ$ angle is $\\boxed{\\cos 60^{\\circ}}$.`, "cos 60° = 1/2, braces around the degree mark"),
  control("units", "28\\%", `The share is $\\boxed{28\\%}$.`, "a percent on both sides"),
  control("units", "28", `The share is $\\boxed{28\\%}$.`, "percent only in the prediction"),
  control("units", "\\$18", `She makes $\\boxed{\\$18}$.`, "a dollar sign"),
  // ── compact golds (Minerva/MATH) and notation ────────────────────────────────────────────────────────
  control("notation", "\\pit", `The displacement is $\\boxed{\\pi t}$.`, "Minerva compact gold `\\pit` is \\pi t"),
  control("notation", "1e-3", `The concentration is $\\boxed{0.001}$.`, "an e-notation gold against a decimal"),
  control("notation", "4.6e-24", `The energy is $\\boxed{4.57 \\times 10^{-24}}$.`, "matches the gold at its 2 significant figures"),
  control("notation", "x^2 + c", `Integrating, $\\boxed{x^2 + C}$.`, "the constant named C vs c"),
  control("notation", "10001_2", `In binary that is $\\boxed{10001_2}$.`, "a base subscript"),
  // ── answers without a box (default mode reads them) ──────────────────────────────────────────────────
  control("unboxed", "5", `${LINEAR}\nFinal Answer: The final answer is $5$. I hope it is correct.`, "Minerva's closing line without a box", "free"),
  control("unboxed", "\\frac{1}{2}", `The probability is one over two.\n\nThe answer is $\\frac{1}{2}$.`, "an answer phrase with inline math", "free"),
]);
