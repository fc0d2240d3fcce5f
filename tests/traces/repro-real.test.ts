/**
 * The debug-note reproductions run for real: the project's GRPO trainer on a tiny random-init policy with one
 * bug switched on (src/traces/reproRuns.ts), then the doctor on the trace and rollouts it wrote — in-process
 * (`doctorRun`) and as a user runs it (`rlvr traces doctor DIR --json` through the bin link). Each bug run must
 * be named; its control (the same setup without the bug) must not be.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REAL_REPROS, runRealRepro, type RealReproName, type ReproRun } from "../../src/traces/reproRuns.js";
import { doctorRun, loadTrace, type Finding } from "../../src/traces/index.js";
import { binSkip, rlvr } from "../helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "rlvr-repro-real-"));
after(() => rmSync(tmp, { recursive: true, force: true }));
const runs = new Map<string, Promise<{ bug: ReproRun; control: ReproRun }>>();
/** Each reproduction runs once (bug, then control); later tests reuse the files. */
function pair(name: RealReproName) {
  if (!runs.has(name))
    runs.set(name, (async () => ({ bug: await runRealRepro(name, join(tmp, `${name}-bug`), "bug"), control: await runRealRepro(name, join(tmp, `${name}-control`), "control") }))());
  return runs.get(name)!;
}
const rows = (path: string) => readFileSync(path, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
const find = (fs: Finding[], id: string) => fs.find((f) => f.id === id);

describe("real reproductions: the doctor names the bug from the run's own trace, and not its control", () => {
  for (const name of Object.keys(REAL_REPROS) as RealReproName[]) {
    test(`${name} (${REAL_REPROS[name].note}) → ${REAL_REPROS[name].expect.join(" + ")}; control (${REAL_REPROS[name].control}) → not`, async () => {
      const { bug, control } = await pair(name);
      assert.ok(loadTrace(bug.trace).steps.length >= 6);
      const got = (await doctorRun(bug.trace)).findings;
      const ctl = (await doctorRun(control.trace)).findings.map((f) => f.id);
      for (const id of REAL_REPROS[name].expect) {
        assert.ok(got.some((f) => f.id === id), `${name}: expected ${id}, got ${got.map((f) => f.id).join(", ")}`);
        assert.ok(!ctl.includes(id), `${name} control (no bug) also reports ${id}: ${ctl.join(", ")}`);
      }
    });
  }

  test("rlvr traces doctor DIR --json names every bug run and none of the controls", { skip: binSkip }, async () => {
    for (const name of Object.keys(REAL_REPROS) as RealReproName[]) {
      const { bug, control } = await pair(name);
      for (const [run, want] of [[bug, true], [control, false]] as const) {
        const r = await rlvr(["traces", "doctor", run.dir, "--json"]);
        assert.ok(r.code === 0 || r.code === 1, `${name}: exit ${r.code}\n${r.stderr}`);
        const ids = (JSON.parse(r.stdout) as { findings: Finding[] }).findings.map((f) => f.id);
        for (const id of REAL_REPROS[name].expect) assert.equal(ids.includes(id), want, `${name} ${run.variant}: ${id} in [${ids}]`);
      }
    }
  });

  test("temperature mismatch is visible from the trace alone (no rollouts), as a persistent logprob_diff/mean", async () => {
    const { bug } = await pair("temperature_mismatch");
    const f = (await doctorRun(bug.trace, { rollouts: null })).findings.find((x) => x.id === "logprob_mismatch");
    assert.ok(f, "logprob_mismatch from the trace");
    assert.equal(f!.evidence.source, "trace logprob_diff/mean");
  });

  test("pad id = id of '0': '0' is in the prompts, sampled by the policy, and never in a bug completion; the control's completions have it", async () => {
    const { bug, control } = await pair("pad_token_collision");
    const b = rows(bug.rollouts);
    const c = rows(control.rollouts);
    assert.ok(b.every((r) => String(r.prompt).includes("0")));
    assert.ok(b.every((r) => !String(r.completion).includes("0")), "a bug completion contains 0");
    assert.ok(c.filter((r) => String(r.completion).includes("0")).length >= 10, "the control's policy writes 0 in many completions");
    // The tokens were sampled: the bug's completions hold fewer characters than tokens (the 0s were decoded away).
    assert.ok(b.some((r) => String(r.completion).length < Number(r.num_tokens) - 1));
    const f = find((await doctorRun(bug.trace)).findings, "missing_character");
    assert.equal(f!.evidence.characters, '"0"');
  });

  test("format drift: the strict rate falls by ≥ 0.2 while the flexible rate holds; with the strict reward it does not", async () => {
    const { bug, control } = await pair("format_drift");
    const f = find((await doctorRun(bug.trace)).findings, "format_drift")!;
    assert.ok(Number(f.evidence.strict_early) - Number(f.evidence.strict_late) >= 0.2);
    assert.ok(Number(f.evidence.flexible_late) >= Number(f.evidence.flexible_early) - 0.05);
    const strict = loadTrace(control.trace).steps.map((s) => s["format/strict_rate"] as number);
    const w = 5;
    const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
    assert.ok(mean(strict.slice(-w)) > mean(strict.slice(0, w)) - 0.2, `control strict rate ${strict}`);
  });

  test("Adam ε 1e-7 without warmup: the first update's KL is ≥ 10× the control's, and the trace shows lr at its peak from step 0", async () => {
    const { bug, control } = await pair("adam_eps_no_warmup");
    const kl = (p: string) => loadTrace(p).steps.map((s) => s["kl/k3_mean"] as number);
    const [kb, kc] = [kl(bug.trace), kl(control.trace)];
    assert.equal(kb[0], 0);
    assert.ok(kb[1] >= 10 * kc[1], `KL after the first update: bug ${kb[1]}, control ${kc[1]}`);
    const lr = loadTrace(bug.trace).steps.map((s) => s.lr as number);
    assert.equal(lr[0], Math.max(...lr));
    assert.ok((loadTrace(control.trace).steps[0].lr as number) < Math.max(...loadTrace(control.trace).steps.map((s) => s.lr as number)));
  });

  test("Adam: on this toy the jump is the missing warmup's — ε 1e-5 without warmup jumps as far; ε 1e-7 with warmup does not", async () => {
    const { bug } = await pair("adam_eps_no_warmup");
    const kl1 = (p: string) => loadTrace(p).steps[1]["kl/k3_mean"] as number;
    const epsOnlyFixed = await runRealRepro("adam_eps_no_warmup", join(tmp, "adam-eps5-nowarmup"), "bug", { config: { adamEps: 1e-5 } });
    const warmupOnlyFixed = await runRealRepro("adam_eps_no_warmup", join(tmp, "adam-eps7-warmup"), "bug", { config: { warmupSteps: 4 } });
    assert.ok(Math.abs(kl1(epsOnlyFixed.trace) / kl1(bug.trace) - 1) < 0.2, `ε 1e-5, no warmup: ${kl1(epsOnlyFixed.trace)} vs bug ${kl1(bug.trace)}`);
    assert.ok(kl1(warmupOnlyFixed.trace) < kl1(bug.trace) / 10, `ε 1e-7, warmup: ${kl1(warmupOnlyFixed.trace)}`);
    assert.ok((await doctorRun(epsOnlyFixed.trace)).findings.some((f) => f.id === "first_update_jump"));
    assert.ok(!(await doctorRun(warmupOnlyFixed.trace)).findings.some((f) => f.id === "first_update_jump"));
  });
});

describe("rlvr traces repro NAME --out DIR", { skip: binSkip }, () => {
  test("runs the bug (or --control) for real; the doctor then names it (exit 0 for warnings) or not", async () => {
    const dir = join(tmp, "cli-pad");
    const r = await rlvr(["traces", "repro", "pad_token_collision", "--out", dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /the doctor should name: missing_character\nnext: rlvr traces doctor /);
    const d = await rlvr(["traces", "doctor", dir]);
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stdout, /\[WARNING\] A common character never appears in any completion \(missing_character, whole run\)\n {2}evidence: characters="0"/);
    const c = await rlvr(["traces", "repro", "pad_token_collision", "--out", dir, "--control", "--json"]); // replaces the bug run
    assert.equal(c.code, 0, c.stderr);
    assert.equal(JSON.parse(c.stdout).variant, "control");
    assert.doesNotMatch((await rlvr(["traces", "doctor", dir])).stdout, /missing_character/);
  });
  test("refuses an unknown name, a missing --out, a file, and a folder holding other files (exit 2, nothing deleted)", async () => {
    const bad = await rlvr(["traces", "repro", "pad_id", "--out", join(tmp, "x")]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /takes one reproduction name: temperature_mismatch, shared_seed, .*adam_eps_no_warmup/);
    assert.match((await rlvr(["traces", "repro", "shared_seed"])).stderr, /give --out DIR/);
    const keep = join(tmp, "keep");
    mkdirSync(keep);
    writeFileSync(join(keep, "notes.txt"), "mine");
    const r = await rlvr(["traces", "repro", "shared_seed", "--out", keep]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /holds other files \(notes\.txt\); give an empty or new folder/);
    assert.equal(readFileSync(join(keep, "notes.txt"), "utf8"), "mine");
    const f = await rlvr(["traces", "repro", "shared_seed", "--out", join(keep, "notes.txt")]);
    assert.equal(f.code, 2);
    assert.match(f.stderr, /is a file; give a folder/);
  });
});
