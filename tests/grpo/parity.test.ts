/**
 * Option-for-option parity with TRL 1.13's GRPOTrainer: sample vs population std, scale_rewards "batch",
 * and the token-mean entropy bonus (`entropyAggregation: "token_mean"`). Each option is checked against a
 * plain-number reference written here, and — where the peers venv has torch + trl — against TRL's own
 * advantage code and `_compute_loss` on the same numbers (tests/grpo/trl_peer.py).
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { computeAdvantages } from "../../src/grpo/advantages.js";
import { grpoLoss } from "../../src/grpo/loss.js";
import { grpoLossReference, type LossInputs, type LossOptions } from "../../src/grpo/lossReference.js";
import { parseTrainConfig } from "../../src/grpo/config.js";
import { initBackend } from "../../src/policy/backend.js";
import { PEER_PYTHON, peerSkip } from "../helpers/peers.js";

before(async () => {
  await initBackend();
});

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

// Three groups of G = 4: mixed, mixed, and one with a fractional reward.
const rewards = [1, 0, 0, 1, 1, 1, 1, 0, 0.5, 0, 0, 0];
const G = 4;

/** Plain reference: r − group mean over (std + 1e-4), std over the group or the whole batch, ÷n or ÷(n−1). */
function referenceAdvantages(r: number[], g: number, scale: "group" | "batch", kind: "population" | "sample"): number[] {
  const std = (xs: number[]) => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (kind === "sample" ? xs.length - 1 : xs.length));
  };
  return r.map((x, i) => {
    const group = r.slice(i - (i % g), i - (i % g) + g);
    const m = group.reduce((a, b) => a + b, 0) / g;
    return (x - m) / ((scale === "batch" ? std(r) : std(group)) + 1e-4);
  });
}

test("advantages with sample or population std, group or batch scale, match the plain reference", () => {
  for (const scale of ["group", "batch"] as const)
    for (const stdKind of ["population", "sample"] as const) {
      const got = computeAdvantages(rewards, G, { stdKind, scale });
      referenceAdvantages(rewards, G, scale, stdKind).forEach((w, i) => close(got[i], w, 1e-12, `${scale}/${stdKind}[${i}]`));
    }
  // Hand value: group [1,0,0,1] has sample std √(1/3) → A = 0.5/(0.57735 + 1e-4).
  close(computeAdvantages(rewards, G, { stdKind: "sample" })[0], 0.5 / (Math.sqrt(1 / 3) + 1e-4), 1e-12, "hand");
});

test("batch scaling keeps all-equal groups at exactly 0 and still centres each group on its own mean", () => {
  const r = [1, 1, 1, 1, 0, 1, 0, 1];
  const A = computeAdvantages(r, 4, { scale: "batch" });
  assert.deepEqual(Array.from(A.slice(0, 4)), [0, 0, 0, 0]);
  close(A[5] + A[4], 0, 1e-15, "group mean is the baseline");
});

test("scaleRewards batch is rejected for estimators without a std, naming the field", () => {
  assert.throws(() => parseTrainConfig({ advantage: "dr_grpo", scaleRewards: "batch" }), /scaleRewards "batch"/);
  assert.equal(parseTrainConfig({}).entropyAggregation, "loss");
  assert.equal(parseTrainConfig({}).scaleRewards, "group");
});

const lossInputs: LossInputs & { entropy: number[][] } = {
  logprobs: [
    [-1, -2, -0.5],
    [-0.3, -1.2, -3],
    [-0.7, -0.1, -2.2],
  ],
  oldLogprobs: [
    [-1.1, -1.5, -0.5],
    [-0.3, -1.0, -2],
    [-0.9, -0.1, -2.0],
  ],
  entropy: [
    [1, 2, 0.5],
    [0.3, 1.5, 2],
    [0.9, 0.4, 1.1],
  ],
  mask: [
    [1, 1, 0],
    [1, 1, 1],
    [1, 0, 0],
  ],
  advantages: [0.7, -1.2, 0.4],
};
const opts = (aggregation: LossOptions["aggregation"], entropyAggregation: "loss" | "token_mean"): LossOptions => ({
  epsLow: 0.2,
  epsHigh: 0.28,
  beta: 0,
  klEstimator: "k3",
  klIn: "loss",
  entropyCoef: 0.1,
  aggregation,
  maxTokens: 4,
  entropyAggregation,
});

test("token_mean entropy = policy loss aggregated alone − c_H × token-mean entropy, for every aggregation", () => {
  const meanH = (1 + 2 + 0.3 + 1.5 + 2 + 0.9) / 6;
  for (const agg of ["grpo", "dapo", "dr_grpo", "bnpo"] as const) {
    const policyOnly = grpoLossReference(lossInputs, { ...opts(agg, "loss"), entropyCoef: 0 }).loss;
    const got = grpoLossReference(lossInputs, opts(agg, "token_mean")).loss;
    close(got, policyOnly - 0.1 * meanH, 1e-12, agg);
    const t = {
      logprobs: tf.tensor2d(lossInputs.logprobs as number[][]),
      oldLogprobs: tf.tensor2d(lossInputs.oldLogprobs as number[][]),
      entropy: tf.tensor2d(lossInputs.entropy),
      mask: tf.tensor2d(lossInputs.mask as number[][]),
      advantages: tf.tensor1d(lossInputs.advantages as number[]),
    };
    close(tf.tidy(() => grpoLoss(t, opts(agg, "token_mean")).dataSync()[0]), got, 1e-5, `tfjs ${agg}`);
    tf.dispose(Object.values(t));
  }
  // "loss" aggregates the bonus like the loss: for grpo that is a per-sequence mean, not the token mean.
  const perSeq = [1.5, (0.3 + 1.5 + 2) / 3, 0.9].reduce((a, b) => a + b, 0) / 3;
  const policyOnly = grpoLossReference(lossInputs, { ...opts("grpo", "loss"), entropyCoef: 0 }).loss;
  close(grpoLossReference(lossInputs, opts("grpo", "loss")).loss, policyOnly - 0.1 * perSeq, 1e-12, "grpo/loss");
});

test("with K micro-batches the token-mean bonus is each micro-batch's token mean over K (TRL accumulation)", () => {
  const o = opts("dapo", "token_mean");
  const policyOnly = grpoLossReference(lossInputs, { ...o, entropyCoef: 0 }, 2).loss;
  const mb1 = (1 + 2 + 0.3 + 1.5 + 2) / 5; // rows 0–1
  const mb2 = 0.9; // row 2
  close(grpoLossReference(lossInputs, o, 2).loss, policyOnly - 0.1 * ((mb1 + mb2) / 2), 1e-12, "K = 2");
});

test("statistics over loss tokens are null, not 0, when every token is masked", () => {
  const s = grpoLossReference({ ...lossInputs, refLogprobs: lossInputs.logprobs, mask: lossInputs.mask.map((r) => Array.from(r, () => 0)) }, opts("dapo", "loss"));
  assert.equal(s.tokens, 0);
  for (const k of ["clipLow", "clipHigh", "k1Mean", "k3Mean", "klMax", "entropyMean"] as const) assert.equal(s[k], null, k);
});

const skip = peerSkip(["torch", "trl"]);
test("TRL 1.13's own advantage code and _compute_loss agree with ours on the same numbers", { skip }, () => {
  const script = fileURLToPath(new URL("./trl_peer.py", import.meta.url));
  const input = { rewards, G, loss: { ...lossInputs, maxTokens: 4, entropyCoef: 0.1 } };
  const r = spawnSync(PEER_PYTHON!, [script], { input: JSON.stringify(input), encoding: "utf8", timeout: 300_000 });
  assert.equal(r.status, 0, r.stderr);
  const trl = JSON.parse(r.stdout) as { trl_version: string; adv_group: number[]; adv_batch: number[]; loss: Record<string, number> };
  assert.match(trl.trl_version, /^1\.13\./, "fixture written from TRL 1.13 source");
  const ours = (scale: "group" | "batch") => computeAdvantages(rewards, G, { stdKind: "sample", scale });
  // 1e-7: TRL's nanstd computes its Bessel factor count/(count − 1) from integer tensors, in float32.
  trl.adv_group.forEach((w, i) => close(ours("group")[i], w, 1e-7, `group[${i}]`));
  trl.adv_batch.forEach((w, i) => close(ours("batch")[i], w, 1e-7, `batch[${i}]`));
  // And the population std (our default) really differs from TRL's default, by √(G/(G−1)) on the std.
  assert.ok(Math.abs(computeAdvantages(rewards, G)[0] - trl.adv_group[0]) > 0.1);
  for (const agg of ["grpo", "dapo", "dr_grpo", "bnpo"] as const)
    close(grpoLossReference(lossInputs, opts(agg, "token_mean")).loss, trl.loss[agg], 1e-9, `loss ${agg}`);
});
