import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../../src/policy/backend.js";
import { GPT } from "../../src/policy/gpt.js";
import { run as start } from "../../src/cli/start.js";
import { run as train } from "../../src/cli/train.js";
import { RolloutRecord, TraceStep } from "../../src/schemas/trace.js";
import { METRIC_NAMES } from "../../src/schemas/metrics.js";

let dir: string;
let ckpt: string;

before(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), "rlvr-start-"));
  ckpt = join(dir, "base");
  // A tiny untrained policy: the smoke run checks the plumbing, not the lift.
  const m = new GPT({ nLayer: 1, nHead: 2, nEmbd: 16, blockSize: 96 }, 3);
  await m.save(ckpt);
  m.dispose();
});
after(() => rmSync(dir, { recursive: true, force: true }));

const quiet = async <T>(f: () => Promise<T>): Promise<T> => {
  const log = console.log;
  const err = console.error;
  console.log = () => {};
  console.error = () => {};
  try {
    return await f();
  } finally {
    console.log = log;
    console.error = err;
  }
};

test("rlvr start --quick writes trace, rollouts, summary and report with the schema'd fields", async () => {
  const out = join(dir, "run");
  const code = await quiet(() => start(["--quick", "--steps", "2", "--heldout", "4", "--checkpoint", ckpt, "--out", out]));
  assert.equal(code, 0);
  const lines = (f: string) => readFileSync(join(out, f), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const trace = lines("trace.jsonl");
  assert.equal(trace.length, 2);
  const vocab = [...METRIC_NAMES.filter((m) => m !== "pass@k"), "step", "seconds"].sort();
  for (const t of trace) {
    assert.ok(TraceStep.safeParse(t).success);
    assert.deepEqual(Object.keys(t).sort(), vocab);
  }
  const rollouts = lines("rollouts.jsonl");
  assert.equal(rollouts.length, 2 * 4 * 4); // steps × B × G of --quick
  for (const r of rollouts) {
    const p = RolloutRecord.safeParse(r);
    assert.ok(p.success, JSON.stringify(p.error?.issues));
    assert.equal(r.sampler_logprobs.length, r.num_tokens);
    assert.equal(r.trainer_logprobs.length, r.num_tokens);
  }
  const s = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  for (const side of ["base", "tuned"]) {
    assert.equal(typeof s[side]["pass@1"].estimate, "number");
    assert.equal(s[side]["pass@1"].ci95.length, 2);
    assert.ok(s[side]["pass@k"]["2"], "pass@2 reported");
    const g = s[side].greedy["pass@1"];
    assert.equal(g.n_problems, 4, "greedy reference on the same held-out problems");
    assert.ok(g.ci95[0] <= g.estimate && g.estimate <= g.ci95[1]);
    assert.equal((g.estimate * 4) % 1, 0, "greedy pass@1 is a count over 4 problems");
  }
  assert.equal(typeof s.lift.estimate, "number");
  assert.equal(s.lift.ci95.length, 2);
  assert.equal(typeof s.lift.p_value, "number");
  assert.equal(s.n_heldout, 4);
  assert.equal(s.eval_split, "test", "the lift is reported on the test split by default");
  assert.ok(lines("eval.jsonl").every((r) => r.problem_id.startsWith("arith-test-")));
  assert.equal(s.config.steps, 2);
  assert.ok(s.seconds > 0 && typeof s.backend === "string");
  assert.match(s.backend_label, /^wasm \(SIMD, 1 thread\)$|^cpu|^tensorflow/, "summary.json says what ran, threads included");
  assert.ok(existsSync(join(out, "checkpoint", "config.json")));
  assert.ok(existsSync(join(out, "eval.jsonl")));
});

test("rlvr start --split validation evaluates validation problems (for choosing hyper-parameters); a bad --split is refused", async () => {
  const out = join(dir, "run-validation");
  assert.equal(await quiet(() => start(["--quick", "--steps", "0", "--heldout", "3", "--split", "validation", "--checkpoint", ckpt, "--out", out, "--no-report"])), 0);
  const s = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  assert.equal(s.eval_split, "validation");
  assert.equal(s.config.evalSplit, "validation");
  const ids = readFileSync(join(out, "eval.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l).problem_id);
  assert.deepEqual(ids.map((id: string) => id.split("-")[1]), ["validation", "validation", "validation"]);
  let msg = "";
  const err = console.error;
  console.error = (m: string) => (msg += m);
  try {
    assert.equal(await start(["--split", "heldout", "--out", join(dir, "never")]), 2);
  } finally {
    console.error = err;
  }
  assert.match(msg, /split/);
  assert.ok(!existsSync(join(dir, "never")));
});

test("rlvr train rejects a config with a bad field, naming it and the fix (exit 2)", async () => {
  const f = join(dir, "bad.json");
  writeFileSync(f, JSON.stringify({ groupSize: 1, lr: -1 }));
  let msg = "";
  const err = console.error;
  console.error = (s: string) => (msg += s);
  try {
    assert.equal(await train(["--config", f]), 2);
  } finally {
    console.error = err;
  }
  assert.match(msg, /lr/);
  assert.match(msg, /groupSize.*set groupSize ≥ 2/);
});

test("rlvr train --print-config prints a config that validates", async () => {
  let text = "";
  const log = console.log;
  console.log = (s: string) => (text += s);
  try {
    assert.equal(await train(["--print-config"]), 0);
  } finally {
    console.log = log;
  }
  const { parseTrainConfig } = await import("../../src/grpo/config.js");
  assert.doesNotThrow(() => parseTrainConfig(JSON.parse(text)));
});
