/**
 * The arithmetic word-problem task: procedurally generated, seeded, small enough for a char-level policy.
 *
 *   level 1  one step, + or −, operands 2…20            "Tom has 12 apples and buys 7 more. How many apples now?"
 *   level 2  one step, + or − with operands 10…99, or × with 2…9 × 2…12
 *   level 3  two steps (+ then −, × then +, × then −), small operands
 *
 * Prompt template: `{question}\n` (the policy sees `[BOS, ...prompt]`). Strict answer format: the worked
 * solution, one `a op b = c` line per step, then a final line `#### N` and nothing after it:
 *
 *   12+7=19
 *   #### 19
 *
 * Train / held-out split: the split is a function of the problem's arithmetic content alone,
 * `split = hashSeed("arith-split", op, operands…) mod 5 === 0 ? "heldout" : "train"`, and each split draws
 * from its own seed stream (`hashSeed(seed, split)`), rejecting candidates of the other split. So no held-out
 * problem shares its numbers and operation with any training problem, whatever the seeds (tested).
 */
import type { Problem } from "../schemas/problem.js";
import { createRng, hashSeed } from "../stats/rng.js";

export type ArithSplit = "train" | "heldout";
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
    let a = int(rng, 2, 20);
    let b = int(rng, 2, 20);
    if (op === "sub" && a <= b) [a, b] = [b + 1, a];
    return { op, operands: [a, b], level };
  }
  if (level === 2) {
    const r = rng();
    if (r < 1 / 3) return { op: "mul", operands: [int(rng, 2, 9), int(rng, 2, 12)], level };
    const op: ArithOp = r < 2 / 3 ? "add" : "sub";
    let a = int(rng, 10, 99);
    let b = int(rng, 10, 99);
    if (op === "sub" && a <= b) [a, b] = [b + 1, a];
    return { op, operands: [a, b], level };
  }
  const r = rng();
  if (r < 1 / 3) {
    const a = int(rng, 5, 30);
    const b = int(rng, 2, 20);
    return { op: "add-sub", operands: [a, b, int(rng, 1, a + b - 1)], level };
  }
  const a = int(rng, 2, 6);
  const b = int(rng, 2, 9);
  if (r < 2 / 3) return { op: "mul-add", operands: [a, b, int(rng, 2, 20)], level };
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

/** Which split a problem's arithmetic content belongs to (≈20% held-out). */
export function arithSplitOf(op: ArithOp, operands: number[]): ArithSplit {
  return hashSeed("arith-split", op, ...operands) % 5 === 0 ? "heldout" : "train";
}

/** The strict-format worked completion for a generated problem (the SFT target). */
export function arithSolution(op: ArithOp, operands: number[]): string {
  const { steps, answer } = solveArith(op, operands);
  return `${steps.join("\n")}\n#### ${answer}`;
}

/**
 * `n` problems of one split, reproducible from `seed`. Held-out problems are distinct from each other;
 * train problems may repeat. metadata: { level, op, operands, split, solution }.
 */
export function generateArithProblems(options: ArithOptions): Problem[] {
  const { seed, n, split } = options;
  const levels = options.levels ?? [1, 2, 3];
  if (!Number.isInteger(n) || n < 0) throw new Error("generateArithProblems: n must be a non-negative integer");
  if (levels.length === 0) throw new Error("generateArithProblems: levels must not be empty");
  const rng = createRng(hashSeed(seed, split));
  const out: Problem[] = [];
  const seen = new Set<string>();
  let tries = 0;
  while (out.length < n) {
    if (++tries > 200 * n + 1000) throw new Error(`generateArithProblems: cannot find ${n} distinct ${split} problems`);
    const level = levels[Math.floor(rng() * levels.length)];
    const d = draw(rng, level);
    if (arithSplitOf(d.op, d.operands) !== split) continue;
    const key = `${d.op}:${d.operands.join(",")}`;
    const name = NAMES[Math.floor(rng() * NAMES.length)];
    const items = ITEMS[Math.floor(rng() * ITEMS.length)];
    if (split === "heldout") {
      if (seen.has(key)) continue;
      seen.add(key);
    }
    const { answer } = solveArith(d.op, d.operands);
    out.push({
      id: `arith-${split}-${seed}-${out.length}`,
      question: phrase(d, name, items),
      gold: String(answer),
      task: "arith",
      metadata: { level: d.level, op: d.op, operands: d.operands, split, solution: arithSolution(d.op, d.operands) },
    });
  }
  return out;
}
