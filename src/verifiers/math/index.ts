/** Public API of the MATH verifier: extract → normalize → compare (see docs/verifiers-math.md). */
export { extractMath, findBoxed } from "./extract.js";
export { verifyMath, verifyMathFast, goldAnswer } from "./verify.js";
export { MathOptionsSchema, MathMode, resolveMathOptions } from "./options.js";
export type { MathOptions, ResolvedMathOptions } from "./options.js";
export { normalizeFinalAnswer, lastBoxedOnlyString, removeBoxed, SUBSTITUTIONS, REMOVED_EXPRESSIONS } from "./minerva.js";
export { cleanAnswer } from "./normalize.js";
export type { CleanAnswer } from "./normalize.js";
export { parseLatex, ParseError } from "./parse.js";
export type { Node as MathNode } from "./ast.js";
export { compareAnswers } from "./compare.js";
