/** Public API of the tasks folder (see docs/policy.md, "The arithmetic task"). */
export {
  generateArithProblems,
  arithPrompt,
  arithSolution,
  arithSlipSolution,
  SLIP_DELTAS,
  solveArith,
  LEVEL_WEIGHTS,
  type ArithOp,
  type ArithOptions,
} from "./arith.js";
export { arithReward, formatFlags } from "./reward.js";
export { evaluateArith, type ArithEval, type ArithEvalOptions } from "./evalArith.js";
export { arithKey, arithSplitOf, ARITH_SPLITS, SPLIT_PERCENT, SPLIT_VERSION, type ArithSplit } from "./arithSplit.js";
