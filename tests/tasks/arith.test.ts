import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Problem } from "../../src/schemas/problem.js";
import { arithPrompt, arithSolution, arithSplitOf, generateArithProblems, solveArith, type ArithOp } from "../../src/tasks/arith.js";
import { arithReward, formatFlags } from "../../src/tasks/reward.js";

describe("generateArithProblems", () => {
  test("is reproducible from the seed and differs across seeds", () => {
    const a = generateArithProblems({ seed: 3, n: 50, split: "train" });
    assert.deepEqual(generateArithProblems({ seed: 3, n: 50, split: "train" }), a);
    assert.notDeepEqual(generateArithProblems({ seed: 4, n: 50, split: "train" }).map((p) => p.question), a.map((p) => p.question));
  });

  test("train and held-out never share a question, across many seeds", () => {
    const train = new Set<string>();
    for (let seed = 0; seed < 5; seed++) for (const p of generateArithProblems({ seed, n: 2000, split: "train" })) train.add(p.question);
    let checked = 0;
    for (let seed = 0; seed < 5; seed++) {
      const held = generateArithProblems({ seed, n: 300, split: "heldout" });
      assert.equal(new Set(held.map((p) => p.question)).size, held.length, "held-out problems are distinct");
      for (const p of held) {
        assert.ok(!train.has(p.question), `overlap: ${p.question}`);
        checked++;
      }
    }
    assert.equal(checked, 1500);
  });

  test("problems match the Problem schema, carry level/op metadata, and gold = solved answer", () => {
    const ops = new Set<string>();
    const levels = new Set<unknown>();
    for (const p of generateArithProblems({ seed: 1, n: 300, split: "heldout" })) {
      assert.ok(Problem.safeParse(p).success);
      assert.equal(p.task, "arith");
      const m = p.metadata as { level: number; op: ArithOp; operands: number[]; split: string; solution: string; name: string; items: string };
      assert.equal(m.split, "heldout");
      assert.equal(arithSplitOf(m.op, m.operands, m.name, m.items), "heldout");
      assert.equal(String(solveArith(m.op, m.operands).answer), p.gold);
      assert.ok(Number(p.gold) >= 0);
      assert.ok(m.solution.endsWith(`#### ${p.gold}`));
      ops.add(m.op);
      levels.add(m.level);
    }
    assert.deepEqual([...levels].sort(), [1, 2, 3]);
    assert.deepEqual([...ops].sort(), ["add", "add-sub", "mul", "mul-add", "mul-sub", "sub"]);
  });

  test("levels option narrows the draw; n = 0 gives none; bad n throws", () => {
    assert.ok(generateArithProblems({ seed: 1, n: 40, split: "train", levels: [3] }).every((p) => p.metadata!.level === 3));
    assert.deepEqual(generateArithProblems({ seed: 1, n: 0, split: "train" }), []);
    assert.throws(() => generateArithProblems({ seed: 1, n: -1, split: "train" }), /non-negative/);
  });

  test("solutions show each step and the prompt template is question + newline", () => {
    assert.equal(arithSolution("mul-sub", [3, 4, 5]), "3*4=12\n12-5=7\n#### 7");
    assert.equal(arithSolution("sub", [9, 2]), "9-2=7\n#### 7");
    assert.equal(arithPrompt({ question: "Q?" }), "Q?\n");
  });

  test("prompt + solution fits the base policy's 96-token context", () => {
    for (const p of generateArithProblems({ seed: 2, n: 3000, split: "train" })) {
      assert.ok(1 + arithPrompt(p).length + (p.metadata!.solution as string).length + 1 <= 96);
    }
  });
});

describe("formatFlags and arithReward", () => {
  const problem = { id: "p1", question: "Tom has 7 pens and buys 4 more. How many pens now?", gold: "11" };
  const cases: [string, string, "correct" | "wrong" | "unparseable", boolean, boolean][] = [
    // completion, expected status, strict, flexible
    ["correct strict", "7+4=11\n#### 11", "correct", true, true],
    ["correct strict, trailing newline", "7+4=11\n#### 11\n", "correct", true, true],
    ["answer only line", "#### 11", "correct", true, true],
    ["wrong strict", "7+4=12\n#### 12", "wrong", true, true],
    ["negative strict", "#### -3", "wrong", true, true],
    ["right number, no marker", "7+4=11\nThe answer is 11", "unparseable", false, true],
    ["marker not on final line", "#### 11\nthanks", "unparseable", false, true],
    ["two markers", "#### 12\n#### 11", "unparseable", false, true],
    ["marker mid-line", "so #### 11", "unparseable", false, true],
    ["decimal answer", "#### 11.0", "unparseable", false, true],
    ["empty", "", "unparseable", false, false],
    ["no number", "I do not know", "unparseable", false, false],
  ];
  for (const [name, completion, status, strict, flexible] of cases) {
    test(`${name}: ${status}, strict=${strict}, flexible=${flexible}`, () => {
      const v = arithReward(problem, completion);
      assert.equal(v.status, status);
      assert.equal(v.score, status === "correct" ? 1 : 0);
      assert.deepEqual(formatFlags(completion), { strict, flexible });
      assert.equal(v.id, "p1");
    });
  }

  test("a non-strict but numerically right completion says what the verifier would have said", () => {
    const v = arithReward(problem, "7+4=11\n11");
    assert.equal(v.rule, "arith/strict-format");
    assert.ok(v.flags!.includes("arith:would-be-correct"));
    assert.ok(v.flags!.includes("arith:format-not-strict"));
  });

  test("strict verdicts come from the GSM8K verifier, with span pointing at the answer", () => {
    const c = "7+4=11\n#### 11";
    const v = arithReward(problem, c);
    assert.match(v.rule, /^arith\/strict\+gsm8k\//);
    assert.deepEqual(v.span, [c.length - 2, c.length]);
    assert.equal(v.extracted, "11");
  });
});
