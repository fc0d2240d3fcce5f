/**
 * GRPO step anatomy on the default-size policy: where a step's time goes, with baselines from the same run.
 *
 *   rollouts (one decode batch) — what the trainer does (per-problem seeds)  vs  one batch per prompt (before)
 *   reference forward          — the extra pass spent on kl/* metrics, shared prefix  vs  unshared (before)
 *   GRPO update (fwd+bwd+Adam) vs  a plain SFT step on the same tokens (same forward/backward, no RL)
 *
 * Then the main job's shape (base checkpoint, the default TrainConfig: 8 prompts × 8 completions, ≤ 28 new
 * tokens, temperature 1.5): the step with every speed lever on, each lever off in turn, all off (the code
 * before them); then against the peers measured in the same run, where the peers venv has torch + trl
 * (bench/peers/grpo_peer.py; skipped with a message otherwise): a PyTorch plain forward+backward+Adam step
 * on the same [B·G, L] token shape, and a TRL GRPOTrainer step of the same shape, at 1 and 2 threads, on a
 * tiny Llama of the same width, depth and parameter count built from a config (no downloads). The 1-minute load average
 * (`uptime`) is printed next to every figure: the machine is shared.
 *
 *   node scripts/run-bench.mjs grpo      (env BENCH_REPS, default 3)
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../src/policy/backend.js";
import { GPT } from "../src/policy/gpt.js";
import { sftStep } from "../src/policy/sft.js";
import { generateArithProblems } from "../src/tasks/arith.js";
import { arithTask } from "../src/grpo/arithTask.js";
import { collectGroups } from "../src/grpo/rollouts.js";
import { buildBatch } from "../src/grpo/batch.js";
import { logprobsOf, trainGRPO } from "../src/grpo/trainer.js";
import { parseTrainConfig } from "../src/grpo/config.js";
import { loadBaseCheckpoint } from "../src/policy/base.js";
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { PEER_PYTHON, peerSkip } from "../tests/helpers/peers.js";
import { rowGroups, setPrefixSharing, type PrefixSharing } from "../src/policy/prefix.js";
import { setDecodeBatching, type DecodeBatching } from "../src/policy/sample.js";
import { setGeluKernel, type GeluKernel } from "../src/policy/gelu.js";
import { setWasmKernels, type WasmKernels } from "../src/policy/wasmKernels.js";
import { setFusedDecode, type FusedDecode } from "../src/policy/decode.js";
import { setFusedAttention, type FusedAttention } from "../src/policy/attention.js";
import { setEmbedding, type Embedding } from "../src/policy/embed.js";

/** The speed levers of issue 16 that have a switch (docs/grpo.md "Speed"). */
type Levers = {
  prefix: PrefixSharing; decode: DecodeBatching; gelu: GeluKernel;
  kernels: WasmKernels; fusedDecode: FusedDecode; attention: FusedAttention; embedding: Embedding;
};
const ALL_ON: Levers = { prefix: "on", decode: "all", gelu: "sigmoid", kernels: "simd", fusedDecode: "on", attention: "on", embedding: "gather" };
function setLevers(l: Levers): void {
  setPrefixSharing(l.prefix);
  setDecodeBatching(l.decode);
  setGeluKernel(l.gelu);
  setWasmKernels(l.kernels);
  setFusedDecode(l.fusedDecode);
  setFusedAttention(l.attention);
  setEmbedding(l.embedding);
}
/** Child mode: only the main job's step and the plain step, printed as JSON (the parent runs it at 2 threads). */
const CHILD = process.argv.includes("--ours-only");

const reps = Number(process.env.BENCH_REPS ?? 3);
const { backend } = await initBackend();
const time = (f: () => void) => {
  f(); // warm-up
  const t = performance.now();
  for (let r = 0; r < reps; r++) f();
  return (performance.now() - t) / reps;
};
// Anatomy of a step on the default-size policy (not in the 2-thread child).
if (!CHILD) {
  const policy = new GPT({ blockSize: 112 }, 1);
  const B = 8;
  const G = 8;
  const problems = generateArithProblems({ seed: 1, n: B, split: "train" });
  const o = { seed: 1, step: 0, groupSize: G, maxTokens: 24, temperature: 1, topP: 1, topK: 0, resampleTries: 0 };
  const rollouts = time(() => void collectGroups(policy, arithTask, problems, o));
  setDecodeBatching("per-prompt");
  const perPrompt = time(() => void collectGroups(policy, arithTask, problems, o));
  setDecodeBatching("all");
  const groups = collectGroups(policy, arithTask, problems, o);
  const batch = buildBatch(groups, { padId: 0, maskTruncated: true });
  const tokens = tf.tensor2d(batch.tokens, undefined, "int32");
  const rg = rowGroups(groups.map((g) => g.rollouts.length), groups.map((g) => g.promptIds.length));
  const span = Math.max(...batch.spans.map((x) => x.length));
  const ref = time(() => void logprobsOf(policy, batch.tokens, 1, rg, span));
  const refPlain = time(() => void logprobsOf(policy, batch.tokens, 1));
  const opt = tf.train.adam(1e-4);
  const prompts = groups.flatMap((g) => g.rollouts.map(() => g.promptIds.length));
  const sft = time(() => void sftStep(policy, opt, { sequences: batch.tokens.map((r) => r.filter((x) => x !== 0)), promptLens: prompts }));
  const cfg = parseTrainConfig({ steps: 1, promptsPerStep: B, groupSize: G, maxTokens: 24, warmupSteps: 0, klMetrics: false, logEvery: 0 });
  await trainGRPO(policy, arithTask, problems, cfg); // warm-up
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) await trainGRPO(policy, arithTask, problems, cfg);
  const grpoStep = (performance.now() - t0) / reps;
  const update = grpoStep - rollouts;
  console.log(`backend ${backend}; B=${B} G=${G}; tokens [${tokens.shape}]; reps ${reps}; load ${loadavg()[0].toFixed(1)}`);
  console.table([
    { what: "rollouts, all groups in one decode batch (trainer)", ms: rollouts.toFixed(0), ratio: `${(rollouts / perPrompt).toFixed(2)}× per-prompt batches` },
    { what: "rollouts, one decode batch per prompt (before)", ms: perPrompt.toFixed(0), ratio: "1.00× (baseline)" },
    { what: "reference forward, shared prompt prefix (kl metrics)", ms: ref.toFixed(0), ratio: `${(ref / refPlain).toFixed(2)}× unshared` },
    { what: "reference forward, unshared (before)", ms: refPlain.toFixed(0), ratio: "1.00× (baseline)" },
    { what: "GRPO step (rollouts + update)", ms: grpoStep.toFixed(0), ratio: "" },
    { what: "  of which update (step − rollouts)", ms: update.toFixed(0), ratio: `${(update / sft).toFixed(2)}× SFT step` },
    { what: "SFT step, same tokens (baseline)", ms: sft.toFixed(0), ratio: "1.00× (baseline)" },
  ]);
  tokens.dispose();
}

// ---- The main job's shape vs PyTorch / TRL on the same machine, same run ----------------------------------
const load = () => loadavg()[0].toFixed(1);
const main = (await loadBaseCheckpoint()).model;
const mc = parseTrainConfig({ steps: 1, warmupSteps: 0, logEvery: 0 }); // defaults otherwise: B, G, maxTokens, T of the main job
const mainProblems = generateArithProblems({ seed: 1, n: 200, split: "train" });
await trainGRPO((await loadBaseCheckpoint()).model, arithTask, mainProblems, mc); // warm-up
/** Seconds and completion tokens of one main-job step from the base checkpoint (as the main job starts), with `levers` set. */
async function mainStep(levers: Levers, seed: number, override: Partial<typeof mc> = {}): Promise<{ s: number; tokens: number }> {
  setLevers(levers);
  const copy = (await loadBaseCheckpoint()).model;
  try {
    const [t] = await trainGRPO(copy, arithTask, mainProblems, { ...mc, ...override, seed });
    return { s: t.seconds as number, tokens: (t["completions/mean_length"] as number) * mc.promptsPerStep * mc.groupSize };
  } finally {
    setLevers(ALL_ON);
    copy.dispose();
  }
}
// Each lever off in turn, then all off (the three switches off), interleaved rep by rep so load drifts hit
// every variant alike; the same seeds (so the same prompts) for every variant.
// The last variant is the like-for-like one for TRL: TRL 1.13's default β = 0 loads no reference model and logs no
// KL, while the main job (β = 0 too) spends one reference forward per step on its kl/* trace metrics (klMetrics).
const ALL_OFF: Levers = { prefix: "off", decode: "per-prompt", gelu: "tanh", kernels: "tfjs", fusedDecode: "off", attention: "off", embedding: "onehot" };
const variants: [string, Levers, Partial<typeof mc>?][] = CHILD
  ? [["all levers on (default)", ALL_ON], ["all levers on, klMetrics off", ALL_ON, { klMetrics: false }]]
  : [
      ["all levers on (default)", ALL_ON],
      ["  without this project's SIMD kernels (tfjs-wasm's own; also turns off the four below)", { ...ALL_ON, kernels: "tfjs" }],
      ["  without the fused decoding step", { ...ALL_ON, fusedDecode: "off" }],
      ["  without the fused attention op", { ...ALL_ON, attention: "off" }],
      ["  without gather embeddings (one-hot matmuls)", { ...ALL_ON, embedding: "onehot" }],
      ["  without shared prompt prefix (training)", { ...ALL_ON, prefix: "off" }],
      ["  without one decode batch for all groups", { ...ALL_ON, decode: "per-prompt" }],
      ["  without GELU via sigmoid (tanh)", { ...ALL_ON, gelu: "tanh" }],
      ["all levers off (before)", ALL_OFF],
      ["all levers on, klMetrics off (as TRL's β = 0: no reference pass)", ALL_ON, { klMetrics: false }],
    ];
const BEFORE = variants.length - 2;
const NO_REF = variants.length - 1;
const leverReps = Number(process.env.BENCH_LEVER_REPS ?? 5);
const acc = variants.map(() => ({ s: 0, tokens: 0, loads: [] as string[] }));
for (let r = 0; r < leverReps; r++)
  for (const [v, [, levers, override]] of variants.entries()) {
    const m = await mainStep(levers, 1 + r, override);
    acc[v].s += m.s / leverReps;
    acc[v].tokens += m.tokens / leverReps;
    acc[v].loads.push(load());
  }
const [ourStep, ourTokS, ourLoads] = [acc[0].s, acc[0].tokens / acc[0].s, acc[0].loads.join("/")];
const leverRows: Record<string, string>[] = variants.map(([name], v) => ({
  what: name, s: acc[v].s.toFixed(3), "completion tok/s": (acc[v].tokens / acc[v].s).toFixed(0), "load (1 min)": acc[v].loads.join("/"),
}));
const before = acc[BEFORE].s;
leverRows.forEach((r, v) => (r["vs before"] = `${(acc[v].s / before).toFixed(2)}×`));
if (!CHILD) console.log(`\nmain job's step by lever (base checkpoint, B=${mc.promptsPerStep} G=${mc.groupSize} maxTokens ${mc.maxTokens} T ${mc.temperature}; ${leverReps} interleaved reps, seeds 1…${leverReps}; BENCH_LEVER_REPS)`);
if (!CHILD) console.table(leverRows);
// Plain forward+backward+Adam of ours on the main batch's token shape [B·G, L].
const mg = collectGroups(main, arithTask, mainProblems.slice(0, mc.promptsPerStep), { ...mc, step: 0 });
const mb = buildBatch(mg, { padId: main.tokenizer.padId, maskTruncated: true });
const L = mb.tokens[0].length;
const N = mb.tokens.length;
const rnd = createSeq(N, L, main.tokenizer.vocabSize);
const mopt = tf.train.adam(1e-4);
const copyForSft = (await loadBaseCheckpoint()).model;
const ourPlain = time(() => void sftStep(copyForSft, mopt, { sequences: rnd, promptLens: rnd.map(() => 1) }));
const ourPlainLoad = load();
copyForSft.dispose();
if (CHILD) {
  const { describeBackend } = await import("../src/policy/backend.js");
  console.log(JSON.stringify({ label: describeBackend().label, step: ourStep, tokS: ourTokS, stepNoKl: acc[NO_REF].s, plain: ourPlain / 1000, load: ourLoads }));
  process.exit(0);
}
// The same two measurements at 2 threads (a process has one wasm module: a child with RLVR_TFJS_THREADS=2).
const child = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--ours-only"], {
  env: { ...process.env, RLVR_TFJS_THREADS: "2" }, encoding: "utf8", timeout: 900_000,
});
const two = (() => {
  try {
    return JSON.parse(child.stdout.trim().split("\n").pop() ?? "") as { label: string; step: number; tokS: number; stepNoKl: number; plain: number; load: string };
  } catch {
    console.log(`rlvr-lab at 2 threads failed (exit ${child.status}): ${(child.stderr ?? "").trim().split("\n").slice(-3).join(" | ")}`);
    return null;
  }
})();
const numParams = main.numParams();
console.log(`\nmain job's shape: base checkpoint (${numParams} params), B=${mc.promptsPerStep} G=${mc.groupSize} maxTokens ${mc.maxTokens} T ${mc.temperature}; batch [${N}, ${L}]; backend ${backend}; reps ${reps}`);
const rows: Record<string, string>[] = [
  { what: `rlvr-lab GRPO step (main job's shape), ${ourTokS.toFixed(0)} completion tok/s`, s: ourStep.toFixed(3), "load (1 min)": ourLoads, ratio: "" },
  { what: "rlvr-lab forward+backward+Adam [B·G, L]", s: (ourPlain / 1000).toFixed(3), "load (1 min)": ourPlainLoad, ratio: "" },
];
if (two)
  rows.push(
    { what: `rlvr-lab GRPO step, ${two.label} (klMetrics off: ${two.stepNoKl.toFixed(3)} s)`, s: two.step.toFixed(3), "load (1 min)": two.load, ratio: "" },
    { what: `rlvr-lab forward+backward+Adam, ${two.label}`, s: two.plain.toFixed(3), "load (1 min)": two.load, ratio: "" },
  );
const skip = peerSkip(["torch", "trl", "transformers", "datasets"]);
if (skip) console.log(`PyTorch / TRL columns skipped: ${skip}`);
else {
  const prompts = mainProblems.slice(0, mc.promptsPerStep);
  for (const threads of [1, 2]) {
    const input = {
      threads, prompts: prompts.map((p) => arithTask.prompt(p)), answers: prompts.map((p) => String(p.gold)),
      alphabet: main.config.alphabet, hidden: main.config.nEmbd, layers: main.config.nLayer, heads: main.config.nHead,
      targetParams: numParams, positions: main.config.blockSize,
      B: mc.promptsPerStep, G: mc.groupSize, maxTokens: mc.maxTokens, temperature: mc.temperature, reps, seqLen: L,
    };
    const script = fileURLToPath(new URL("./peers/grpo_peer.py", import.meta.url));
    const r = spawnSync(PEER_PYTHON!, [script], { input: JSON.stringify(input), encoding: "utf8", timeout: 900_000 });
    const lastLine = r.stdout?.trim().split("\n").pop() ?? "";
    if (r.status !== 0 || !lastLine.startsWith("{")) {
      console.log(`peer at ${threads} thread(s) failed (exit ${r.status}): ${(r.stderr ?? "").trim().split("\n").slice(-3).join(" | ")}`);
      continue;
    }
    const peer = JSON.parse(lastLine) as { plain: number; trl: number; params: number; torch_version: string; trl_version: string };
    const l = load();
    rows.push(
      // Ratios: ours at 1 thread, and at the same thread count as the peer where that was measured.
      { what: `PyTorch ${peer.torch_version} plain fwd+bwd+Adam, ${threads} thread(s), ${peer.params} params`, s: peer.plain.toFixed(3), "load (1 min)": l, ratio: `rlvr-lab ${(ourPlain / 1000 / peer.plain).toFixed(2)}×${threads === 2 && two ? `; at 2 threads ${(two.plain / peer.plain).toFixed(2)}×` : ""}` },
      { what: `TRL ${peer.trl_version} GRPOTrainer step, ${threads} thread(s)`, s: peer.trl.toFixed(3), "load (1 min)": l, ratio: `rlvr-lab ${(ourStep / peer.trl).toFixed(2)}×; klMetrics off ${(acc[NO_REF].s / peer.trl).toFixed(2)}×${threads === 2 && two ? `; at 2 threads ${(two.step / peer.trl).toFixed(2)}× / ${(two.stepNoKl / peer.trl).toFixed(2)}×` : ""}` },
    );
  }
}
console.table(rows);
console.log("ratio = rlvr-lab time / peer time (> 1: rlvr-lab slower); load = 1-minute load average (2 cores) when measured");
main.dispose();

/** n deterministic pseudo-random sequences of character ids (3..v−1: 0–2 are pad, BOS, EOS). */
function createSeq(n: number, len: number, v: number): number[][] {
  let x = 12345;
  const next = () => ((x = (x * 1103515245 + 12345) >>> 0) % (v - 3)) + 3;
  return Array.from({ length: n }, () => Array.from({ length: len }, next));
}
