/**
 * GRPO on the tiny tfjs policy — the whole algorithm, top to bottom.
 *
 * Objective (DeepSeekMath eq. 3, with DAPO's clip-higher and a choice of aggregation): for prompts q and a
 * group of G completions {o_i} ~ π_θ_old(·|q) with rewards r_i from a verifier,
 *
 *   J(θ) = E[ agg_{i,t} ( min(ρ_{i,t} Â_i, clip(ρ_{i,t}, 1−ε_low, 1+ε_high) Â_i) − β·D_KL[π_θ ‖ π_ref]_{i,t}
 *                          + c_H·H_{i,t} ) ],        ρ_{i,t} = π_θ(o_{i,t}|q,o_{i,<t}) / π_θ_old(o_{i,t}|q,o_{i,<t})
 *
 * with Â_i the group-relative advantage (advantages.ts), D_KL a per-token estimator (kl.ts), agg the
 * aggregation (aggregate.ts); the loss minimised is −J (loss.ts, lossReference.ts).
 *
 * Departures from the paper (DeepSeekMath, Shao et al. 2024):
 *  1. Clip-higher: separate ε_low / ε_high (DAPO) — the paper has one ε.
 *  2. Aggregation is a knob; the default is DAPO's token mean over the batch, not the paper's
 *     per-sequence mean (which down-weights tokens of long completions).
 *  3. The KL term is optional (β = 0 by default, as in DAPO/Dr. GRPO) and may go into the reward instead
 *     of the loss; KL vs the frozen start policy is still measured every step (`kl/*`).
 *  4. With μ = 1 and oldLogprobs "trainer", π_θ_old is the current policy's own forward pass with its
 *     value taken as a constant (tfjs has no stop_gradient), so ρ = 1 and the clip never fires; no extra
 *     forward pass is spent on it.
 *  5. Completions truncated at max_tokens are masked out of the loss by default (DAPO "overlong
 *     filtering"): a truncated answer is scored 0 for reasons unrelated to its reasoning.
 *  6. Optional zero-std group filtering, adaptive resampling, and DAPO dynamic sampling with over-provisioning.
 *  7. Adam ε = 1e-5 (not PyTorch's 1e-8) and linear warmup then linear decay (see config.ts); gradients
 *     clipped to a global norm.
 *  8. Optional supervised warm-start steps on reference solutions before RL, and optional LoRA adapters
 *     (merged into the weights at the end).
 *
 * Speed without changing the arithmetic: all groups of a step are sampled in one decode batch
 * (`sampleGroups`, per-group seeds), and every scoring pass (update, π_ref, π_θ_old) computes each prompt's
 * prefix once per group and only up to the longest completion (policy/prefix.ts; equal to the unshared
 * pass up to float rounding, tested). With β = 0, klMetrics off, μ = 1 and oldLogprobs "trainer" a step
 * runs exactly one scoring pass: the update's own.
 *
 * Shapes: B prompts × G completions = N rows; L = longest prompt+completion; T = L − 1 logprob positions.
 */
import * as tf from "@tensorflow/tfjs";
import type { GPT } from "../policy/gpt.js";
import { sftStep } from "../policy/sft.js";
import { groupedTokenLogprobs, rowGroups, type RowGroup } from "../policy/prefix.js";
import type { Problem } from "../schemas/problem.js";
import type { TraceStep } from "../schemas/trace.js";
import type { JsonlAppender } from "../schemas/jsonl.js";
import { createRng, hashSeed } from "../stats/rng.js";
import { Adam } from "./adam.js";
import { computeAdvantages, fracZeroStd, isZeroStdGroup } from "./advantages.js";
import { microBatchRanges } from "./aggregate.js";
import { buildBatch, completionValues } from "./batch.js";
import { learningRate, type TrainConfig } from "./config.js";
import { klPenalizedRewards } from "./kl.js";
import { grpoLoss } from "./loss.js";
import { grpoLossReference, type LossOptions, type LossStats } from "./lossReference.js";
import { collectGroups } from "./rollouts.js";
import type { TaskSpec } from "./task.js";
import { stepTrace } from "./traceStep.js";
import { formatSeconds } from "../schemas/text.js";

export interface TrainIO {
  /** trace.jsonl: one TraceStep per optimizer step. */
  trace?: JsonlAppender;
  /** rollouts.jsonl: one RolloutRecord per completion. */
  rollouts?: JsonlAppender;
  log?: (line: string) => void;
  /**
   * Called after every step (tests watch tf.memory() here; notebooks redraw live plots). Awaited: return a
   * promise (e.g. one that resolves on `setImmediate`) to let the event loop send display updates and
   * receive interrupts between steps.
   */
  onStep?: (trace: TraceStep) => void | Promise<void>;
}

/**
 * log π(token_{t+1} | tokens_≤t) and entropies as plain arrays, no gradient. [N, T] each. With `groups`
 * (rows sharing a prompt), each prompt's prefix is computed once per group (policy/prefix.ts); values
 * before a row's completion, and `span` or more positions into it, are then 0 (the loss masks them).
 */
export function logprobsOf(model: GPT, tokens: number[][], temperature: number, groups?: readonly RowGroup[], span?: number): { logprobs: number[][]; entropy: number[][] } {
  return tf.tidy(() => {
    const { logprobs, entropy } = groups
      ? groupedTokenLogprobs(model, tokens, groups, { temperature, span })
      : model.tokenLogprobs(tf.tensor2d(tokens, undefined, "int32"), { temperature });
    return { logprobs: logprobs.arraySync(), entropy: entropy.arraySync() };
  });
}

/** The row groups of rows [a, b) of a batch: each group clipped to the range (prefix sharing needs equal sizes). */
export function groupsInRange(groups: readonly RowGroup[], a: number, b: number): RowGroup[] {
  return groups
    .map((g) => ({ start: Math.max(g.start, a), end: Math.min(g.start + g.size, b), promptLen: g.promptLen }))
    .filter((g) => g.end > g.start)
    .map((g) => ({ start: g.start - a, size: g.end - g.start, promptLen: g.promptLen }));
}

/** Supervised warm-start: `c.sftSteps` Adam steps on (prompt, reference solution) pairs. */
export function sftWarmStart(policy: GPT, task: TaskSpec, problems: Problem[], c: TrainConfig, log?: (s: string) => void): number[] {
  if (!task.solution) throw new Error(`task ${task.name} has no reference solutions; set sftSteps to 0`);
  const tok = policy.tokenizer;
  const opt = tf.train.adam(c.sftLr, c.adamBeta1, c.adamBeta2, c.adamEps);
  const rng = createRng(hashSeed(c.seed, "sft"));
  const losses: number[] = [];
  for (let s = 0; s < c.sftSteps; s++) {
    const picks = Array.from({ length: c.sftBatch }, () => problems[Math.floor(rng() * problems.length)]);
    const prompts = picks.map((p) => tok.encodePrompt(task.prompt(p)));
    const sequences = picks.map((p, i) => [...prompts[i], ...tok.encode(task.solution!(p)), tok.eosId]);
    losses.push(sftStep(policy, opt, { sequences, promptLens: prompts.map((p) => p.length) }));
    if (log && c.logEvery && (s + 1) % c.logEvery === 0) log(`sft ${s + 1}/${c.sftSteps} loss ${losses[s].toFixed(4)}`);
  }
  opt.dispose();
  return losses;
}

/**
 * Dynamic sampling's choice of the B groups to train on: groups with mixed rewards first, then all-equal
 * groups, each in draw order. With exactly B groups sampled this is the identity.
 */
export function selectGroups<T extends { rollouts: { reward: number }[] }>(groups: T[], B: number): T[] {
  if (groups.length <= B) return groups;
  const mixed = groups.filter((g) => !isZeroStdGroup(g.rollouts.map((o) => o.reward)));
  const equal = groups.filter((g) => isZeroStdGroup(g.rollouts.map((o) => o.reward)));
  const chosen = new Set([...mixed, ...equal].slice(0, B));
  return groups.filter((g) => chosen.has(g)); // draw order, so logs read like the prompts were drawn
}

export async function trainGRPO(policy: GPT, task: TaskSpec, problems: Problem[], c: TrainConfig, io: TrainIO = {}): Promise<TraceStep[]> {
  if (problems.length === 0) throw new Error("trainGRPO: no training problems");
  if (c.sftSteps > 0) sftWarmStart(policy, task, problems, c, io.log);
  const πref = c.beta > 0 || c.klMetrics ? policy.copy() : null; // frozen start policy (after SFT, before LoRA)
  if (c.lora) policy.addLoRA(c.lora.rank, c.lora.alpha ?? c.lora.rank, c.lora.targets, hashSeed(c.seed, "lora"));
  const θ = policy.trainableVariables();
  const optimizer = new Adam(θ, { beta1: c.adamBeta1, beta2: c.adamBeta2, eps: c.adamEps });
  const lossOptions: LossOptions = c; // ε_low, ε_high, β, k, klIn, c_H, aggregation, max_tokens
  const { groupSize: G, innerUpdates: μ } = c;
  const τ = c.trainerTemperature ?? c.temperature; // the trainer's temperature (≠ sampling only to reproduce the mismatch)
  const U = c.steps * μ; // optimizer updates in the run
  const promptRng = createRng(hashSeed(c.seed, "prompts"));
  const traces: TraceStep[] = [];
  let trainSeconds = 0;
  try {
    for (let step = 0; step < c.steps; step++) {
      const t0 = performance.now();
      // 1. B (+ oversamplePrompts) prompts, drawn with replacement from the train split.
      const q = Array.from({ length: c.promptsPerStep + c.oversamplePrompts }, () => problems[Math.floor(promptRng() * problems.length)]);
      // 2. G completions per prompt from π_θ_old = the current policy, scored by the verifier; with
      //    over-provisioning, keep B groups, mixed-reward ones first (dynamic sampling).
      const sampled = collectGroups(policy, task, q, { ...c, step, seed: c.seed });
      const groups = selectGroups(sampled, c.promptsPerStep);
      const r = groups.flatMap((g) => g.rollouts.map((o) => o.reward)); // [N]
      const keep = groups.map((g) => !c.filterZeroStd || !isZeroStdGroup(g.rollouts.map((o) => o.reward)));
      const batch = buildBatch(groups, { padId: policy.tokenizer.padId, maskTruncated: c.maskTruncated, keepGroup: keep });
      const N = batch.tokens.length;
      // The G rows of a group share their prompt: its prefix is computed once per group (policy/prefix.ts).
      const rg = rowGroups(groups.map((g) => g.rollouts.length), groups.map((g) => g.promptIds.length));
      const span = Math.max(1, ...batch.spans.map((x) => x.length)); // positions past the longest completion are not scored
      // 3. Constants of the step: log π_ref, and log π_θ_old when it is not the first forward pass itself.
      const refLp = πref ? logprobsOf(πref, batch.tokens, τ, rg, span).logprobs : undefined; // [N, T]
      const explicitOld = μ > 1 || c.klIn === "reward" || c.oldLogprobs === "sampler";
      let oldLp: number[][] | undefined; // [N, T]
      let trainerLp: number[][] | undefined; // [N, T] log π_θ before any update (for rollouts.jsonl)
      if (explicitOld) {
        trainerLp = logprobsOf(policy, batch.tokens, τ, rg, span).logprobs;
        oldLp = c.oldLogprobs === "sampler" ? batch.samplerLogprobs : trainerLp;
      }
      // 4. Rewards (optionally KL-penalised) → group-relative advantages Â_i.
      const rTrain = c.klIn === "reward" && c.beta > 0 ? klPenalizedRewards(r, oldLp!, refLp!, batch.mask, c.beta, c.klEstimator) : r;
      const Â = computeAdvantages(rTrain, G, { estimator: c.advantage, eps: c.advEps, stdKind: c.stdKind, scale: c.scaleRewards }); // [N]
      // 5. μ updates on this batch, each accumulating K micro-batch gradients into one Adam step.
      const totalTokens = batch.mask.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
      const stats: LossStats[] = [];
      const gradNorms: number[] = [];
      let lr = 0;
      for (let u = 0; u < μ; u++) {
        let grads: tf.Tensor[] | null = null;
        const lpRows: number[][] = [];
        const entRows: number[][] = [];
        let lossValue = 0;
        for (const [a, b] of microBatchRanges(N, c.microBatches)) {
          const slice = <X>(xs: X[]) => xs.slice(a, b);
          const { value, grads: g } = tf.variableGrads(() => {
            const { logprobs, entropy } = groupedTokenLogprobs(policy, slice(batch.tokens), groupsInRange(rg, a, b), { temperature: τ, span }); // [n, T] each
            const lpNow = logprobs.arraySync();
            lpRows.push(...lpNow);
            entRows.push(...entropy.arraySync());
            return grpoLoss(
              {
                logprobs,
                oldLogprobs: tf.tensor2d(oldLp ? slice(oldLp) : lpNow), // constant: no gradient flows into π_θ_old
                refLogprobs: refLp ? tf.tensor2d(slice(refLp)) : undefined,
                entropy,
                mask: tf.tensor2d(slice(batch.mask)),
                advantages: tf.tensor1d(Array.from(Â.subarray(a, b))),
              },
              lossOptions,
              { microBatches: c.microBatches, totalTokens },
            );
          }, θ);
          lossValue += value.dataSync()[0];
          value.dispose();
          const gs = θ.map((v) => g[v.name]);
          if (grads === null) grads = gs;
          else {
            const prev: tf.Tensor[] = grads;
            grads = prev.map((x, i) => x.add(gs[i]));
            tf.dispose([...prev, ...gs]);
          }
        }
        if (u === 0 && !trainerLp) trainerLp = lpRows;
        const s = grpoLossReference(
          { logprobs: lpRows, oldLogprobs: oldLp ?? lpRows, refLogprobs: refLp, entropy: entRows, mask: batch.mask, advantages: Â },
          lossOptions,
          c.microBatches,
        );
        stats.push({ ...s, loss: lossValue });
        lr = learningRate(c, step * μ + u, U);
        gradNorms.push(optimizer.step(grads!, lr, c.maxGradNorm).gradNorm);
        tf.dispose(grads!);
      }
      // 6. Log: one trace line for the step, one rollout line per completion.
      const trace = stepTrace({
        step,
        seconds: (performance.now() - t0) / 1000,
        // Reward, length and format statistics describe every sampled completion (the policy), not only the
        // B groups dynamic sampling trained on (a selection biased towards mixed rewards).
        rewards: sampled.flatMap((g) => g.rollouts.map((o) => o.reward)),
        fracZeroStd: sampled.filter((g) => g.initiallyZeroStd).length / sampled.length,
        stats,
        gradNorms,
        lr,
        hasRef: πref !== null,
        completions: sampled.flatMap((g) => g.rollouts.map((o) => ({ text: o.result.text, tokens: o.result.ids.length, finishReason: o.result.finishReason }))),
        format: (text) => task.format(text),
        logprobDiffs: batch.rows.flatMap((_, i) => {
          const trainer = completionValues(trainerLp!, batch, i);
          return completionValues(batch.samplerLogprobs, batch, i).map((s, j) => s - trainer[j]);
        }),
      });
      traces.push(trace);
      io.trace?.write(trace);
      if (io.rollouts) {
        batch.rows.forEach(({ group, rollout }, i) => {
          const g = groups[group];
          const o = g.rollouts[rollout];
          io.rollouts!.write({
            step,
            problem_id: g.problem.id,
            sample_index: o.sampleIndex,
            prompt: g.prompt,
            completion: o.result.text,
            reward: o.reward,
            status: o.verdict.status,
            // Why the verifier decided: what it extracted, where, and the rule (the report's gallery
            // highlights the span; a trace doctor reads the rule).
            gold: g.problem.gold,
            extracted: o.verdict.extracted,
            span: o.verdict.span,
            rule: o.verdict.rule,
            num_tokens: o.result.ids.length,
            finish_reason: o.result.finishReason,
            ...(c.logprobsInRollouts
              ? { sampler_logprobs: o.result.logprobsProcessed, trainer_logprobs: completionValues(trainerLp!, batch, i) }
              : {}),
          });
        });
      }
      io.trace?.flush();
      io.rollouts?.flush();
      await io.onStep?.(trace);
      trainSeconds += trace.seconds;
      const eta = (trainSeconds / (step + 1)) * (c.steps - step - 1); // mean step time so far × steps left
      if (io.log && step === 0 && c.steps > 1)
        io.log(`first step took ${formatSeconds(trace.seconds)}: training will take about ${formatSeconds(trace.seconds * c.steps)} (${c.steps} steps)`);
      if (io.log && c.logEvery && (step + 1) % c.logEvery === 0)
        io.log(
          `step ${step + 1}/${c.steps} reward ${trace["reward/mean"]!.toFixed(3)} zero-std ${fracZeroStd(r, G).toFixed(2)} ` +
            `kl ${trace["kl/k3_mean"] == null ? "n/a" : trace["kl/k3_mean"].toExponential(2)} len ${trace["completions/mean_length"]!.toFixed(1)} ` +
            `time ${formatSeconds(trace.seconds)}${step + 1 < c.steps ? ` eta ${formatSeconds(eta)}` : ""}`,
        );
    }
  } finally {
    optimizer.dispose();
    πref?.dispose();
    if (c.lora) policy.mergeLoRA(); // the caller gets (and saves) a plain policy
  }
  return traces;
}
