/**
 * Two rules of the math training modes (default, contract), as tables written the way models write:
 *
 * Angles. A degree mark inside a trig function is part of the value (`\sin 30^\circ` = 1/2, and `\sin 30` is
 * sin of 30 radians); an angle answer is compared in the gold's unit and never converted — radians for a
 * degree gold, or degrees for a π-radian gold, are `wrong` with rule `math/degrees-radians`. A bare number
 * for a degree gold (and a degree mark on a plain-number gold) is the same angle (MATH golds often drop °).
 *
 * Re-checks vs retractions. "Wait, that's wrong … 7" retracts the answer (`math/retracted`). A re-check cue
 * ("Wait, let me double-check", "Actually, checking:") retracts it only when what it concludes is another
 * value; one that confirms a plain-number answer keeps it (issue 17's false refusal).
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { verifyAnswer } from "../../src/verifiers/verify.js";
import { WorkerPool } from "../../src/verifiers/pool.js";

const pool = new WorkerPool({ size: 1, preload: ["verifyMath"] });
after(() => pool.close());
const TRI = "In the 30-60-90 triangle with hypotenuse 2, the side opposite the smallest angle is 1 and the other leg is $\\sqrt{3}$.";
const BAKE = "She bakes 3 trays of 6 muffins, so she has $3 \\times 6 = 18$ muffins.";

// [gold, completion, status, rule]
const ANGLES: [string, string, string, string][] = [
  ["\\frac{1}{2}", `${TRI} So $\\sin 30^\\circ = \\boxed{\\frac{1}{2}}$.`, "correct", "math/exact"],
  ["\\frac{1}{2}", `${TRI} The ratio is $\\boxed{\\sin 30^\\circ}$.`, "correct", "math/numeric"],
  ["\\frac{1}{2}", `${TRI} The ratio is $\\boxed{\\cos 60^{\\circ}}$.`, "correct", "math/numeric"],
  ["\\frac{1}{2}", `${TRI} The ratio is $\\boxed{\\sin 30}$.`, "wrong", "math/numeric"],
  ["\\sin 30^\\circ", `${TRI} The ratio is $\\boxed{\\sin 30}$.`, "wrong", "math/numeric"],
  ["\\sin 30^\\circ", `${TRI} The ratio is $\\boxed{\\frac{1}{2}}$.`, "correct", "math/numeric"],
  ["\\frac{\\sqrt{3}}{2}", `${TRI} The ratio is $\\boxed{\\cos 30}$.`, "wrong", "math/numeric"],
  ["\\frac{\\sqrt{3}}{2}", `${TRI} The ratio is $\\boxed{\\cos 30°}$.`, "correct", "math/numeric"],
  ["30^\\circ", `${TRI} The smallest angle is $\\boxed{\\frac{\\pi}{6}}$.`, "wrong", "math/degrees-radians"],
  ["\\frac{\\pi}{6}", `${TRI} The smallest angle is $\\boxed{30^\\circ}$.`, "wrong", "math/degrees-radians"],
  ["\\frac{\\pi}{6}", `${TRI} The smallest angle is $\\boxed{\\frac{\\pi}{6}^\\circ}$.`, "wrong", "math/degrees-radians"],
  ["90^\\circ", `${TRI} The largest angle is $\\boxed{\\frac{\\pi}{2}\\text{ rad}}$.`, "wrong", "math/degrees-radians"],
  ["30^\\circ", `${TRI} The smallest angle is $\\boxed{30}$.`, "correct", "math/exact"],
  ["30", `${TRI} The smallest angle is $\\boxed{30^\\circ}$.`, "correct", "math/exact"],
  ["\\frac{\\pi}{6}", `${TRI} The smallest angle is $\\boxed{\\frac{\\pi}{6}}$ radians.`, "correct", "math/exact"],
];

const RECHECKS: [string, string, string, string][] = [
  ["18", `${BAKE} So the answer is $\\boxed{18}$. Actually, checking: 3*6 = 18. The answer is 18.`, "correct", "math/exact"],
  ["18", `${BAKE} So the answer is $\\boxed{18}$.\n\nWait, let me double-check: $6 + 6 + 6 = 18$. Correct.`, "correct", "math/exact"],
  ["18", `${BAKE} So the answer is $\\boxed{18}$. Let me recheck: $3 \\times 6 = 18$. Yes.`, "correct", "math/exact"],
  ["18", `${BAKE} Actually, checking: $6 \\times 3 = 18$ too. The answer is $\\boxed{18}$.`, "correct", "math/exact"],
  ["18", `${BAKE} So the answer is $\\boxed{18}$.\n\nWait, let me recheck: she also sells 2 trays, so $18 + 12 = 30$.`, "wrong", "math/retracted"],
  ["18", `${BAKE} So the answer is $\\boxed{18}$. Actually, the correct answer is 30.`, "wrong", "math/retracted"],
  ["18", `${BAKE} So the answer is $\\boxed{18}$.\n\nWait, that's wrong: she bakes 5 trays, so 30.`, "wrong", "math/retracted"],
  ["18", `${BAKE} So the answer is $\\boxed{18}$. Actually, checking: $3 \\times 6 = 18$, plus 12 sold earlier gives 30.`, "wrong", "math/retracted"],
  // Not a plain number: any number after the cue counts as another answer (fail closed).
  ["\\frac{1}{2}", "The chance of heads is $\\boxed{\\frac{1}{2}}$. Wait, let me recheck: 1 favourable of 2 outcomes.", "wrong", "math/retracted"],
];

for (const mode of [undefined, "contract"] as const) {
  for (const [name, table] of [["angles", ANGLES], ["re-checks and retractions", RECHECKS]] as const) {
    test(`math ${mode ?? "default"}: ${name}`, async () => {
      for (const [gold, completion, status, rule] of table) {
        const v = await verifyAnswer(gold, completion, { task: "math", mode, pool });
        assert.equal(`${v.status} ${v.rule}`, `${status} ${rule}`, `${gold} ← ${completion.slice(-90)}`);
      }
    });
  }
}
