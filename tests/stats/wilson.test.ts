import { test } from "node:test";
import assert from "node:assert/strict";
import { wilson, Z95 } from "../../src/stats/wilson.js";

const close = (a: number, b: number, tol = 5e-5) => assert.ok(Math.abs(a - b) < tol, `${a} vs ${b}`);

test("wilson matches published 95% intervals", () => {
  // Textbook values (e.g. Newcombe 1998, Table I; Brown, Cai & DasGupta 2001).
  let [lo, hi] = wilson(0, 10);
  close(lo, 0);
  close(hi, 0.2775);
  [lo, hi] = wilson(5, 10);
  close(lo, 0.2366);
  close(hi, 0.7634);
  [lo, hi] = wilson(81, 263); // Newcombe's 81/263 example: 0.2553–0.3662
  close(lo, 0.2553);
  close(hi, 0.3662);
  [lo, hi] = wilson(15, 148); // Newcombe: 0.0624–0.1605
  close(lo, 0.0624);
  close(hi, 0.1605);
});

test("wilson equals the closed-form quadratic roots of |p̂ − p| = z·sqrt(p(1−p)/n)", () => {
  for (const [s, n] of [[3, 7], [40, 100], [999, 1000], [1, 2]]) {
    const p = s / n;
    const z = Z95;
    // (1 + z²/n) p² − (2p̂ + z²/n) p + p̂² = 0
    const A = 1 + (z * z) / n;
    const B = -(2 * p + (z * z) / n);
    const C = p * p;
    const disc = Math.sqrt(B * B - 4 * A * C);
    const [lo, hi] = wilson(s, n);
    close(lo, (-B - disc) / (2 * A), 1e-12);
    close(hi, (-B + disc) / (2 * A), 1e-12);
  }
});

test("wilson is [0, 1] for n = 0, stays inside [0, 1], and a 90% interval is narrower than the 95% one", () => {
  assert.deepEqual(wilson(0, 0), [0, 1]);
  const [lo, hi] = wilson(10, 10);
  assert.equal(hi, 1);
  assert.ok(lo > 0.69 && lo < 0.73);
  const [l90, h90] = wilson(30, 100, 1.6448536269514722);
  const [l95, h95] = wilson(30, 100);
  assert.ok(l90 > l95 && h90 < h95);
});

test("wilson rejects impossible inputs with a message", () => {
  assert.throws(() => wilson(11, 10), /cannot exceed n/);
  assert.throws(() => wilson(-1, 10), /non-negative/);
  assert.throws(() => wilson(NaN, 10), /finite/);
  assert.throws(() => wilson(1, 10, 0), /z must be positive/);
});
