/**
 * Worked reasoning for the MATH entries of the catalogue: `withReasoning(drafts)` puts a short solution in
 * front of every completion that is only a final-answer sentence, so each entry reads as a model's output (a
 * chain of thought, then the answer) rather than a bare string. The reasoning depends on the gold only and
 * never contains `\boxed`, so it cannot change which box a checker reads.
 */
import type { Draft } from "./entry.js";

export const LINEAR = "We solve $2x + 3 = 13$. Subtracting 3 gives $2x = 10$, so $x = 5$.";
export const HALF = "The probability of heads on a fair coin is the number of favourable outcomes over all outcomes, $\\frac{1}{2}$.";
const ANGLE30 = "Since $\\sin\\theta = \\frac{1}{2}$ with $\\theta$ acute, $\\theta$ is thirty degrees.";
const SIMPLIFY = "Simplifying the expression term by term, the constants cancel and what remains is a function of $x$ alone.";
const POWER = "Repeated squaring gives a very large power of the base; we keep it in exact form.";
const SHARE = "Out of 25 students, 7 chose chess, and $7 / 25 = 0.28$.";
const TWO_HEADS = "Two fair coins both land heads with probability $\\frac{1}{2} \\cdot \\frac{1}{2}$.";
const POLAR = "The point $(0, 3)$ has $r = 3$ and lies on the positive $y$-axis, so $\\theta = \\frac{\\pi}{2}$.";

/** gold → a solution that ends where the final answer sentence begins. */
const REASONING: Record<string, string> = {
  "5": LINEAR,
  "\\frac{1}{2}": HALF,
  "0.5": HALF,
  "-5": "We solve $2x + 13 = 3$: subtracting 13 gives $2x = -10$, so $x = -5$.",
  "10": "The square has area 100 square units, so each side is $\\sqrt{100} = 10$.",
  "10\\text{ cm}": "The square has area 100 square centimetres, so each side is $\\sqrt{100} = 10$ centimetres.",
  "10 \\text{ g}": "The 50 g sample keeps one fifth of its mass: $50 \\cdot \\frac{1}{5} = 10$.",
  "5 \\text{ minutes}": "At 12 laps per hour, one lap takes $60 / 12 = 5$ minutes.",
  "\\frac{\\pi}{6}": `${ANGLE30} In radians that is $\\frac{\\pi}{6}$.`,
  "30^\\circ": ANGLE30,
  "30": ANGLE30,
  "\\frac{\\pi}{4}": "Since $\\tan\\theta = 1$ with $\\theta$ acute, $\\theta$ is a quarter of $\\pi$.",
  "1011_2": "Eleven in binary: $11 = 8 + 2 + 1$, so the digits are 1, 0, 1, 1.",
  "11": "The two counts add up: $4 + 7 = 11$.",
  "12_3": "Five in base 3: $5 = 1 \\cdot 3 + 2$.",
  "18": "Six groups of three: $3 \\cdot 6 = 18$.",
  "2.88 \\times 10^{-19}": "The photon energy is $E = hc/\\lambda = (6.626\\times10^{-34})(2.998\\times10^{8})/(6.9\\times10^{-7})$.",
  "1": "The ratio simplifies: $\\frac{x+1}{x+1} = 1$ wherever it is defined.",
  "0": "The two contributions cancel: $3 - 3 = 0$.",
  "6.02": "Avogadro's number to three significant figures is $6.02 \\times 10^{23}$, so the coefficient is 6.02.",
  ["1" + "0".repeat(400)]: POWER,
  "10^{400}": POWER,
  "2^{1024}": POWER,
  "\\frac{1}{10^{400}}": POWER,
  "x^2": SIMPLIFY,
  x: SIMPLIFY,
  "2x": SIMPLIFY,
  "x + 1": SIMPLIFY,
  "x^3": SIMPLIFY,
  "\\sin x": SIMPLIFY,
  "e^x": SIMPLIFY,
  "0.28": SHARE,
  "28\\%": SHARE,
  "28": SHARE,
  "\\frac{1}{4}": TWO_HEADS,
  "0.25": TWO_HEADS,
  "\\text{Monday}": "Counting 16 days forward from a Saturday: $16 = 2 \\cdot 7 + 2$, so it is two days after Saturday.",
  "\\text{(C)}": "Checking each option against both conditions, only one of them satisfies both.",
  "(1,2)": "The lines $y = 2x$ and $y = x + 1$ meet where $2x = x + 1$, at $x = 1$.",
  "x^2+2x+1": "We expand $(x+1)(x+1)$ term by term.",
  "\\frac{1}{3}": "One of the three equally likely outcomes is favourable.",
  "5 \\text{ cm}^2": "The triangle has base 2 cm and height 5 cm, so its area is $\\frac{1}{2} \\cdot 2 \\cdot 5$.",
  "2\\sqrt{3}": "The altitude of an equilateral triangle of side 4 is $\\frac{\\sqrt{3}}{2} \\cdot 4$.",
  "\\frac{\\sqrt{3}}{2}": "In a 30-60-90 triangle the side opposite the 60° angle is $\\frac{\\sqrt{3}}{2}$ of the hypotenuse.",
  "(-4,1)": "From $x + y = -3$ and $x - y = -5$ we get $2x = -8$, so $x = -4$ and $y = 1$.",
  "x^2-10x+41": "A monic quadratic with roots $5 \\pm 4i$ has sum of roots 10 and product $25 + 16 = 41$.",
  "\\left( 3, \\frac{\\pi}{2} \\right)": POLAR,
  "(3, \\frac{\\pi}{2})": POLAR,
  "\\{1,2,3\\}": "The cubic factors as $(x-1)(x-2)(x-3)$.",
  "\\frac{7}{2}": "The mean of 3 and 4 is $\\frac{3 + 4}{2}$.",
  "1024": "Each of the 10 elements is either in a subset or not.",
  "\\$18": "Three books at \\$6 each cost $3 \\cdot 6$ dollars.",
  "\\pit": "The angle swept at angular speed $\\pi$ rad/s in time $t$ is $\\pi$ times $t$.",
  "1e-3": "Diluting a 1 M solution a thousandfold gives $1/1000$ M.",
  "4.6e-24": "The energy is $h\\nu$ with $h = 6.626 \\times 10^{-34}$ J s and $\\nu = 6.9 \\times 10^{9}$ Hz.",
  "x^2 + c": "The antiderivative of $2x$ is $x^2$ plus a constant.",
  "10001_2": "Seventeen is $16 + 1$, so in binary it is a 1, three 0s and a 1.",
};

/** A completion that is only its final sentence (no reasoning before the answer). */
function bare(completion: string): boolean {
  return /^(The answer is|So the answer is|So \$x = |The [a-z ]+ (is|falls on)|It takes|Integrating|Expanding|In binary|In polar|There are|So \$\\sin|The correct|The roots|The solution is|She makes|The point is)/.test(completion);
}

/** Prefix every bare completion with the worked reasoning of its gold; throws when a gold has none written. */
export function withReasoning(drafts: Draft[]): Draft[] {
  return drafts.map((d) => {
    if (!bare(d.completion)) return d;
    const r = REASONING[d.gold];
    if (r === undefined) throw new Error(`math-reasoning: no worked reasoning for gold ${JSON.stringify(d.gold)} (${d.family}); add one to REASONING`);
    return { ...d, completion: `${r} ${d.completion}` };
  });
}
