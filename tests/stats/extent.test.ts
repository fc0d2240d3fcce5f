import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { extent, arrayMax } from "rlvr-lab";

describe("extent", () => {
  test("matches Math.min/Math.max on small arrays, including negatives and typed arrays", () => {
    const xs = [3, -7.5, 0, 12, 12, -7.5];
    assert.deepEqual(extent(xs), [Math.min(...xs), Math.max(...xs)]);
    assert.deepEqual(extent(Float64Array.from(xs)), [-7.5, 12]);
    assert.equal(arrayMax(xs), 12);
  });

  test("an empty array gives [Infinity, -Infinity] like Math.min() and Math.max()", () => {
    assert.deepEqual(extent([]), [Infinity, -Infinity]);
  });

  test("NaN entries are skipped rather than poisoning the result", () => {
    assert.deepEqual(extent([NaN, 2, NaN, -1]), [-1, 2]);
  });

  test("works on a million elements, where spreading into Math.max throws", () => {
    const xs = Array.from({ length: 1_000_000 }, (_, i) => (i * 7919) % 1_000_003);
    assert.throws(() => Math.max(...xs), RangeError);
    let hi = -Infinity;
    for (const x of xs) hi = x > hi ? x : hi;
    assert.equal(arrayMax(xs), hi);
  });
});
