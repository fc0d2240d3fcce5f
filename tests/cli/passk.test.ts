import { test, describe, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { summarizePassAtK } from "../../src/stats/summary.js";
import { run as passkRun, readVerdictCounts } from "../../src/cli/passk.js";
import { Readable } from "node:stream";
import { createRng } from "../../src/stats/rng.js";

const root = new URL("../..", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "rlvr-passk-"));

function rlvr(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "passk", ...args], {
    cwd: root,
    input,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The same command in-process (console captured): cheaper than a spawn on a loaded machine, used for the
 * behaviours that do not depend on process wiring (stdin, exit status plumbing are covered by rlvr()).
 */
async function rlvrInProcess(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error, warn } = console;
  console.log = (...a: unknown[]) => void out.push(a.join(" "));
  console.error = console.warn = (...a: unknown[]) => void err.push(a.join(" "));
  try {
    const code = await passkRun(args);
    return { code, stdout: out.join("\n") + "\n", stderr: err.join("\n") + "\n" };
  } finally {
    Object.assign(console, { log, error, warn });
  }
}

/** 30 problems × 8 samples, levels 1–3, some records with `correct`, some with metadata-nested level. */
type Rec = { problem_id: string; status?: string; correct?: boolean; level?: number; metadata?: { level: number } };
function records(seed: number, delta: number): Rec[] {
  const latent = createRng(100);
  const rng = createRng(seed);
  const out: Rec[] = [];
  for (let p = 0; p < 30; p++) {
    const q = latent() * 0.7;
    const level = 1 + (p % 3);
    for (let s = 0; s < 8; s++) {
      const ok = rng() < Math.max(0, q + delta);
      out.push(s % 2 ? { problem_id: `p${p}`, status: ok ? "correct" : "wrong", level } : { problem_id: `p${p}`, correct: ok, metadata: { level } });
    }
  }
  return out;
}
const jsonl = (rs: unknown[]) => rs.map((r) => JSON.stringify(r)).join("\n") + "\n";
const toSamples = (rs: Rec[]) =>
  rs.map((r) => ({ problem_id: r.problem_id, correct: r.correct ?? r.status === "correct", strata: { level: String(r.level ?? r.metadata!.level) } }));

let good: string;
let worse: string;
before(() => {
  good = join(dir, "good.jsonl");
  worse = join(dir, "worse.jsonl");
  writeFileSync(good, jsonl(records(1, 0)));
  writeFileSync(worse, jsonl(records(2, -0.4)));
});

describe("rlvr passk", () => {
  test("--json prints exactly n_problems, n_samples, pass@k and by, equal to summarizePassAtK", () => {
    const r = rlvr(["--k", "1,4,8", "--by", "level", "--in", good, "--json", "--resamples", "300", "--seed", "5"]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out), ["n_problems", "n_samples", "pass@k", "by"]);
    assert.deepEqual(Object.keys(out["pass@k"]), ["1", "4", "8"]);
    assert.deepEqual(Object.keys(out["pass@k"]["1"]), ["estimate", "ci95"]);
    const ref = summarizePassAtK(toSamples(records(1, 0)), [1, 4, 8], { by: "level", resamples: 300, seed: 5, onWarning: assert.fail });
    assert.deepEqual(out, JSON.parse(JSON.stringify(ref)));
    assert.equal(out.n_samples, 240);
    assert.deepEqual(Object.keys(out.by), ["1", "2", "3"]);
  });

  test("prints a table with one row per k and one per stratum", async () => {
    const r = await rlvrInProcess(["--k", "1,8", "--by", "level", "--in", good, "--resamples", "200"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /30 problems, 240 samples; 95% CI: percentile bootstrap over problems \(200 resamples, seed 0\)/);
    assert.match(r.stdout, /^1 +0\.\d{4} +\[0\.\d{4}, 0\.\d{4}\]$/m);
    assert.match(r.stdout, /^8 +\d\.\d{4} +\[/m);
    assert.match(r.stdout, /^level +problems +samples +pass@1 \[95% CI\] +pass@8 \[95% CI\]$/m);
    assert.match(r.stdout, /^2 +10 +80 +0\.\d{4} \[/m);
    assert.match(r.stdout, /^\(all\) +30 +240 /m);
  });

  test("reads stdin when --in is absent", () => {
    const r = rlvr(["--k", "1", "--json", "--resamples", "50"], jsonl(records(1, 0)));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).n_samples, 240);
  });

  test("reports bad lines as file:line: field, keeps the good lines and exits 1", () => {
    const f = join(dir, "mixed.jsonl");
    const lines = jsonl(records(1, 0)).trimEnd().split("\n");
    lines.splice(3, 0, '{"problem_id":"p0","status":"corect"}', "{oops", "", '{"status":"correct"}');
    writeFileSync(f, lines.join("\n") + "\n" + '{"problem_id":"p1","correct":tr');
    const r = rlvr(["--k", "1", "--in", f, "--json", "--resamples", "50"]);
    assert.equal(r.code, 1);
    assert.equal(JSON.parse(r.stdout).n_samples, 240);
    assert.match(r.stderr, new RegExp(`${f}:4: field "status": expected one of`));
    assert.match(r.stderr, new RegExp(`${f}:5: not valid JSON`));
    assert.match(r.stderr, new RegExp(`${f}:7: field "problem_id": missing`));
    assert.match(r.stderr, new RegExp(`${f}:245: .*last line is incomplete`));
    assert.match(r.stderr, /4 bad line\(s\) reported above/);
  });

  test("a problem whose stratum changes between samples is reported with file:line and counted under its first value", async () => {
    const f = join(dir, "conflict.jsonl");
    writeFileSync(f, jsonl([{ problem_id: "q", correct: true, level: 1 }, { problem_id: "q", correct: false, metadata: { level: 2 } }]));
    const r = await rlvrInProcess(["--k", "1", "--by", "level", "--in", f, "--json", "--resamples", "10"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`${f}:2: field "level": problem q was first seen with level=1, here 2; counted under 1`));
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out.by), ["1"]);
    assert.equal(out.by["1"].n_samples, 2);
  });

  test("skips problems with fewer than k samples with a warning, and exits 1 when no problem reaches k", async () => {
    const f = join(dir, "short.jsonl");
    writeFileSync(f, jsonl([...records(1, 0), { problem_id: "lonely", correct: true }]));
    const r = await rlvrInProcess(["--k", "1,8", "--in", f, "--json", "--resamples", "50"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: pass@8: skipped 1 of 31 problems with fewer than 8 samples \(e\.g\. lonely\)/);
    const r2 = await rlvrInProcess(["--k", "1,16", "--in", good, "--resamples", "50"]);
    assert.equal(r2.code, 1);
    assert.match(r2.stdout, /^16 +— \(no problem has k samples\)/m);
    assert.match(r2.stderr, /no problem has enough samples for k=16/);
  });

  test("--baseline gate fails a clearly worse run (exit 1) and passes the baseline against itself", async () => {
    const fail = rlvr(["--k", "1,8", "--in", worse, "--baseline", good, "--max-drop", "0.02", "--resamples", "400"]);
    assert.equal(fail.code, 1, fail.stderr);
    assert.match(fail.stdout, /pass@1 +FAIL/);
    assert.match(fail.stdout, /gate: FAILED/);
    const pass = await rlvrInProcess(["--k", "1,8", "--in", good, "--baseline", good, "--json", "--resamples", "100"]);
    assert.equal(pass.code, 0, pass.stderr);
    const out = JSON.parse(pass.stdout);
    assert.equal(out.gate.passed, true);
    assert.equal(out.gate.metrics[0].p_value, 1);
  });

  test("usage errors exit 2 with a message naming the flag", async () => {
    const r = await rlvrInProcess(["--k", "0,2"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--k: give positive integers separated by commas/);
    const r2 = await rlvrInProcess(["--max-drop", "0.1"]);
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /--max-drop: only makes sense with --baseline/);
    const r3 = await rlvrInProcess(["--help"]);
    assert.equal(r3.code, 0);
    assert.match(r3.stdout, /usage: rlvr passk/);
  });

  test("empty input and a missing file exit 1 and say how to give records", async () => {
    const empty = join(dir, "empty.jsonl");
    writeFileSync(empty, "\n\n");
    const r = await rlvrInProcess(["--k", "1", "--in", empty]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no verdict records read/);
    const r2 = await rlvrInProcess(["--k", "1", "--in", join(dir, "nope.jsonl")]);
    assert.equal(r2.code, 1);
    assert.match(r2.stderr, /--in .*nope\.jsonl: no such file/);
  });
});

test("readVerdictCounts handles lines split across chunks, CRLF, blank lines and a long line spanning chunks", async () => {
  const long = JSON.stringify({ problem_id: "long", correct: true, note: "x".repeat(200_000) });
  const text = `{"problem_id":"a","status":"correct"}\r\n\n  \n{"problem_id":"a","sta` + `tus":"wrong"}\n${long}\n{"problem_id":"b","correct":false}`;
  // Chunks: cut inside a record, one chunk holding only part of the long line (no newline), and no final newline.
  const cut = [0, 20, 60, 70, 70 + 100_000, 70 + 150_000, text.length];
  const chunks = cut.slice(1).map((end, i) => text.slice(cut[i], end));
  const errors: string[] = [];
  const { counts, badLines } = await readVerdictCounts(Readable.from(chunks), { name: "chunks", report: (m) => errors.push(m) });
  assert.deepEqual(errors, []);
  assert.equal(badLines, 0);
  assert.deepEqual([counts.ids, counts.n, counts.c], [["a", "long", "b"], [2, 1, 1], [1, 1, 0]]);
});

describe("rlvr passk --maj", () => {
  /** Reference maj@k by enumerating every k-subset: plurality vote, ties split evenly, abstentions vote for nothing. */
  function majReference(samples: { answer: string | null; correct: boolean }[], k: number): number {
    let total = 0;
    let count = 0;
    const pick = (start: number, chosen: number[]) => {
      if (chosen.length === k) {
        const votes = new Map<string, { n: number; correct: boolean }>();
        for (const i of chosen) {
          const s = samples[i];
          if (s.answer === null) continue;
          const v = votes.get(s.answer) ?? { n: 0, correct: s.correct };
          v.n++;
          votes.set(s.answer, v);
        }
        const top = Math.max(0, ...[...votes.values()].map((v) => v.n));
        const tied = [...votes.values()].filter((v) => v.n === top && top > 0);
        total += tied.length ? tied.filter((v) => v.correct).length / tied.length : 0;
        count++;
        return;
      }
      for (let i = start; i < samples.length; i++) pick(i + 1, [...chosen, i]);
    };
    pick(0, []);
    return total / count;
  }

  /** 12 problems × 6 samples; answers from a small pool so votes collide, gold "4", some abstentions. */
  function majRecords() {
    const rng = createRng(9);
    const out: { problem_id: string; status: string; normalizedPred?: string | null; extracted?: string | null }[] = [];
    for (let p = 0; p < 12; p++)
      for (let s = 0; s < 6; s++) {
        const u = rng();
        const answer = u < 0.1 ? null : String(Math.floor(rng() * 3) + 3); // "3" | "4" | "5" | null
        const rec: (typeof out)[number] = { problem_id: `q${p}`, status: answer === "4" ? "correct" : answer === null ? "unparseable" : "wrong" };
        if (s % 2) rec.normalizedPred = answer;
        else rec.extracted = answer;
        out.push(rec);
      }
    return out;
  }

  test("maj@k equals the mean over problems of an enumerate-all-subsets reference, with a CI around it", async () => {
    const recs = majRecords();
    const f = join(dir, "maj.jsonl");
    writeFileSync(f, jsonl(recs));
    const r = await rlvrInProcess(["--k", "1", "--maj", "1,3,5", "--in", f, "--json", "--resamples", "200"]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    for (const k of [1, 3, 5]) {
      const per = Array.from({ length: 12 }, (_, p) =>
        majReference(recs.filter((x) => x.problem_id === `q${p}`).map((x) => ({ answer: x.normalizedPred ?? x.extracted ?? null, correct: x.status === "correct" })), k),
      );
      const expected = per.reduce((a, b) => a + b, 0) / per.length;
      const e = out["maj@k"][String(k)];
      assert.ok(Math.abs(e.estimate - expected) < 1e-9, `maj@${k}: ${e.estimate} vs reference ${expected}`);
      assert.ok(e.ci95[0] <= e.estimate && e.estimate <= e.ci95[1]);
      assert.equal(e.n_problems, 12);
    }
    // maj@1 is pass@1 when every sample votes (abstentions score 0 in both).
    assert.ok(Math.abs(out["maj@k"]["1"].estimate - out["pass@k"]["1"].estimate) < 1e-9);
  });

  test("the table shows one maj@k row per k", async () => {
    const f = join(dir, "maj-table.jsonl");
    writeFileSync(f, jsonl(majRecords()));
    const r = await rlvrInProcess(["--k", "1", "--maj", "3", "--in", f, "--resamples", "50"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^k +maj@k +95% CI +problems$/m);
    assert.match(r.stdout, /^3 +0\.\d{4} +\[0\.\d{4}, [01]\.\d{4}\] +12$/m);
  });

  test("an answer scored both correct and wrong in one problem is a bad line naming it; pass@k still counts it", async () => {
    const f = join(dir, "maj-conflict.jsonl");
    writeFileSync(f, jsonl([
      { problem_id: "a", status: "correct", normalizedPred: "7" },
      { problem_id: "a", status: "wrong", normalizedPred: "7" },
      { problem_id: "a", status: "wrong", normalizedPred: "8" },
    ]));
    const r = await rlvrInProcess(["--k", "1", "--maj", "1", "--in", f, "--json", "--resamples", "50"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /maj-conflict\.jsonl:2: field "correct": problem a: answer "7" was scored correct before and wrong here/);
    const out = JSON.parse(r.stdout);
    assert.equal(out.n_samples, 3, "the conflicting record still counts for pass@k");
    assert.ok(Math.abs(out["pass@k"]["1"].estimate - 1 / 3) < 1e-12);
  });

  test("a non-string answer field is a bad line; a k no problem reaches exits 1 and says so", async () => {
    const f = join(dir, "maj-bad.jsonl");
    writeFileSync(f, jsonl([{ problem_id: "a", status: "wrong", extracted: ["7"] }, { problem_id: "a", status: "correct", extracted: "8" }]));
    const r = await rlvrInProcess(["--k", "1", "--maj", "1,4", "--in", f, "--resamples", "50"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /maj-bad\.jsonl:1: field "extracted": expected a string, a number or null/);
    assert.match(r.stderr, /no problem has enough samples for maj@4/);
  });
});
