import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  compareExact, formatExact, isNumberLimit, NUMBER_LIMITS, parseExactNumber, type ExactNumber,
} from "../../src/verifiers/number/index.js";

function num(text: string): ExactNumber {
  const x = parseExactNumber(text);
  assert.ok(x !== null && !isNumberLimit(x), `${text} should parse`);
  return x as ExactNumber;
}

/** Plain reference: value of a decimal literal as a scaled bigint pair, by string manipulation only. */
function refEqual(a: string, b: string): boolean {
  const norm = (s: string) => {
    const neg = s.startsWith("-");
    let [i, f = ""] = s.replace(/^-/, "").split(".");
    i = i.replace(/^0+/, "") || "0";
    f = f.replace(/0+$/, "");
    const z = i === "0" && f === "";
    return `${neg && !z ? "-" : ""}${i}.${f}`;
  };
  return norm(a) === norm(b);
}

describe("parseExactNumber reads number texts exactly", () => {
  const rows: [string, string | null, ExactNumber["kind"] | null][] = [
    ["18", "18", "integer"],
    ["-18", "-18", "integer"],
    ["\u221218", "-18", "integer"],
    ["1,234,567", "1234567", "integer"],
    ["18.00", "18", "decimal"],
    ["18.", "18", "integer"],
    [".5", "0.5", "decimal"],
    ["3/4", "0.75", "fraction"],
    ["1/3", "1/3", "fraction"],
    ["4.57e-24", "0.00000000000000000000000457", "scientific"],
    ["4.57 \\times 10^{-24}", "0.00000000000000000000000457", "scientific"],
    ["2.5 × 10^3", "2500", "scientific"],
    ["1,2", null, null],
    ["5!", null, null],
    ["18²", null, null],
    ["0x12", null, null],
    ["18-20", null, null],
    ["1e", null, null],
    ["3/0", null, null],
    ["", null, null],
  ];
  for (const [text, value, kind] of rows) {
    test(`${JSON.stringify(text)} → ${value ?? "null"}`, () => {
      const x = parseExactNumber(text);
      if (value === null) return assert.equal(x, null);
      assert.ok(x !== null && !isNumberLimit(x));
      assert.equal(formatExact(x), value);
      assert.equal(x.kind, kind);
    });
  }

  test("precision as written: lastPlace and sigFigs", () => {
    assert.deepEqual([num("18").lastPlace, num("18").sigFigs], [0, 2]);
    assert.deepEqual([num("18.00").lastPlace, num("18.00").sigFigs], [-2, 4]);
    assert.deepEqual([num("4.6e-24").lastPlace, num("4.6e-24").sigFigs], [-25, 2]);
    assert.deepEqual([num("0.0046").lastPlace, num("0.0046").sigFigs], [-4, 2]);
    assert.equal(num("3/4").lastPlace, null);
  });

  test("400-digit integers are exact bigints: two that differ in the last digit differ", () => {
    const a = "1" + "0".repeat(399);
    const b = "1" + "0".repeat(398) + "1";
    assert.equal(compareExact(num(a), num(b)).equal, false);
    assert.equal(compareExact(num(a), num(a)).equal, true);
    assert.equal(compareExact(num(a), num("1")).equal, false);
    assert.equal(formatExact(num(a)), a);
  });

  test("past the digit or exponent limit is a NumberLimit, not a value", () => {
    const big = parseExactNumber("9".repeat(NUMBER_LIMITS.maxDigits + 1));
    assert.ok(isNumberLimit(big) && big.limit === "number/too-many-digits");
    const exp = parseExactNumber("1e99999");
    assert.ok(isNumberLimit(exp) && exp.limit === "number/exponent-out-of-range");
    const exp2 = parseExactNumber("1e123456789012");
    assert.ok(isNumberLimit(exp2));
  });

  test("underflow does not reach zero: 1e-400 ≠ 0", () => {
    assert.equal(compareExact(num("1e-400"), num("0")).equal, false);
    assert.equal(compareExact(num("0." + "0".repeat(399) + "1"), num("0")).equal, false);
  });

  test("exact equality agrees with a string reference on random decimals", () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const lit = () => {
      const i = String(Math.floor(rnd() * 1000));
      const f = rnd() < 0.5 ? "" : "." + String(Math.floor(rnd() * 100)).padStart(2, "0") + (rnd() < 0.3 ? "0" : "");
      return (rnd() < 0.2 ? "-" : "") + i + f;
    };
    for (let k = 0; k < 2000; k++) {
      const a = lit();
      const b = rnd() < 0.3 ? a + (a.includes(".") ? "0" : ".0") : lit();
      const x = num(a), y = num(b);
      assert.equal(x.n === y.n && x.d === y.d, refEqual(a, b), `${a} vs ${b}`);
    }
  });
});

describe("compareExact: the precision rule", () => {
  const rows: [pred: string, gold: string, equal: boolean, how: string][] = [
    ["18.00", "18", true, "exact"],
    ["18.5", "18", false, "differ"],
    ["1.0000000000000001", "1", false, "differ"],
    ["4.57e-24", "4.6e-24", true, "gold-precision"],
    ["2.89e-19", "2.88e-19", false, "differ"],
    ["2.884e-19", "2.88e-19", true, "gold-precision"],
    ["0.754", "0.75", true, "gold-precision"],
    ["0.76", "0.75", false, "differ"],
    ["4.6", "4.57", false, "differ"],
    ["3/4", "0.75", true, "exact"],
    ["0.33", "1/3", false, "differ"],
    ["1e2", "100", true, "exact"],
    ["-18", "18", false, "differ"],
  ];
  for (const [pred, gold, equal, how] of rows) {
    test(`${pred} vs gold ${gold} → ${how}`, () => {
      assert.deepEqual(compareExact(num(pred), num(gold)), { equal, how });
    });
  }

  test("a user tolerance overrides the precision rule both ways and says so", () => {
    assert.deepEqual(compareExact(num("18.5"), num("18"), { tolerance: { rel: 0.05 } }), { equal: true, how: "tolerance" });
    assert.deepEqual(compareExact(num("4.57e-24"), num("4.6e-24"), { tolerance: { rel: 1e-6 } }), { equal: false, how: "differ" });
    assert.deepEqual(compareExact(num("0.0000001"), num("0"), { tolerance: { rel: 1e-6, abs: 1e-6 } }), { equal: true, how: "tolerance" });
    assert.deepEqual(compareExact(num("0.0000001"), num("0"), { tolerance: { rel: 1e-6 } }), { equal: false, how: "differ" });
  });

  test("tolerance is exact at its boundary: relative to max(|p|, |g|), decided without rounding", () => {
    assert.equal(compareExact(num("1000001"), num("1000000"), { tolerance: { rel: 1e-6 } }).equal, true);
    assert.equal(compareExact(num("1000001.000002"), num("1000000"), { tolerance: { rel: 1e-6 } }).equal, false);
  });
});
