import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/policy/backend.js";
import { GPT } from "../../src/policy/gpt.js";
import { parseTrainConfig } from "../../src/grpo/config.js";
import { selectGroups, trainGRPO } from "../../src/grpo/trainer.js";
import { collectGroups } from "../../src/grpo/rollouts.js";
import type { TaskSpec } from "../../src/grpo/task.js";
import type { Problem } from "../../src/schemas/problem.js";
import { METRIC_NAMES } from "../../src/schemas/metrics.js";
import { ALPHABET, problems, toyTask } from "../helpers/toyTask.js";

before(async () => {
  await initBackend();
});

const tiny = () => new GPT({ alphabet: ALPHABET, blockSize: 24, nLayer: 1, nHead: 2, nEmbd: 16 }, 7);

test("one GRPO step gives a finite loss and changes every trainable parameter", async () => {
  const policy = tiny();
  const before = policy.trainableVariables().map((v) => v.dataSync().slice());
  const c = parseTrainConfig({ steps: 1, promptsPerStep: 4, groupSize: 8, maxTokens: 6, warmupSteps: 0, lr: 1e-2, beta: 0.1, entropyCoef: 0.01 });
  const [trace] = await trainGRPO(policy, toyTask, problems, c);
  assert.ok(Number.isFinite(trace.loss), `loss ${trace.loss}`);
  assert.ok(trace.grad_norm! > 0);
  policy.trainableVariables().forEach((v, i) => {
    const after = v.dataSync();
    assert.ok(after.some((x, j) => x !== before[i][j]), `parameter ${v.name} did not change`);
  });
  policy.dispose();
});

test("trace lines carry exactly the metric vocabulary plus step and seconds", async () => {
  const policy = tiny();
  const c = parseTrainConfig({ steps: 2, promptsPerStep: 2, groupSize: 4, maxTokens: 4, warmupSteps: 1, innerUpdates: 2, microBatches: 2 });
  const traces = await trainGRPO(policy, toyTask, problems, c);
  const expected = [...METRIC_NAMES.filter((m) => m !== "pass@k"), "step", "seconds"].sort();
  for (const t of traces) {
    assert.deepEqual(Object.keys(t).sort(), expected);
    for (const [k, v] of Object.entries(t)) assert.ok(v === null || Number.isFinite(v), `${k} = ${v}`);
  }
  assert.equal(traces[0].lr, c.lr / 1); // warmup of 1 update reaches lr at update 0
  policy.dispose();
});

test("tf.memory().numTensors stays flat across GRPO steps", async () => {
  const policy = tiny();
  const counts: number[] = [];
  const c = parseTrainConfig({ steps: 4, promptsPerStep: 2, groupSize: 4, maxTokens: 5, warmupSteps: 0, innerUpdates: 2, microBatches: 2, beta: 0.05, klIn: "reward" });
  await trainGRPO(policy, toyTask, problems, c, { onStep: () => void counts.push(tf.memory().numTensors) });
  assert.equal(counts.length, 4);
  assert.ok(counts.slice(1).every((n) => n === counts[1]), `numTensors per step: ${counts}`);
  policy.dispose();
});

test("GRPO raises the reward of the toy task", async () => {
  const policy = tiny();
  const c = parseTrainConfig({ steps: 12, promptsPerStep: 4, groupSize: 8, maxTokens: 3, warmupSteps: 0, lr: 2e-2, klMetrics: false });
  const traces = await trainGRPO(policy, toyTask, problems, c);
  const first = traces.slice(0, 3).reduce((s, t) => s + t["reward/mean"]!, 0) / 3;
  const last = traces.slice(-3).reduce((s, t) => s + t["reward/mean"]!, 0) / 3;
  assert.ok(last > first + 0.2, `reward ${first.toFixed(2)} → ${last.toFixed(2)}`);
  assert.equal(traces[0]["kl/k3_mean"], null, "no reference policy → KL is null, not 0");
  policy.dispose();
});

test("sampler and trainer log-probs agree on every completion token (batch layout is aligned)", async () => {
  const policy = tiny();
  const c = parseTrainConfig({ steps: 1, promptsPerStep: 3, groupSize: 4, maxTokens: 6, warmupSteps: 0, temperature: 0.7 });
  const [t] = await trainGRPO(policy, toyTask, problems, c);
  assert.ok(t["logprob_diff/max"]! < 1e-3, `logprob_diff/max ${t["logprob_diff/max"]}`);
  policy.dispose();
});

test("rollout seeds depend on problem id, step and sample index, not on the rest of the batch", () => {
  const policy = tiny();
  const o = { seed: 5, step: 3, groupSize: 4, maxTokens: 5, temperature: 1, topP: 1, topK: 0, resampleTries: 0 };
  const both = collectGroups(policy, toyTask, [problems[0], problems[1]], o);
  const alone = collectGroups(policy, toyTask, [problems[1]], o);
  assert.deepEqual(alone[0].rollouts.map((r) => r.result.ids), both[1].rollouts.map((r) => r.result.ids));
  const nextStep = collectGroups(policy, toyTask, [problems[1]], { ...o, step: 4 });
  assert.notDeepEqual(nextStep[0].rollouts.map((r) => r.result.ids), alone[0].rollouts.map((r) => r.result.ids));
  policy.dispose();
});

test("adaptive resampling re-draws all-equal groups with the next sample indices", () => {
  const policy = tiny();
  const G = 2;
  const o = { seed: 1, step: 0, groupSize: G, maxTokens: 3, temperature: 1, topP: 1, topK: 0, resampleTries: 3 };
  const groups = collectGroups(policy, toyTask, problems, o);
  const resampled = groups.filter((g) => g.initiallyZeroStd);
  assert.ok(resampled.length > 0, "some group of 2 starts with equal rewards");
  for (const g of groups) {
    const rewards = g.rollouts.map((r) => r.reward);
    const equal = rewards.every((r) => r === rewards[0]);
    if (!g.initiallyZeroStd) assert.equal(g.tries, 1);
    else assert.ok(g.tries > 1 && (!equal || g.tries === o.resampleTries + 1));
    assert.deepEqual(g.rollouts.map((r) => r.sampleIndex), [0, 1].map((j) => (g.tries - 1) * G + j));
  }
  policy.dispose();
});

test("dynamic sampling keeps B groups: mixed rewards first, then all-equal ones, in draw order", () => {
  const g = (id: string, rewards: number[]) => ({ id, rollouts: rewards.map((reward) => ({ reward })) });
  const drawn = [g("a", [0, 0]), g("b", [1, 0]), g("c", [1, 1]), g("d", [0, 1]), g("e", [1, 0])];
  assert.deepEqual(selectGroups(drawn, 2).map((x) => x.id), ["b", "d"]);
  assert.deepEqual(selectGroups(drawn, 4).map((x) => x.id), ["a", "b", "d", "e"]);
  assert.deepEqual(selectGroups(drawn, 5), drawn, "B = drawn groups is the identity");
  const allEqual = [g("x", [0, 0]), g("y", [1, 1]), g("z", [0, 0])];
  assert.deepEqual(selectGroups(allEqual, 2).map((x) => x.id), ["x", "y"], "too few mixed groups: filled with all-equal ones");
});

test("over-provisioned steps train on B groups but log statistics of every sampled completion", async () => {
  const policy = tiny();
  const c = parseTrainConfig({ steps: 2, promptsPerStep: 2, oversamplePrompts: 3, groupSize: 4, maxTokens: 4, warmupSteps: 0, klMetrics: false });
  const rolloutRows: { step: number; problem_id: string }[] = [];
  const traces = await trainGRPO(policy, toyTask, problems, c, {
    rollouts: { write: (r: unknown) => rolloutRows.push(r as { step: number; problem_id: string }), flush: () => {} } as never,
  });
  assert.equal(traces.length, 2);
  for (const step of [0, 1]) assert.equal(rolloutRows.filter((r) => r.step === step).length, 2 * 4, "rollouts.jsonl holds the B·G trained completions");
  for (const t of traces) {
    // frac_reward_zero_std is over the 5 sampled groups: a multiple of 1/5.
    assert.ok(Math.abs(t.frac_reward_zero_std! * 5 - Math.round(t.frac_reward_zero_std! * 5)) < 1e-9, `${t.frac_reward_zero_std}`);
  }
  policy.dispose();
});

test("evaluation uses common random numbers: same policy and seed → identical per-problem counts", async () => {
  const { evaluatePolicy } = await import("../../src/grpo/evaluate.js");
  const policy = tiny();
  const o = { n: 4, ks: [1, 4], temperature: 1, maxTokens: 3, seed: 9, resamples: 200 };
  const a = evaluatePolicy(policy, toyTask, problems, o);
  const b = evaluatePolicy(policy, toyTask, problems, o);
  assert.deepEqual(a.perProblem, b.perProblem);
  const correct = a.perProblem.reduce((s, x) => s + x.c, 0);
  assert.ok(Math.abs(a["pass@1"].estimate - correct / (4 * problems.length)) < 1e-12);
  assert.ok(a["pass@1"].ci95[0] <= a["pass@1"].estimate && a["pass@1"].estimate <= a["pass@1"].ci95[1]);
  assert.ok(a["pass@k"]["4"].estimate >= a["pass@1"].estimate);
  policy.dispose();
});

test("LoRA + SFT warm start + filterZeroStd + maskTruncated + sampler old log-probs train together at trainer level", async () => {
  const policy = tiny();
  const nameOf = new Map([...policy.params].map(([n, v]) => [v, n] as const));
  const names = () => policy.trainableVariables().map((v) => nameOf.get(v) ?? [...policy.params].find(([, w]) => w === v)![0]);
  const fullNames = names();
  const before = policy.trainableVariables().map((v) => v.dataSync().slice());
  const c = parseTrainConfig({
    steps: 3, promptsPerStep: 3, groupSize: 4, maxTokens: 4, warmupSteps: 0, lr: 1e-2,
    lora: { rank: 2, alpha: 4, targets: ["attn.qkv", "head"] },
    sftSteps: 2, sftBatch: 4, logEvery: 1,
    filterZeroStd: true, maskTruncated: true, oldLogprobs: "sampler", beta: 0.05,
    scaleRewards: "batch", stdKind: "sample", entropyCoef: 0.01, entropyAggregation: "token_mean",
  });
  const logs: string[] = [];
  const during: { lora: unknown; trainable: string[] }[] = [];
  const traces = await trainGRPO(policy, toyTask, problems, c, {
    log: (l) => logs.push(l),
    onStep: () => void during.push({ lora: policy.loraConfig, trainable: names() }),
  });
  assert.equal(traces.length, 3);
  assert.equal(logs.filter((l) => /^sft \d\/2 loss \d/.test(l)).length, 2, "the SFT warm start ran its 2 steps");
  for (const d of during) {
    assert.deepEqual(d.lora, { rank: 2, alpha: 4, targets: ["attn.qkv", "head"] });
    assert.ok(d.trainable.length > 0 && d.trainable.every((n) => /\.lora[AB]$/.test(n)), `GRPO trains only adapters: ${d.trainable}`);
  }
  assert.equal(policy.loraConfig, null, "adapters are merged when training ends");
  assert.deepEqual(names(), fullNames);
  assert.ok(policy.trainableVariables().some((v, i) => v.dataSync().some((x, j) => x !== before[i][j])));
  for (const t of traces) {
    assert.ok(Number.isFinite(t.loss));
    // Sampler old log-probs: ρ is measured against the sampler, so the logprob gap is recorded per token.
    assert.ok(t["logprob_diff/max"] !== null);
    // Loss-token statistics are numbers when tokens remain and null when every row was masked.
    const allMasked = t["completions/truncated_frac"] === 1;
    for (const k of ["entropy", "clip_ratio/low", "kl/k3_mean"] as const)
      assert.ok(allMasked ? t[k] === null : Number.isFinite(t[k]), `${k} = ${t[k]} (truncated ${t["completions/truncated_frac"]})`);
  }
  policy.dispose();
});

test("a step whose every completion is truncated and masked writes null loss-token statistics, not 0", async () => {
  const policy = tiny();
  // maxTokens 1 with a policy that never ends in one token: every completion hits the budget.
  const c = parseTrainConfig({ steps: 1, promptsPerStep: 2, groupSize: 2, maxTokens: 1, warmupSteps: 0, maskTruncated: true });
  const [t] = await trainGRPO(policy, toyTask, problems, c);
  if (t["completions/truncated_frac"] === 1) {
    for (const k of ["entropy", "clip_ratio/low", "clip_ratio/high", "kl/k1_mean", "kl/k3_mean", "kl/max"] as const) assert.equal(t[k], null, k);
  } else assert.ok(Number.isFinite(t.entropy), "some completion ended: entropy measured");
  policy.dispose();
});

test("shared-prefix scoring trains exactly like the unshared path: same losses, KL, grad norms and weights over 3 steps", async () => {
  const { setPrefixSharing } = await import("../../src/policy/prefix.js");
  // Prompts of 3 lengths (so groups have unequal prompt lengths), β > 0 (π_ref pass), μ = 2 (π_θ_old pass), 2 micro-batches.
  const c = parseTrainConfig({ steps: 3, promptsPerStep: 4, groupSize: 4, maxTokens: 6, warmupSteps: 0, lr: 1e-2, beta: 0.05, innerUpdates: 2, microBatches: 2, entropyCoef: 0.01 });
  const run = async (mode: "on" | "off") => {
    setPrefixSharing(mode);
    try {
      const policy = tiny();
      const traces = await trainGRPO(policy, toyTask, problems, c);
      const weights = policy.trainableVariables().map((v) => Array.from(v.dataSync()));
      policy.dispose();
      return { traces, weights };
    } finally {
      setPrefixSharing("on");
    }
  };
  const shared = await run("on");
  const plain = await run("off");
  shared.traces.forEach((t, s) => {
    for (const k of ["loss", "grad_norm", "kl/k3_mean", "entropy", "reward/mean"] as const) {
      const a = t[k] as number;
      const b = plain.traces[s][k] as number;
      assert.ok(Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b)), `step ${s} ${k}: ${a} vs ${b}`);
    }
  });
  let d = 0;
  shared.weights.forEach((w, i) => w.forEach((x, j) => (d = Math.max(d, Math.abs(x - plain.weights[i][j])))));
  assert.ok(d < 1e-4, `weights differ by ${d}`);
});
