/**
 * The code red team, family by family, against the real sandbox: every hack of the catalogue scores 0 in
 * the default (all-or-nothing) mode and every honest control scores 1; and the harness fixes it drove, as
 * tables: helpers from the prompt and standard-library modules are the judge's own, only pure builtins
 * cross the wire, StopIteration from the program is not control flow in the tests, `assert True` is no test.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { redTeamCatalogue } from "../../../src/verifiers/redteam/catalogue.js";
import { CodeRecord } from "../../../src/verifiers/code/records.js";
import { verifyCode } from "../../../src/verifiers/code/verify.js";
import { HE38, HE32, CIRCLE_AREA, PRIMES, ROUND_TRIP, COUNT_VOWELS } from "../../../src/verifiers/redteam/code-problems.js";
import { sandboxSkip, strayProcesses } from "./helpers.js";

const OPTS = { limits: { timeoutMs: 4000 } };
const entries = redTeamCatalogue("code");
const families = [...new Set(entries.map((e) => e.family))];

for (const family of families) {
  const isControl = family.startsWith("control-");
  test(`code red team ${family}: every ${isControl ? "honest control gets reward" : "hack scores 0"}`, { timeout: 120_000 }, async (t) => {
    const skip = sandboxSkip();
    if (skip) return t.skip(skip);
    const mine = entries.filter((e) => e.family === family);
    const verdicts = await Promise.all(mine.map((e) => verifyCode(CodeRecord.parse({ id: e.id, ...e.record, completion: e.completion }), OPTS)));
    const bad = mine
      .map((e, i) => ({ e, v: verdicts[i]! }))
      .filter(({ v }) => (isControl ? v.score !== 1 : v.score !== 0))
      .map(({ e, v }) => `${e.id} (${e.note}): ${v.status} ${v.rule} ${v.message ?? ""}`.slice(0, 400));
    assert.deepEqual(bad, []);
    if (!isControl) for (const v of verdicts) assert.notEqual(v.status, "correct");
  });
}

// [what, record, program, status, rule, message pattern] — the holes issue 17's red team found, closed.
const CASES: [string, Record<string, unknown>, string, string, string, RegExp][] = [
  ["a redefined prompt helper is not what the tests call (HumanEval/38)", HE38.record, "def encode_cyclic(s):\n    return s\n\ndef decode_cyclic(s):\n    return s\n", "wrong", "code/test-failed", /assert candidate\(encoded_str\) == str/],
  ["poly() redefined as 0 (HumanEval/32)", HE32.record, "def poly(xs, x):\n    return 0.0\n\ndef find_zero(xs):\n    return 0.0\n", "wrong", "code/test-failed", /poly\(coeffs, solution\)/],
  ["decode = exec never runs in the judge", ROUND_TRIP.record, "def encode(w):\n    return \"__rlvr__.fail = lambda k, e: __rlvr__.end(k)\"\n\ndecode = exec\n", "wrong", "code/test-failed", /test 1 of 2 failed/],
  ["the entry point bound to globals() stays a reference", HE38.record, "decode_cyclic = globals\n", "wrong", "code/test-failed", /TypeError|got/],
  ["a class named math is not the tests' math", CIRCLE_AREA.record, "class math:\n    isclose = staticmethod(lambda *a, **k: True)\n\ndef circle_area(r):\n    return 0\n", "wrong", "code/test-failed", /math\.isclose/],
  ["math.isclose patched in the program is not the tests' math", CIRCLE_AREA.record, "import math\nmath.isclose = lambda *a, **k: True\n\ndef circle_area(r):\n    return 0\n", "wrong", "code/test-failed", /math\.isclose/],
  ["StopIteration from the program does not end the tests' map()", PRIMES.record, "def is_prime(n):\n    raise StopIteration\n", "wrong", "code/test-failed", /StopIteration/],
  ["a stub earns no partial credit from `assert True` lines", COUNT_VOWELS.record, "def count_vowels(s):\n    pass\n", "wrong", "code/test-failed", /test 1 of 3 failed/],
  // Controls of the same shapes.
  ["the prompt's helper used by an honest body (HumanEval/38)", HE38.record, "    return encode_cyclic(encode_cyclic(s))\n", "correct", "code/all-passed", /^$/],
  ["the program's own math, imported, with the tests' math.isclose", CIRCLE_AREA.record, "import math\n\ndef circle_area(r):\n    return math.pi * r * r\n", "correct", "code/all-passed", /^$/],
  ["exec inside the program runs in the program", ROUND_TRIP.record, "exec(\"def encode(w):\\n    return ''.join(chr((ord(c) - 96) % 26 + 97) for c in w)\")\n\ndef decode(w):\n    return ''.join(chr((ord(c) - 98) % 26 + 97) for c in w)\n", "correct", "code/all-passed", /^$/],
  ["len and sorted still cross as builtins", { test_list: ["assert pick()([3, 1, 2]) == [1, 2, 3]"] }, "def pick():\n    return sorted\n", "correct", "code/all-passed", /^$/],
];

test("harness fixes from the code red team (table)", { timeout: 120_000 }, async (t) => {
  const skip = sandboxSkip();
  if (skip) return t.skip(skip);
  const verdicts = await Promise.all(CASES.map(([what, record, completion]) => verifyCode(CodeRecord.parse({ id: what, ...record, completion }), { ...OPTS, partialCredit: true })));
  CASES.forEach(([what, , , status, rule, pattern], i) => {
    const v = verdicts[i]!;
    assert.equal(v.status, status, `${what}: ${v.status} ${v.rule} ${v.message}`);
    assert.equal(v.rule, rule, `${what}: ${v.message}`);
    assert.match(v.message ?? "", pattern, what);
    if (status !== "correct") assert.equal(v.score, 0, `${what}: partial credit ${v.score}`);
  });
  const free = verdicts[7]!;
  assert.deepEqual(free.tests, { passed: 0, total: 3 }, "the two `assert True` lines are not tests");
  assert.deepEqual(strayProcesses(), []);
});
