import { test } from "node:test";
import assert from "node:assert/strict";
import { createRng, hashSeed, randInt } from "../../src/stats/rng.js";

test("createRng gives the same sequence for the same seed and different ones for different seeds", () => {
  const a = createRng(42);
  const b = createRng(42);
  const c = createRng(43);
  const xa = Array.from({ length: 5 }, () => a());
  assert.deepEqual(xa, Array.from({ length: 5 }, () => b()));
  assert.notDeepEqual(xa, Array.from({ length: 5 }, () => c()));
});

test("createRng matches a plain reference implementation of mulberry32", () => {
  // Reference: mulberry32 written out as published (Tommy Ettinger), with unsigned state arithmetic.
  const ref = (seed: number) => {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  };
  const r = ref(12345);
  const g = createRng(12345);
  for (let i = 0; i < 100; i++) assert.equal(g(), r());
});

test("createRng outputs lie in [0, 1) with mean near 1/2 and are roughly uniform", () => {
  const g = createRng(1);
  const bins = new Array(10).fill(0);
  let s = 0;
  const N = 100000;
  for (let i = 0; i < N; i++) {
    const x = g();
    assert.ok(x >= 0 && x < 1);
    s += x;
    bins[Math.floor(x * 10)]++;
  }
  assert.ok(Math.abs(s / N - 0.5) < 0.005);
  for (const b of bins) assert.ok(Math.abs(b - N / 10) < 500, `bin count ${b}`);
});

test("createRng rejects NaN and infinite seeds and reduces integer seeds modulo 2^32", () => {
  assert.throws(() => createRng(NaN), /finite/);
  assert.throws(() => createRng(Infinity), /finite/);
  assert.ok(createRng(-1)() >= 0);
  assert.equal(createRng(2 ** 32 + 5)(), createRng(5)());
  assert.equal(createRng(-1)(), createRng(2 ** 32 - 1)());
  assert.notEqual(createRng(0.5)(), createRng(0)());
});

test("randInt stays in [0, n)", () => {
  const g = createRng(5);
  const seen = new Set<number>();
  for (let i = 0; i < 1000; i++) {
    const v = randInt(g, 7);
    assert.ok(Number.isInteger(v) && v >= 0 && v < 7);
    seen.add(v);
  }
  assert.equal(seen.size, 7);
});

test("hashSeed is stable, 32-bit, order- and boundary-sensitive", () => {
  assert.equal(hashSeed("run", 1), hashSeed("run", 1));
  assert.equal(hashSeed("run", 1), hashSeed("run", "1"));
  assert.notEqual(hashSeed("ab", "c"), hashSeed("a", "bc"));
  assert.notEqual(hashSeed("a", "b"), hashSeed("b", "a"));
  const seen = new Set<number>();
  for (let i = 0; i < 10000; i++) {
    const h = hashSeed("req", i);
    assert.ok(Number.isInteger(h) && h >= 0 && h < 2 ** 32);
    seen.add(h);
  }
  assert.ok(seen.size >= 9998, `collisions: ${10000 - seen.size}`);
  assert.ok(hashSeed("é", "日本") >= 0);
});
