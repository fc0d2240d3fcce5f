import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { summarizePassAtK, summarizeCounts, normalizeKs } from "../../src/stats/summary.js";
import { aggregateByProblem, stratify, compareStrata, MISSING_STRATUM, ProblemCounts } from "../../src/stats/problemCounts.js";
import { bootstrapMeanCI } from "../../src/stats/bootstrap.js";
import { createRng } from "../../src/stats/rng.js";
import { meanOverSubsets } from "./reference.js";

type S = { problem_id: string; correct: boolean; strata?: Record<string, string> };

/** samples: problem id → correctness list, with a level per problem */
function makeSamples(spec: Record<string, { level: string; results: boolean[] }>): S[] {
  const out: S[] = [];
  for (const [id, { level, results }] of Object.entries(spec))
    for (const correct of results) out.push({ problem_id: id, correct, strata: { level } });
  return out;
}

describe("summarizePassAtK", () => {
  const spec = {
    a: { level: "1", results: [true, false, false, false] },
    b: { level: "1", results: [false, false, false, false] },
    c: { level: "2", results: [true, true, false, true] },
    d: { level: "10", results: [false, true, false, false] },
  };
  const samples = makeSamples(spec);
  // Plain reference: per-problem brute-force pass@k, then the mean over problems.
  const refPass = (results: boolean[], k: number) => meanOverSubsets(results.length, k, (s) => (s.some((i) => results[i]) ? 1 : 0));
  const refMean = (ids: string[], k: number) =>
    ids.reduce((acc, id) => acc + refPass(spec[id as keyof typeof spec].results, k), 0) / ids.length;

  test("estimate is the mean over problems of the per-problem unbiased pass@k", () => {
    const s = summarizePassAtK(samples, [1, 2, 4], { resamples: 200, onWarning: assert.fail });
    assert.equal(s.n_problems, 4);
    assert.equal(s.n_samples, 16);
    for (const k of [1, 2, 4]) assert.ok(Math.abs(s["pass@k"][String(k)].estimate - refMean(["a", "b", "c", "d"], k)) < 1e-12);
  });
  test("the CI is the percentile bootstrap over problems of the per-problem values", () => {
    const s = summarizePassAtK(samples, [2], { resamples: 300, seed: 3, onWarning: assert.fail });
    const per = ["a", "b", "c", "d"].map((id) => refPass(spec[id as keyof typeof spec].results, 2));
    const ref = bootstrapMeanCI(per, { resamples: 300, seed: 3 });
    assert.ok(Math.abs(s["pass@k"]["2"].ci95[0] - ref.ci95[0]) < 1e-12);
    assert.ok(Math.abs(s["pass@k"]["2"].ci95[1] - ref.ci95[1]) < 1e-12);
  });
  test("stratifies by a metadata field with per-stratum counts, estimates and CIs, in natural order", () => {
    const s = summarizePassAtK(samples, [1, 2], { by: "level", resamples: 200, onWarning: assert.fail });
    assert.deepEqual(Object.keys(s.by!), ["1", "2", "10"]);
    assert.equal(s.by!["1"].n_problems, 2);
    assert.equal(s.by!["1"].n_samples, 8);
    assert.ok(Math.abs(s.by!["1"]["pass@k"]["1"].estimate - refMean(["a", "b"], 1)) < 1e-12);
    assert.ok(Math.abs(s.by!["10"]["pass@k"]["2"].estimate - refMean(["d"], 2)) < 1e-12);
    const ci = s.by!["1"]["pass@k"]["1"].ci95;
    assert.ok(ci[0] <= s.by!["1"]["pass@k"]["1"].estimate && s.by!["1"]["pass@k"]["1"].estimate <= ci[1]);
  });
  test("a sample without the stratification field lands in the (missing) stratum", () => {
    const s = summarizePassAtK([{ problem_id: "x", correct: true }, { problem_id: "y", correct: false, strata: { level: "3" } }], [1], {
      by: "level",
      resamples: 10,
    });
    assert.deepEqual(Object.keys(s.by!), ["3", MISSING_STRATUM]);
  });
  test("skips problems with fewer than k samples for that k and warns", () => {
    const warnings: string[] = [];
    const s = summarizePassAtK(
      [...samples, { problem_id: "short", correct: true, strata: { level: "1" } }],
      [1, 2],
      { resamples: 50, onWarning: (m) => warnings.push(m) },
    );
    assert.equal(s.n_problems, 5);
    assert.ok(Math.abs(s["pass@k"]["1"].estimate - (refMean(["a", "b", "c", "d"], 1) * 4 + 1) / 5) < 1e-12);
    assert.ok(Math.abs(s["pass@k"]["2"].estimate - refMean(["a", "b", "c", "d"], 2)) < 1e-12);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /pass@2: skipped 1 of 5 problems with fewer than 2 samples \(e\.g\. short\)/);
  });
  test("leaves out a k that no problem reaches, with a warning", () => {
    const warnings: string[] = [];
    const s = summarizePassAtK(samples, [1, 8], { resamples: 20, onWarning: (m) => warnings.push(m) });
    assert.deepEqual(Object.keys(s["pass@k"]), ["1"]);
    assert.match(warnings.join("\n"), /no problem has 8 samples/);
  });
  test("empty input gives zero counts, no estimates and a warning", () => {
    const warnings: string[] = [];
    const s = summarizePassAtK([], [1], { by: "level", onWarning: (m) => warnings.push(m) });
    assert.deepEqual(s, { n_problems: 0, n_samples: 0, "pass@k": {}, by: {} });
    assert.equal(warnings.length, 1);
  });
  test("a conflicting stratum for the same problem is warned about and the first value kept", () => {
    const warnings: string[] = [];
    const s = summarizePassAtK(
      [{ problem_id: "p", correct: true, strata: { level: "1" } }, { problem_id: "p", correct: false, strata: { level: "2" } }],
      [1],
      { by: "level", resamples: 10, onWarning: (m) => warnings.push(m) },
    );
    assert.deepEqual(Object.keys(s.by!), ["1"]);
    assert.match(warnings[0], /earlier sample said 1/);
  });
  test("is deterministic with a seed", () => {
    const rng = createRng(4);
    const many: S[] = [];
    for (let p = 0; p < 50; p++) for (let s = 0; s < 8; s++) many.push({ problem_id: `p${p}`, correct: rng() < 0.3 });
    assert.deepEqual(summarizePassAtK(many, [1, 4], { seed: 7, resamples: 100 }), summarizePassAtK(many, [1, 4], { seed: 7, resamples: 100 }));
  });
  test("rejects bad k values and bad samples", () => {
    assert.throws(() => summarizePassAtK(samples, [0]), /positive integer/);
    assert.throws(() => summarizePassAtK(samples, [1.5]), /positive integer/);
    assert.throws(() => summarizePassAtK(samples, []), /at least one k/);
    assert.throws(() => summarizePassAtK([{ problem_id: "", correct: true }], [1]), /problem_id must be a non-empty string/);
    assert.throws(() => summarizePassAtK([{ problem_id: "a", correct: 1 as unknown as boolean }], [1]), /correct must be a boolean/);
  });
});

describe("problem counts and strata", () => {
  test("aggregateByProblem counts samples and correct samples per problem in first-seen order", () => {
    const c = aggregateByProblem([
      { problem_id: "b", correct: true },
      { problem_id: "a", correct: false },
      { problem_id: "b", correct: false },
      { problem_id: "b", correct: true },
    ]);
    assert.deepEqual([c.ids, c.n, c.c, c.samples], [["b", "a"], [3, 1], [2, 0], 4]);
    assert.equal(c.strata, undefined);
  });
  test("summarizeCounts works on hand-built counts", () => {
    const c = new ProblemCounts();
    for (let i = 0; i < 3; i++) c.add("x", i === 0);
    assert.ok(Math.abs(summarizeCounts(c, [2], { resamples: 5 })["pass@k"]["2"].estimate - 2 / 3) < 1e-12);
  });
  test("stratify groups indices and orders numbers numerically with (missing) last", () => {
    const g = stratify(["10", "2", MISSING_STRATUM, "algebra", "2"]);
    assert.deepEqual([...g.keys()], ["2", "10", "algebra", MISSING_STRATUM]);
    assert.deepEqual(g.get("2"), [1, 4]);
    assert.ok(compareStrata("Level 2", "Level 10") < 0);
  });
  test("normalizeKs sorts and de-duplicates", () => {
    assert.deepEqual(normalizeKs([8, 1, 8, 64]), [1, 8, 64]);
  });
});
