import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  extractGsm8k,
  lmEvalGold,
  lmEvalNormalize,
  verifyGsm8k,
  verifyGsm8kSideBySide,
  type Gsm8kMode,
} from "../../src/verifiers/gsm8k/index.js";

const JANET_GOLD =
  "Janet sells 16 - 3 - 4 = <<16-3-4=9>>9 duck eggs a day.\nShe makes 9 * 2 = $<<9*2=18>>18 every day at the farmer’s market.\n#### 18";

type Row = [gold: string, completion: string, expected: { status: string; extracted: string | null; flags?: string[] }];

function check(mode: Gsm8kMode, rows: Row[]) {
  for (const [gold, completion, exp] of rows) {
    test(`${mode}: ${JSON.stringify(completion.slice(-48))} → ${exp.status} ${JSON.stringify(exp.extracted)}`, () => {
      const v = verifyGsm8k(gold, completion, { mode });
      assert.equal(v.status, exp.status, JSON.stringify(v));
      assert.equal(v.extracted, exp.extracted);
      if (v.span !== null) assert.equal(completion.slice(v.span[0], v.span[1]), v.extracted);
      for (const f of exp.flags ?? []) assert.ok(v.flags?.includes(f), `missing flag ${f} in ${JSON.stringify(v.flags)}`);
      assert.equal(v.score, v.status === "correct" ? 1 : 0);
    });
  }
}

describe("lm-eval gsm8k strict-match: first `#### N`", () => {
  check("lm-eval-strict", [
    [JANET_GOLD, "Janet has 16 - 3 - 4 = 9 eggs left.\nShe earns 9 * 2 = $18.\n#### 18", { status: "correct", extracted: "18" }],
    [JANET_GOLD, "She sells 9 eggs at $2 each.\n#### 18\n\nQuestion: Tom has 3 apples and buys 5 more.\nAnswer: 3 + 5 = 8\n#### 8",
      { status: "correct", extracted: "18", flags: ["lm-eval-note:stop-sequence-in-text"] }],
    [JANET_GOLD, "9 * 2 = 18 dollars.\n#### 18.", { status: "correct", extracted: "18." }],
    [JANET_GOLD, "9 * 2 = 18.00\n#### 18.00", { status: "wrong", extracted: "18.00", flags: ["lm-eval-quirk:string-compare"] }],
    [JANET_GOLD, "The total is 18.\n####18", { status: "unparseable", extracted: null, flags: ["lm-eval-note:hash-not-matched"] }],
    [JANET_GOLD, "She makes $18 a day.\n#### $18", { status: "unparseable", extracted: null, flags: ["lm-eval-note:hash-not-matched"] }],
    [JANET_GOLD, "So she makes 18 dollars. The answer is 18.", { status: "unparseable", extracted: null }],
    ["1,234.5", "Total cost: 1,000 + 234.50 = $1,234.50\n#### 1,234.50", { status: "wrong", extracted: "1,234.50", flags: ["lm-eval-quirk:string-compare"] }],
    ["1234", "He pays 1,000 + 234 = 1,234 dollars.\n#### 1,234", { status: "correct", extracted: "1,234" }],
    ["-5", "The temperature drops to 3 - 8 = -5 degrees.\n#### -5", { status: "correct", extracted: "-5" }],
    ["-5", "The temperature drops to −5 degrees.\n#### −5", { status: "unparseable", extracted: null, flags: ["lm-eval-note:hash-not-matched"] }],
    ["18", "", { status: "unparseable", extracted: null }],
  ]);
});

describe("lm-eval gsm8k flexible-extract: last `(-?[$0-9.,]{2,})|(-?[0-9]+)`", () => {
  check("lm-eval-flexible", [
    [JANET_GOLD, "She has 16 - 3 - 4 = 9 eggs and earns 9 * 2 = 18 dollars per day.", { status: "correct", extracted: "18" }],
    [JANET_GOLD, "She earns 9 * 2 = $18.", { status: "correct", extracted: "$18." }],
    [JANET_GOLD, "She earns 9 * 2 = $18.00", { status: "wrong", extracted: "$18.00", flags: ["lm-eval-quirk:string-compare"] }],
    [JANET_GOLD, "She earns 18 dollars.\n#### 18\n\nQuestion: Tom has 3 apples", { status: "wrong", extracted: "3", flags: ["lm-eval-note:stop-sequence-in-text"] }],
    [JANET_GOLD, "So the answer is 18...", { status: "wrong", extracted: "18...", flags: ["lm-eval-quirk:string-compare"] }],
    [JANET_GOLD, "She earns 18 dollars. Hmm...", { status: "wrong", extracted: "...", flags: ["lm-eval-quirk:no-digit-in-match"] }],
    ["-5", "The temperature is −5 degrees.", { status: "wrong", extracted: "5", flags: ["lm-eval-quirk:unicode-minus-ignored"] }],
    ["7", "Seven apples remain, so the answer is seven.", { status: "unparseable", extracted: null }],
  ]);
  test("truncateAtStop cuts at `Question:` as lm-eval's generation would have", () => {
    const c = "She earns 18 dollars.\n#### 18\n\nQuestion: Tom has 3 apples";
    const v = verifyGsm8k(JANET_GOLD, c, { mode: "lm-eval-flexible", truncateAtStop: true });
    assert.equal(v.status, "correct");
    assert.equal(v.extracted, "18");
    assert.deepEqual(v.span, [27, 29]);
  });
});

describe("lm-eval gsm8k_cot strict-match: `The answer is (\\-?[0-9\\.\\,]+).` and its unescaped dot", () => {
  check("lm-eval-cot-strict", [
    ["18", "Janet has 16 - 3 - 4 = 9 eggs. 9 * 2 = 18. The answer is 18.", { status: "correct", extracted: "18" }],
    ["18", "Janet has 16 - 3 - 4 = 9 eggs. 9 * 2 = 18. The answer is 18", { status: "wrong", extracted: "1", flags: ["lm-eval-quirk:unescaped-dot"] }],
    ["18", "9 * 2 = 18. The answer is 18\n\nQ: next", { status: "wrong", extracted: "1", flags: ["lm-eval-quirk:unescaped-dot"] }],
    ["18", "The answer is 18 dollars.", { status: "correct", extracted: "18" }],
    ["1.5", "Each gets 3 / 2 = 1.5 pies. The answer is 1.5", { status: "wrong", extracted: "1.", flags: ["lm-eval-quirk:unescaped-dot"] }],
    ["18", "The answer is $18.", { status: "unparseable", extracted: null, flags: ["lm-eval-note:phrase-not-matched"] }],
    ["18", "So the answer is 18.", { status: "unparseable", extracted: null, flags: ["lm-eval-note:case-sensitive-phrase"] }],
    ["18", "The answer is 18.\n\nQ: Tom has 3 apples. A: The answer is 3.", { status: "correct", extracted: "18" }],
    [JANET_GOLD, "The answer is 18.", { status: "correct", extracted: "18" }],
  ]);
});

describe("lm-eval exact_match normalization", () => {
  test("removes commas, dollar signs, everything up to the last `#### ` and ONE trailing period, then lower-cases", () => {
    assert.equal(lmEvalNormalize("$1,234.50"), "1234.50");
    assert.equal(lmEvalNormalize("18.."), "18.");
    assert.equal(lmEvalNormalize("a\n#### 5\n#### 72"), "72");
    assert.equal(lmEvalNormalize("18.\n"), "18\n"); // Python `$` also matches before a final newline
    assert.equal(lmEvalNormalize("ABC"), "abc");
    assert.equal(lmEvalNormalize(""), "");
  });
  test("gold: gsm8k uses the full solution, gsm8k_cot the text after the last ####, stripped", () => {
    assert.equal(lmEvalGold(JANET_GOLD, "lm-eval-strict"), "18");
    assert.equal(lmEvalGold("x\n####  1,000 ", "lm-eval-cot-strict"), "1000");
    assert.equal(lmEvalGold("x\n####  1,000 ", "lm-eval-strict"), " 1000 "); // `(?s).*#### ` keeps the extra space
  });
});

describe("side by side", () => {
  test("flip is true when strict and flexible disagree; numeric mode accepts 18.00", () => {
    const r = verifyGsm8kSideBySide(JANET_GOLD, "She makes 9 * 2 = $18.00 a day.\nThe answer is 18");
    assert.equal(r.strict.status, "unparseable");
    assert.equal(r.flexible.status, "correct");
    assert.equal(r.cotStrict.status, "wrong");
    assert.ok(r.cotStrict.flags?.includes("lm-eval-quirk:unescaped-dot"));
    assert.match(r.cotStrict.message ?? "", /unescaped "\." that consumed "8"/);
    assert.equal(r.numeric.status, "correct");
    assert.equal(r.flip, true);
  });
  test("flip is false when both agree", () => {
    const r = verifyGsm8kSideBySide("18", "9 * 2 = 18\n#### 18");
    assert.equal(r.flip, false);
    assert.equal(r.strict.status, "correct");
  });
});

// Differential check against a Python transcription of lm-eval's RegexFilter + exact_match_hf_evaluate.
const PY_REFERENCE = String.raw`
import json, re, sys
TASKS = {
  "lm-eval-strict": (r"#### (\-?[0-9\.\,]+)", 0, "full"),
  "lm-eval-flexible": (r"(-?[$0-9.,]{2,})|(-?[0-9]+)", -1, "full"),
  "lm-eval-cot-strict": (r"The answer is (\-?[0-9\.\,]+).", 0, "split"),
}
IGNORE = [",", "\\$", "(?s).*#### ", "\\.$"]
def norm(s):
    for r in IGNORE:
        s = re.sub(r, "", s)
    return s.lower()
out = []
for case in json.load(sys.stdin):
    pat, sel, gold_kind = TASKS[case["mode"]]
    m = re.compile(pat).findall(case["completion"])
    if m:
        m = m[sel]
        if isinstance(m, tuple):
            m = [x for x in m if x][0]
        m = m.strip()
    else:
        m = "[invalid]"
    gold = case["gold"]
    if gold_kind == "split":
        gold = gold.split("####")[-1].strip()
    out.append({"extracted": m, "correct": norm(m) == norm(gold)})
print(json.dumps(out))
`;

/** Small seeded PRNG (mulberry32) so the fuzz cases are the same on every run. */
function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fuzzCompletion(rnd: () => number): string {
  const parts = ["#### ", "####", "The answer is ", "the answer is ", "18", "1,234", "-", "−", "$", ".", ",", " ", "\n",
    "0", "7", "Question: ", "dollars", "...", "18.00", "\\boxed{18}", "So"];
  let s = "";
  const n = 1 + Math.floor(rnd() * 12);
  for (let i = 0; i < n; i++) s += parts[Math.floor(rnd() * parts.length)];
  return s;
}

test("all three lm-eval modes agree with a Python transcription of lm-eval on 1,200 fuzzed cases (400 completions × 3 modes)", (t) => {
  const probe = spawnSync("python3", ["-c", "print(1)"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    t.skip("python3 not available");
    return;
  }
  const rnd = createRng(1234);
  const golds = ["18", "1234", "-5", "x\n#### 18", "0.5", "7"];
  const modes: Gsm8kMode[] = ["lm-eval-strict", "lm-eval-flexible", "lm-eval-cot-strict"];
  const cases: { mode: Gsm8kMode; gold: string; completion: string }[] = [];
  for (let i = 0; i < 400; i++) {
    const completion = fuzzCompletion(rnd);
    const gold = golds[i % golds.length];
    for (const mode of modes) cases.push({ mode, gold, completion });
  }
  const py = spawnSync("python3", ["-c", PY_REFERENCE], { input: JSON.stringify(cases), encoding: "utf8" });
  assert.equal(py.status, 0, py.stderr);
  const ref = JSON.parse(py.stdout) as { extracted: string; correct: boolean }[];
  let mismatches = 0;
  cases.forEach((c, i) => {
    const e = extractGsm8k(c.completion, { mode: c.mode });
    const v = verifyGsm8k(c.gold, c.completion, { mode: c.mode });
    const ours = e.extracted ?? "[invalid]";
    if (ours !== ref[i].extracted || (v.status === "correct") !== ref[i].correct) {
      mismatches++;
      assert.fail(`${c.mode} on ${JSON.stringify(c.completion)} gold ${JSON.stringify(c.gold)}: ours ${JSON.stringify(ours)}/${v.status}, lm-eval ${JSON.stringify(ref[i].extracted)}/${ref[i].correct}`);
    }
  });
  assert.equal(mismatches, 0);
});
