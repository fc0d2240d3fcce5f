/** Public API of the tasks folder (see docs/policy.md, "The arithmetic task"). */
export {
  generateArithProblems,
  arithPrompt,
  arithSolution,
  arithSlipSolution,
  SLIP_DELTAS,
  arithSplitOf,
  solveArith,
  LEVEL_WEIGHTS,
  type ArithOp,
  type ArithOptions,
  type ArithSplit,
} from "./arith.js";
export { arithReward, formatFlags } from "./reward.js";
export { evaluateArith, type ArithEval, type ArithEvalOptions } from "./evalArith.js";
