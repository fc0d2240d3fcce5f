/**
 * `rlvr verify --task ifeval` through the installed bin link (node_modules/.bin/rlvr, as `npx rlvr` runs
 * it), and `rlvr passk` on the verdicts it writes (the IF pass@k sweep of the debug notes).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Verdict } from "../../src/schemas/verdict.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(root, "node_modules", ".bin", "rlvr");
const dir = mkdtempSync(join(tmpdir(), "rlvr-verify-ifeval-"));

function rlvr(args: string[], input?: string) {
  const r = spawnSync(bin, args, { cwd: root, input, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const skip = existsSync(join(root, "dist", "cli", "verify-ifeval.js")) ? false : "dist/ is not built (npm test builds it)";

const PROMPT = "Write a haiku about rain. Do not use any commas and wrap your entire response in double quotes.";
const rec = (id: string | number, completion: string, extra: object = {}) =>
  JSON.stringify({ id, prompt: PROMPT, completion, instruction_id_list: ["punctuation:no_comma", "startend:quotation"], kwargs: [{}, {}], ...extra });

test("verify --task ifeval writes per-instruction verdicts in instruction order; score is the fraction followed", { skip }, () => {
  const f = join(dir, "in.jsonl");
  writeFileSync(f, [rec(1, '"Rain on the tin roof\nsoft drums in the dark\nmorning smells of earth"'), rec(2, '"Rain, rain, go away"'), rec(3, "Rain, rain, go away")].join("\n") + "\n");
  const r = rlvr(["verify", "--task", "ifeval", "--in", f]);
  assert.equal(r.code, 0, r.stderr);
  const vs = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  for (const v of vs) assert.ok(Verdict.safeParse(v).success, JSON.stringify(v));
  assert.deepEqual(vs.map((v) => [v.id, v.status, v.score]), [[1, "correct", 1], [2, "wrong", 0.5], [3, "wrong", 0]]);
  assert.deepEqual(vs[1].instructions.map((i: { id: string; followed: boolean }) => [i.id, i.followed]), [["punctuation:no_comma", false], ["startend:quotation", true]]);
  assert.match(vs[1].instructions[0].evidence, /comma at 5/);
  assert.match(r.stderr, /prompt-level accuracy 33\.3% \[\d+\.\d, \d+\.\d\] \(n=3 responses/);
  assert.match(r.stderr, /instruction-level 50\.0% \[\d+\.\d, \d+\.\d\] \(n=6 instructions/);
});

test("verify --task ifeval --mode loose forgives a chatty first line that strict counts", { skip }, () => {
  const input = rec("chatty", 'Sure, here it is:\n"Rain on the roof\ndrums in the dark"') + "\n";
  const strict = JSON.parse(rlvr(["verify", "--task", "ifeval"], input).stdout);
  const loose = JSON.parse(rlvr(["verify", "--task", "ifeval", "--mode", "loose"], input).stdout);
  assert.equal(strict.status, "wrong");
  assert.equal(loose.status, "correct");
  assert.equal(loose.rule, "ifeval/loose");
  assert.match(loose.instructions[0].evidence, /^\(loose: first line removed\)/);
});

test("an unknown instruction id or a bad kwarg is the verifier's error naming file, line and field; other lines still verified; exit 1", { skip }, () => {
  const f = join(dir, "bad.jsonl");
  const lines = [
    rec(1, '"fine"'),
    JSON.stringify({ id: 2, prompt: "p", completion: "x", instruction_id_list: ["keywords:existance"], kwargs: [{ keywords: ["a"] }] }),
    JSON.stringify({ id: 3, prompt: "p", completion: "x", instruction_id_list: ["length_constraints:number_words"], kwargs: [{ num_words: 50, relation: "at most" }] }),
    JSON.stringify({ id: 4, prompt: "p", completion: "x", instruction_id_list: ["length_constraints:number_words"], kwargs: [{ relation: "at least", num_words: null }] }),
    JSON.stringify({ id: 5, prompt: "p", completion: "x", instruction_id_list: ["punctuation:no_comma"] }),
    "not json",
  ];
  writeFileSync(f, lines.join("\n") + "\n");
  const r = rlvr(["verify", "--task", "ifeval", "--in", f]);
  assert.equal(r.code, 1, r.stderr);
  const vs = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(vs.map((v) => [v.id, v.status]), [[1, "correct"], [2, "error"], [3, "error"], [4, "error"]]);
  assert.match(r.stderr, /bad\.jsonl:2: field "instruction_id_list\[0\]": unknown IFEval instruction "keywords:existance"; did you mean keywords:existence/);
  assert.match(r.stderr, /bad\.jsonl:3: field "kwargs\[0\]\.relation": must be "less than" or "at least"/);
  assert.match(r.stderr, /bad\.jsonl:4: field "kwargs\[0\]\.num_words"/);
  assert.match(r.stderr, /bad\.jsonl:5: field "kwargs"/);
  assert.match(r.stderr, /bad\.jsonl:6: not valid JSON/);
  assert.equal(vs[1].score, 0);
  assert.doesNotMatch(JSON.stringify(vs.slice(1)), /"wrong"/);
});

test("verify --task ifeval --explain prints which instruction failed and why", { skip }, () => {
  const r = rlvr(["verify", "--task", "ifeval", "--explain", "2"], [rec(1, '"ok"'), rec(2, "Rain, rain")].join("\n") + "\n");
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /id 2 — ifeval strict: wrong, score 0\.000/);
  assert.match(r.stdout, /✗ punctuation:no_comma\s+comma at 4/);
  assert.match(r.stdout, /✗ startend:quotation/);
});

test("verify --task ifeval rejects a math mode and gsm8k-only flags as usage errors (exit 2)", { skip }, () => {
  const a = rlvr(["verify", "--task", "ifeval", "--mode", "minerva"], "");
  assert.equal(a.code, 2);
  assert.match(a.stderr, /not an ifeval mode; use strict or loose/);
  const b = rlvr(["verify", "--task", "ifeval", "--taxonomy"], "");
  assert.equal(b.code, 2);
});

test("rlvr passk reads IFEval verdicts with problem_id: pass@k of all-or-nothing instruction following", { skip }, () => {
  // Two prompts, four samples each: prompt A followed by 1 of 4 samples, prompt B by none.
  const samples = [
    ["A", '"Rain on the roof"'], ["A", "Rain, rain"], ["A", "no quotes here"], ["A", '"Rain, again"'],
    ["B", "x, y"], ["B", "a, b"], ["B", "c, d"], ["B", "e, f"],
  ];
  const input = samples.map(([p, c], i) => rec(`${p}-${i % 4}`, c!, { problem_id: p, sample_index: i % 4 })).join("\n") + "\n";
  const verdicts = join(dir, "if-verdicts.jsonl");
  const v = rlvr(["verify", "--task", "ifeval", "--out", verdicts], input);
  assert.equal(v.code, 0, v.stderr);
  assert.equal(JSON.parse(readFileSync(verdicts, "utf8").split("\n")[0]!).problem_id, "A");
  const r = rlvr(["passk", "--k", "1,4", "--in", verdicts, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.n_problems, 2);
  assert.equal(out.n_samples, 8);
  // pass@1 = mean(1/4, 0) = 0.125; pass@4 = mean(1, 0) = 0.5 (Codex estimator, n = k = 4).
  assert.ok(Math.abs(out["pass@k"]["1"].estimate - 0.125) < 1e-12, JSON.stringify(out));
  assert.ok(Math.abs(out["pass@k"]["4"].estimate - 0.5) < 1e-12, JSON.stringify(out));
});
