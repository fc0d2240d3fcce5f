import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, readFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readCompletions, repairTail, compactCompletions } from "../../src/rollout/completionStore.js";
import { EndpointPool } from "../../src/rollout/endpointPool.js";
import { loadProblems } from "../../src/rollout/problems.js";
import { ProgressBar } from "../../src/rollout/progress.js";

const dir = mkdtempSync(join(tmpdir(), "rlvr-store-"));
const rec = (id: string, i: number, finish: string, text = "t") => JSON.stringify({ problem_id: id, sample_index: i, completion: text, finish_reason: finish }) + "\n";

test("repairTail drops only a partial last line and leaves whole lines alone", () => {
  const f = join(dir, "tail.jsonl");
  writeFileSync(f, rec("a", 0, "stop") + rec("a", 1, "stop") + '{"problem_id":"a","sam');
  assert.equal(repairTail(f), '{"problem_id":"a","sam'.length);
  assert.equal(readFileSync(f, "utf8"), rec("a", 0, "stop") + rec("a", 1, "stop"));
  assert.equal(repairTail(f), 0);
  const only = join(dir, "only-partial.jsonl");
  writeFileSync(only, '{"x":');
  assert.equal(repairTail(only), 5);
  assert.equal(readFileSync(only, "utf8"), "");
  assert.equal(repairTail(join(dir, "missing.jsonl")), 0);
});

test("readCompletions keeps one record per key: first complete wins, errors are superseded, duplicates counted", async () => {
  const f = join(dir, "dedupe.jsonl");
  writeFileSync(f, rec("a", 0, "stop", "first") + rec("a", 0, "stop", "dup") + rec("b", 0, "error") + rec("b", 0, "length", "later") + rec("c", 0, "error") + "not json\n");
  const r = await readCompletions(f);
  assert.equal(r.byKey.size, 3);
  assert.equal(r.duplicates, 1);
  assert.equal(r.superseded, 1);
  assert.equal(r.badLines.length, 1);
  assert.match(r.badLines[0], /dedupe\.jsonl:6/);
  const kept = [...r.byKey.values()];
  assert.deepEqual(kept.map((k) => [k.problem_id, k.completion, k.finish_reason]), [["a", "first", "stop"], ["b", "later", "length"], ["c", "t", "error"]]);
  compactCompletions(f, kept);
  const again = await readCompletions(f);
  assert.deepEqual([again.byKey.size, again.duplicates, again.superseded, again.badLines.length], [3, 0, 0, 0]);
  assert.equal(readFileSync(f, "utf8").trim().split("\n").length, 3);
});

test("EndpointPool never exceeds an endpoint's concurrency and round-robin alternates", async () => {
  const pool = new EndpointPool([{ url: "a", concurrency: 2 }, { url: "b", concurrency: 1 }], "round-robin");
  const l1 = await pool.acquire();
  const l2 = await pool.acquire();
  const l3 = await pool.acquire();
  assert.deepEqual([l1.index, l2.index, l3.index], [0, 1, 0]);
  let fourth = false;
  const p4 = pool.acquire().then((l) => ((fourth = true), l));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(fourth, false, "all 3 slots taken: the 4th waits");
  l2.release();
  const l4 = await p4;
  assert.equal(l4.index, 1);
  assert.deepEqual(pool.endpoints.map((e) => e.maxInFlight), [2, 1]);
  l2.release(); // double release is ignored
  assert.equal(pool.endpoints[1].inFlight, 1);
  assert.throws(() => new EndpointPool([{ url: "x", concurrency: 0 }]), /concurrency must be an integer ≥ 1/);
});

test("least-loaded picks the endpoint with the lowest inFlight/concurrency", async () => {
  const pool = new EndpointPool([{ url: "a", concurrency: 4 }, { url: "b", concurrency: 1 }], "least-loaded");
  const picks = [];
  for (let i = 0; i < 5; i++) picks.push((await pool.acquire()).index);
  assert.deepEqual(picks.sort(), [0, 0, 0, 0, 1]);
});

test("loadProblems maps Problem, GSM8K and MATH-500 shapes and reports bad lines with file:line:field", async () => {
  const f = join(dir, "problems.jsonl");
  writeFileSync(
    f,
    [
      JSON.stringify({ id: 7, question: "q1", gold: "3" }),
      JSON.stringify({ question: "Janet has 3 ducks…", answer: "She has 1,000 + 2 = 1,002\n#### 1,002" }),
      JSON.stringify({ problem: "Find $x$.", answer: "\\frac{1}{2}", unique_id: "test/algebra/1.json", level: 3, subject: "Algebra" }),
      JSON.stringify({ question: "no marker", answer: "12" }),
      "{broken",
      JSON.stringify({ id: 7, question: "again", gold: "1" }),
      JSON.stringify({ problem: 5, answer: "1" }),
    ].join("\n"),
  );
  const { problems, errors } = await loadProblems(f);
  assert.deepEqual(problems.map((p) => [p.id, p.gold, p.task ?? null]), [["7", "3", null], ["gsm8k-L2", "1002", "gsm8k"], ["test/algebra/1.json", "\\frac{1}{2}", "math"]]);
  assert.deepEqual(problems[2].metadata, { level: "3", subject: "Algebra" });
  assert.deepEqual(errors.map((e) => [e.line, e.field]), [[4, "answer"], [5, ""], [6, "id"], [7, "problem"]]);
  assert.ok(errors.every((e) => e.file === f));
});

test("ProgressBar.format shows done/total, rate, truncation and errors", () => {
  const line = ProgressBar.format({ done: 50, total: 200, truncated: 3, errors: 1 }, 10, "sweep", 10);
  assert.equal(line, "sweep [###·······]  50/200  25.0% 5.0/s trunc 3 err 1 eta 30s");
  assert.match(ProgressBar.format({ done: 0, total: 0, truncated: 0, errors: 0 }, 0), /100\.0%/);
});
