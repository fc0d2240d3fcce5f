import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { passAtK, passHatK, meanAtK, passAtKMany } from "../../src/stats/passAtK.js";
import { meanOverSubsets, binomBig, ratioBig } from "./reference.js";

/** correctness vector with the first c samples correct */
const vec = (n: number, c: number) => Array.from({ length: n }, (_, i) => i < c);

describe("passAtK against brute-force enumeration of k-subsets", () => {
  test("equals the fraction of k-subsets with at least one correct sample, every n ≤ 9", () => {
    for (let n = 1; n <= 9; n++)
      for (let c = 0; c <= n; c++)
        for (let k = 1; k <= n; k++) {
          const v = vec(n, c);
          const ref = meanOverSubsets(n, k, (s) => (s.some((i) => v[i]) ? 1 : 0));
          assert.ok(Math.abs(passAtK(n, c, k) - ref) < 1e-9, `n=${n} c=${c} k=${k}: ${passAtK(n, c, k)} vs ${ref}`);
        }
  });
  test("passHatK equals the fraction of k-subsets that are all correct, every n ≤ 9", () => {
    for (let n = 1; n <= 9; n++)
      for (let c = 0; c <= n; c++)
        for (let k = 1; k <= n; k++) {
          const v = vec(n, c);
          const ref = meanOverSubsets(n, k, (s) => (s.every((i) => v[i]) ? 1 : 0));
          assert.ok(Math.abs(passHatK(n, c, k) - ref) < 1e-9, `n=${n} c=${c} k=${k}`);
        }
  });
  test("meanAtK equals the mean per-subset accuracy", () => {
    for (const [n, c, k] of [[7, 3, 4], [5, 0, 2], [6, 6, 6]]) {
      const v = vec(n, c);
      const ref = meanOverSubsets(n, k, (s) => s.filter((i) => v[i]).length / k);
      assert.ok(Math.abs(meanAtK(n, c, k) - ref) < 1e-12);
    }
  });
});

describe("passAtK against exact big-integer binomials", () => {
  test("matches 1 − C(n−c,k)/C(n,k) for n up to 300 within 1e-12", () => {
    for (const [n, c, k] of [[128, 3, 64], [128, 1, 1], [200, 17, 8], [300, 150, 100], [256, 0, 128], [100, 10, 50]]) {
      const ref = 1 - ratioBig(binomBig(n - c, k), binomBig(n, k));
      assert.ok(Math.abs(passAtK(n, c, k) - ref) < 1e-12, `n=${n} c=${c} k=${k}: ${passAtK(n, c, k)} vs ${ref}`);
      const refHat = ratioBig(binomBig(c, k), binomBig(n, k));
      assert.ok(Math.abs(passHatK(n, c, k) - refHat) < 1e-12, `pass^k n=${n} c=${c} k=${k}`);
    }
  });
});

describe("passAtK edge cases", () => {
  test("passAtK is 0 when c = 0 and 1 when c = n", () => {
    assert.equal(passAtK(10, 0, 3), 0);
    assert.equal(passAtK(10, 10, 3), 1);
    assert.equal(passHatK(10, 0, 3), 0);
    assert.equal(passHatK(10, 10, 3), 1);
  });
  test("passAtK returns 1 when n − c < k", () => {
    assert.equal(passAtK(10, 8, 3), 1);
    assert.equal(passAtK(5, 1, 5), 1); // k = n with one correct sample: the only subset contains it
  });
  test("passAtK with k = n is 1 if any sample is correct, else 0", () => {
    assert.equal(passAtK(16, 1, 16), 1);
    assert.equal(passAtK(16, 0, 16), 0);
    assert.equal(passHatK(16, 15, 16), 0);
  });
  test("passAtK with k = 1 equals c / n", () => {
    for (const [n, c] of [[1, 0], [1, 1], [7, 3], [128, 51], [100000, 12345]]) assert.ok(Math.abs(passAtK(n, c, 1) - c / n) < 1e-12);
  });
  test("passAtK is stable and in [0, 1] for n = 10^5", () => {
    const v = passAtK(100000, 1, 50000); // = k/n exactly in real arithmetic
    assert.ok(Math.abs(v - 0.5) < 1e-9, String(v));
    const w = passAtK(100000, 50000, 1000);
    assert.ok(w > 0.999999 && w <= 1, String(w));
    const tiny = passAtK(100000, 1, 1);
    assert.ok(Math.abs(tiny - 1e-5) < 1e-15);
    const hat = passHatK(100000, 99999, 50000);
    assert.ok(Math.abs(hat - 0.5) < 1e-9, String(hat));
  });
  test("passAtK is non-decreasing in k and in c", () => {
    for (let k = 1; k < 64; k++) assert.ok(passAtK(64, 5, k + 1) >= passAtK(64, 5, k));
    for (let c = 0; c < 64; c++) assert.ok(passAtK(64, c + 1, 8) >= passAtK(64, c, 8));
  });
});

describe("passAtK input validation", () => {
  const cases: [number, number, number, RegExp][] = [
    [5, 2, 6, /k = 6 exceeds n = 5/],
    [5, 6, 2, /c \(correct\) = 6 cannot exceed n/],
    [-1, 0, 1, /n must be non-negative/],
    [5, -1, 1, /c must be non-negative/],
    [5, 2, 0, /k must be at least 1/],
    [0, 0, 1, /n \(samples\) must be at least 1/],
    [5.5, 2, 1, /n must be an integer/],
    [5, 2, 1.5, /k must be an integer/],
    [NaN, 2, 1, /n must be a finite number/],
    [5, NaN, 1, /c must be a finite number/],
    [5, 2, Infinity, /k must be a finite number/],
  ];
  for (const [n, c, k, re] of cases)
    test(`passAtK(${n}, ${c}, ${k}) throws ${re}`, () => {
      assert.throws(() => passAtK(n, c, k), re);
      assert.throws(() => passHatK(n, c, k), RangeError);
      assert.throws(() => meanAtK(n, c, k), RangeError);
    });
});

test("passAtKMany gives NaN for problems with fewer than k samples and passAtK for the rest", () => {
  const out = passAtKMany([4, 2, 8], [1, 2, 0], 3);
  assert.ok(Math.abs(out[0] - passAtK(4, 1, 3)) < 1e-15);
  assert.ok(Number.isNaN(out[1]));
  assert.equal(out[2], 0);
});
