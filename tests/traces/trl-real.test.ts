/**
 * The importer against a real TRL run: tests/traces/peers/trl_grpo_run.py trains a tiny random-init Llama with
 * TRL's GRPOTrainer for a few steps (CPU, no downloads) and the trainer_state.json it writes is read here.
 * Every key TRL wrote must come through, mapped onto the vocabulary or under its own name; the fixture
 * tests/traces/fixtures/trl-1.13 must have the keys this TRL writes. Skipped where the peers venv is absent.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { PEER_PYTHON, peerSkip } from "../helpers/peers.js";
import { NAME_MAPS, loadTrace, doctorRun } from "../../src/traces/index.js";
import { METRIC_NAMES } from "../../src/schemas/metrics.js";

const skip = peerSkip(["torch", "transformers", "trl", "datasets", "tokenizers"]);
const FIX = join(import.meta.dirname, "fixtures", "trl-1.13", "trainer_state.json");

test("a real TRL GRPOTrainer trainer_state.json: every log_history key is read, and the fixture has the same keys", { skip, timeout: 300_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), "rlvr-trl-"));
  const r = spawnSync(PEER_PYTHON!, [join(import.meta.dirname, "peers", "trl_grpo_run.py"), out, "--steps", "4"], { encoding: "utf8", timeout: 280_000 });
  assert.equal(r.status, 0, r.stderr.slice(-3000));
  const version = /trl (\S+)/.exec(r.stderr)?.[1];
  const path = join(out, "trainer_state.json");
  const state = JSON.parse(readFileSync(path, "utf8")) as { log_history: Record<string, unknown>[] };
  const t = loadTrace(path, { vocabulary: METRIC_NAMES });
  assert.equal(t.steps.length, 4);
  const map = NAME_MAPS.trl;
  for (const entry of state.log_history) {
    if ("train_runtime" in entry) continue; // the run summary, not a step
    const step = t.steps.find((s) => s.step === entry.step)!;
    assert.ok(step, `step ${entry.step}`);
    for (const [k, v] of Object.entries(entry)) {
      if (k === "step") continue;
      const name = map[k] ?? k;
      assert.ok(name in step, `TRL ${version} key ${k} (→ ${name}) lost`);
      if (typeof v === "number") assert.equal(step[name], v, k);
    }
  }
  for (const k of ["reward/mean", "reward/std", "kl/k3_mean", "entropy", "grad_norm", "lr", "loss", "completions/mean_length", "completions/max_length", "completions/truncated_frac", "frac_reward_zero_std", "clip_ratio/low", "clip_ratio/high"])
    assert.ok(k in t.steps[0], `${k} from TRL ${version}`);
  const fixtureKeys = new Set((JSON.parse(readFileSync(FIX, "utf8")).log_history as Record<string, unknown>[]).filter((e) => !("train_runtime" in e)).flatMap((e) => Object.keys(e)));
  const liveKeys = new Set(state.log_history.filter((e) => !("train_runtime" in e)).flatMap((e) => Object.keys(e)));
  assert.deepEqual([...liveKeys].sort(), [...fixtureKeys].sort(), `regenerate the fixture with trl_grpo_run.py (TRL ${version})`);
  const report = await doctorRun(path, { rollouts: null });
  assert.ok(!report.findings.some((f) => f.severity === "critical"), JSON.stringify(report.findings.map((f) => f.id)));
});
