import sys; sys.path.insert(0, "scripts")
from nbsrc import make
make("notebooks/01-verifier-debugging.ipynb", [
("md", r"""# Why was this completion scored wrong? Debugging verifiers

A reward in RLVR is only as good as the verifier behind it. Most "the model got worse" reports that turn out
to be verifier problems fall into a handful of shapes: the answer was right but in the wrong **format**
(`18.00` vs `18`, `$18`, "The answer is 18"), the extractor picked the **wrong number** (a hallucinated next
question after the answer), the text was **truncated**, or the checker itself **failed** (a timeout).

Every call in `rlvr-lab` returns a **Verdict**, not a boolean: `status`, `extracted`, the `span` of the answer in
the completion, the `rule` that decided, and `flags` for known quirks. This notebook walks through the traps,
each section ending with a check cell that throws if a claim in the text stops being true.

Sections: 1. GSM8K strict vs flexible (lm-eval) side by side · 2. MATH traps: boxes, units, percent, `\frac12` ·
3. the answer boundary · 4. a failure taxonomy over a generated file · 5. the completion gallery ·
6. a verifier timeout that does not hang · 7. (optional) agreement on real GSM8K golds."""),
("params", r"""// Parameters (rlvr notebook run notebooks/01-verifier-debugging.ipynb --param nGenerated=400)
let nGenerated = 240;   // completions in the generated file of section 4
let seed = 7;
let timeoutMs = 2;      // hard limit for the pathological input of section 6 (ms)
let sharedData = "";    // section 7: folder holding gsm8k_test.jsonl; "" = ../shared/data from the repository root"""),
("code", r"""import { mkdtempSync, writeFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import {
  verifyGsm8kSideBySide, extractGsm8k, verifyMath, extractAnswer, verifyAnswer, answerBoundary,
  classifyFailure, aggregateFailures, FAILURE_CATEGORIES, readJsonlAll, createRng, wilson, table,
  completionGallery, display, closeDefaultPool, VerifyRecord,
} from "rlvr-lab";
import { z } from "zod";

const GOLD = "Janet sells 16 - 3 - 4 = <<16-3-4=9>>9 duck eggs a day.\nShe makes 9 * 2 = $<<9*2=18>>18 every day at the farmer’s market.\n#### 18";
const COT = "Janet's ducks lay 16 eggs. She eats 3 and bakes with 4, so she sells 16 - 3 - 4 = 9 eggs.\nEach egg sells for $2, so she makes 9 * 2 = $18 a day.\n";
const fmt = (v: { status: string; extracted?: string | null }) => `${v.status} (${v.extracted === null ? "—" : JSON.stringify(v.extracted)})`;
"ready" """),
("md", r"""## 1. GSM8K: lm-eval strict vs flexible, and the project's numeric mode

lm-eval's `gsm8k` task reports two numbers for the same generations:

- **strict-match**: regex `#### (\-?[0-9\.\,]+)`, *first* match;
- **flexible-extract**: `(-?[$0-9.,]{2,})|(-?[0-9]+)`, *last* match;

then `exact_match` compares **strings** after removing commas, `$` and one trailing `.`. So `18.00` ≠ `18`.
`gsm8k_cot` uses `The answer is (\-?[0-9\.\,]+).` — the final `.` is unescaped and matches *any* character:
on "…The answer is 18" at the very end of the text it must consume a character, so it backtracks and extracts
`1`. The project's own `numeric` mode compares values (`18.00` = `18`). All seven completions below carry the
right reasoning and the right value; only the ending differs. Gold: the real GSM8K solution ending `#### 18`."""),
("code", r"""const endings: Record<string, string> = {
  "clean #### 18": COT + "#### 18",
  "The answer is 18 (end of text)": COT + "The answer is 18",
  "#### 18.00": COT + "#### 18.00",
  "The answer is 18.": COT + "The answer is 18.",
  "#### $18": COT + "#### $18",
  "#### 18 + invented next question": COT + "#### 18\n\nQuestion: Tom has 3 boxes of 7 pens. How many pens?\nAnswer: 3 * 7 = 21\n#### 21",
  "18 dollars. Hmm...": COT + "So she makes 18 dollars. Hmm...",
};
const sideBySide = Object.entries(endings).map(([ending, completion]) => {
  const r = verifyGsm8kSideBySide(GOLD, completion);
  const flags = [...new Set([r.strict, r.flexible, r.cotStrict, r.numeric].flatMap((v) => v.flags ?? []))];
  return { ending: ending, "lm-eval strict": fmt(r.strict), "lm-eval flexible": fmt(r.flexible), "gsm8k_cot strict": fmt(r.cotStrict), numeric: fmt(r.numeric), "strict≠flexible": r.flip, flags: flags.join(", ") };
});
table(sideBySide, { caption: "Same reasoning, same value 18, different endings" })"""),
("md", r"""Read the flags column: `lm-eval-quirk:unescaped-dot` (cot regex cut `18` to `1`),
`lm-eval-quirk:string-compare` (wrong by string, equal by value), `lm-eval-note:hash-not-matched` (`#### $18`:
the strict regex has no `$`), `lm-eval-quirk:no-digit-in-match` (flexible picked `...`), and
`lm-eval-note:stop-sequence-in-text` (lm-eval's generation would have stopped at `Question:`; flexible took the
invented question's `21`). A reward built on one of these rules teaches the policy its quirks."""),
("code", r"""// Check: the claims of section 1.
const sb = (k: string) => verifyGsm8kSideBySide(GOLD, endings[k]);
const cotEnd = sb("The answer is 18 (end of text)").cotStrict;
if (cotEnd.extracted !== "1" || !(cotEnd.flags ?? []).includes("lm-eval-quirk:unescaped-dot")) throw new Error(`expected the unescaped-dot quirk to extract "1", got ${fmt(cotEnd)}`);
const dec = sb("#### 18.00");
if (dec.strict.status !== "wrong" || dec.numeric.status !== "correct") throw new Error("18.00: lm-eval strict should say wrong and numeric correct");
if (!(dec.strict.flags ?? []).includes("lm-eval-quirk:string-compare")) throw new Error("18.00 should carry lm-eval-quirk:string-compare");
const cont = sb("#### 18 + invented next question");
if (cont.strict.status !== "correct" || cont.flexible.extracted !== "21" || !cont.flip) throw new Error("the invented next question should flip strict vs flexible");
for (const [k, c] of Object.entries(endings)) if (verifyGsm8kSideBySide(GOLD, c).numeric.status !== "correct") throw new Error(`numeric mode should accept every ending, not ${k}`);
"section 1 claims hold" """),
("md", r"""## 2. MATH traps: boxes, units, percent, `\frac12`

For MATH-style answers the extractor takes the last `\boxed{}`; the comparison then has to survive LaTeX
spellings. A naive "extract the box and compare strings" rule (last column) fails most of these; the project's
verifier (`default`, HF Math-Verify-like), the fail-closed `contract` mode (exactly one box) and lm-eval's
`minerva` normalisation are shown side by side. Note the **asymmetry**: gold `28\%` accepts a bare `28`, but
gold `0.28` rejects a bare `28` — nothing in that prediction says "percent"."""),
("code", r"""const mathCases: [string, string, string][] = [
  ["\\frac12 (TeX shorthand)", "\\frac{1}{2}", "So the probability is $\\boxed{\\frac12}$."],
  ["decimal for a fraction", "\\frac{1}{2}", "So the probability is $\\boxed{0.5}$."],
  ["units in the box", "10", "The side is $\\boxed{10\\text{ inches}}$."],
  ["gold percent, bare number", "28\\%", "The rate is $\\boxed{28}$."],
  ["gold decimal, bare number", "0.28", "The rate is $\\boxed{28}$."],
  ["gold decimal, percent", "0.28", "The rate is $\\boxed{28\\%}$."],
  ["two boxes", "4", "Try $\\boxed{3}$. Actually $\\boxed{4}$."],
  ["box never closed (truncated)", "\\frac{1}{2}", "the answer is \\boxed{\\frac{1}{2}"],
  ["ordered pair swapped", "(1,2)", "The point is $\\boxed{(2,1)}$."],
];
const naive = (gold: string, c: string) => {
  const m = /\\boxed\{((?:[^{}]|\{[^{}]*\})*)\}(?![\s\S]*\\boxed\{)/.exec(c);
  return m !== null && m[1] === gold;
};
const mathRows = mathCases.map(([trap, gold, completion]) => {
  const row: Record<string, unknown> = { trap: trap, gold: gold, completion: completion };
  for (const mode of ["default", "contract", "minerva"] as const) {
    const v = verifyMath(gold, completion, { mode: mode });
    row[mode] = `${v.status} · ${v.rule}`;
  }
  row["naive string =="] = naive(gold, completion);
  return row;
});
table(mathRows, { caption: "verifyMath in three modes vs a naive string comparison" })"""),
("code", r"""// Check: the claims of section 2.
const vm = (i: number, mode: "default" | "contract" | "minerva" = "default") => verifyMath(mathCases[i][1], mathCases[i][2], { mode: mode });
if (vm(0).status !== "correct" || naive(mathCases[0][1], mathCases[0][2])) throw new Error("\\frac12 should be correct, and the naive rule should miss it");
if (vm(2).status !== "correct") throw new Error("units inside the box should be removed");
if (vm(3).status !== "correct" || vm(4).status !== "wrong" || vm(5).status !== "correct") throw new Error("percent asymmetry changed");
if (vm(6).extracted !== "4" || vm(6, "contract").status !== "unparseable") throw new Error("last box wins by default; contract refuses two boxes");
if (vm(7).status !== "unparseable") throw new Error("an unclosed box must fail closed");
if (vm(8).status !== "wrong") throw new Error("tuples are ordered");
const naiveHits = mathCases.filter(([, g, c]) => naive(g, c)).length;
({ naiveCorrectOn: naiveHits, verifierCorrectOn: mathCases.filter((_, i) => vm(i).status === "correct").length, cases: mathCases.length })"""),
("md", r"""## 3. The answer boundary

Where does the answer sit, and what surrounds it? `answerBoundary(completion, extraction)` answers five
questions for any extraction (GSM8K or MATH): is the completion *exactly* the answer; is the answer alone on the
**final line** (allowed wrappers only: `####`, "The answer is", `\boxed{}`, `$…$`, one period); what **trailing
text** follows it; are there **multiple answers**, and do they **conflict**? These are the format signals a
reward shaping or a format metric (`format/strict_rate`) is built from."""),
("code", r"""const boundaryCases: Record<string, string> = {
  "bare answer": "18",
  "clean final line": COT + "#### 18",
  "answer phrase": COT + "So the answer is 18.",
  "units after": COT + "#### 18 dollars",
  "trailing chatter": COT + "#### 18\nI hope this helps! Let me know if you need anything else.",
  "two answers that agree": COT + "The answer is 18.\n#### 18",
  "two answers that conflict": COT + "#### 18\n\nQuestion: Tom has 3 boxes of 7 pens. How many pens?\nAnswer: 3 * 7 = 21\n#### 21",
};
const boundaryRows = Object.entries(boundaryCases).map(([name, c]) => {
  const ex = extractAnswer(c, { task: "gsm8k" });
  const b = answerBoundary(c, ex);
  return { case: name, extracted: ex.extracted, rule: ex.rule, exact: b.exactMatch, "strict final line": b.strictFinalLine, "trailing text": b.trailingText, candidates: b.candidateCount, conflicting: b.conflicting, values: b.distinctAnswers.join(" / ") };
});
table(boundaryRows, { caption: "answerBoundary over the numeric-mode extraction" })"""),
("code", r"""// Check: the boundary facts the text names.
const bnd = (k: string) => answerBoundary(boundaryCases[k], extractAnswer(boundaryCases[k], { task: "gsm8k" }));
if (!bnd("bare answer").exactMatch) throw new Error("a bare 18 is an exact match");
if (!bnd("clean final line").strictFinalLine || bnd("clean final line").hasTrailingText) throw new Error("#### 18 is a clean final line");
if (bnd("units after").strictFinalLine) throw new Error("units make the final line not strict");
if (!bnd("trailing chatter").hasTrailingText) throw new Error("trailing chatter should be reported");
if (!bnd("two answers that agree").multipleAnswers || bnd("two answers that agree").conflicting) throw new Error("agreeing answers are multiple but not conflicting");
if (!bnd("two answers that conflict").conflicting) throw new Error("18 vs 21 should conflict");
"section 3 claims hold" """),
("md", r"""## 4. A failure taxonomy over a generated file

A realistic debugging session starts from a file of completions. Here we generate one (seeded): GSM8K-style
completions for problems "a × b + c" with a mix of endings a real model produces — clean, the wrong value,
`18.00`-style decimals, the answer phrase without `####`, an invented next question, units, truncation
(`finish_reason: "length"`). It is written as JSONL, read back with `readJsonlAll` (bad lines would be reported
with their line number), verified in **lm-eval strict** mode, and each failure is classified by
`classifyFailure`: the first of `verifier_error → truncated → multiple_conflicting_answers → format_only →
unparseable → wrong_value_clean_final_line → wrong_value_messy` that applies. Each share carries n and a Wilson
95% CI."""),
("code", r"""const rng = createRng(seed);
const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)];
const STYLES = ["clean", "clean", "clean", "wrong", "wrong-messy", "decimals", "phrase", "continuation", "units", "truncated"] as const;
const dir = mkdtempSync(join(tmpdir(), "rlvr-nb01-"));
const file = join(dir, "completions.jsonl");
const recs: Record<string, unknown>[] = [];
for (let i = 0; i < nGenerated; i++) {
  const a = 2 + Math.floor(rng() * 9), b = 2 + Math.floor(rng() * 9), c = 1 + Math.floor(rng() * 20);
  const gold = String(a * b + c);
  const style = pick(STYLES);
  const work = `There are ${a} bags with ${b} marbles each, so ${a} * ${b} = ${a * b} marbles.\nAdding the ${c} loose marbles gives ${a * b} + ${c} = `;
  const wrongV = String(a * b + c + pick([1, -1, 10, -2]));
  const text: Record<string, string> = {
    clean: `${work}${gold}.\n#### ${gold}`,
    wrong: `${work}${wrongV}.\n#### ${wrongV}`,
    "wrong-messy": `${work}${wrongV}.\n#### ${wrongV} marbles in total, I think.`,
    decimals: `${work}${gold}.\n#### ${gold}.00`,
    phrase: `${work}${gold}.\nThe answer is ${gold}.`,
    continuation: `${work}${gold}.\n#### ${gold}\n\nQuestion: Ann has 4 pens and buys 5 more. How many pens?\nAnswer: 4 + 5 = 9\n#### 9`,
    units: `${work}${gold}.\n#### ${gold} marbles`,
    truncated: work.slice(0, 40 + Math.floor(rng() * 40)),
  };
  recs.push({ id: `q${i}`, gold: gold, completion: text[style], finish_reason: style === "truncated" ? "length" : "stop", style: style });
}
writeFileSync(file, recs.map((r) => JSON.stringify(r)).join("\n") + "\n");
// The file's schema: the project's VerifyRecord plus the generated style (the "ground truth" of this demo).
const read = await readJsonlAll(file, VerifyRecord.extend({ style: z.string() }));
const badLines = read.errors.length;
const rows4 = read.records;
const classified = rows4.map((r) => {
  const mode = { mode: "lm-eval-strict" as const };
  const ex = extractGsm8k(r.completion, mode);
  const v = verifyGsm8kSideBySide(r.gold, r.completion).strict;
  return { rec: r, verdict: v, cls: classifyFailure(v, r.completion, ex, r.finish_reason) };
});
const agg = aggregateFailures(classified.map((x) => x.cls));
const taxRows: Record<string, unknown>[] = FAILURE_CATEGORIES.map((cat) => {
  const [lo, hi] = wilson(agg.counts[cat], agg.n);
  return { category: cat, count: agg.counts[cat], n: agg.n, share: agg.fractions[cat], "95% CI": `[${lo.toFixed(3)}, ${hi.toFixed(3)}]` };
});
const [clo, chi] = wilson(agg.n - agg.failures, agg.n);
taxRows.unshift({ category: "(correct)", count: agg.n - agg.failures, n: agg.n, share: (agg.n - agg.failures) / agg.n, "95% CI": `[${clo.toFixed(3)}, ${chi.toFixed(3)}]` });
display(table(taxRows, { caption: `lm-eval strict verdicts of ${agg.n} generated completions (${badLines} bad lines)` }));
// Cross-tab: which generated style lands in which category (the taxonomy should recover the mechanism).
const cross: Record<string, Record<string, number>> = {};
for (const x of classified) {
  const row = (cross[x.rec.style] ??= {});
  const k = x.cls.category ?? "(correct)";
  row[k] = (row[k] ?? 0) + 1;
}
table(Object.entries(cross).map(([style, counts]) => ({ style: style, ...counts })), { caption: "generated style × category" })"""),
("md", r"""Under lm-eval strict the `decimals` and `phrase` styles are **format_only** failures: the right value is there
and a numeric reading finds it. The invented next question does *not* fail strict-match (it takes the first
`####`), but it is a time bomb for flexible-extract. `wrong-messy` differs from `wrong` only in trailing words —
the taxonomy separates a reasoning error stated cleanly from one stated messily."""),
("code", r"""// Check: the taxonomy recovers each generated mechanism.
const catsOf = (style: string) => new Set<string | null>(classified.filter((x) => x.rec.style === style).map((x) => x.cls.category));
const expectCats: Record<string, string | null> = { clean: null, wrong: "wrong_value_clean_final_line", "wrong-messy": "wrong_value_messy", decimals: "format_only", phrase: "format_only", truncated: "truncated", continuation: null };
for (const [style, cat] of Object.entries(expectCats)) {
  const got = catsOf(style);
  if (got.size === 0) continue; // style not drawn at this nGenerated/seed
  if (got.size !== 1 || !got.has(cat)) throw new Error(`${style}: expected only ${cat}, got ${[...got].join(", ")}`);
}
if (badLines !== 0 || agg.n !== nGenerated) throw new Error(`expected ${nGenerated} good lines, got ${agg.n} (+${badLines} bad)`);
if (Math.abs(Object.values(agg.fractions).reduce((s, f) => s + f, 0) - agg.failures / agg.n) > 1e-12) throw new Error("category shares should sum to the failure rate");
({ n: agg.n, failures: agg.failures })"""),
("md", r"""## 5. The completion gallery

Numbers tell you *how many*; a gallery tells you *which*. One card per completion: the extracted answer is
highlighted at its `span`, the status is a colour, the rule that decided is printed, and two format flags are shown: *strict* = the answer
stands alone on the final line (`answerBoundary`), *flexible* = lm-eval's flexible-extract finds a number at all. All model text is HTML-escaped (the gallery never runs scripts). Here: one example of each
category from section 4, verified in lm-eval strict mode."""),
("code", r"""const seen = new Set<string>();
const galleryItems = classified.filter((x) => {
  const k = x.cls.category ?? "(correct)";
  if (seen.has(k)) return false;
  seen.add(k);
  return true;
}).map((x) => ({
  id: `${x.rec.id} · ${x.cls.category ?? "correct"}`,
  completion: x.rec.completion,
  gold: x.rec.gold,
  verdict: x.verdict,
  finish_reason: x.rec.finish_reason,
  format: { strict: x.cls.boundary.strictFinalLine, flexible: extractGsm8k(x.rec.completion, { mode: "lm-eval-flexible" }).extracted !== null },
}));
completionGallery(galleryItems, { title: "one completion per failure category (lm-eval strict)" })"""),
("code", r"""// Check: every highlighted span really covers the extracted text.
for (const it of galleryItems) {
  const v = it.verdict;
  if (v.span !== null && it.completion.slice(v.span[0], v.span[1]) !== v.extracted) throw new Error(`${it.id}: span ${v.span} does not cover ${v.extracted}`);
}
galleryItems.length"""),
("md", r"""## 6. A verifier timeout that does not hang

Symbolic equivalence can be slow on adversarial input. `verifyAnswer` runs the math verifier's symbolic stage in a
worker pool under a hard `timeoutMs`; past it, the worker is terminated and the verdict is `timeout` with score 0
(fail closed) — the training loop never waits on one pathological completion. The input here: a set of 200
symbolic elements given in reverse order, which forces ~20,000 pairwise symbolic comparisons. We first run it
twice with a generous limit to see its real cost once the worker is warm, then with a limit far below that cost.
The job after a timeout pays for starting a fresh worker (the terminated one is replaced), which is why its
verdict takes longer than a warm one."""),
("code", r"""const setGold = `\\{${Array.from({ length: 200 }, (_, i) => `${i}x`).join(",")}\\}`;
const setPred = `The roots are $\\boxed{\\{${Array.from({ length: 200 }, (_, i) => `${199 - i}x+0`).join(",")}\\}}$.`;
await verifyAnswer("x+1", "\\boxed{1+x}", { task: "math", timeoutMs: 30_000 }); // start the pool's workers first
const timed = async (limit: number) => {
  const t0 = performance.now();
  const v = await verifyAnswer(setGold, setPred, { task: "math", timeoutMs: limit });
  return { timeoutMs: limit, status: v.status, score: v.score, rule: v.rule, "verdict ms": Math.round(v.ms), "wall ms": Math.round(performance.now() - t0), message: v.message ?? "" };
};
await timed(60_000); // first run: includes JIT warm-up of the worker
const generous = await timed(60_000);
const small = await timed(timeoutMs);
const after = await verifyAnswer("x+1", "\\boxed{1+x}", { task: "math", timeoutMs: 30_000 });
table([generous, small, { timeoutMs: 30_000, status: after.status, score: after.score, rule: after.rule, "verdict ms": Math.round(after.ms), "wall ms": null, message: "the pool still serves after the timeout" }])"""),
("code", r"""// Check: the small limit gives a timeout verdict in bounded wall time, and the pool keeps serving.
if (generous.status !== "correct") throw new Error(`with a generous limit the set should verify as correct, got ${generous.status}`);
// (On a machine so fast that the warm job beats the limit, raise the input or lower timeoutMs.)
if (generous["verdict ms"] < 3 * timeoutMs) throw new Error(`the job took only ${generous["verdict ms"]} ms: not pathological for timeoutMs=${timeoutMs}`);
if (small.status !== "timeout" || small.score !== 0 || small.rule !== "pool/timeout") throw new Error(`expected a pool/timeout verdict, got ${small.status} ${small.rule}`);
// Bounded: the limit plus terminating the worker, not the job's own cost.
if (small["wall ms"] > timeoutMs + 5_000) throw new Error(`timeout took ${small["wall ms"]} ms of wall time`);
if (after.status !== "correct") throw new Error("the pool should keep serving after a timeout");
({ generousMs: generous["verdict ms"], smallStatus: small.status, smallWallMs: small["wall ms"] })"""),
("md", r"""## 7. (Optional) Agreement on real GSM8K golds

If the shared data folder (`../shared/data` from the repository root) exists, take the first 200 GSM8K test
solutions, use each **gold solution itself** as the completion, and ask every mode whether it agrees with the gold's
own final number. A correct verifier says yes; `gsm8k_cot` strict cannot, because the solutions never say
"The answer is". Without the folder this cell says so and does nothing."""),
("code", r"""const findRoot = (d: string): string => (existsSync(join(d, "package.json")) || dirname(d) === d ? d : findRoot(dirname(d)));
const dataDir = sharedData !== "" ? resolve(sharedData) : resolve(findRoot(process.cwd()), "..", "shared", "data");
const gsmPath = join(dataDir, "gsm8k_test.jsonl");
let agreement: Record<string, unknown>[] = [];
if (existsSync(gsmPath)) {
  const lines = (await readJsonlAll(gsmPath, z.object({ answer: z.string() }))).records.slice(0, 200);
  const modes = ["lm-eval-strict", "lm-eval-flexible", "lm-eval-cot-strict", "numeric"] as const;
  const agree: Record<string, number> = Object.fromEntries(modes.map((m) => [m, 0]));
  for (const l of lines) {
    const r = verifyGsm8kSideBySide(l.answer, l.answer);
    const byMode = { "lm-eval-strict": r.strict, "lm-eval-flexible": r.flexible, "lm-eval-cot-strict": r.cotStrict, numeric: r.numeric };
    for (const m of modes) if (byMode[m].status === "correct") agree[m]++;
  }
  agreement = modes.map((m) => { const [lo, hi] = wilson(agree[m], lines.length); return { mode: m, agree: agree[m], n: lines.length, rate: agree[m] / lines.length, "95% CI": `[${lo.toFixed(3)}, ${hi.toFixed(3)}]` }; });
}
agreement.length > 0 ? table(agreement, { caption: "gold solution verified against itself" }) : `skipped: ${gsmPath} not found (the notebook does not need it)`"""),
("code", r"""// Check (only when the data exists): strict and numeric agree with every gold.
if (agreement.length > 0) {
  for (const m of ["lm-eval-strict", "numeric"]) {
    const r = agreement.find((x) => x.mode === m)!;
    if (r.agree !== r.n) throw new Error(`${m} disagrees with ${Number(r.n) - Number(r.agree)} gold solutions`);
  }
}
await closeDefaultPool();
rmSync(dir, { recursive: true, force: true }); // the generated file of section 4
agreement.length > 0 ? "agreement checked" : "no shared data: section 7 skipped" """),
])
