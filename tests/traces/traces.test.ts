import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import {
  identicalGroups, reproSharedSeed, summarizeRolloutsFile, loadTrace, detectFormat, missingSteps, parseTolerant, replaceNonFinite, TraceDB, summarizeRollouts, logprobMismatch, countRolloutLines,
  doctorRun, diagnose, compareRuns, summarizeTrace, REPROS, reproTemperatureMismatch, reproZeroVariance,
} from "../../src/traces/index.js";
import { quantileSorted } from "../../src/stats/bootstrap.js";
import { METRIC_NAMES } from "../../src/schemas/metrics.js";
import type { RolloutRecord, TraceStep } from "../../src/schemas/trace.js";

const FIX = join(import.meta.dirname, "fixtures");
const ROOT = join(import.meta.dirname, "..", "..");
const tmp = mkdtempSync(join(tmpdir(), "rlvr-traces-"));

function writeRun(name: string, trace: TraceStep[], rollouts: RolloutRecord[] = []): string {
  const dir = join(tmp, name);
  spawnSync("mkdir", ["-p", dir]);
  writeFileSync(join(dir, "trace.jsonl"), trace.map((s) => JSON.stringify(s)).join("\n") + "\n");
  if (rollouts.length) writeFileSync(join(dir, "rollouts.jsonl"), rollouts.map((s) => JSON.stringify(s)).join("\n") + "\n");
  return join(dir, "trace.jsonl");
}

describe("Python-style JSON", () => {
  test("NaN and ±Infinity outside strings become null and are counted; inside strings they stay", () => {
    const r = replaceNonFinite(`{"a": NaN, "b": -Infinity, "c": "NaN Infinity", "d": [Infinity, 1]}`);
    assert.equal(r.count, 3);
    assert.deepEqual(JSON.parse(r.text), { a: null, b: null, c: "NaN Infinity", d: [null, 1] });
  });
  test("parseTolerant rethrows the original error for JSON that is broken for other reasons", () => {
    assert.throws(() => parseTolerant(`{"a": NaN,`), SyntaxError);
    assert.equal(parseTolerant(`{"a": 1}`).nonFinite, 0);
  });
});

describe("rollout analytics in DuckDB match plain JS references", () => {
  let db: TraceDB;
  before(async () => {
    db = await TraceDB.open({ threads: 1 });
  });
  after(() => db.close());

  test("per-step reward mean/std, zero-variance share and identical groups", async () => {
    const r = reproZeroVariance({ steps: 3 });
    const path = join(tmp, "zv.jsonl");
    writeFileSync(path, r.rollouts.map((x) => JSON.stringify(x)).join("\n") + "\n");
    const got = await summarizeRollouts(db, path);
    assert.equal(got.length, 3);
    for (const s of got) {
      const rows = r.rollouts.filter((x) => x.step === s.step);
      const rewards = rows.map((x) => x.reward);
      const m = rewards.reduce((a, b) => a + b, 0) / rewards.length;
      const sd = Math.sqrt(rewards.reduce((a, b) => a + (b - m) ** 2, 0) / rewards.length);
      assert.ok(Math.abs(s["reward/mean"] - m) < 1e-12);
      assert.ok(Math.abs(s["reward/std"] - sd) < 1e-9);
      const groups = new Map<string, number[]>();
      for (const x of rows) groups.set(x.problem_id, [...(groups.get(x.problem_id) ?? []), x.reward]);
      const zero = [...groups.values()].filter((g) => Math.min(...g) === Math.max(...g)).length / groups.size;
      assert.ok(Math.abs((s.frac_reward_zero_std as number) - zero) < 1e-12);
    }
    assert.ok((await identicalGroups(db, path)).every((s) => s.frac_identical_groups === 0));
  });

  test("identicalGroups finds every group of a shared-seed run identical", async () => {
    const r = reproSharedSeed({ steps: 2 });
    const path = join(tmp, "seed.jsonl");
    writeFileSync(path, r.rollouts.map((x) => JSON.stringify(x)).join("\n") + "\n");
    assert.deepEqual((await identicalGroups(db, path)).map((s) => s.frac_identical_groups), [1, 1]);
  });

  test("logprob mismatch quantiles equal the plain quantiles of |Δ|", async () => {
    const r = reproTemperatureMismatch({ steps: 4 });
    const path = join(tmp, "mm.jsonl");
    writeFileSync(path, r.rollouts.map((x) => JSON.stringify(x)).join("\n") + "\n");
    const got = (await logprobMismatch(db, path))!;
    const diffs = r.rollouts.flatMap((x) => x.sampler_logprobs!.map((s, i) => s - x.trainer_logprobs![i]));
    const abs = Float64Array.from(diffs, Math.abs).sort();
    assert.equal(got.tokens, diffs.length);
    assert.ok(Math.abs(got.quantiles.p99 - quantileSorted(abs, 0.99)) < 1e-9);
    assert.ok(Math.abs(got.quantiles.p50 - quantileSorted(abs, 0.5)) < 1e-9);
    assert.ok(Math.abs(got.maxAbs - abs[abs.length - 1]) < 1e-12);
    assert.equal(got.byStep.length, 4);
  });

  test("unreadable rollout lines are counted, the others analysed", async () => {
    const path = join(tmp, "bad-rollouts.jsonl");
    const ok = (i: number) => JSON.stringify({ step: 0, problem_id: "p", sample_index: i, prompt: "q", completion: "c" + i, reward: i % 2, status: "x", num_tokens: 3, finish_reason: "stop" });
    writeFileSync(path, [ok(0), "{not json", ok(1), ok(2), `{"step": 0, "problem_id": "p", "compl`].join("\n"));
    const c = await countRolloutLines(db, path);
    assert.deepEqual(c, { lines: 5, parsed: 3 });
    const one = await summarizeRolloutsFile(db, path);
    assert.deepEqual({ lines: one.lines, parsed: one.parsed }, c, "the one-scan count (NULL-step rows) equals the two-scan count");
    assert.equal(one.steps[0].max_tokens, 3);
  });
});

describe("doctor names each reproduced failure", () => {
  const expected: Record<keyof typeof REPROS, string> = {
    temperature_mismatch: "logprob_mismatch",
    pad_token_collision: "missing_character",
    no_stop_sequence: "truncation_high",
    format_drift: "format_drift",
    zero_variance: "zero_variance_groups",
    entropy_collapse: "entropy_collapse",
    grad_norm_spike: "grad_norm_spike",
    shared_seed: "identical_completions",
  };
  for (const [name, id] of Object.entries(expected)) {
    test(`${name} → ${id}`, async () => {
      const r = REPROS[name as keyof typeof REPROS]();
      const report = await doctorRun(writeRun(name, r.trace, r.rollouts));
      const ids = report.findings.map((f) => f.id);
      assert.ok(ids.includes(id), `${name}: got ${ids.join(", ")}`);
      const f = report.findings.find((x) => x.id === id)!;
      assert.ok(f.cause.length > 40 && f.check.length > 20 && Object.keys(f.evidence).length > 0);
    });
  }

  test("the temperature mismatch confined to the first steps is a KL spike at the start", async () => {
    const r = reproTemperatureMismatch({ steps: 20, mismatchSteps: 3 });
    const ids = diagnose({ steps: r.trace }).map((f) => f.id);
    assert.ok(ids.includes("kl_spike_early"), ids.join(", "));
    const report = await doctorRun(writeRun("tm-steps", r.trace, r.rollouts));
    assert.deepEqual(report.findings.find((f) => f.id === "logprob_mismatch")!.steps, [0, 2], "the mismatch is located at steps 0-2");
    const fixed = reproTemperatureMismatch({ steps: 20, mismatchSteps: 0 });
    assert.deepEqual(diagnose({ steps: fixed.trace }).map((f) => f.id), [], "no mismatch, no finding");
  });

  test("identical groups under a near-deterministic policy are blamed on low entropy, not on the seed; critical only when every group is identical", () => {
    const steps = [0, 1, 2].map((step) => ({ step, entropy: 0.05 }));
    const identical = [0, 1, 2].map((step) => ({ step, frac_identical_groups: 0.6 }));
    const f = diagnose({ steps, identical }).find((x) => x.id === "identical_completions")!;
    assert.equal(f.severity, "warning");
    assert.match(f.cause, /nearly deterministic/);
    const g = diagnose({ steps: steps.map((s) => ({ ...s, entropy: 1.5 })), identical }).find((x) => x.id === "identical_completions")!;
    assert.equal(g.severity, "warning", "some groups identical: a warning");
    assert.match(g.cause, /seed/);
    const all = identical.map((s) => ({ ...s, frac_identical_groups: 1 }));
    const h = diagnose({ steps: steps.map((s) => ({ ...s, entropy: 1.5 })), identical: all }).find((x) => x.id === "identical_completions")!;
    assert.equal(h.severity, "critical", "every group of every step identical: nothing to learn from");
  });

  test("a healthy run gets no findings", () => {
    const steps: TraceStep[] = Array.from({ length: 40 }, (_, s) => ({
      step: s, "reward/mean": 0.3 + s * 0.01, "reward/std": 0.4, frac_reward_zero_std: 0.2, "kl/k3_mean": 0.001 * s, "kl/max": 0.02 * s,
      entropy: 1 - s * 0.005, grad_norm: 0.5 + 0.05 * Math.sin(s), "completions/truncated_frac": 0.01, "format/strict_rate": 0.9, "format/flexible_rate": 0.95,
    }));
    assert.deepEqual(diagnose({ steps }), []);
  });

});

describe("summary and compare", () => {
  test("summarizeTrace lists vocabulary metrics first with first/last/min/max/mean", () => {
    const s = summarizeTrace([{ step: 0, "reward/mean": 1, zeta: 3 }, { step: 1, "reward/mean": 3 }]);
    assert.deepEqual(s[0], { metric: "reward/mean", steps: 2, first: 1, last: 3, min: 1, max: 3, mean: 2 });
    assert.equal(s[1].metric, "zeta");
  });
  test("compareRuns aligns by step on shared metrics only", () => {
    const a = [{ step: 0, "reward/mean": 0.1, x: 1 }, { step: 1, "reward/mean": 0.2 }, { step: 2, "reward/mean": 0.9 }];
    const b = [{ step: 1, "reward/mean": 0.4 }, { step: 2, "reward/mean": 0.6 }];
    const c = compareRuns([{ name: "a", steps: a }, { name: "b", steps: b }]);
    assert.deepEqual(c.shared, ["reward/mean"]);
    assert.equal(c.commonSteps, 2);
    assert.equal(c.table[0]["a mean"], 0.55);
    assert.equal(c.table[0]["b last"], 0.6);
  });
});

describe("rlvr traces CLI", () => {
  // The installed bin link (npm run build first), as a user runs it.
  const cli = (...args: string[]) => spawnSync(join(ROOT, "node_modules", ".bin", "rlvr"), ["traces", ...args], { encoding: "utf8", cwd: ROOT });
  test("doctor prints findings with cause and check and exits 1 on a critical one", () => {
    const r = REPROS.shared_seed();
    const p = writeRun("cli-seed", r.trace, r.rollouts);
    const out = cli("doctor", p);
    assert.equal(out.status, 1, out.stderr);
    assert.match(out.stdout, /\[CRITICAL\] Identical completions within groups/);
    assert.match(out.stdout, /likely cause: .*seed/);
  });
  test("summary --json on a verl file reports the truncated line as a warning", () => {
    const out = cli("summary", join(FIX, "verl_file_logger.jsonl"), "--json");
    assert.equal(out.status, 0, out.stderr);
    const j = JSON.parse(out.stdout);
    assert.equal(j.format, "verl");
    assert.ok(j.warnings.some((w: string) => /truncated last line/.test(w)));
    assert.ok(j.metrics.some((m: { metric: string }) => m.metric === "entropy"));
  });
  test("summary of a rollouts file aggregates it in DuckDB per step and reports unreadable lines", () => {
    const r = reproZeroVariance({ steps: 3 });
    const p = join(tmp, "summary-rollouts.jsonl");
    writeFileSync(p, r.rollouts.map((x) => JSON.stringify(x)).join("\n") + "\n{broken\n");
    const out = cli("summary", p, "--json");
    assert.equal(out.status, 0, out.stderr);
    const j = JSON.parse(out.stdout);
    assert.equal(j.format, "rollouts");
    assert.equal(j.steps, 3);
    assert.equal(j.completions, r.rollouts.length);
    assert.ok(j.warnings.some((w: string) => /1 of \d+ line\(s\) could not be read/.test(w)), j.warnings.join("\n"));
    const rm = j.metrics.find((m: { metric: string }) => m.metric === "reward/mean");
    const m0 = r.rollouts.filter((x) => x.step === 0).map((x) => x.reward);
    assert.ok(Math.abs(rm.first - m0.reduce((a, b) => a + b, 0) / m0.length) < 1e-12);
  });
  test("compare needs two traces and a missing file is a usage error", () => {
    assert.equal(cli("compare", join(FIX, "tinker_metrics.jsonl")).status, 2);
    const missing = cli("summary", join(tmp, "nope.jsonl"));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no such file/);
  });
});
