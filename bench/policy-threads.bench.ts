/**
 * tfjs-wasm at 1 thread (the single-threaded SIMD build) vs N threads (the threaded SIMD build through
 * src/policy/wasmThreads.ts), measured in this run. A process has one wasm module, so each configuration runs
 * in a child process (this file with BENCH_THREADS_CHILD=1 and RLVR_TFJS_THREADS=n); the configurations
 * alternate over BENCH_ROUNDS rounds (default 2) so that a change in the machine's load hits both. Each child
 * reports:
 *   - matmul GFLOP/s on the policy's qkv shape [2048,128]×[128,384] and on [512,512]×[512,512];
 *   - a training step (forward + backward + Adam) of the ~421k-parameter GPT on 32×64 tokens (policy.bench.ts §1);
 *   - sampling one step's rollouts of the main job (base checkpoint, 8 calls of a group of 8, ≤ 28 tokens, T 1.5);
 *   - one GRPO step of the main job's shape (base checkpoint, default TrainConfig), rollouts included, with the
 *     CPU seconds it used (user + system, all threads).
 * The 1-minute load average is printed with every child: the machine is shared.
 *
 *   node scripts/run-bench.mjs policy-threads      (env BENCH_REPS, default 5; BENCH_ROUNDS; BENCH_THREADS="1,2")
 */
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";

const REPS = Number(process.env.BENCH_REPS ?? 5);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface ChildResult {
  label: string;
  threads: number;
  initMs: number;
  gflopsQkv: number;
  gflops512: number;
  trainStepS: number;
  grpoStepS: number;
  grpoCpuS: number;
  sampleS: number;
}

async function child(): Promise<ChildResult> {
  const tf = await import("@tensorflow/tfjs");
  const { initBackend } = await import("../src/policy/backend.js");
  const { GPT } = await import("../src/policy/gpt.js");
  const { loadBaseCheckpoint } = await import("../src/policy/base.js");
  const { parseTrainConfig } = await import("../src/grpo/config.js");
  const { trainGRPO } = await import("../src/grpo/trainer.js");
  const { arithTask } = await import("../src/grpo/arithTask.js");
  const { generateArithProblems } = await import("../src/tasks/arith.js");
  const t0 = performance.now();
  const info = await initBackend();
  const initMs = performance.now() - t0;

  const gflops = (m: number, k: number, n: number) => {
    const a = tf.randomNormal([m, k], 0, 1, "float32", 1);
    const b = tf.randomNormal([k, n], 0, 1, "float32", 2);
    tf.matMul(a, b).dispose(); // warm-up (the wasm backend is synchronous: no read-back needed to time it)
    const times: number[] = [];
    for (let i = 0; i < 5 * REPS; i++) {
      const t = performance.now();
      tf.matMul(a, b).dispose();
      times.push((performance.now() - t) / 1000);
    }
    tf.dispose([a, b]);
    return (2 * m * k * n) / median(times) / 1e9;
  };
  const gflopsQkv = gflops(2048, 128, 384);
  const gflops512 = gflops(512, 512, 512);

  const model = new GPT({ nLayer: 2, nHead: 4, nEmbd: 128, blockSize: 64 }, 0);
  const V = model.tokenizer.vocabSize;
  let s = 1;
  const ids = Array.from({ length: 32 }, () => Array.from({ length: 64 }, () => 3 + ((s = (s * 1103515245 + 12345) >>> 0) % (V - 3))));
  const x = tf.tensor2d(ids, [32, 64], "int32");
  const opt = tf.train.adam(1e-3);
  const steps: number[] = [];
  for (let i = 0; i < REPS + 1; i++) {
    const t = performance.now();
    const loss = opt.minimize(() => model.tokenLogprobs(x).logprobs.mean().neg() as import("@tensorflow/tfjs").Scalar, true, model.trainableVariables());
    loss!.dataSync();
    loss!.dispose();
    if (i > 0) steps.push((performance.now() - t) / 1000);
  }
  tf.dispose([x]);
  opt.dispose();
  model.dispose();

  const cfg = parseTrainConfig({ steps: 1, warmupSteps: 0, logEvery: 0 });
  const problems = generateArithProblems({ seed: 1, n: 200, split: "train" });
  const sampler = (await loadBaseCheckpoint()).model;
  const groups = problems.slice(0, cfg.promptsPerStep).map((p) => Array.from({ length: cfg.groupSize }, () => sampler.tokenizer.encodePrompt(arithTask.prompt(p))));
  const sampling: number[] = [];
  for (let r = 0; r < REPS + 1; r++) {
    const t = performance.now();
    for (const g of groups) sampler.sample(g, { maxTokens: cfg.maxTokens, temperature: cfg.temperature, seed: r });
    if (r > 0) sampling.push((performance.now() - t) / 1000);
  }
  sampler.dispose();
  const grpo: number[] = [];
  const grpoCpu: number[] = [];
  for (let r = 0; r < Math.max(2, Math.ceil(REPS / 2)) + 1; r++) {
    const policy = (await loadBaseCheckpoint()).model; // every rep starts from the base checkpoint, as the main job does
    const cpu0 = process.cpuUsage();
    const [step] = await trainGRPO(policy, arithTask, problems, { ...cfg, seed: 1 + r });
    const cpu = process.cpuUsage(cpu0);
    if (r > 0) grpo.push(step.seconds as number); // the first is a warm-up
    if (r > 0) grpoCpu.push((cpu.user + cpu.system) / 1e6);
    policy.dispose();
  }
  return { label: info.label, threads: info.threads ?? 0, initMs, gflopsQkv, gflops512, trainStepS: median(steps), sampleS: median(sampling), grpoStepS: median(grpo), grpoCpuS: median(grpoCpu) };
}

if (process.env.BENCH_THREADS_CHILD === "1") {
  console.log(JSON.stringify(await child()));
} else {
  const configs = (process.env.BENCH_THREADS ?? "1,2").split(",").map(Number);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  const self = fileURLToPath(import.meta.url);
  const results = new Map<number, (ChildResult & { load: number })[]>(configs.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    for (const n of r % 2 === 0 ? configs : [...configs].reverse()) {
      const out = spawnSync(process.execPath, ["--import", "tsx", self], {
        env: { ...process.env, BENCH_THREADS_CHILD: "1", RLVR_TFJS_THREADS: String(n) },
        encoding: "utf8",
        timeout: 600_000,
      });
      const line = out.stdout.trim().split("\n").pop() ?? "";
      if (out.status !== 0 || !line.startsWith("{")) {
        console.log(`RLVR_TFJS_THREADS=${n}: child failed (exit ${out.status}): ${out.stderr.trim().split("\n").slice(-3).join(" | ")}`);
        process.exitCode = 1;
        continue;
      }
      const res = { ...(JSON.parse(line) as ChildResult), load: loadavg()[0] };
      console.log(`round ${r + 1}, RLVR_TFJS_THREADS=${n}: ${res.label}; load ${res.load.toFixed(1)}; ${line}`);
      results.get(n)!.push(res);
    }
  }
  const base = results.get(configs[0])!;
  const metric = (rs: ChildResult[], k: keyof ChildResult) => median(rs.map((x) => x[k] as number));
  const rows = [...results].filter(([, rs]) => rs.length > 0).map(([n, rs]) => {
    const speed = (k: keyof ChildResult, higherBetter: boolean) => {
      const v = metric(rs, k);
      const b = metric(base, k);
      return `${v.toFixed(higherBetter ? 2 : 3)} (${(higherBetter ? v / b : b / v).toFixed(2)}×)`;
    };
    return {
      RLVR_TFJS_THREADS: n,
      backend: rs[0].label,
      runs: rs.length,
      "init ms": metric(rs, "initMs").toFixed(0),
      "GFLOP/s qkv [2048,128]×[128,384]": speed("gflopsQkv", true),
      "GFLOP/s [512]³": speed("gflops512", true),
      "train step 421k, 32×64 (s)": speed("trainStepS", false),
      "sampling, main job step (s)": speed("sampleS", false),
      "GRPO step, main job (s)": speed("grpoStepS", false),
      "GRPO step CPU (s)": metric(rs, "grpoCpuS").toFixed(2),
      "load (1 min)": rs.map((x) => x.load.toFixed(1)).join("/"),
    };
  });
  console.table(rows);
  console.log(`(×) = speed relative to RLVR_TFJS_THREADS=${configs[0]} in this run (> 1: faster); medians over runs of medians over ${REPS} reps; 2 cores shared, see load`);
}
