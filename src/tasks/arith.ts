/**
 * The arithmetic word-problem task: procedurally generated, seeded, small enough for a char-level policy.
 *
 *   level 1  one step, + or −, operands 1…9             "Tom has 7 apples and buys 4 more. How many apples now?"
 *   level 2  one step: 10…49 ± 2…9, or 2…9 × 2…9
 *   level 3  two steps (+ then −, × then +, × then −), one-digit operands
 * Levels are drawn with weights LEVEL_WEIGHTS (40/35/25%) unless `levels` narrows them (then uniform).
 *
 * Prompt template: `{question}\n` (the policy sees `[BOS, ...prompt]`). Strict answer format: the worked
 * solution, one `a op b = c` line per step, then a final line `#### N` and nothing after it:
 *
 *   12+7=19
 *   #### 19
 *
 * Splits (src/tasks/arithSplit.ts): train / validation / test by the arithmetic itself (operation and
 * operands, order-normalised where it commutes), so no test or validation arithmetic appears in train with
 * any wording. Each split draws from its own seed stream (`hashSeed(seed, split)`) and rejects candidates of
 * the other splits. Validation and test problems are distinct in their arithmetic (n counts distinct
 * facts), so their level mix is set by how many facts each level has in the split, not by LEVEL_WEIGHTS.
 */
import type { Problem } from "../schemas/problem.js";
import { createRng, hashSeed } from "../stats/rng.js";
import { arithKey, arithSplitOf, type ArithSplit } from "./arithSplit.js";

export type { ArithSplit } from "./arithSplit.js";
export type ArithOp = "add" | "sub" | "mul" | "add-sub" | "mul-add" | "mul-sub";

export interface ArithOptions {
  seed: number;
  n: number;
  split: ArithSplit;
  /** Levels to draw from, uniformly; default all three. */
  levels?: (1 | 2 | 3)[];
}

const NAMES = ["Tom", "Ann", "Sam", "Mia", "Ben", "Zoe", "Max", "Eva", "Leo", "Ivy"];
const ITEMS = ["apples", "pens", "cards", "eggs", "books", "coins", "cups", "toys", "shells", "stamps"];

/** Prompt template: the question followed by a newline. */
export function arithPrompt(problem: Pick<Problem, "question">): string {
  return `${problem.question}\n`;
}

interface Draw {
  op: ArithOp;
  operands: number[];
  level: 1 | 2 | 3;
}

function int(rng: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

function draw(rng: () => number, level: 1 | 2 | 3): Draw {
  if (level === 1) {
    const op: ArithOp = rng() < 0.5 ? "add" : "sub";
    let a = int(rng, 1, 9);
    let b = int(rng, 1, 9);
    if (op === "sub" && a <= b) [a, b] = [b + 1, a];
    return { op, operands: [a, b], level };
  }
  if (level === 2) {
    const r = rng();
    if (r < 1 / 3) return { op: "mul", operands: [int(rng, 2, 9), int(rng, 2, 9)], level };
    return { op: r < 2 / 3 ? "add" : "sub", operands: [int(rng, 10, 49), int(rng, 2, 9)], level };
  }
  const r = rng();
  if (r < 1 / 3) {
    const a = int(rng, 2, 9);
    const b = int(rng, 2, 9);
    return { op: "add-sub", operands: [a, b, int(rng, 1, a + b - 1)], level };
  }
  const a = int(rng, 2, 5);
  const b = int(rng, 2, 9);
  if (r < 2 / 3) return { op: "mul-add", operands: [a, b, int(rng, 1, 9)], level };
  return { op: "mul-sub", operands: [a, b, int(rng, 1, a * b - 1)], level };
}

/** Worked solution lines and the answer. */
export function solveArith(op: ArithOp, x: number[]): { steps: string[]; answer: number } {
  const [a, b, c] = x;
  switch (op) {
    case "add":
      return { steps: [`${a}+${b}=${a + b}`], answer: a + b };
    case "sub":
      return { steps: [`${a}-${b}=${a - b}`], answer: a - b };
    case "mul":
      return { steps: [`${a}*${b}=${a * b}`], answer: a * b };
    case "add-sub":
      return { steps: [`${a}+${b}=${a + b}`, `${a + b}-${c}=${a + b - c}`], answer: a + b - c };
    case "mul-add":
      return { steps: [`${a}*${b}=${a * b}`, `${a * b}+${c}=${a * b + c}`], answer: a * b + c };
    case "mul-sub":
      return { steps: [`${a}*${b}=${a * b}`, `${a * b}-${c}=${a * b - c}`], answer: a * b - c };
  }
}

function phrase(d: Draw, name: string, items: string): string {
  const [a, b, c] = d.operands;
  switch (d.op) {
    case "add":
      return `${name} has ${a} ${items} and buys ${b} more. How many ${items} now?`;
    case "sub":
      return `${name} has ${a} ${items} and gives away ${b}. How many ${items} are left?`;
    case "mul":
      return `${name} buys ${a} bags with ${b} ${items} each. How many ${items} in all?`;
    case "add-sub":
      return `${name} has ${a} ${items}, buys ${b} more, then gives away ${c}. How many now?`;
    case "mul-add":
      return `${name} buys ${a} bags of ${b} ${items} and finds ${c} more. How many now?`;
    case "mul-sub":
      return `${name} buys ${a} bags of ${b} ${items} and gives away ${c}. How many now?`;
  }
}

export const LEVEL_WEIGHTS: Readonly<Record<1 | 2 | 3, number>> = Object.freeze({ 1: 0.4, 2: 0.35, 3: 0.25 });

function pickLevel(rng: () => number, levels: (1 | 2 | 3)[] | undefined): 1 | 2 | 3 {
  if (levels) return levels[Math.floor(rng() * levels.length)];
  const u = rng();
  return u < LEVEL_WEIGHTS[1] ? 1 : u < LEVEL_WEIGHTS[1] + LEVEL_WEIGHTS[2] ? 2 : 3;
}

/** Slip sizes of `arithSlipSolution`: the kinds of arithmetic error that scraped worked solutions carry. */
export const SLIP_DELTAS: readonly number[] = Object.freeze([-10, -2, -1, 1, 2, 10]);

/**
 * A worked solution with one arithmetic slip, for pretraining a base on an imperfect corpus (like worked
 * solutions scraped from the web): one step's result is off by a delta from SLIP_DELTAS (redrawn while
 * the wrong result would be negative or equal the right one), later steps compute from the wrong
 * intermediate, and the final `#### N` line follows — so the text is internally consistent and in strict
 * format, only wrong. Returns the solution and its (wrong) final answer.
 */
export function arithSlipSolution(op: ArithOp, x: number[], rng: () => number): { solution: string; answer: number } {
  const [a, b, c] = x;
  const apply = (sym: string, u: number, v: number) => (sym === "+" ? u + v : sym === "-" ? u - v : u * v);
  const plan: [string, number][] = // (operator, right operand) of each step, left operand chained
    op === "add" ? [["+", b]] : op === "sub" ? [["-", b]] : op === "mul" ? [["*", b]]
      : op === "add-sub" ? [["+", b], ["-", c]] : op === "mul-add" ? [["*", b], ["+", c]] : [["*", b], ["-", c]];
  const slipAt = Math.floor(rng() * plan.length);
  const lines: string[] = [];
  let left = a;
  for (let i = 0; i < plan.length; i++) {
    const [sym, right] = plan[i];
    let result = apply(sym, left, right);
    if (i === slipAt) {
      let wrong = -1;
      for (let tries = 0; tries < 100 && (wrong < 0 || wrong === result); tries++) wrong = result + SLIP_DELTAS[Math.floor(rng() * SLIP_DELTAS.length)];
      if (wrong < 0 || wrong === result) wrong = result + 1; // result ≥ 0, so result + 1 is a valid slip
      result = wrong;
    }
    lines.push(`${left}${sym}${right}=${result}`);
    left = result;
  }
  return { solution: `${lines.join("\n")}\n#### ${left}`, answer: left };
}

/** The strict-format worked completion for a generated problem (the SFT target). */
export function arithSolution(op: ArithOp, operands: number[]): string {
  const { steps, answer } = solveArith(op, operands);
  return `${steps.join("\n")}\n#### ${answer}`;
}

/**
 * `n` problems of one split, reproducible from `seed`. Validation and test problems have distinct
 * arithmetic (no two share `arithKey`); train problems may repeat. metadata: { level, op, operands, split, solution, name, items }.
 */
export function generateArithProblems(options: ArithOptions): Problem[] {
  const { seed, n, split } = options;
  const levels = options.levels;
  if (!Number.isInteger(n) || n < 0) throw new Error("generateArithProblems: n must be a non-negative integer");
  if (levels && levels.length === 0) throw new Error("generateArithProblems: levels must not be empty");
  const rng = createRng(hashSeed(seed, split));
  const out: Problem[] = [];
  const seen = new Set<string>();
  let tries = 0;
  while (out.length < n) {
    if (++tries > 200 * n + 1000)
      throw new Error(`generateArithProblems: cannot find ${n} ${split} problems with distinct arithmetic (found ${out.length}${levels ? ` at levels ${levels.join(",")}` : ""}); ask for fewer`);
    const d = draw(rng, pickLevel(rng, levels));
    const name = NAMES[Math.floor(rng() * NAMES.length)];
    const items = ITEMS[Math.floor(rng() * ITEMS.length)];
    if (arithSplitOf(d.op, d.operands) !== split) continue;
    const key = arithKey(d.op, d.operands);
    if (split !== "train") {
      if (seen.has(key)) continue;
      seen.add(key);
    }
    const { answer } = solveArith(d.op, d.operands);
    out.push({
      id: `arith-${split}-${seed}-${out.length}`,
      question: phrase(d, name, items),
      gold: String(answer),
      task: "arith",
      metadata: { level: d.level, op: d.op, operands: d.operands, split, solution: arithSolution(d.op, d.operands), name, items },
    });
  }
  return out;
}
