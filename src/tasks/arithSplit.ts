/**
 * Which split an arithmetic problem belongs to: a function of its ARITHMETIC alone — the operation and its
 * operands, order-normalised where the operation commutes — never of its wording (name, item, template).
 *
 *   key(op, x)   "add:3,7" for 3+7 and 7+3 alike; a+b−c and b+a−c, a·b+c and b·a+c, a·b−c and b·a−c
 *                share a key (the first two operands commute); a−b keeps its order
 *   split(key)   u = hashSeed("arith-split-v2", key) mod 100:  u < 20 → "test",  u < 35 → "validation",
 *                else "train"     (≈ 20 / 15 / 65 % of the distinct arithmetic facts)
 *
 * So a test problem's arithmetic never appears in train or validation with any wording, and the same for
 * validation (tests/tasks/arith-split.test.ts checks it with its own key, not this one). A two-step
 * problem's single steps can still occur elsewhere (test 3·4+5 and train 3·4 = 12, or 12+5), as in any
 * arithmetic curriculum: what is held out is the problem's arithmetic, not every fact inside it.
 *
 * Hyper-parameters are chosen on "validation"; `rlvr start` reports the lift on "test" (docs/grpo.md).
 */
import { hashSeed } from "../stats/rng.js";
import type { ArithOp } from "./arith.js";

export type ArithSplit = "train" | "validation" | "test";
export const ARITH_SPLITS: readonly ArithSplit[] = Object.freeze(["train", "validation", "test"]);

/** Names this split definition; scripts/pretrain.ts records it so a base pretrained on another split is caught. */
export const SPLIT_VERSION = "arith-split-v2";

/** Percent of the arithmetic keys in each evaluation split; train gets the rest. */
export const SPLIT_PERCENT: Readonly<{ test: number; validation: number }> = Object.freeze({ test: 20, validation: 15 });

/** Operations whose first two operands commute (the key sorts them). */
const COMMUTES_FIRST_TWO: ReadonlySet<ArithOp> = new Set<ArithOp>(["add", "mul", "add-sub", "mul-add", "mul-sub"]);

/** The arithmetic of a problem as a string: operation and operands, first two sorted where they commute. */
export function arithKey(op: ArithOp, operands: readonly number[]): string {
  const x = [...operands];
  if (COMMUTES_FIRST_TWO.has(op) && x.length >= 2 && x[0] > x[1]) [x[0], x[1]] = [x[1], x[0]];
  return `${op}:${x.join(",")}`;
}

/** The split of a problem's arithmetic (see the module comment). */
export function arithSplitOf(op: ArithOp, operands: readonly number[]): ArithSplit {
  const u = hashSeed(SPLIT_VERSION, arithKey(op, operands)) % 100;
  return u < SPLIT_PERCENT.test ? "test" : u < SPLIT_PERCENT.test + SPLIT_PERCENT.validation ? "validation" : "train";
}
