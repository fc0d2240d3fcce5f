import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Problem } from "../../src/schemas/problem.js";
import { arithKey, arithSplitOf } from "../../src/tasks/arithSplit.js";
import { arithPrompt, arithSlipSolution, arithSolution, generateArithProblems, solveArith, SLIP_DELTAS, type ArithOp } from "../../src/tasks/arith.js";
import { createRng } from "../../src/stats/rng.js";
import { arithReward, formatFlags } from "../../src/tasks/reward.js";

describe("generateArithProblems", () => {
  test("is reproducible from the seed and differs across seeds", () => {
    const a = generateArithProblems({ seed: 3, n: 50, split: "train" });
    assert.deepEqual(generateArithProblems({ seed: 3, n: 50, split: "train" }), a);
    assert.notDeepEqual(generateArithProblems({ seed: 4, n: 50, split: "train" }).map((p) => p.question), a.map((p) => p.question));
  });

  test("validation and test problems are distinct in their arithmetic, train may repeat", () => {
    for (const split of ["validation", "test"] as const) {
      const ps = generateArithProblems({ seed: 2, n: 150, split });
      assert.equal(new Set(ps.map((p) => arithKey(p.metadata!.op as ArithOp, p.metadata!.operands as number[]))).size, 150, split);
    }
    const train = generateArithProblems({ seed: 2, n: 3000, split: "train" });
    assert.ok(new Set(train.map((p) => arithKey(p.metadata!.op as ArithOp, p.metadata!.operands as number[]))).size < 3000);
  });

  test("asking for more distinct problems than a split has arithmetic fails with a message saying so", () => {
    assert.throws(() => generateArithProblems({ seed: 1, n: 30, split: "test", levels: [1] }), /cannot find 30 test problems with distinct arithmetic \(found \d+ at levels 1\); ask for fewer/);
  });

  test("problems match the Problem schema, carry level/op metadata, and gold = solved answer", () => {
    const ops = new Set<string>();
    const levels = new Set<unknown>();
    for (const p of generateArithProblems({ seed: 1, n: 300, split: "test" })) {
      assert.ok(Problem.safeParse(p).success);
      assert.equal(p.task, "arith");
      const m = p.metadata as { level: number; op: ArithOp; operands: number[]; split: string; solution: string; name: string; items: string };
      assert.equal(m.split, "test");
      assert.equal(arithSplitOf(m.op, m.operands), "test");
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

describe("arithSlipSolution (imperfect pretraining corpus)", () => {
  /** Re-evaluate every `u op v = w` line; count lines whose w is wrong, and check that lines chain. */
  function audit(solution: string): { wrongLines: number; chained: boolean; final: number } {
    const lines = solution.split("\n");
    const final = Number(/^#### (-?\d+)$/.exec(lines[lines.length - 1])![1]);
    let wrongLines = 0;
    let chained = true;
    let prev: number | null = null;
    for (const l of lines.slice(0, -1)) {
      const m = /^(-?\d+)([+*-])(\d+)=(-?\d+)$/.exec(l);
      assert.ok(m, `line ${JSON.stringify(l)} is in a op b = c form`);
      const [u, v, w] = [Number(m[1]), Number(m[3]), Number(m[4])];
      const truth = m[2] === "+" ? u + v : m[2] === "-" ? u - v : u * v;
      if (truth !== w) {
        wrongLines++;
        assert.ok(SLIP_DELTAS.includes(w - truth) || w - truth === 1, `slip ${w - truth} is one of the listed deltas`);
      }
      if (prev !== null && u !== prev) chained = false;
      prev = w;
    }
    return { wrongLines, chained, final };
  }

  test("every op gets exactly one slipped step, later steps chain from it, and the final line follows", () => {
    const ops: [ArithOp, number[]][] = [["add", [3, 4]], ["sub", [9, 2]], ["mul", [7, 8]], ["add-sub", [5, 6, 3]], ["mul-add", [4, 9, 2]], ["mul-sub", [3, 7, 5]]];
    const rng = createRng(11);
    for (const [op, x] of ops) {
      for (let k = 0; k < 50; k++) {
        const { solution, answer } = arithSlipSolution(op, x, rng);
        const a = audit(solution);
        assert.equal(a.wrongLines, 1, `${op} ${x}: ${solution}`);
        assert.ok(a.chained, `${op}: steps chain`);
        assert.equal(a.final, answer);
        assert.notEqual(answer, solveArith(op, x).answer, `${op} ${x}: the slip changes the final answer`);
        assert.equal(formatFlags(solution).strict, true, "a slipped solution is still in strict format");
      }
    }
  });

  test("a slip never makes the slipped step negative (1 - 1 has only upward slips)", () => {
    const rng = createRng(3);
    for (let k = 0; k < 200; k++) {
      const { solution } = arithSlipSolution("sub", [1, 1], rng);
      assert.match(solution, /^1-1=(1|2|10)\n#### (1|2|10)$/);
    }
  });

  test("both step positions of a two-step problem get slipped, with roughly equal frequency", () => {
    const rng = createRng(5);
    let first = 0;
    const n = 2000;
    for (let k = 0; k < n; k++) {
      const { solution } = arithSlipSolution("mul-add", [4, 9, 2], rng);
      if (!solution.startsWith("4*9=36\n")) first++;
    }
    assert.ok(Math.abs(first / n - 0.5) < 0.05, `first-step slips ${first}/${n}`);
  });
});
