/**
 * MATH-500 agreement: for every record of ../shared/data/math500.jsonl (relative to the repo root), the gold
 * `solution`, used as a model completion, must verify against the `answer` field — in every mode — and the
 * verifier must not be trivially accepting: a perturbed answer must be rejected. Known exceptions would be
 * listed in EXCEPTIONS with the reason; there are none at present. Skips cleanly when the file is absent.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { verifyMath, verifyMathFast } from "../../src/verifiers/math/index.js";

const root = new URL("../..", import.meta.url).pathname;
const file = join(root, "..", "shared", "data", "math500.jsonl");
const present = existsSync(file);
const skip = present ? false : `dataset absent: ${file}`;

interface Row {
  solution: string;
  answer: string;
  unique_id: string;
}
const rows: Row[] = present ? readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Row) : [];

/** unique_id → reason, for records whose gold solution does not verify against `answer`. */
const EXCEPTIONS: Record<string, string> = {};

for (const mode of ["default", "minerva"] as const) {
  test(`every MATH-500 gold solution verifies against its answer field (mode ${mode})`, { skip }, (t) => {
    assert.equal(rows.length, 500);
    const failures: string[] = [];
    for (const r of rows) {
      const v = verifyMath(r.answer, r.solution, { mode });
      if (v.status !== "correct" && !(r.unique_id in EXCEPTIONS)) {
        failures.push(`${r.unique_id}: answer ${JSON.stringify(r.answer)} extracted ${JSON.stringify(v.extracted)} (${v.rule})`);
      }
    }
    t.diagnostic(`agreement ${rows.length - failures.length}/${rows.length} (${Object.keys(EXCEPTIONS).length} listed exceptions)`);
    assert.deepEqual(failures, []);
  });
}

test("contract mode accepts every MATH-500 solution with exactly one box and refuses the others", { skip }, (t) => {
  let oneBox = 0;
  for (const r of rows) {
    const boxes = r.solution.match(/\\(?:boxed|fbox)(?![A-Za-z])/g)?.length ?? 0;
    const v = verifyMath(r.answer, r.solution, { mode: "contract" });
    if (boxes === 1) {
      oneBox++;
      assert.equal(v.status, "correct", r.unique_id);
    } else {
      assert.equal(v.status, "unparseable", r.unique_id);
    }
  }
  t.diagnostic(`${oneBox}/${rows.length} solutions have exactly one box`);
});

test("the answer field used as gold-vs-solution in reverse also agrees (gold = full solution)", { skip }, () => {
  const bad = rows.filter((r) => verifyMath(r.solution, `The answer is $\\boxed{${r.answer}}$.`).status !== "correct");
  assert.deepEqual(bad.map((r) => r.unique_id), []);
});

test("perturbed MATH-500 answers are rejected (the verifier is not trivially accepting)", { skip }, (t) => {
  let checked = 0;
  const accepted: string[] = [];
  for (const r of rows) {
    let wrong: string | null = null;
    if (/^-?\d+$/.test(r.answer)) wrong = String(Number(r.answer) + 1);
    else if (/^\\[dt]?frac\{\d+\}\{\d+\}$/.test(r.answer)) wrong = r.answer.replace(/\{(\d+)\}\{(\d+)\}/, "{$2}{$1}");
    else if (/^\(.*,.*\)$/.test(r.answer)) wrong = `(${r.answer.slice(1, -1).split(",").reverse().join(",")})`;
    if (wrong === null || wrong.replace(/\s/g, "") === r.answer.replace(/\s/g, "")) continue;
    checked++;
    const v = verifyMath(r.answer, `So the result is $\\boxed{${wrong}}$.`);
    if (v.status === "correct") accepted.push(`${r.unique_id}: ${r.answer} accepted ${wrong} (${v.rule})`);
  }
  t.diagnostic(`${checked} perturbed answers checked`);
  assert.ok(checked > 250);
  assert.deepEqual(accepted, []);
});

test("verifyMathFast agrees with verifyMath on every MATH-500 record it decides", { skip }, () => {
  for (const r of rows) {
    const f = verifyMathFast(r.answer, r.solution);
    if (f) assert.equal(f.status, verifyMath(r.answer, r.solution).status, r.unique_id);
  }
});
