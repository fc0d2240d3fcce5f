import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { majAtK, majAtFirstK, type MajSample } from "../../src/stats/majAtK.js";
import { createRng } from "../../src/stats/rng.js";
import { meanOverSubsets } from "./reference.js";

/** Reference score of one drawn set: majority answer with ties → fraction of tied answers that are correct. */
function refScore(drawn: MajSample[]): number {
  const votes = new Map<string, { n: number; ok: boolean }>();
  for (const s of drawn) {
    if (s.answer === null) continue;
    const v = votes.get(s.answer) ?? { n: 0, ok: s.correct };
    v.n++;
    votes.set(s.answer, v);
  }
  if (votes.size === 0) return 0;
  const top = Math.max(...[...votes.values()].map((v) => v.n));
  const tied = [...votes.values()].filter((v) => v.n === top);
  return tied.filter((v) => v.ok).length / tied.length;
}

const S = (answer: string | null, correct = false): MajSample => ({ answer, correct });

describe("majAtK against brute-force enumeration of k-subsets", () => {
  test("random vote patterns with ties and abstentions, n ≤ 10, exact to 1e-9", () => {
    const rng = createRng(7);
    for (let trial = 0; trial < 120; trial++) {
      const n = 1 + Math.floor(rng() * 10);
      const nAnswers = 1 + Math.floor(rng() * 4);
      const correctAnswer = Math.floor(rng() * (nAnswers + 1)); // may be none of them
      const samples = Array.from({ length: n }, () => {
        if (rng() < 0.15) return S(null);
        const a = Math.floor(rng() * nAnswers);
        return S(`ans${a}`, a === correctAnswer);
      });
      for (let k = 1; k <= n; k++) {
        const ref = meanOverSubsets(n, k, (sub) => refScore(sub.map((i) => samples[i])));
        const got = majAtK(samples, k);
        assert.ok(Math.abs(got - ref) < 1e-9, `trial ${trial} n=${n} k=${k}: ${got} vs ${ref}`);
      }
    }
  });
  test("large n agrees with a Monte Carlo estimate over random k-subsets", () => {
    const rng = createRng(8);
    const samples = Array.from({ length: 300 }, () => {
      const u = rng();
      return u < 0.05 ? S(null) : u < 0.4 ? S("right", true) : u < 0.7 ? S("w1") : u < 0.9 ? S("w2") : S(`w${Math.floor(rng() * 20) + 3}`);
    });
    for (const k of [5, 31, 120]) {
      let sum = 0;
      const trials = 20000;
      const idx = samples.map((_, i) => i);
      for (let t = 0; t < trials; t++) {
        for (let i = 0; i < k; i++) {
          const j = i + Math.floor(rng() * (idx.length - i));
          [idx[i], idx[j]] = [idx[j], idx[i]];
        }
        sum += refScore(idx.slice(0, k).map((i) => samples[i]));
      }
      const mc = sum / trials; // standard error ≤ 0.0036
      assert.ok(Math.abs(majAtK(samples, k) - mc) < 0.015, `k=${k}: ${majAtK(samples, k)} vs MC ${mc}`);
    }
  });
  test("two different correct answers (unnormalised spellings) both count", () => {
    const samples = [S("18", true), S("18.0", true), S("7"), S("7"), S("18", true)];
    for (let k = 1; k <= 5; k++) {
      const ref = meanOverSubsets(5, k, (sub) => refScore(sub.map((i) => samples[i])));
      assert.ok(Math.abs(majAtK(samples, k) - ref) < 1e-9);
    }
  });
});

describe("majAtK definitions and edge cases", () => {
  test("majAtK with k = 1 equals the fraction of correct samples", () => {
    const samples = [S("1", true), S("2"), S(null), S("1", true), S("3")];
    assert.ok(Math.abs(majAtK(samples, 1) - 2 / 5) < 1e-12);
  });
  test("a two-way tie scores one half", () => {
    assert.equal(majAtFirstK([S("a", true), S("b")], 2), 0.5);
    assert.ok(Math.abs(majAtK([S("a", true), S("b")], 2) - 0.5) < 1e-12);
  });
  test("all abstentions score 0", () => {
    assert.equal(majAtK([S(null), S(null), S(null)], 2), 0);
    assert.equal(majAtFirstK([S(null), S("x", true)], 1), 0);
  });
  test("majAtFirstK only looks at the first k samples", () => {
    const samples = [S("a"), S("a"), S("b", true), S("b", true), S("b", true)];
    assert.equal(majAtFirstK(samples, 2), 0);
    assert.equal(majAtFirstK(samples, 5), 1);
  });
  test("majority of a wrong answer beats a correct minority as k grows", () => {
    const samples = [...Array(6).fill(S("wrong")), ...Array(4).fill(S("right", true))];
    assert.ok(majAtK(samples, 9) < majAtK(samples, 1));
    assert.equal(majAtK(samples, 10), 0);
  });
  test("is finite and in [0, 1] for n = 2000 samples (no binomial overflow)", () => {
    const rng = createRng(3);
    const samples = Array.from({ length: 2000 }, () => {
      const a = Math.floor(rng() * 3);
      return S(String(a), a === 0);
    });
    const v = majAtK(samples, 15);
    assert.ok(Number.isFinite(v) && v >= 0 && v <= 1, String(v));
  });
  test("rejects k > n, empty input and inconsistent verdicts for one answer", () => {
    assert.throws(() => majAtK([S("a")], 2), /k = 2 exceeds n = 1/);
    assert.throws(() => majAtK([], 1), /n \(samples\) must be at least 1/);
    assert.throws(() => majAtK([S("a", true), S("a", false)], 1), /marked both correct and wrong/);
    assert.throws(() => majAtK([S("a")], NaN), /k must be a finite number/);
  });
});
