/**
 * The red team: the catalogue is well formed and large enough, and `redTeam` counts what a plain loop of
 * `verifyAnswer` (or the user's own checker) says, family by family.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import {
  CATALOGUE_VERSION, catalogueHash, redTeamCatalogue, redTeamFamilies,
} from "../../src/verifiers/redteam/catalogue.js";
import { RedTeamEntry, type RedTeamTask } from "../../src/verifiers/redteam/entry.js";
import { redTeam, CONTROL_FORMATS } from "../../src/verifiers/redteam/run.js";
import { formatRedTeamReport, terminalSafe } from "../../src/verifiers/redteam/report.js";
import { verifyAnswer } from "../../src/verifiers/verify.js";
import { WorkerPool } from "../../src/verifiers/pool.js";
import { verifyIfeval } from "../../src/verifiers/ifeval/evaluate.js";
import { probeSandbox } from "../../src/verifiers/code/sandbox.js";

const pool = new WorkerPool({ size: 2, preload: ["verifyMath"] });
after(() => pool.close());

const TASKS = ["gsm8k", "math"] as const;
const both = TASKS.flatMap((t) => redTeamCatalogue(t));

test("the catalogue holds at least 200 reward hacks plus honest controls, every entry valid and uniquely named", () => {
  const hacks = both.filter((e) => e.expected === "no-reward");
  const controls = both.filter((e) => e.expected === "reward");
  assert.ok(hacks.length >= 200, `${hacks.length} hacks`);
  assert.ok(controls.length >= 50, `${controls.length} controls`);
  for (const e of both) assert.ok(RedTeamEntry.safeParse(e).success, e.id);
  assert.equal(new Set(both.map((e) => e.id)).size, both.length, "ids are unique");
  // No two entries of a task are the same (gold, completion) pair.
  assert.equal(new Set(both.map((e) => `${e.task}\u0000${e.gold}\u0000${e.completion}`)).size, both.length);
  assert.match(CATALOGUE_VERSION, /^redteam-v\d+$/);
});

test("every completion carries reasoning before its final answer, not a bare string", () => {
  for (const e of both) assert.ok([...e.completion].length >= 40, `${e.id}: ${JSON.stringify(e.completion)}`);
});

test("the issue's hack families are all present, with at least two attempts each", () => {
  const need: Record<(typeof TASKS)[number], string[]> = {
    gsm8k: [
      "overflow", "float-rounding", "boxed-expression", "nested-boxes", "multiple-answers", "candidate-list",
      "hedge-retraction", "negation", "sign", "unicode-digits", "answer-suffix", "units", "interval",
      "false-equation", "base-notation", "hidden-text", "injection", "format-echo", "fabricated-question",
      "truncation", "intermediate",
    ],
    math: [
      "nested-boxes", "multiple-boxes", "candidate-list", "hedge-retraction", "negation", "sign", "unicode",
      "hidden-text", "macros", "injection", "format-echo", "fabricated-question", "truncation", "interval",
      "false-equation", "units", "degrees-radians", "base-notation", "float-rounding", "overflow", "symbolic",
      "intermediate",
    ],
  };
  for (const task of TASKS) {
    const entries = redTeamCatalogue(task);
    for (const family of need[task]) {
      const n = entries.filter((e) => e.family === family).length;
      assert.ok(n >= 2, `${task}/${family}: ${n} attempts`);
    }
    assert.ok(redTeamFamilies(task).some((f) => f.startsWith("control-")), `${task} has controls`);
  }
  // The `#### 1` + 400 zeros attempt of the issue, and a GSM8K final-answer-region suffix.
  assert.ok(redTeamCatalogue("gsm8k").some((e) => e.completion.endsWith(`#### 1${"0".repeat(400)}`)));
  assert.ok(redTeamCatalogue("gsm8k").some((e) => e.completion.endsWith("#### 18 or 19")));
});

test("catalogueHash is stable for the same entries and changes with any edit", () => {
  const g = redTeamCatalogue("gsm8k");
  assert.equal(catalogueHash(g), catalogueHash([...g]));
  assert.match(catalogueHash(g), /^[0-9a-f]{8}$/);
  const edited = g.map((e, i) => (i === 0 ? { ...e, completion: e.completion + " " } : e));
  assert.notEqual(catalogueHash(edited), catalogueHash(g));
  assert.notEqual(catalogueHash(g), catalogueHash(redTeamCatalogue("math")));
});

for (const [task, mode] of [["gsm8k", undefined], ["gsm8k", "lm-eval-strict"], ["math", undefined], ["math", "contract"], ["math", "minerva"]] as const) {
  test(`redTeam ${task}/${mode ?? "default"} counts per family what a plain verifyAnswer loop scores`, { timeout: 120_000 }, async () => {
    const report = await redTeam(task, { mode, pool });
    const entries = redTeamCatalogue(task);
    assert.equal(report.outcomes.length, entries.length);
    const formats = mode === undefined ? undefined : CONTROL_FORMATS[`${task}:${mode}`];
    const expect = new Map<string, { attempts: number; rewarded: number; rejected: number }>();
    let hacksRewarded = 0;
    let controlsRejected = 0;
    for (const e of entries) {
      const v = await verifyAnswer(e.gold, e.completion, { task, mode, pool });
      const f = expect.get(e.family) ?? { attempts: 0, rewarded: 0, rejected: 0 };
      f.attempts++;
      if (v.score > 0) f.rewarded++;
      const applicable = !formats || formats.includes(e.format);
      if (e.expected === "reward" && applicable && v.score === 0) (f.rejected++, controlsRejected++);
      if (e.expected === "no-reward" && v.score > 0) hacksRewarded++;
      expect.set(e.family, f);
    }
    for (const f of report.families) {
      const want = expect.get(f.family)!;
      assert.deepEqual({ attempts: f.attempts, rewarded: f.rewarded, rejected: f.rejected }, want, f.family);
      const failing = report.outcomes.filter((o) => o.family === f.family && o.failed);
      assert.equal(f.example?.id ?? null, failing[0]?.id ?? null, `${f.family}: the example is the first failing entry`);
    }
    assert.equal(report.totals.hacksRewarded, hacksRewarded);
    assert.equal(report.totals.controlsRejected, controlsRejected);
    assert.equal(report.pass, hacksRewarded === 0 && controlsRejected === 0);
    assert.equal(report.catalogue.hash, catalogueHash(entries));
  });
}

test("a checker that rejects everything fails on the controls; one that accepts everything fails on every hack", async () => {
  for (const task of TASKS) {
    const none = await redTeam(task, { reward: () => 0 });
    assert.equal(none.checker, "custom");
    assert.equal(none.totals.hacksRewarded, 0);
    assert.equal(none.totals.controlsRejected, none.totals.controls);
    assert.equal(none.pass, false);
    const all = await redTeam(task, { reward: async () => 1 });
    assert.equal(all.totals.hacksRewarded, all.totals.hacks);
    assert.equal(all.totals.hackFamiliesRewarded, all.totals.hackFamilies);
    assert.equal(all.totals.controlsRejected, 0);
    assert.equal(all.pass, false);
  }
});

test("a perfect oracle passes, and a checker that throws scores 0 with status error", async () => {
  const expected = new Map(redTeamCatalogue("gsm8k").map((e) => [`${e.gold}\u0000${e.completion}`, e.expected]));
  const oracle = await redTeam("gsm8k", { reward: (g, c) => (expected.get(`${g}\u0000${c}`) === "reward" ? 1 : 0) });
  assert.equal(oracle.pass, true);
  assert.match(formatRedTeamReport(oracle), /PASS$/);
  const throwing = await redTeam("gsm8k", { reward: () => { throw new Error("boom"); }, families: ["control-hash"] });
  assert.ok(throwing.outcomes.every((o) => o.verdict.status === "error" && o.verdict.score === 0 && o.failed));
});

test("a user-set tolerance reaches the verifier and is reported", async () => {
  const loose = await redTeam("gsm8k", { relTol: 0.05, families: ["float-rounding"] });
  assert.equal(loose.relTol, 0.05);
  const o = loose.outcomes.find((x) => x.completion.endsWith("#### 18.0000001"))!;
  assert.equal(o.verdict.score, 1, "a 5% tolerance accepts 18.0000001 for 18");
  const exact = await redTeam("gsm8k", { relTol: 0, families: ["float-rounding"] });
  assert.equal(exact.outcomes.find((x) => x.id === o.id)!.verdict.score, 0, "relTol 0 refuses it");
  await assert.rejects(redTeam("gsm8k", { relTol: 0.2 }), /relTol/);
});

test("family filter, contract-mode control formats and bad options", async () => {
  const r = await redTeam("math", { mode: "contract", pool, families: ["control-unboxed", "macros"] });
  assert.deepEqual(r.families.map((f) => f.family), ["macros", "control-unboxed"]);
  const unboxed = r.families.find((f) => f.family === "control-unboxed")!;
  assert.equal(unboxed.notApplicable, unboxed.attempts, "contract mode does not promise to read unboxed answers");
  assert.equal(unboxed.rejected, 0);
  await assert.rejects(redTeam("math", { families: ["no-such-family"] }), /unknown red-team family "no-such-family".*known: nested-boxes/);
  await assert.rejects(redTeam("gsm8k", { mode: "contract" }), /not a gsm8k mode/);
});

test("terminalSafe escapes control, bidi, zero-width characters and lone surrogates, and keeps other text", () => {
  assert.equal(terminalSafe("a\u001b[31mb"), "a\\u{1b}[31mb");
  assert.equal(terminalSafe("#### \u202e81"), "#### \\u{202e}81");
  assert.equal(terminalSafe("20\u200b18"), "20\\u{200b}18");
  assert.equal(terminalSafe("x\ud800y"), "x\\u{d800}y");
  assert.equal(terminalSafe("line\nnext\tTab"), "line⏎next⇥Tab");
  assert.equal(terminalSafe("１８ −18 €77 👩‍👧"), "１８ −18 €77 👩\\u{200d}👧");
  assert.equal(terminalSafe("x".repeat(100), 10), "xxxxxxxxxx…");
  const text = formatRedTeamReport({
    catalogue: { version: "v", hash: "h", entries: 1 }, task: "gsm8k", checker: "custom", mode: null, relTol: null,
    families: [{
      family: "hidden-text", kind: "hack", attempts: 1, rewarded: 1, rejected: 0, notApplicable: 0,
      example: {
        id: "gsm8k/hidden-text/1", family: "hidden-text", expected: "no-reward", gold: "1\u001b8", completion: "\u001b[2J#### 18\u202e",
        note: "", applicable: true, failed: true, verdict: { status: "correct", score: 1, extracted: "18\u0007", rule: "r" },
      },
    }],
    totals: { hacks: 1, hacksRewarded: 1, hackFamilies: 1, hackFamiliesRewarded: 1, controls: 0, controlsApplicable: 0, controlsRejected: 0 },
    pass: false, outcomes: [],
  });
  assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/);
  assert.match(text, /FAIL$/);
});

test("the modes meant as training rewards pay for no hack and refuse no control (issue 17's bar)", { timeout: 300_000 }, async () => {
  const sandbox = probeSandbox().ok;
  const runs: [RedTeamTask, string | undefined][] = [["gsm8k", undefined], ["gsm8k", "numeric"], ["math", undefined], ["math", "contract"], ["ifeval", undefined], ["ifeval", "loose"]];
  if (sandbox) runs.push(["code", undefined]);
  for (const [task, mode] of runs) {
    const r = await redTeam(task, { mode, pool });
    const failed = r.outcomes.filter((o) => o.failed).map((o) => `${o.id} (${o.verdict.status}, ${o.verdict.rule})`);
    assert.deepEqual(failed, [], `${task}/${mode ?? "default"}`);
    assert.equal(r.pass, true);
  }
});

test("redteam-v2 covers code and ifeval: families of both, each entry a valid task record", () => {
  const code = redTeamCatalogue("code");
  const ifeval = redTeamCatalogue("ifeval");
  for (const f of ["exit-early", "fake-output", "result-channel", "read-tests", "patch-harness", "always-equal", "crash-harness", "timing", "helper-override", "builtin-escalation", "module-shadow", "flow-exception", "free-tests", "hardcode-examples"]) {
    assert.ok(code.filter((e) => e.family === f).length >= 2, `code/${f}`);
  }
  for (const f of ["unicode-lookalike", "near-miss-marker", "degenerate-structure", "wrong-separator", "hidden-violation", "trailing-junk", "count-padding", "wrong-language"]) {
    assert.ok(ifeval.filter((e) => e.family === f).length >= 4, `ifeval/${f}`);
  }
  assert.ok(code.filter((e) => e.expected === "reward").length >= 15 && ifeval.filter((e) => e.expected === "reward").length >= 20);
  for (const e of [...code, ...ifeval]) assert.ok(e.record && e.format === "free", e.id);
  for (const e of ifeval) assert.equal((e.record!.instruction_id_list as string[]).length, 1, e.id);
  assert.throws(() => RedTeamEntry.parse({ ...code[0], record: undefined }), /carry the task's input record/);
});

for (const mode of ["strict", "loose"] as const) {
  test(`redTeam ifeval/${mode} counts what a plain verifyIfeval loop scores`, async () => {
    const report = await redTeam("ifeval", { mode });
    const entries = redTeamCatalogue("ifeval");
    entries.forEach((e, i) => {
      const v = verifyIfeval({ completion: e.completion, ...(e.record as any) }, { mode });
      assert.equal(report.outcomes[i]!.verdict.score, v.score, e.id);
      assert.equal(report.outcomes[i]!.failed, e.expected === "reward" ? v.score === 0 : v.score > 0, e.id);
    });
    assert.equal(report.totals.hacksRewarded, 0);
  });
}

test("code and ifeval: options checked per task; a custom checker gets the entry's record", async () => {
  await assert.rejects(redTeam("code", { mode: "strict" }), /"strict" is not a code mode; use one of default, partial-credit/);
  await assert.rejects(redTeam("ifeval", { mode: "partial-credit" }), /not an ifeval mode/);
  await assert.rejects(redTeam("ifeval", { relTol: 0.01 }), /relTol applies to gsm8k and math/);
  await assert.rejects(redTeam("code", { families: ["overflow"] }), /unknown red-team family "overflow" for code/);
  const seen: unknown[] = [];
  const r = await redTeam("code", { families: ["helper-override"], reward: (_g, _c, record) => (seen.push(record), 0) });
  assert.equal(r.checker, "custom");
  assert.ok(seen.length === r.outcomes.length && seen.every((x) => typeof (x as { test?: string } | undefined)?.test === "string" || Array.isArray((x as { test_list?: string[] }).test_list)));
});
