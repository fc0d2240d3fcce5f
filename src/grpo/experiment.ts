/**
 * The main experiment behind `rlvr start` / `rlvr train`: base checkpoint → held-out eval → GRPO on the
 * train split → held-out eval of the tuned policy on the SAME problems with the SAME sampling seeds →
 * paired bootstrap of the per-problem pass@1 difference. Held-out = `config.evalSplit`: "test" (the
 * default, what is reported) or "validation" (what hyper-parameters are chosen on; scripts/tune.ts); the
 * splits share no arithmetic with train or each other (src/tasks/arithSplit.ts). Writes into `runDir`:
 *
 *   trace.jsonl     one TraceStep per optimizer step (metric vocabulary of src/schemas/metrics.ts)
 *   rollouts.jsonl  one RolloutRecord per training completion
 *   summary.json    { base, tuned, lift, backend, seconds, config, eval_split, n_heldout, … }
 *   eval.jsonl      per held-out problem: base and tuned correct counts (the paired data of the lift)
 *   checkpoint/     the tuned policy (GPT.save format)
 *   report.html     via src/plots/report.ts when that module is present
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { initBackend } from "../policy/backend.js";
import { loadBaseCheckpoint } from "../policy/base.js";
import type { GPT } from "../policy/gpt.js";
import { JsonlAppender, writeJsonl } from "../schemas/jsonl.js";
import { formatSeconds } from "../schemas/text.js";
import { pairedBootstrap } from "../stats/bootstrap.js";
import { generateArithProblems } from "../tasks/arith.js";
import { arithTask } from "./arithTask.js";
import type { TrainConfig } from "./config.js";
import { evaluatePolicy, type EvalResult, type Estimate95 } from "./evaluate.js";
import { trainGRPO } from "./trainer.js";

export interface ExperimentOptions {
  runDir: string;
  /** Base checkpoint folder (default data/checkpoints/base). */
  checkpointDir?: string;
  /** Start from this policy instead of loading a checkpoint (tests). */
  policy?: GPT;
  log?: (line: string) => void;
  /** Write report.html (default true when src/plots/report.js loads). */
  report?: boolean;
}

export interface RunSummary {
  base: EvalBlock;
  tuned: EvalBlock;
  lift: { estimate: number; ci95: [number, number]; p_value: number; metric: "pass@1"; n: number };
  backend: string;
  /** Threads the backend computes with (wasm: 1 unless RLVR_TFJS_THREADS asks for more); null where unknown (tensorflow). */
  backend_threads: number | null;
  /** What ran, in words: `wasm (SIMD, 1 thread)`, `tensorflow`, … */
  backend_label: string;
  seconds: number;
  seconds_by_phase: { load: number; eval_base: number; train: number; eval_tuned: number };
  config: TrainConfig;
  /** The split the held-out problems came from (config.evalSplit). */
  eval_split: "validation" | "test";
  n_heldout: number;
  files: Record<string, string>;
}

/**
 * `greedy` is a reference, not part of the lift: pass@1 of temperature-0 decoding on the same problems.
 * RL on a small base mostly sharpens what is there, so base greedy shows how much of a sampled-pass@1 lift
 * plain argmax decoding of the base already had; tuned greedy shows whether training moved the argmax too.
 */
type EvalBlock = Pick<EvalResult, "pass@1" | "pass@k" | "format"> & { seconds: number; greedy: { "pass@1": Estimate95 & { n_problems: number } } };
const block = (e: EvalResult, g: EvalResult): EvalBlock => ({
  "pass@1": e["pass@1"],
  "pass@k": e["pass@k"],
  format: e.format,
  seconds: e.seconds,
  greedy: { "pass@1": { estimate: g["pass@1"].estimate, ci95: g["pass@1"].wilson95, n_problems: g["pass@1"].n_problems } },
});

export async function runGrpoExperiment(c: TrainConfig, o: ExperimentOptions): Promise<RunSummary> {
  const log = o.log ?? (() => {});
  const t0 = performance.now();
  mkdirSync(o.runDir, { recursive: true });
  const { backend, threads, label } = await initBackend(c.backend ? { backend: c.backend } : {});
  const policy = o.policy ?? (await loadBaseCheckpoint(o.checkpointDir)).model;
  const tLoad = performance.now();
  const train = generateArithProblems({ seed: c.seed, n: c.trainProblems, split: "train" });
  const heldout = generateArithProblems({ seed: c.seed, n: c.heldout, split: c.evalSplit });
  const evalOptions = { n: c.evalSamples, ks: c.passK, temperature: c.evalTemperature, maxTokens: c.maxTokens, seed: c.seed, resamples: c.resamples };
  const greedyOptions = { ...evalOptions, n: 1, ks: [1], temperature: 0 };

  log(`backend ${label}; evaluating base on ${heldout.length} ${c.evalSplit} problems × ${c.evalSamples} samples`);
  const base = evaluatePolicy(policy, arithTask, heldout, evalOptions);
  const baseGreedy = evaluatePolicy(policy, arithTask, heldout, greedyOptions);
  const evalSeconds = (performance.now() - tLoad) / 1000;
  log(`base pass@1 ${fmtPct(base["pass@1"].estimate)} (greedy ${fmtPct(baseGreedy["pass@1"].estimate)}; evaluated in ${formatSeconds(evalSeconds)})`);
  log(
    `training: ${c.steps} GRPO steps of ${c.promptsPerStep} prompts × ${c.groupSize} completions (the first step gives a time estimate); ` +
      `then the tuned policy is evaluated on the same problems (about ${formatSeconds(evalSeconds)} again)`,
  );

  const trace = new JsonlAppender(join(o.runDir, "trace.jsonl"));
  const rollouts = new JsonlAppender(join(o.runDir, "rollouts.jsonl"));
  const tTrain = performance.now();
  try {
    await trainGRPO(policy, arithTask, train, c, { trace, rollouts, log });
  } finally {
    trace.close();
    rollouts.close();
  }
  const trainSeconds = (performance.now() - tTrain) / 1000;

  const tuned = evaluatePolicy(policy, arithTask, heldout, evalOptions);
  const tunedGreedy = evaluatePolicy(policy, arithTask, heldout, greedyOptions);
  log(`tuned pass@1 ${fmtPct(tuned["pass@1"].estimate)} (greedy ${fmtPct(tunedGreedy["pass@1"].estimate)}; evaluated in ${formatSeconds(tuned.seconds + tunedGreedy.seconds)})`);
  const lift = pairedBootstrap(base.pass1PerProblem, tuned.pass1PerProblem, { resamples: c.resamples, seed: c.seed });

  writeJsonl(
    join(o.runDir, "eval.jsonl"),
    heldout.map((p, i) => ({ problem_id: p.id, n: c.evalSamples, base_correct: base.perProblem[i].c, tuned_correct: tuned.perProblem[i].c })),
  );
  await policy.save(join(o.runDir, "checkpoint"));
  const files: Record<string, string> = {
    trace: join(o.runDir, "trace.jsonl"),
    rollouts: join(o.runDir, "rollouts.jsonl"),
    summary: join(o.runDir, "summary.json"),
    eval: join(o.runDir, "eval.jsonl"),
    checkpoint: join(o.runDir, "checkpoint"),
  };
  const summary: RunSummary = {
    base: block(base, baseGreedy),
    tuned: block(tuned, tunedGreedy),
    lift: { estimate: lift.estimate, ci95: lift.ci95, p_value: lift.p_value, metric: "pass@1", n: heldout.length },
    backend,
    backend_threads: threads ?? null,
    backend_label: label,
    seconds: (performance.now() - t0) / 1000,
    seconds_by_phase: { load: (tLoad - t0) / 1000, eval_base: base.seconds, train: trainSeconds, eval_tuned: tuned.seconds },
    config: c,
    eval_split: c.evalSplit,
    n_heldout: heldout.length,
    files,
  };
  writeFileSync(files.summary, JSON.stringify(summary, null, 2) + "\n");
  if (o.report ?? true) {
    const report = await writeReport(o.runDir, log);
    if (report) {
      summary.files.report = report;
      writeFileSync(files.summary, JSON.stringify(summary, null, 2) + "\n");
    }
  }
  if (!o.policy) policy.dispose();
  return summary;
}

/** report.html through src/plots/report.ts, loaded lazily (plotly is large); null when unavailable. */
async function writeReport(runDir: string, log: (s: string) => void): Promise<string | null> {
  let mod: { writeRunReport?: (dir: string) => Promise<string> };
  try {
    mod = await import("../plots/report.js");
  } catch (err) {
    log(`report.html skipped: ${(err as Error).message}`);
    return null;
  }
  if (typeof mod.writeRunReport !== "function") return null;
  try {
    return await mod.writeRunReport(runDir);
  } catch (err) {
    log(`report.html failed: ${(err as Error).message}`);
    return null;
  }
}

export const fmtPct = (x: number) => `${(100 * x).toFixed(1)}%`;
