/**
 * Reproductions of the debug notes: small generators that produce each failure by its mechanism (a
 * softmax at the wrong temperature, a pad id that is a real token, one seed for every sample, …), so the
 * doctor can be tested on the failure itself, and a notebook can show it. Each returns the trace
 * (TraceStep per step) and, where the failure lives in the rollouts, the rollout records.
 * All generators are seeded and deterministic.
 */
import type { RolloutRecord, TraceStep } from "../schemas/trace.js";
import { createRng as seeded } from "../stats/rng.js";

export interface Repro {
  name: string;
  description: string;
  trace: TraceStep[];
  rollouts: RolloutRecord[];
}

function gauss(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** log-softmax of logits / temperature. */
function logSoftmax(logits: readonly number[], temperature = 1): number[] {
  const z = logits.map((l) => l / temperature);
  const m = Math.max(...z);
  const lse = m + Math.log(z.reduce((s, x) => s + Math.exp(x - m), 0));
  return z.map((x) => x - lse);
}

function sampleIndex(logp: readonly number[], rand: () => number): number {
  let u = rand();
  for (let i = 0; i < logp.length; i++) {
    u -= Math.exp(logp[i]);
    if (u <= 0) return i;
  }
  return logp.length - 1;
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const std = (xs: readonly number[]) => {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
};

function baseStep(step: number, rewards: number[], groupSize: number): TraceStep {
  if (groupSize < 2) return { step, "reward/mean": mean(rewards), "reward/std": std(rewards) };
  const groups: number[][] = [];
  for (let i = 0; i < rewards.length; i += groupSize) groups.push(rewards.slice(i, i + groupSize));
  return {
    step,
    "reward/mean": mean(rewards),
    "reward/std": std(rewards),
    frac_reward_zero_std: mean(groups.map((g) => (Math.min(...g) === Math.max(...g) ? 1 : 0))),
  };
}

/**
 * Sampling at `samplerTemperature` while the trainer recomputes log-probs at 1.0, for the first
 * `mismatchSteps` steps (then fixed). Per token: the sampler's log p(x) under softmax(logits/0.7) and the
 * trainer's under softmax(logits); the logged KL is the k3 estimate the trainer sees at that step.
 */
export function reproTemperatureMismatch(o: { steps?: number; mismatchSteps?: number; samplerTemperature?: number; seed?: number } = {}): Repro {
  const steps = o.steps ?? 20;
  const mismatchSteps = o.mismatchSteps ?? 3;
  const T = o.samplerTemperature ?? 0.7;
  const rand = seeded(o.seed ?? 1);
  const V = 16;
  const trace: TraceStep[] = [];
  const rollouts: RolloutRecord[] = [];
  for (let step = 0; step < steps; step++) {
    const temp = step < mismatchSteps ? T : 1;
    const k3: number[] = [];
    const diffs: number[] = [];
    for (let s = 0; s < 8; s++) {
      const sampler: number[] = [];
      const trainer: number[] = [];
      for (let t = 0; t < 24; t++) {
        const logits = Array.from({ length: V }, () => 1.5 * gauss(rand));
        const ls = logSoftmax(logits, temp);
        const x = sampleIndex(ls, rand);
        const lt = logSoftmax(logits, 1);
        sampler.push(ls[x]);
        // Policy drifts slowly from the reference: a tiny true KL on top of the mismatch.
        trainer.push(lt[x] - 0.0005 * step * rand());
        const logr = trainer[t] - sampler[t];
        k3.push(Math.exp(logr) - 1 - logr);
        diffs.push(sampler[t] - trainer[t]);
      }
      rollouts.push({
        step, problem_id: `p${s}`, sample_index: 0, prompt: "Q", completion: `tokens ${s}`, reward: rand() < 0.5 ? 1 : 0,
        status: "correct", num_tokens: 24, finish_reason: "stop", sampler_logprobs: sampler, trainer_logprobs: trainer,
      });
    }
    trace.push({ step, "kl/k3_mean": mean(k3), "kl/max": Math.max(...k3), "logprob_diff/mean": mean(diffs), "reward/mean": 0.5, entropy: 2 });
  }
  return { name: "temperature_mismatch", description: `sampler at T=${T}, trainer at T=1 for the first ${mismatchSteps} steps`, trace, rollouts };
}

/** A completion for an arithmetic problem `a + b` with a worked line and a strict `#### N` final line. */
function arithCompletion(a: number, b: number, correct: boolean, strict: boolean): { text: string; answer: number } {
  const answer = correct ? a + b : a + b + 1 + ((a * 7) % 5);
  const text = `We add ${a} and ${b}: ${a} + ${b} = ${answer}.` + (strict ? `\n#### ${answer}` : ` So the answer is ${answer}.`);
  return { text, answer };
}

/**
 * The pad token id is the id of a real character ('0' here). Decoding stops at the first pad id, so every
 * completion containing '0' is cut there, loses its final answer, and is scored wrong.
 */
export function reproPadTokenCollision(o: { steps?: number; seed?: number; padChar?: string } = {}): Repro {
  const padChar = o.padChar ?? "0";
  const rand = seeded(o.seed ?? 2);
  const trace: TraceStep[] = [];
  const rollouts: RolloutRecord[] = [];
  const G = 4;
  for (let step = 0; step < (o.steps ?? 10); step++) {
    const rewards: number[] = [];
    for (let p = 0; p < 8; p++) {
      const a = 10 + Math.floor(rand() * 90);
      const b = 10 + Math.floor(rand() * 90);
      for (let i = 0; i < G; i++) {
        const full = arithCompletion(a, b, rand() < 0.8, true);
        const cut = full.text.indexOf(padChar);
        const text = cut === -1 ? full.text : full.text.slice(0, cut);
        const reward = text.endsWith(`#### ${a + b}`) ? 1 : 0;
        rewards.push(reward);
        rollouts.push({
          step, problem_id: `s${step}p${p}`, sample_index: i, prompt: `Question: What is ${a} + ${b}? Answer with #### N. Example: 10 + 20 = 30\nAnswer:`,
          completion: text, reward, status: reward ? "correct" : "wrong", num_tokens: text.length, finish_reason: "stop",
        });
      }
    }
    trace.push(baseStep(step, rewards, G));
  }
  return { name: "pad_token_collision", description: `pad id = id of ${JSON.stringify(padChar)}: completions cut at that character`, trace, rollouts };
}

/**
 * A base-model prompt with no stop sequence: after answering, the model continues with a new
 * "Question: …" until max_tokens, so a large share of completions ends with finish_reason "length".
 */
export function reproNoStopSequence(o: { steps?: number; seed?: number; maxTokens?: number } = {}): Repro {
  const rand = seeded(o.seed ?? 3);
  const maxTokens = o.maxTokens ?? 60;
  const trace: TraceStep[] = [];
  const rollouts: RolloutRecord[] = [];
  for (let step = 0; step < (o.steps ?? 10); step++) {
    const lens: number[] = [];
    let truncated = 0;
    const rewards: number[] = [];
    for (let p = 0; p < 16; p++) {
      const a = Math.floor(rand() * 50);
      const b = Math.floor(rand() * 50);
      let text = arithCompletion(a, b, true, true).text;
      // No stop sequence: a base model keeps writing the next few-shot example.
      while (rand() < 0.85 && text.length < maxTokens) text += `\n\nQuestion: What is ${Math.floor(rand() * 50)} + ${Math.floor(rand() * 50)}?\nAnswer:`;
      const finish = text.length >= maxTokens ? "length" : "stop";
      text = text.slice(0, maxTokens);
      if (finish === "length") truncated++;
      const reward = finish === "stop" && text.trimEnd().endsWith(`#### ${a + b}`) ? 1 : 0;
      rewards.push(reward);
      lens.push(text.length);
      rollouts.push({ step, problem_id: `p${p}`, sample_index: 0, prompt: `Question: What is ${a} + ${b}?\nAnswer:`, completion: text, reward, status: reward ? "correct" : "wrong", num_tokens: text.length, finish_reason: finish });
    }
    trace.push({ ...baseStep(step, rewards, 1), "completions/mean_length": mean(lens), "completions/truncated_frac": truncated / 16 });
  }
  return { name: "no_stop_sequence", description: "raw base-model prompt without a stop sequence: completions run into max_tokens", trace, rollouts };
}

/**
 * Format drift: the probability of writing the strict `#### N` final line decays each step (the reward
 * pays for a correct number anywhere), while correctness holds. Rates are measured on the generated text
 * with the strict rule (final line `#### N`) and a flexible one (last number in the text).
 */
export function reproFormatDrift(o: { steps?: number; seed?: number } = {}): Repro {
  const rand = seeded(o.seed ?? 4);
  const steps = o.steps ?? 30;
  const trace: TraceStep[] = [];
  for (let step = 0; step < steps; step++) {
    const pStrict = 0.95 * Math.exp(-step / 10);
    let strict = 0;
    let flexible = 0;
    const rewards: number[] = [];
    for (let i = 0; i < 32; i++) {
      const a = Math.floor(rand() * 90);
      const b = Math.floor(rand() * 90);
      const c = arithCompletion(a, b, rand() < 0.7, rand() < pStrict);
      const last = c.text.match(/-?\d+(?=\D*$)/);
      if (/\n#### -?\d+$/.test(c.text)) strict++;
      if (last) flexible++;
      rewards.push(last && Number(last[0]) === a + b ? 1 : 0);
    }
    trace.push({ ...baseStep(step, rewards, 8), "format/strict_rate": strict / 32, "format/flexible_rate": flexible / 32 });
  }
  return { name: "format_drift", description: "strict-format probability decays while answers stay findable", trace, rollouts: [] };
}

/**
 * Zero-variance groups: problems far too easy (p=0.98) or too hard (p=0.02) for the policy; with G=4
 * most groups get all-equal rewards and zero GRPO advantage.
 */
export function reproZeroVariance(o: { steps?: number; seed?: number; groupSize?: number } = {}): Repro {
  const rand = seeded(o.seed ?? 5);
  const G = o.groupSize ?? 4;
  const trace: TraceStep[] = [];
  const rollouts: RolloutRecord[] = [];
  for (let step = 0; step < (o.steps ?? 10); step++) {
    const rewards: number[] = [];
    for (let p = 0; p < 16; p++) {
      const pc = p % 2 ? 0.98 : 0.02;
      for (let i = 0; i < G; i++) {
        const r = rand() < pc ? 1 : 0;
        rewards.push(r);
        rollouts.push({ step, problem_id: `p${p}`, sample_index: i, prompt: "Q", completion: `attempt ${step}.${p}.${i} ${rand().toFixed(6)}`, reward: r, status: r ? "correct" : "wrong", num_tokens: 5, finish_reason: "stop" });
      }
    }
    trace.push(baseStep(step, rewards, G));
  }
  return { name: "zero_variance", description: "problems too easy or too hard: most groups have all-equal rewards", trace, rollouts };
}

/** Entropy collapse: logits sharpen each step (inverse temperature grows), entropy measured on them. */
export function reproEntropyCollapse(o: { steps?: number; seed?: number } = {}): Repro {
  const rand = seeded(o.seed ?? 6);
  const trace: TraceStep[] = [];
  const logits = Array.from({ length: 32 }, () => gauss(rand));
  for (let step = 0; step < (o.steps ?? 40); step++) {
    const beta = Math.exp(step / 6);
    const lp = logSoftmax(logits.map((l) => l * beta));
    const entropy = -lp.reduce((s, x) => s + Math.exp(x) * x, 0);
    trace.push({ step, entropy, "reward/mean": 0.4 });
  }
  return { name: "entropy_collapse", description: "logits sharpen each step until the policy is deterministic", trace, rollouts: [] };
}

/**
 * Gradient-norm spikes from outlier batches: Adam on a real least-squares problem (minibatches of 16),
 * where at `outlierSteps` one batch has inputs 30× larger than usual (in RL: a group with extreme
 * advantages or very long completions). Gradient norms are computed, not drawn.
 */
export function reproGradNormSpike(o: { steps?: number; seed?: number; outlierSteps?: number[]; lr?: number } = {}): Repro {
  const rand = seeded(o.seed ?? 7);
  const lr = o.lr ?? 0.01;
  const outliers = new Set(o.outlierSteps ?? [25, 40]);
  const D = 8;
  const B = 16;
  const w = new Array<number>(D).fill(0);
  const target = Array.from({ length: D }, () => gauss(rand));
  const m = new Array<number>(D).fill(0);
  const v = new Array<number>(D).fill(0);
  const b1 = 0.9;
  const b2 = 0.999;
  const eps = 1e-8;
  const trace: TraceStep[] = [];
  for (let step = 0; step < (o.steps ?? 60); step++) {
    const scale = outliers.has(step) ? 30 : 1;
    const g = new Array<number>(D).fill(0);
    let loss = 0;
    for (let b = 0; b < B; b++) {
      const x = Array.from({ length: D }, () => scale * gauss(rand));
      const err = x.reduce((s, xi, j) => s + xi * (w[j] - target[j]), 0) + 0.1 * gauss(rand);
      loss += (err * err) / B;
      for (let j = 0; j < D; j++) g[j] += (2 * err * x[j]) / B;
    }
    const gradNorm = Math.sqrt(g.reduce((s, gi) => s + gi * gi, 0));
    for (let j = 0; j < D; j++) {
      m[j] = b1 * m[j] + (1 - b1) * g[j];
      v[j] = b2 * v[j] + (1 - b2) * g[j] * g[j];
      w[j] -= (lr * (m[j] / (1 - b1 ** (step + 1)))) / (Math.sqrt(v[j] / (1 - b2 ** (step + 1))) + eps);
    }
    trace.push({ step, grad_norm: gradNorm, loss, lr });
  }
  return { name: "grad_norm_spike", description: `outlier batches at steps ${[...outliers].join(", ")}`, trace, rollouts: [] };
}

/** One fixed seed for every sample: all G completions of a group are identical (sampled with the same stream). */
export function reproSharedSeed(o: { steps?: number; seed?: number; groupSize?: number } = {}): Repro {
  const G = o.groupSize ?? 4;
  const rollouts: RolloutRecord[] = [];
  const trace: TraceStep[] = [];
  for (let step = 0; step < (o.steps ?? 5); step++) {
    const rewards: number[] = [];
    for (let p = 0; p < 8; p++) {
      for (let i = 0; i < G; i++) {
        const rand = seeded(o.seed ?? 1234); // the bug: the same seed for every (prompt, sample)
        const a = Math.floor(rand() * 100);
        const c = arithCompletion(a, p, rand() < 0.5, true);
        const r = c.answer === a + p ? 1 : 0;
        rewards.push(r);
        rollouts.push({ step, problem_id: `p${p}`, sample_index: i, prompt: `What is ${a} + ${p}?`, completion: c.text, reward: r, status: r ? "correct" : "wrong", num_tokens: c.text.length, finish_reason: "stop" });
      }
    }
    trace.push(baseStep(step, rewards, G));
  }
  return { name: "shared_seed", description: "every sample seeded with the same seed", trace, rollouts };
}

/** All generators, by name. */
export const REPROS = {
  temperature_mismatch: reproTemperatureMismatch,
  pad_token_collision: reproPadTokenCollision,
  no_stop_sequence: reproNoStopSequence,
  format_drift: reproFormatDrift,
  zero_variance: reproZeroVariance,
  entropy_collapse: reproEntropyCollapse,
  grad_norm_spike: reproGradNormSpike,
  shared_seed: reproSharedSeed,
} as const;
