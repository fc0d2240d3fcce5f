import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { compareRuns, consoleValue, detectFormat, doctorRun, loadTrace, parseVerlConsole, safeText, TraceInputError, duckdbError, resolveTracePath } from "../../src/traces/index.js";
import { METRIC_NAMES } from "../../src/schemas/metrics.js";

const FIX = join(import.meta.dirname, "fixtures");
const ROOT = join(import.meta.dirname, "..", "..");
const tmp = mkdtempSync(join(tmpdir(), "rlvr-importers-"));
const V = { vocabulary: METRIC_NAMES };
const file = (name: string, text: string) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe("TRL trainer_state.json (1.13: a real GRPOTrainer run; 0.14: written from its grpo_trainer.py)", () => {
  test("TRL 1.13: every log_history key is mapped or kept, steps are 1-based, the run summary is not a step", () => {
    const t = loadTrace(join(FIX, "trl-1.13", "trainer_state.json"), V);
    assert.equal(t.format, "trl");
    assert.equal(t.stepBase, 1);
    assert.deepEqual(t.steps.map((s) => s.step), [1, 2, 3, 4, 5, 6]);
    const s1 = t.steps[0];
    assert.equal(s1["reward/mean"], 0.25);
    assert.ok(Math.abs((s1["reward/std"] as number) - 0.37796446681022644) < 1e-12);
    assert.equal(s1["completions/truncated_frac"], 0.875);
    assert.equal(s1["completions/max_length"], 8);
    assert.equal(s1["kl/k3_mean"], 0);
    assert.equal(s1.lr, 0.001);
    assert.ok(!("train_runtime" in t.steps[5]), "the train summary entry is not merged into step 6");
    assert.ok(t.notes.some((n) => /Bessel/.test(n)), "reward_std's definition is noted");
    assert.deepEqual(t.segments.length, 1);
  });

  test("TRL 0.14: completion_length and rewards/<func> read, eval entries merged into their step, NaN loss kept per step", () => {
    const t = loadTrace(join(FIX, "trl-0.14", "trainer_state.json"), V);
    assert.equal(t.steps.length, 40);
    assert.equal(t.segments.length, 1, t.warnings.join("\n"));
    assert.ok(typeof t.steps[0]["completions/mean_length"] === "number");
    assert.ok(t.unknownColumns.includes("rewards/accuracy_reward"));
    assert.equal(typeof t.steps.find((s) => s.step === 20)!.eval_loss, "number");
    assert.deepEqual(t.nonFinite.map((n) => [n.step, n.metric]).sort(), [[30, "grad_norm"], [30, "loss"]]);
    assert.equal(t.steps.find((s) => s.step === 30)!.loss, null);
  });

  test("sampling/sampling_logp_difference/mean (a mean of |Δ|) maps to logprob_diff/abs_mean, never to the signed mean", () => {
    const p = file("trainer_state.json", JSON.stringify({ log_history: [1, 2, 3, 4, 5, 6].map((step) => ({ step, reward: 0.5, "sampling/sampling_logp_difference/mean": 0.02, "sampling/sampling_logp_difference/max": 0.4 })) }));
    const t = loadTrace(p, V);
    assert.equal(t.steps[0]["logprob_diff/abs_mean"], 0.02);
    assert.equal(t.steps[0]["logprob_diff/mean"], undefined);
    assert.equal(t.steps[0]["logprob_diff/max"], 0.4);
  });

  test("a TRL output directory resolves to its latest checkpoint's trainer_state.json", () => {
    assert.equal(resolveTracePath(join(FIX, "trl-1.13", "run")), join(FIX, "trl-1.13", "run", "checkpoint-6", "trainer_state.json"));
    const empty = join(tmp, "emptydir");
    mkdirSync(empty, { recursive: true });
    assert.throws(() => resolveTracePath(empty), (e: Error) => e instanceof TraceInputError && /looked for trainer_state\.json/.test(e.message));
  });
});

describe("verl (file logger JSONL and console log)", () => {
  test("file logger: data flattened, step 0 (validation only) kept apart from training, Infinity recorded, truncated line reported", () => {
    const t = loadTrace(join(FIX, "verl_file_logger.jsonl"), V);
    assert.equal(t.format, "verl");
    assert.equal(t.stepBase, 1);
    assert.equal(t.steps.length, 31);
    const s1 = t.steps.find((s) => s.step === 1)!;
    for (const k of ["reward/mean", "entropy", "kl/k3_mean", "grad_norm", "lr", "loss", "completions/mean_length", "completions/max_length", "completions/truncated_frac"]) assert.equal(typeof s1[k], "number", k);
    assert.deepEqual(t.nonFinite.map((n) => [n.step, n.metric, n.value]), [[7, "grad_norm", "Infinity"]]);
    assert.ok(t.warnings.some((w) => /:32: truncated last line/.test(w)), t.warnings.join("\n"));
  });

  test("console log: Ray prefixes and ANSI stripped, np.float64(x) read, old names (actor/entropy_loss, critic/kl) mapped, restart found", () => {
    const t = loadTrace(join(FIX, "verl_console.log"), V);
    assert.equal(t.format, "verl-console");
    assert.equal(t.steps.length, 20);
    const s1 = t.steps[0];
    assert.equal(typeof s1.entropy, "number");
    assert.equal(typeof s1["kl/k3_mean"], "number");
    assert.equal(s1["kl/k1_mean"], 0.001);
    assert.equal(t.segments.length, 2);
    assert.equal(t.segments[1].firstStep, 11);
    assert.ok(t.warnings.some((w) => /restarts 1 time/.test(w)));
  });

  test("console values: numbers, np scalars, nan/inf, booleans", () => {
    assert.equal(consoleValue("np.float64(0.25)"), 0.25);
    assert.equal(consoleValue("0.123"), 0.123);
    assert.equal(consoleValue("nan"), "NaN");
    assert.equal(consoleValue("-inf"), "-Infinity");
    assert.equal(consoleValue("True"), 1);
    const r = parseVerlConsole("\u001b[36m(main_task pid=9, ip=10.0.0.1)\u001b[0m step:3 - critic/score/mean:0.5 - actor/grad_norm:nan\nnoise\n");
    assert.deepEqual(r.records[0].value, { step: 3, "critic/score/mean": 0.5, "actor/grad_norm": "NaN" });
    assert.equal(r.other, 1);
  });
});

describe("Tinker cookbook metrics.jsonl", () => {
  test("env/all/by_group fractions give frac_reward_zero_std; kl_sample_train_v1 is the signed logprob_diff/mean", () => {
    const t = loadTrace(join(FIX, "tinker_metrics.jsonl"), V);
    assert.equal(t.format, "tinker");
    assert.equal(t.stepBase, 0);
    const s = t.steps[0] as Record<string, number>;
    assert.ok(Math.abs(s.frac_reward_zero_std - (s["env/all/by_group/frac_all_good"] + s["env/all/by_group/frac_all_bad"])) < 1e-12);
    assert.equal(typeof s["logprob_diff/mean"], "number");
    assert.equal(typeof s["completions/mean_length"], "number");
  });
  test("format detection by content and name", () => {
    assert.equal(detectFormat("x.jsonl", { step: 1, data: {} }), "verl");
    assert.equal(detectFormat("x.jsonl", { log_history: [] }), "trl");
    assert.equal(detectFormat("x.jsonl", { step: 1, "optim/lr": 1 }), "tinker");
    assert.equal(detectFormat("x.jsonl", { step: 1, "reward/mean": 1 }), "rlvr");
  });
});

describe("bad and odd input", () => {
  const err = (p: string, re: RegExp) => assert.throws(() => loadTrace(p, V), (e: Error) => e instanceof TraceInputError && re.test(e.message));
  test("an empty file, a file without steps and an unknown format are errors, not empty traces", () => {
    err(file("empty.jsonl", ""), /empty file/);
    err(file("blank.jsonl", "\n\n  \n"), /empty file/);
    err(file("nostep.jsonl", `{"a": 1}\n{"b": 2}\n`), /no training steps found/);
    err(file("prose.log", "hello\nworld\n"), /no training steps found/);
    err(file("other.jsonl", `{"step": 0, "temperature": 3}\n{"step": 1, "temperature": 4}\n`), /format not recognised.*temperature/);
  });
  test("a broken trainer_state.json names the line of the error", () => {
    err(file("trainer_state.json", `{\n "log_history": [\n  {"step": 1, "reward": 0.5},\n  {"step": 2, "reward": }\n ]\n}\n`), /trainer_state\.json:4: not valid JSON/);
  });
  test("a rollouts file with no readable rollout is an input error, not an empty analysis", async () => {
    const r = file("garbage-rollouts.jsonl", "step,reward\n0,1\n1,0\n");
    await assert.rejects(doctorRun(join(FIX, "tinker_metrics.jsonl"), { rollouts: r }), (e: Error) => e instanceof TraceInputError && /no rollout could be read \(3 line/.test(e.message));
  });
  test("a UTF-8 BOM is accepted", () => {
    const t = loadTrace(file("bom.jsonl", `\uFEFF{"step": 0, "reward/mean": 0.1}\n{"step": 1, "reward/mean": 0.2}\n`), V);
    assert.equal(t.steps.length, 2);
  });
  test("a non-numeric metric value is a warning with its line; the record is kept", () => {
    const t = loadTrace(file("nonnum.jsonl", `{"step": 0, "reward/mean": 0.1}\n{"step": 1, "reward/mean": "high"}\n{"step": 2, "reward/mean": 0.3}\n`), V);
    assert.equal(t.steps.length, 3);
    assert.equal(t.steps[1]["reward/mean"], null);
    assert.ok(t.warnings.some((w) => /nonnum\.jsonl:2: reward\/mean = "high" is not a number/.test(w)), t.warnings.join("\n"));
  });
  test("a restarted run appended to the same file becomes two segments, the latest wins for repeated steps, with a warning", () => {
    const lines = [0, 1, 2, 3, 2, 3, 4].map((step, i) => JSON.stringify({ step, "reward/mean": i < 4 ? 0.1 : 0.9 }));
    const t = loadTrace(file("restart.jsonl", lines.join("\n") + "\n"), V);
    assert.deepEqual(t.segments.map((s) => [s.firstStep, s.lastStep, s.firstLine]), [[0, 3, 1], [2, 4, 5]]);
    assert.deepEqual(t.steps.map((s) => s["reward/mean"]), [0.1, 0.1, 0.9, 0.9, 0.9]);
    assert.ok(t.warnings.some((w) => /restarts 1 time/.test(w)));
  });
  test("control characters in foreign text are escaped in messages", () => {
    assert.equal(safeText("a\u001b[2Jb\u0007"), "a\\x1b[2Jb\\x07");
    const t = loadTrace(file("ctl.jsonl", `{"step": 0, "reward/mean": "\\u001b[31mred"}\n{"step": 1, "reward/mean": 0.2}\n`), V);
    assert.ok(t.warnings.some((w) => w.includes("\\u001b[31mred")), t.warnings.join("\n"));
    assert.ok(!t.warnings.some((w) => w.includes("\u001b")));
  });
  test("DuckDB errors name the file and line, not the SQL", () => {
    const e = duckdbError("/x/r.jsonl", "the rollouts", new Error("Invalid Input Error: Malformed JSON in file \"/x/r.jsonl\", at byte 3 in line 7: unexpected character.\n\nLINE 2: SELECT step FROM read_json(...)"));
    assert.match(e.message, /^\/x\/r\.jsonl:7: could not read the rollouts \(Malformed JSON/);
    assert.doesNotMatch(e.message, /SELECT/);
  });
  test("a missing --rollouts file is an input error naming the flag", async () => {
    await assert.rejects(doctorRun(join(FIX, "tinker_metrics.jsonl"), { rollouts: join(tmp, "nope.jsonl") }), (e: Error) => e instanceof TraceInputError && /--rollouts .*nope\.jsonl: no such file/.test(e.message));
  });
});

describe("compare aligns runs by step meaning", () => {
  test("TRL step 1 (the first update) meets rlvr step 0", () => {
    const trl = [1, 2, 3].map((step) => ({ step, "reward/mean": step / 10 }));
    const own = [0, 1, 2].map((step) => ({ step, "reward/mean": (step + 1) / 10 }));
    const c = compareRuns([{ name: "trl", steps: trl, stepBase: 1 }, { name: "own", steps: own, stepBase: 0 }]);
    assert.equal(c.commonSteps, 3);
    assert.equal(c.table[0]["trl mean"], c.table[0]["own mean"]);
  });
});

describe("rlvr traces CLI on bad input (the installed bin)", () => {
  const bin = join(ROOT, "node_modules", ".bin", "rlvr");
  const cli = (...args: string[]) => spawnSync(bin, ["traces", ...args], { encoding: "utf8", cwd: ROOT });
  test("an empty file exits 2 with the reason, never 'no findings'", () => {
    const r = cli("doctor", file("empty2.jsonl", ""), "--no-rollouts");
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /empty file/);
    assert.doesNotMatch(r.stdout, /no findings/);
  });
  test("a missing --rollouts file exits 2 naming it, without DuckDB's SQL", () => {
    const r = cli("doctor", join(FIX, "tinker_metrics.jsonl"), "--rollouts", join(tmp, "missing.jsonl"));
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /--rollouts .*missing\.jsonl: no such file/);
    assert.doesNotMatch(r.stderr, /LINE \d|SELECT/);
  });
  test("a TRL checkpoint directory is read; a NaN loss is CRITICAL and exits 1", () => {
    const r = cli("doctor", join(FIX, "trl-0.14", "trainer_state.json"), "--no-rollouts");
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /\[CRITICAL\] Non-finite grad_norm \/ loss/);
    const d = cli("summary", join(FIX, "trl-1.13", "run"));
    assert.equal(d.status, 0, d.stderr);
    assert.match(d.stdout, /checkpoint-6\/trainer_state\.json +\(trl, 6 steps\)/);
  });
});
