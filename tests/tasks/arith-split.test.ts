/**
 * The train / validation / test split shares no arithmetic. The overlap is computed here from the
 * question TEXT with this file's own parser and normaliser — not with src/tasks/arithSplit.ts — so a bug
 * in the split's key (a missed commutation, a wording-dependent hash) shows up as overlap.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { generateArithProblems } from "../../src/tasks/arith.js";
import { SPLIT_VERSION } from "../../src/tasks/arithSplit.js";
import type { Problem } from "../../src/schemas/problem.js";

/** The arithmetic of a question, read from its words: "buys 3 bags of 4 … finds 5 more" → "*+:3,4|5". */
function arithmeticOf(question: string): string {
  const nums = (question.match(/\d+/g) ?? []).map(Number);
  const has = (w: string) => question.includes(w);
  const ops =
    has("bags of") ? (has("finds") ? "*+" : "*-")
      : has("bags with") ? "*"
        : has("buys") && has("gives away") ? "+-"
          : has("buys") ? "+"
            : has("gives away") ? "-" : "?";
  assert.notEqual(ops, "?", `unrecognised question: ${question}`);
  assert.equal(nums.length, ops.length + 1, `numbers of ${question}`);
  // a+b, a*b commute; in a+b-c, a*b+c, a*b-c the first two commute; a-b does not.
  const firstTwo = ops === "-" ? nums.slice(0, 2) : [Math.min(nums[0], nums[1]), Math.max(nums[0], nums[1])];
  return `${ops}:${firstTwo.join(",")}|${nums.slice(2).join(",")}`;
}

function overlap(a: Problem[], b: Problem[]): string[] {
  const seen = new Set(a.map((p) => arithmeticOf(p.question)));
  return [...new Set(b.map((p) => arithmeticOf(p.question)).filter((k) => seen.has(k)))];
}

describe("arithmetic split", () => {
  const seeds = [0, 1, 2, 3, 7];
  const train = seeds.flatMap((seed) => generateArithProblems({ seed, n: 4000, split: "train" }));
  const validation = seeds.flatMap((seed) => generateArithProblems({ seed, n: 200, split: "validation" }));
  const test_ = seeds.flatMap((seed) => generateArithProblems({ seed, n: 200, split: "test" }));

  test("the parser reads the arithmetic the generator meant, with commuting operands merged", () => {
    assert.equal(arithmeticOf("Tom has 3 pens and buys 7 more. How many pens now?"), arithmeticOf("Zoe has 7 cups and buys 3 more. How many cups now?"));
    assert.notEqual(arithmeticOf("Tom has 9 pens and gives away 2. How many pens are left?"), arithmeticOf("Tom has 2 pens and gives away 9. How many pens are left?"));
    assert.equal(arithmeticOf("Ann buys 3 bags of 4 eggs and finds 5 more. How many now?"), arithmeticOf("Ben buys 4 bags of 3 toys and finds 5 more. How many now?"));
    assert.notEqual(arithmeticOf("Ann buys 3 bags of 4 eggs and finds 5 more. How many now?"), arithmeticOf("Ann buys 3 bags of 5 eggs and finds 4 more. How many now?"));
    for (const p of [...train.slice(0, 500), ...test_.slice(0, 200)]) {
      const [a, b, c] = p.metadata!.operands as number[];
      const sym = { add: "+", sub: "-", mul: "*", "add-sub": "+-", "mul-add": "*+", "mul-sub": "*-" }[p.metadata!.op as string];
      const firstTwo = sym === "-" ? [a, b] : [Math.min(a, b), Math.max(a, b)];
      assert.equal(arithmeticOf(p.question), `${sym}:${firstTwo.join(",")}|${c ?? ""}`, p.question);
    }
  });

  test("0 test and 0 validation problems share arithmetic with train, across seeds and wordings", () => {
    assert.deepEqual(overlap(train, test_), []);
    assert.deepEqual(overlap(train, validation), []);
  });

  test("0 test problems share arithmetic with validation", () => {
    assert.deepEqual(overlap(validation, test_), []);
  });

  test("every level and operation reaches every split (the split is by fact, not by kind of problem)", () => {
    for (const ps of [train, validation, test_]) {
      assert.deepEqual([...new Set(ps.map((p) => p.metadata!.op))].sort(), ["add", "add-sub", "mul", "mul-add", "mul-sub", "sub"]);
      assert.deepEqual([...new Set(ps.map((p) => p.metadata!.level))].sort(), [1, 2, 3]);
    }
  });

  test("the shipped base checkpoints were pretrained on train-split arithmetic of this split definition", () => {
    for (const name of ["base"]) {
      const file = join("data", "checkpoints", name, "pretrain.json");
      assert.ok(existsSync(file), `${file} is missing`);
      const info = JSON.parse(readFileSync(file, "utf8")) as { corpus?: { split: string; splitVersion: string } };
      assert.deepEqual(
        { split: info.corpus?.split, splitVersion: info.corpus?.splitVersion },
        { split: "train", splitVersion: SPLIT_VERSION },
        `${file}: re-pretrain with scripts/pretrain.ts (the split changed, so its corpus may hold test arithmetic)`,
      );
    }
  });
});
