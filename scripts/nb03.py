import sys; sys.path.insert(0, "scripts")
from nbsrc import make
make("notebooks/03-grpo-step-by-step.ipynb", [
("md", r"""# GRPO, one step at a time

GRPO (DeepSeekMath, Shao et al. 2024) replaces PPO's learned critic with a **group** baseline: sample G completions
for the same prompt, score each with a verifier, and push up the ones that beat their group. This notebook builds
one step from its pieces, each a plain function over numbers from `rlvr-lab` (the tfjs trainer is tested against
exactly these functions), then runs a short real training loop on the project's tiny character-level policy.

1. one group → rewards (a verifier, not a model) · 2. advantages: GRPO, Dr. GRPO, RLOO · 3. loss aggregation:
grpo / dapo / dr_grpo / bnpo · 4. the clipped ratio · 5. KL estimators k1 / k2 / k3 · 6. a short training run and
its trace.

Every section ends with a check cell that throws if a claim in the text stops being true."""),
("params", r"""// Parameters (rlvr notebook run notebooks/03-grpo-step-by-step.ipynb --param steps=12)
let G = 8;              // group size
let steps = 8;          // GRPO steps of the training run (section 6)
let promptsPerStep = 4; // B
let lr = 3e-4;
let seed = 1;"""),
("code", r"""import {
  generateArithProblems, arithPrompt, arithReward, computeAdvantages, groupStats, fracZeroStd, aggregateLoss,
  clippedSurrogate, klToken, createRng, wilson, table, display, plot, rewardPlot, entropyPlot, klPlot, formatDriftPlot,
  visible,
} from "rlvr-lab";
const [problem] = generateArithProblems({ seed: seed, n: 1, split: "train", levels: [3] });
({ prompt: arithPrompt(problem), gold: problem.gold, solution: problem.metadata!.solution })"""),
("md", r"""## 1. One group, and its rewards

The policy sees the prompt above and must answer in a strict format: one `a op b = c` line per step, then a final
line `#### N` and nothing after it. Here is a group of G = 8 completions of the kind the tiny policy writes (the
real policy's groups come in section 6; `⏎` marks a newline). The reward is **the verifier's verdict**: `arithReward` fails closed —
a completion that is not in the strict format scores 0 with status `unparseable` and a flag telling what the
numeric verifier would have said, so format failures and wrong answers stay distinguishable."""),
("code", r"""const [a, b, c] = problem.metadata!.operands as number[];
const sol = String(problem.metadata!.solution);
const gold = Number(problem.gold);
const group: string[] = [
  sol,                                         // correct
  sol,                                         // correct (identical completions happen)
  sol.replace(`#### ${gold}`, `#### ${gold + 1}`),   // wrong final value
  sol.replace(/\n#### .*/, ""),                 // no #### line
  sol + "\n#### " + gold,                       // two #### lines
  `#### ${gold}`,                               // answer without work: still strict
  sol.replace(`#### ${gold}`, `#### ${gold}\nok`),  // trailing text
  sol.split("\n")[0],                           // stopped after the first step
].slice(0, Math.max(G, 2));
while (group.length < G) group.push(sol);
const verdicts = group.map((comp) => arithReward(problem, comp));
const r = verdicts.map((v) => v.score);
table(group.map((comp, i) => ({ i: i, completion: visible(comp), status: verdicts[i].status, rule: verdicts[i].rule, flags: (verdicts[i].flags ?? []).join(", "), reward: r[i] })))"""),
("code", r"""// Check: correct, wrong and format failures are told apart.
if (r[0] !== 1 || r[2] !== 0 || verdicts[2].status !== "wrong") throw new Error("solution should be correct, +1 wrong");
for (const i of [3, 4, 6]) if (verdicts[i].status !== "unparseable" || !(verdicts[i].flags ?? []).some((f) => f.startsWith("arith:would-be-"))) throw new Error(`completion ${i} should fail the strict format with a would-be flag`);
({ rewards: r, mean: groupStats(r).mean })"""),
("md", r"""## 2. Advantages: GRPO, Dr. GRPO, RLOO

Each completion gets one scalar advantage Â_i, shared by all its tokens:

- **GRPO**: Â_i = (r_i − mean(r)) / (std(r) + ε) — z-scored within the group;
- **Dr. GRPO** (Liu et al. 2025): Â_i = r_i − mean(r) — no std division. Dividing by the std up-weights groups that
  are almost all right or almost all wrong (small std): a *difficulty bias*;
- **RLOO** (Ahmadian et al. 2024): Â_i = r_i − mean_{j≠i} r_j = G/(G−1)·(r_i − mean(r)) — leave-one-out baseline.

A group whose rewards are **all equal** has r_i − mean = 0 exactly: zero advantage, no gradient — never NaN, whatever
ε is. Its share of a batch is logged as `frac_reward_zero_std`."""),
("code", r"""const A = {
  grpo: computeAdvantages(r, G, { estimator: "grpo" }),
  dr_grpo: computeAdvantages(r, G, { estimator: "dr_grpo" }),
  rloo: computeAdvantages(r, G, { estimator: "rloo" }),
};
display(table(r.map((ri, i) => ({ i: i, reward: ri, grpo: A.grpo[i], dr_grpo: A.dr_grpo[i], rloo: A.rloo[i] })), { caption: `advantages of the group (mean ${groupStats(r).mean.toFixed(3)}, population std ${groupStats(r).std.toFixed(3)})` }));
// The difficulty bias: the advantage of the one correct completion in a hard group vs a balanced one.
const hardGroup = [1, 0, 0, 0, 0, 0, 0, 0], balanced = [1, 1, 1, 1, 0, 0, 0, 0], allSame = [1, 1, 1, 1, 1, 1, 1, 1];
table([
  { group: "1 of 8 correct", "grpo Â(correct)": computeAdvantages(hardGroup, 8)[0], "dr_grpo Â(correct)": computeAdvantages(hardGroup, 8, { estimator: "dr_grpo" })[0], "rloo Â(correct)": computeAdvantages(hardGroup, 8, { estimator: "rloo" })[0] },
  { group: "4 of 8 correct", "grpo Â(correct)": computeAdvantages(balanced, 8)[0], "dr_grpo Â(correct)": computeAdvantages(balanced, 8, { estimator: "dr_grpo" })[0], "rloo Â(correct)": computeAdvantages(balanced, 8, { estimator: "rloo" })[0] },
  { group: "8 of 8 correct", "grpo Â(correct)": computeAdvantages(allSame, 8)[0], "dr_grpo Â(correct)": computeAdvantages(allSame, 8, { estimator: "dr_grpo" })[0], "rloo Â(correct)": computeAdvantages(allSame, 8, { estimator: "rloo" })[0] },
])"""),
("code", r"""// Check: advantages sum to 0 in a group, RLOO = G/(G−1)·Dr.GRPO, all-equal → exactly 0, and the batch's zero-std share.
const sum = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, x) => s + x, 0);
for (const [k, v] of Object.entries(A)) if (Math.abs(sum(v)) > 1e-9) throw new Error(`${k} advantages should sum to 0`);
for (let i = 0; i < G; i++) if (Math.abs(A.rloo[i] - (G / (G - 1)) * A.dr_grpo[i]) > 1e-12) throw new Error("RLOO should be G/(G-1) times Dr. GRPO");
for (const est of ["grpo", "dr_grpo", "rloo"] as const) if (computeAdvantages(allSame, 8, { estimator: est }).some((x) => x !== 0)) throw new Error(`${est}: all-equal rewards must give exactly 0`);
if (!(computeAdvantages(hardGroup, 8)[0] > computeAdvantages(balanced, 8)[0])) throw new Error("GRPO should up-weight the rare success (difficulty bias)");
({ fracZeroStd: fracZeroStd([...r, ...allSame], G) })"""),
("md", r"""## 3. Loss aggregation: how tokens are weighted

With one inner update (μ = 1) the ratio is 1 and the per-token loss is just ℓ_{i,t} = −Â_i. How these become one
scalar decides how much each token weighs — a real bias, not a detail. A toy batch of three completions with
2, 5 and 10 tokens and advantages +1, −0.5, +0.2, T_max = 10 (max tokens):

- `grpo` (DeepSeekMath): mean over tokens of each sequence, then mean over sequences — a token of the 2-token
  completion weighs 5× a token of the 10-token one;
- `dapo` (DAPO): one token mean over the batch — every token weighs the same;
- `dr_grpo`: sum / (T_max · number of sequences) — a constant normaliser, no length bias;
- `bnpo` (TRL): token mean per micro-batch, then mean over micro-batches — equals `dapo` with one micro-batch."""),
("code", r"""const lens = [2, 5, 10], adv = [1, -0.5, 0.2], Tmax = 10;
const mask = lens.map((L) => Array.from({ length: Tmax }, (_, t) => (t < L ? 1 : 0)));
const perToken = adv.map((Ai) => Array.from({ length: Tmax }, () => -Ai));
const agg = (mode: "grpo" | "dapo" | "dr_grpo" | "bnpo", K = 1) => aggregateLoss(perToken, mask, mode, { maxTokens: Tmax, microBatches: K });
// Per-token weight of each sequence: d loss / d ℓ_{i,t}, read off by perturbing one token (finite difference).
const weight = (mode: "grpo" | "dapo" | "dr_grpo" | "bnpo", i: number, K = 1) => {
  const bumped = perToken.map((row, j) => row.map((x, t) => (j === i && t === 0 ? x + 1 : x)));
  return aggregateLoss(bumped, mask, mode, { maxTokens: Tmax, microBatches: K }) - agg(mode, K);
};
const aggRows = (["grpo", "dapo", "dr_grpo", "bnpo"] as const).flatMap((mode) => (mode === "bnpo" ? [1, 3] : [1]).map((K) => ({
  aggregation: mode + (mode === "bnpo" ? ` (K=${K})` : ""), loss: agg(mode, K),
  "weight of a token, len 2": weight(mode, 0, K), "len 5": weight(mode, 1, K), "len 10": weight(mode, 2, K),
})));
table(aggRows)"""),
("code", r"""// Check: the weights the text states, and each aggregate against a hand computation.
const near = (x: number, y: number) => Math.abs(x - y) < 1e-12;
const grpoHand = (1 / 3) * (-1 + 0.5 - 0.2); // each sequence's token mean is −Â_i
const dapoHand = (2 * -1 + 5 * 0.5 + 10 * -0.2) / 17;
const drHand = (2 * -1 + 5 * 0.5 + 10 * -0.2) / (10 * 3);
if (!near(agg("grpo"), grpoHand) || !near(agg("dapo"), dapoHand) || !near(agg("dr_grpo"), drHand)) throw new Error("aggregates differ from the hand computation");
if (!near(agg("bnpo", 1), agg("dapo"))) throw new Error("bnpo with one micro-batch should equal dapo");
if (!near(weight("grpo", 0) / weight("grpo", 2), 5)) throw new Error("under grpo a token of the 2-token completion should weigh 5x");
if (!near(weight("dapo", 0), weight("dapo", 2)) || !near(weight("dr_grpo", 0), weight("dr_grpo", 2))) throw new Error("dapo and dr_grpo weigh every token the same");
"aggregation claims hold" """),
("md", r"""## 4. The clipped ratio

With μ > 1 updates per batch (or log-probs from a different sampler) the ratio ρ = π_θ/π_θ_old moves away from 1, and
PPO's clip stops the policy from moving too far on one batch:
ℓ = −min(ρ·Â, clip(ρ, 1−ε_low, 1+ε_high)·Â), with DAPO's asymmetric "clip-higher" ε_low = 0.2, ε_high = 0.28.
A token is clipped — gets **no gradient** — only on the side where moving further would help: ρ > 1+ε_high with
Â > 0, or ρ < 1−ε_low with Â < 0. On the other side the unclipped (pessimistic) branch stays active. The gradient
column is d ℓ / d log π_θ by central finite differences."""),
("code", r"""const epsLow = 0.2, epsHigh = 0.28;
const ratios = [0.5, 0.75, 0.85, 1.0, 1.2, 1.35, 2.0];
const clipRows = [1, -1].flatMap((Ai) => ratios.map((rho) => {
  const s = clippedSurrogate(Math.log(rho), 0, Ai, epsLow, epsHigh);
  const h = 1e-6;
  const grad = (clippedSurrogate(Math.log(rho) + h, 0, Ai, epsLow, epsHigh).loss - clippedSurrogate(Math.log(rho) - h, 0, Ai, epsLow, epsHigh).loss) / (2 * h);
  return { "Â": Ai, "ρ": rho, loss: s.loss, "clipped low": s.clippedLow, "clipped high": s.clippedHigh, "dℓ/dlogπ": Number(grad.toFixed(6)) };
}));
table(clipRows, { caption: `ε_low = ${epsLow}, ε_high = ${epsHigh}: ρ outside [${1 - epsLow}, ${1 + epsHigh}]` })"""),
("code", r"""// Check: clipped ⇔ zero gradient, and clipping happens only on the side the text names.
for (const row of clipRows) {
  const clipped = row["clipped low"] || row["clipped high"];
  if (clipped !== (Math.abs(row["dℓ/dlogπ"]) < 1e-9)) throw new Error(`ρ=${row["ρ"]}, Â=${row["Â"]}: clipped=${clipped} but gradient ${row["dℓ/dlogπ"]}`);
  if (row["clipped high"] && !(row["Â"] > 0 && row["ρ"] > 1 + epsHigh)) throw new Error("clipped high outside its region");
  if (row["clipped low"] && !(row["Â"] < 0 && row["ρ"] < 1 - epsLow)) throw new Error("clipped low outside its region");
}
if (clippedSurrogate(0, 0, 0.7, epsLow, epsHigh).loss !== -0.7) throw new Error("at ρ = 1 the loss is −Â");
`${clipRows.filter((x) => x["clipped low"] || x["clipped high"]).length} of ${clipRows.length} rows clipped`"""),
("md", r"""## 5. KL estimators on samples

The trainer never has the full distributions, only the log-probs of the **sampled** tokens under π_θ and π_ref. With
δ = log π_ref − log π_θ at a token sampled from π_θ (Schulman, "Approximating KL divergence"):
k1 = −δ (unbiased, high variance, can be negative), k2 = δ²/2 (biased, low variance), k3 = e^δ − 1 − δ
(unbiased, low variance, ≥ 0; DeepSeekMath's choice). Here: a 12-token vocabulary, π_ref a perturbation of π, 20,000
tokens sampled from π, each estimator's mean with a 95% CI against the exact KL(π ‖ π_ref)."""),
("code", r"""const V = 12, nTok = 20_000;
const krng = createRng(seed + 99);
const softmax = (z: number[]) => { const m = Math.max(...z); const e = z.map((x) => Math.exp(x - m)); const s = e.reduce((p, q) => p + q, 0); return e.map((x) => x / s); };
const logitsPi = Array.from({ length: V }, () => 2 * krng() - 1);
const pi = softmax(logitsPi);
const piRef = softmax(logitsPi.map((z) => z + 0.9 * (krng() - 0.5) * 2));
const exactKl = pi.reduce((s, p, i) => s + p * Math.log(p / piRef[i]), 0);
const draws = Array.from({ length: nTok }, () => { let u = krng(), i = 0; while (i < V - 1 && u >= pi[i]) { u -= pi[i]; i++; } return i; });
const klRows = (["k1", "k2", "k3"] as const).map((k) => {
  const xs = draws.map((i) => klToken(Math.log(pi[i]), Math.log(piRef[i]), k));
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
  const half = 1.96 * sd / Math.sqrt(xs.length);
  return { estimator: k, n: xs.length, mean: m, "95% CI": [m - half, m + half] as [number, number], "sd per token": sd, "min per token": Math.min(...xs), "exact KL": exactKl };
});
table(klRows.map((x) => ({ ...x, "95% CI": `[${x["95% CI"][0].toFixed(4)}, ${x["95% CI"][1].toFixed(4)}]` })))"""),
("code", r"""// Check: k1 and k3 cover the exact KL; k3 has lower variance than k1 and is never negative; k1 sometimes is.
const byK = Object.fromEntries(klRows.map((x) => [x.estimator, x]));
for (const k of ["k1", "k3"]) { const [lo, hi] = byK[k]["95% CI"]; if (!(lo <= exactKl && exactKl <= hi)) throw new Error(`${k}: CI [${lo}, ${hi}] misses the exact KL ${exactKl}`); }
if (!(byK.k3["sd per token"] < byK.k1["sd per token"])) throw new Error("k3 should have lower variance than k1");
if (byK.k3["min per token"] < 0 || byK.k2["min per token"] < 0) throw new Error("k2 and k3 are non-negative");
if (!(byK.k1["min per token"] < 0)) throw new Error("k1 should be negative on some tokens");
({ exactKl: exactKl })"""),
("md", r"""## 6. A short training run on the tiny policy

The project ships a 69k-parameter character-level GPT (`data/checkpoints/base`, tfjs, wasm backend) pre-trained on
worked solutions of the arithmetic task, 30% of which carry one arithmetic slip (like solutions scraped from the web):
its argmax is often right while its samples repeat the corpus's slips — what RL with a verifier fixes. `trainGRPO` runs everything above for real: B prompts × G completions sampled from the
policy, rewards from `arithReward`, GRPO advantages, the clipped surrogate aggregated with `dapo` (the default),
Adam with warmup and gradient clipping, and one trace line per step in the project's metric vocabulary. KL is
measured against the frozen start policy every step (β = 0: not in the loss).

First, one real group for one prompt — the same computation as sections 1 and 2, with the policy's own samples."""),
("code", r"""import { initBackend, loadBaseCheckpoint, arithTask, parseTrainConfig, trainGRPO, sampleGroup } from "rlvr-lab";
const backend = await initBackend();
const base = await loadBaseCheckpoint();
const policy = base.model;
const trainProblems = generateArithProblems({ seed: seed, n: 200, split: "train" });
// Sample groups for the first few training prompts until one has mixed rewards (an all-equal group has Â = 0).
const ropts = { seed: seed, step: 0, groupSize: G, maxTokens: 28, temperature: 1, topP: 1, topK: 0, resampleTries: 0 };
const tried: { problem: typeof trainProblems[number]; rollouts: ReturnType<typeof sampleGroup> }[] = [];
for (const p of trainProblems.slice(0, 12)) {
  tried.push({ problem: p, rollouts: sampleGroup(policy, arithTask, p, ropts) });
  if (new Set(tried[tried.length - 1].rollouts.map((o) => o.reward)).size > 1) break;
}
const mixed = tried[tried.length - 1];
const realR = mixed.rollouts.map((o) => o.reward);
const realA = computeAdvantages(realR, G);
const zeroStdTried = tried.filter((t) => new Set(t.rollouts.map((o) => o.reward)).size === 1).length;
display(table(mixed.rollouts.map((o, i) => ({ completion: visible(o.result.text), finish: o.result.finishReason, status: o.verdict.status, reward: o.reward, "grpo Â": realA[i] })), { caption: `${arithPrompt(mixed.problem).trim()}  (gold ${mixed.problem.gold}; backend ${backend.backend})` }));
display(`Groups sampled before this one: ${tried.length - 1}, of which ${zeroStdTried} had all-equal rewards (zero advantage, no gradient).`);
({ backend: backend.backend, selfTest: backend.selfTest, params: policy.trainableVariables().reduce((s, v) => s + v.size, 0) })"""),
("code", r"""const config = parseTrainConfig({ steps: steps, promptsPerStep: promptsPerStep, groupSize: G, lr: lr, warmupSteps: 2, seed: seed, logEvery: 0 });
const t0 = performance.now();
const trace = await trainGRPO(policy, arithTask, trainProblems, config);
const trainSeconds = (performance.now() - t0) / 1000;
const NB = promptsPerStep * G;
table(trace.map((s) => {
  const rm = s["reward/mean"] as number;
  const [lo, hi] = wilson(Math.round(rm * NB), NB);
  return { step: s.step, "reward/mean": rm, n: NB, "95% CI": `[${lo.toFixed(2)}, ${hi.toFixed(2)}]`, frac_reward_zero_std: s.frac_reward_zero_std, entropy: s.entropy, "kl/k3_mean": s["kl/k3_mean"], "format/strict_rate": s["format/strict_rate"], grad_norm: s.grad_norm, lr: s.lr, seconds: s.seconds };
}), { caption: `${steps} steps × ${promptsPerStep} prompts × ${G} completions in ${trainSeconds.toFixed(1)} s` })"""),
("code", r"""display(plot(rewardPlot(trace, { title: `reward/mean ± 1 std (B·G = ${NB} completions a step)` })));
display(plot(entropyPlot(trace)));
display(plot(klPlot(trace, { title: "KL to the start policy: k1, k3 means and the max token" })));
plot(formatDriftPlot(trace))"""),
("md", r"""How to read it: with B·G = 32 samples a step, each step's reward has a wide CI (see the table), so a few steps
show noise, not learning — `rlvr start` runs the full experiment with a held-out evaluation and a paired bootstrap.
The learning rate and Adam's ε matter even here: with the first base and ε = 1e-8, one run with `--param lr=0.001`
(while writing this notebook) saw the reward fall from 0.63 to 0.22 in 8 steps while KL rose to ~0.19 nats per token.
The defaults are now ε = 1e-5, training temperature 1.5 and a linearly decaying lr (docs/grpo.md measures why);
this cell overrides only B, G, steps, lr and warmup — watch the KL plot when you try another lr.
The dotted `kl/max` line is the largest per-token k3 of the step: the tails that the means hide.
What *must* hold already: KL starts at exactly 0 (step 0 samples from the reference itself), the trace carries only
the metric vocabulary, losses are finite, and the frozen-copy KL grows once the policy moves."""),
("code", r"""// Check: trace invariants.
import { METRIC_NAMES } from "rlvr-lab";
const expectedKeys = [...METRIC_NAMES.filter((m) => m !== "pass@k"), "step", "seconds"].sort();
for (const s of trace) {
  const keys = Object.keys(s).sort();
  if (JSON.stringify(keys) !== JSON.stringify(expectedKeys)) throw new Error(`step ${s.step}: trace keys ${keys} differ from the metric vocabulary`);
  if (!Number.isFinite(s.loss as number)) throw new Error(`step ${s.step}: loss ${s.loss}`);
}
if (trace.length !== steps) throw new Error(`expected ${steps} trace lines`);
if (trace[0]["kl/k3_mean"] !== 0 || trace[0]["kl/k1_mean"] !== 0) throw new Error("KL at step 0 must be exactly 0");
if (!trace.some((s) => (s.grad_norm as number) > 0)) throw new Error("some step should have a non-zero gradient");
if (steps > 1 && !trace.slice(1).some((s) => (s["kl/k3_mean"] as number) > 0)) throw new Error("KL should grow once the policy moves");
if (trace[0].lr !== lr / 2) throw new Error("warmup: the first update uses lr/2 with warmupSteps 2");
if (new Set(realR).size < 2 || Math.abs(sum(realA)) > 1e-9) throw new Error("the real group shown above should have mixed rewards and advantages summing to 0");
policy.dispose();
({ steps: trace.length, seconds: Number(trainSeconds.toFixed(1)), finalKl: trace[trace.length - 1]["kl/k3_mean"] })"""),
])
