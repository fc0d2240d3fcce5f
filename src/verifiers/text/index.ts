/** Model-text clean-up shared by the verifiers (clean.ts): unicode spaces/minus/full-width digits, invisible characters, HTML comments, markdown emphasis. */
export { cleanModelText, originalSpan, CLEAN_FLAGS } from "./clean.js";
export type { CleanedText, CleanOptions, CleanFlag } from "./clean.js";
