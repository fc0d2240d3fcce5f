/**
 * Adversarial corpus: hostile or broken completions and golds. Every record must come back as a valid
 * Verdict (Verdict.safeParse), with no crash and in bounded time (the pool's hard limit bounds the
 * symbolic stage; the inline stages must be linear-ish on 1 MB inputs).
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { Verdict } from "../../src/schemas/verdict.js";
import { verifyMany, extractAnswer } from "../../src/verifiers/verify.js";
import { WorkerPool } from "../../src/verifiers/pool.js";
import { explainVerdict } from "../../src/verifiers/explain.js";

const pool = new WorkerPool({ size: 2, preload: ["verifyMath"] });
after(() => pool.close());

const MB = 1 << 20;
const nestedFrac = (depth: number) => "\\frac{1}{".repeat(depth) + "2" + "}".repeat(depth);

/** [name, completion] pairs; each is checked against several golds in both tasks. */
const COMPLETIONS: [string, string][] = [
  ["1 MB of filler then a boxed answer", "a".repeat(MB) + " so \\boxed{42} #### 42"],
  ["1 MB of numbers", Array.from({ length: MB / 8 }, (_, i) => `${i} + 1, `).join("") + "#### 7"],
  ["1 MB of open braces", "\\boxed{" + "{".repeat(MB)],
  ["10k nested boxed", "\\boxed{".repeat(10_000) + "1" + "}".repeat(10_000)],
  ["power tower", "The answer is \\boxed{10^{10^{10}}}"],
  ["huge factorial", "\\boxed{1000000!}"],
  ["200-deep nested frac", `\\boxed{${nestedFrac(200)}}`],
  ["2000-deep nested frac", `\\boxed{${nestedFrac(2000)}}`],
  ["5000 open parens", "\\boxed{" + "(".repeat(5000) + "1}"],
  ["300-deep sqrt", `\\boxed{${"\\sqrt{".repeat(300)}2${"}".repeat(300)}}`],
  ["unbalanced open", "the answer is \\boxed{\\frac{1}{2}"],
  ["unbalanced close", "}}}} \\boxed{{{{ 3 #### }"],
  ["unicode minus", "so the result is −18.\n#### −18"],
  ["Arabic-Indic digits", "الجواب ١٨ \\boxed{١٨}\n#### ١٨"],
  ["fullwidth digits", "答案是１８。 #### １８"],
  ["control characters", "\u0000\u0007#### 18\u001b[31m\u007f\\boxed{1\u00008}"],
  ["empty", ""],
  ["whitespace only", " \n\t\r\n "],
  ["lone surrogates", "\ud800 #### 18 \udfff \\boxed{\udc00}"],
  ["emoji and ZWJ", "👩‍👩‍👧 #### 1️⃣8️⃣ \\boxed{😀}"],
  ["1e309 and NaN", "#### 1e309 \\boxed{NaN} \\boxed{Infinity}"],
  ["5000-digit number", "#### " + "9".repeat(5000) + " \\boxed{" + "9".repeat(5000) + "}"],
  ["huge exponent", "\\boxed{2^{99999999}}"],
  ["division by zero", "\\boxed{\\frac{1}{0}}"],
  ["deep matrix", `\\boxed{\\begin{pmatrix}${Array.from({ length: 300 }, () => "1&2").join("\\\\")}\\end{pmatrix}}`],
  ["html/script", "<script>alert(1)</script> #### <b>18</b> \\boxed{<img src=x onerror=alert(1)>}"],
  ["prototype keys", "\\boxed{__proto__} #### constructor"],
];
const GOLDS = ["18", "42", "", "\\frac{1}{2}", "10", nestedFrac(200), "x^2+2x+1", "#### 18", "−18", "\ud800"];

test("every adversarial record gets a valid Verdict in bounded time (both tasks, all modes)", { timeout: 300_000 }, async () => {
  const timeoutMs = 2000;
  const records = COMPLETIONS.flatMap(([name, completion], i) =>
    GOLDS.map((gold, j) => ({ id: `${i}/${j} ${name}`, gold, completion })),
  );
  const runs: [string, string | undefined][] = [
    ["gsm8k", undefined],
    ["gsm8k", "lm-eval-strict"],
    ["gsm8k", "lm-eval-flexible"],
    ["gsm8k", "lm-eval-cot-strict"],
    ["math", undefined],
    ["math", "contract"],
    ["math", "minerva"],
  ];
  for (const [task, mode] of runs) {
    const t0 = performance.now();
    const verdicts = await verifyMany(records, { task: task as "gsm8k" | "math", mode, pool, timeoutMs });
    const secs = (performance.now() - t0) / 1000;
    assert.equal(verdicts.length, records.length);
    for (const [k, v] of verdicts.entries()) {
      const parsed = Verdict.safeParse(v);
      assert.ok(parsed.success, `${task}/${mode} ${records[k].id}: ${parsed.success ? "" : parsed.error.message}`);
      assert.equal(v.id, records[k].id);
      // Fail closed: nothing that is not "correct" scores above 0.
      if (v.status !== "correct") assert.equal(v.score, 0, `${records[k].id} ${v.status}`);
      // The pool's hard limit bounds the symbolic stage (generous slack for a loaded machine).
      assert.ok(v.ms < timeoutMs + 15_000, `${task}/${mode} ${records[k].id} took ${v.ms} ms`);
      if (v.span) {
        const c = records[k].completion;
        assert.ok(v.span[0] <= v.span[1] && v.span[1] <= c.length, `${records[k].id}: span ${v.span} outside the completion`);
      }
      JSON.stringify(v); // serializable (lone surrogates are escaped by JSON.stringify)
    }
    const statuses = verdicts.reduce<Record<string, number>>((a, v) => ((a[v.status] = (a[v.status] ?? 0) + 1), a), {});
    console.log(`# ${task}/${mode ?? "default"}: ${records.length} records in ${secs.toFixed(1)} s ${JSON.stringify(statuses)}`);
  }
});

test("the explain trace of adversarial text escapes control characters and stays bounded", async () => {
  for (const [name, completion] of COMPLETIONS) {
    for (const task of ["gsm8k", "math"] as const) {
      const { verdict, text } = await explainVerdict({ id: name, gold: "18", completion }, { task, pool, timeoutMs: 2000 });
      assert.ok(Verdict.safeParse(verdict).success, name);
      assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f]/, `${name}: raw control character in the explain text`);
      assert.ok(text.length < 20_000, `${name}: explain text is ${text.length} chars`);
    }
  }
  assert.equal(extractAnswer("", { task: "math" }).extracted, null);
  assert.equal(extractAnswer("", { task: "gsm8k" }).extracted, null);
});
