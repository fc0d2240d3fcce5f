import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { diagnose, pointNoise, windowDrop, type Finding } from "../../src/traces/index.js";
import type { TraceStep } from "../../src/schemas/trace.js";
import { createRng } from "../../src/stats/rng.js";

/** A healthy GRPO run as the noise of real ones makes it: B groups of G binary rewards a step, p rising slowly. */
function healthyRun(seed: number, steps: number, o: { B?: number; G?: number; p0?: number; p1?: number } = {}): TraceStep[] {
  const rand = createRng(seed);
  const B = o.B ?? 8;
  const G = o.G ?? 8;
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return Array.from({ length: steps }, (_, step) => {
    const p = (o.p0 ?? 0.3) + ((o.p1 ?? 0.45) - (o.p0 ?? 0.3)) * (step / steps);
    let sum = 0;
    let zero = 0;
    for (let b = 0; b < B; b++) {
      const pb = Math.min(0.98, Math.max(0.02, p + 0.25 * gauss()));
      let c = 0;
      for (let g = 0; g < G; g++) c += rand() < pb ? 1 : 0;
      sum += c;
      if (c === 0 || c === G) zero++;
    }
    const frac = zero / B;
    return {
      step,
      "reward/mean": sum / (B * G),
      frac_reward_zero_std: frac,
      // Gradient ∝ share of groups with variance, with lognormal batch-to-batch noise.
      grad_norm: 0.4 * Math.max(1 - frac, 0.02) * Math.exp(0.35 * gauss()),
      "kl/k3_mean": 0.0005 * step * Math.exp(0.3 * gauss()),
      "kl/max": 0.01 * step * Math.exp(0.3 * gauss()) + 0.005,
      entropy: 1.2 - 0.004 * step + 0.03 * gauss(),
      "completions/mean_length": 180 + 10 * gauss(),
      "completions/max_length": 256,
      "completions/truncated_frac": Math.max(0, 0.02 + 0.01 * gauss()),
      "format/strict_rate": Math.min(1, Math.max(0, 0.8 + 0.08 * gauss())),
      "format/flexible_rate": Math.min(1, Math.max(0, 0.9 + 0.05 * gauss())),
      loss: 0.01 * gauss(),
    };
  });
}

const ids = (f: Finding[]) => f.map((x) => x.id);

describe("detectors stay quiet on noisy healthy runs (seeded, 300 runs)", () => {
  test("no finding at all on 300 healthy runs of 20, 40 and 100 steps with small groups", () => {
    const fired = new Map<string, number>();
    for (let seed = 1; seed <= 100; seed++)
      for (const steps of [20, 40, 100]) for (const f of diagnose({ steps: healthyRun(seed * 7 + steps, steps, { B: 4, G: 4 }) })) fired.set(f.id, (fired.get(f.id) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(fired), {});
  });
  test("a flat, very noisy reward (B=2, G=4) never reads as a collapse", () => {
    for (let seed = 1; seed <= 200; seed++) assert.ok(!ids(diagnose({ steps: healthyRun(seed, 20, { B: 2, G: 4, p0: 0.3, p1: 0.3 }) })).includes("reward_collapse"), `seed ${seed}`);
  });
});

describe("reward collapse: a sustained drop tested against the run's own noise", () => {
  test("rise then fall to a fraction of the peak fires CRITICAL with n, z and the effect size", () => {
    const steps = healthyRun(3, 60, { B: 8, G: 8 }).map((s, i) => ({ ...s, "reward/mean": i < 30 ? 0.3 + i * 0.01 : 0.08 + 0.02 * Math.sin(i) }));
    const f = diagnose({ steps }).find((x) => x.id === "reward_collapse")!;
    assert.ok(f, ids(diagnose({ steps })).join(","));
    assert.equal(f.severity, "critical");
    assert.equal(f.evidence.window_n, 12);
    assert.ok((f.evidence.z as number) >= 4 && (f.evidence.effect_size_d as number) > 2, JSON.stringify(f.evidence));
  });
  test("the same drop over 12 steps of noise as large as the drop does not fire", () => {
    const rand = createRng(9);
    const steps = Array.from({ length: 12 }, (_, step) => ({ step, "reward/mean": (step < 6 ? 0.5 : 0.3) + 0.3 * (rand() - 0.5) }));
    assert.ok(!ids(diagnose({ steps })).includes("reward_collapse"));
  });
  test("pointNoise ignores trend and level shifts; windowDrop's z is the drop over σ·√(2/w)", () => {
    const trend = Array.from({ length: 50 }, (_, i) => i * 0.1);
    assert.ok(pointNoise(trend) < 1e-9);
    const rand = createRng(4);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    const shift = Array.from({ length: 400 }, (_, i) => (i < 200 ? 1 : 0) + i * 0.001 + 0.05 * gauss());
    const sigma = pointNoise(shift);
    assert.ok(Math.abs(sigma - 0.05) < 0.01, `σ̂ = ${sigma} for σ = 0.05 with a trend and a level shift of 20σ`);
    const r = windowDrop(shift, 8)!;
    assert.ok(Math.abs(r.z - r.drop / (r.sigma * Math.sqrt(2 / 8))) < 1e-12);
  });
});

describe("gradient-norm spikes are judged against comparable steps", () => {
  test("steps where a few groups have variance are not spikes over steps where none has", () => {
    // 32 groups; most steps every group is zero-variance (grad ≈ KL term only), some have 3 mixed groups.
    const steps = Array.from({ length: 40 }, (_, step) => {
      const mixed = step % 4 === 0 ? 3 : 0;
      const frac = 1 - mixed / 32;
      return { step, frac_reward_zero_std: frac, grad_norm: mixed ? 0.3 * (mixed / 32) * (1 + 0.1 * Math.sin(step)) : 0.0004, "reward/mean": 0.9 };
    });
    assert.ok(!ids(diagnose({ steps })).includes("grad_norm_spike"), ids(diagnose({ steps })).join(","));
  });
  test("a real spike among comparable steps fires, with the comparable median in the evidence", () => {
    const steps = healthyRun(5, 40).map((s) => (s.step === 25 ? { ...s, grad_norm: 40 } : s));
    const f = diagnose({ steps }).find((x) => x.id === "grad_norm_spike")!;
    assert.ok(f);
    assert.equal(f.evidence.worst_step, 25);
    assert.ok((f.evidence.ratio_to_comparable_median as number) > 10);
  });
});

describe("new detectors and severities", () => {
  test("a NaN loss or grad_norm is CRITICAL; a NaN in another metric is a warning", () => {
    const steps = healthyRun(1, 10);
    const crit = diagnose({ steps, nonFinite: [{ step: 4, metric: "loss", value: "NaN", line: 5 }] });
    assert.equal(crit.find((f) => f.id === "non_finite")!.severity, "critical");
    const warn = diagnose({ steps, nonFinite: [{ step: 4, metric: "kl/k3_mean", value: "Infinity", line: 5 }] });
    assert.equal(warn.find((f) => f.id === "non_finite")!.severity, "warning");
  });
  test("completion length pinned at the cap fires even without a truncated fraction", () => {
    const steps = Array.from({ length: 10 }, (_, step) => ({ step, "completions/mean_length": 1020 + (step % 3), "completions/max_length": 1024, "reward/mean": 0.1 }));
    const f = diagnose({ steps }).find((x) => x.id === "length_pinned")!;
    assert.ok(f);
    assert.equal(f.evidence.cap_tokens, 1024);
    assert.ok(!ids(diagnose({ steps: steps.map((s) => ({ ...s, "completions/mean_length": 600 })) })).includes("length_pinned"));
  });
  test("a restart is a warning finding with the line it starts at", () => {
    const f = diagnose({ steps: healthyRun(2, 10), segments: [{ firstLine: 1, lastLine: 8, firstStep: 0, lastStep: 7, records: 8 }, { firstLine: 9, lastLine: 12, firstStep: 5, lastStep: 9, records: 5 }] }).find((x) => x.id === "run_restarted")!;
    assert.equal(f.severity, "warning");
    assert.equal(f.evidence.restarts_at_lines, "9");
    assert.equal(f.evidence.steps_logged_again, "5–7");
  });
  test("zero-variance groups: CRITICAL only when every group of every step has zero variance", () => {
    const mk = (v: number) => Array.from({ length: 6 }, (_, step) => ({ step, frac_reward_zero_std: v }));
    assert.equal(diagnose({ steps: mk(1) }).find((f) => f.id === "zero_variance_groups")!.severity, "critical");
    assert.equal(diagnose({ steps: mk(0.7) }).find((f) => f.id === "zero_variance_groups")!.severity, "warning");
  });
  test("TRL's mean |Δ| at a steady engine-precision level is healthy; a start far above its later level is a KL-spike warning", () => {
    const steady = Array.from({ length: 20 }, (_, step) => ({ step, "logprob_diff/abs_mean": 0.02 + 0.002 * Math.sin(step) }));
    assert.deepEqual(ids(diagnose({ steps: steady })), []);
    const spike = steady.map((s) => (s.step < 2 ? { ...s, "logprob_diff/abs_mean": 0.4 } : s));
    const f = diagnose({ steps: spike }).find((x) => x.id === "kl_spike_early")!;
    assert.equal(f.severity, "warning");
  });
});

describe("first_update_jump: no warmup, and the first update already far from the start", () => {
  const run = (lr: (s: number) => number, kl1: number): TraceStep[] =>
    Array.from({ length: 10 }, (_, step) => ({ step, lr: lr(step), "kl/k3_mean": step === 0 ? 0 : step === 1 ? kl1 : 0.02 + 0.002 * step }));
  const ids = (steps: TraceStep[]) => diagnose({ steps }).map((f) => f.id);

  test("fires when lr is at its peak on the first step and KL after one update exceeds firstUpdateKl", () => {
    const f = diagnose({ steps: run(() => 3e-3, 0.09) }).find((x) => x.id === "first_update_jump");
    assert.ok(f);
    assert.deepEqual(f!.steps, [0, 1]);
    assert.equal(f!.evidence.kl_after_first_update, 0.09);
    assert.equal(f!.evidence.first_lr, f!.evidence.peak_lr);
  });
  test("is silent with a warmup, with a small first step, at the threshold, or without an lr or KL column", () => {
    assert.ok(!ids(run((s) => 3e-3 * Math.min(1, (s + 1) / 4), 0.09)).includes("first_update_jump"));
    assert.ok(!ids(run(() => 3e-3, 0.001)).includes("first_update_jump"));
    assert.ok(!ids(run(() => 3e-3, 0.01)).includes("first_update_jump")); // > threshold, not ≥
    assert.ok(!ids(run(() => 3e-3, 0.09).map(({ lr: _lr, ...s }) => s)).includes("first_update_jump"));
    assert.ok(!ids(run(() => 3e-3, 0.09).map((s) => ({ step: s.step, lr: s.lr }))).includes("first_update_jump"));
    assert.ok(!ids(run(() => 3e-3, 0.09).slice(0, 1)).includes("first_update_jump"));
  });
  test("reads kl/k1_mean when k3 is not logged, and ignores a decaying schedule that starts at its peak only when KL stays small", () => {
    const k1 = run(() => 1e-3, 0.05).map((s) => ({ step: s.step, lr: s.lr, "kl/k1_mean": s["kl/k3_mean"] }));
    assert.ok(ids(k1).includes("first_update_jump"));
    assert.ok(!ids(run((s) => 1e-3 * (1 - s / 10), 0.002)).includes("first_update_jump"));
  });
});

describe("identical_completions needs the repetition on many steps", () => {
  test("one step of 20 with a quarter of the groups identical is chance (a confident short-answer policy), four steps are not", () => {
    const steps = Array.from({ length: 20 }, (_, step) => ({ step, entropy: 0.45 }));
    const one = steps.map((s) => ({ step: s.step, frac_identical_groups: s.step === 7 ? 0.25 : 0 }));
    assert.ok(!diagnose({ steps, identical: one }).some((f) => f.id === "identical_completions"));
    const four = steps.map((s) => ({ step: s.step, frac_identical_groups: s.step % 5 === 0 ? 0.25 : 0 }));
    assert.ok(diagnose({ steps, identical: four }).some((f) => f.id === "identical_completions"));
  });
});
