/**
 * `rlvr sweep` — sample n completions per problem from OpenAI-compatible endpoints, verify them and write
 * pass@k with 95% CIs; crash-safe, `--resume` finishes an interrupted run (see src/rollout/sweep.ts).
 *
 *   rlvr sweep --endpoint URL [--endpoint URL2] --model M --data problems.jsonl --n 16 --out DIR
 *              [--task gsm8k|math] [--k 1,4,16] [--concurrency 8] [--max-tokens N] [--temperature T]
 *              [--chat] [--few-shot K] [--resume] …
 *
 * Exit codes: 0 all samples recorded and verified; 1 bad problem lines, samples that still failed after
 * retries, or an interrupted run (rerun with --resume); 2 usage error; 130 interrupted by SIGINT/SIGTERM.
 */
import { z } from "zod";
import { parseFlags, withUsage, UsageError, printedHelp } from "./args.js";
import { formatJsonlError } from "../schemas/jsonl.js";
import { checkInputFile, describeFileError, InputFileError } from "../schemas/files.js";
import { loadProblems } from "../rollout/problems.js";
import { EndpointError, EndpointUrl, runSweep } from "../rollout/sweep.js";
import { closeDefaultPool } from "../verifiers/pool.js";

export const summary = "sample n completions per problem from OpenAI-compatible endpoints, verify, pass@k (resumable)";

const USAGE = `usage: rlvr sweep --endpoint URL [--endpoint URL2 …] --model M --data problems.jsonl --n 16 --out DIR
                   [--task gsm8k|math] [--k 1,4,16] [--concurrency 8] [--strategy least-loaded|round-robin]
                   [--max-tokens N] [--temperature T] [--top-p P] [--chat] [--few-shot K]
                   [--style lm-eval|cot|minerva] [--stop S …] [--model-kind base|instruct]
                   [--timeout-ms MS] [--max-retries R] [--seed S] [--epoch E] [--step T] [--logprobs]
                   [--tokenizer MODEL_DIR] [--resume] [--json]
  --endpoint     base URL of an OpenAI-compatible server (repeat for fan-out), e.g. http://127.0.0.1:8000
  --model        model id sent with each request
  --data         problems JSONL: {id, question, gold} | GSM8K {question, answer "… #### N"} |
                 MATH-500 {problem, answer, unique_id, level, subject}
  --n            samples per problem
  --out          output directory (completions.jsonl, verdicts.jsonl, summary.json, sweep.json)
  --task         verifier; default: per problem (MATH-500 lines → math, others → gsm8k)
  --k            pass@k values (≤ n); default 1, powers of two, n
  --concurrency  requests in flight per endpoint
  --chat         use /v1/chat/completions with the style's instruction as system message
  --few-shot     built-in exemplars before the question (lm-eval/cot: ≤ 8, minerva: ≤ 4)
  --style        lm-eval "Question: … Answer:" (gsm8k default) | cot "Q: … A:" | minerva (math default)
  --stop         replace the style's stop sequences (repeatable; --stop "" for none)
  --model-kind   base|instruct; default guessed from the model id (used for prompt warnings)
  --tokenizer    with --chat: render prompts with this model folder's chat template (tokenizer_config.json) and
                 send them raw to /v1/completions; its template findings and a server tokenizer mismatch warn
  --seed         run seed mixed into every per-sample request seed
  --resume       continue DIR: keep complete samples, redo missing/failed ones
  --json         print summary.json instead of the table`;

const int = (what: string, min: number) =>
  z.string().regex(/^-?\d+$/, `${what} must be an integer`).transform(Number).refine((v) => v >= min, `${what} must be at least ${min}`);
const num = (what: string) => z.string().transform(Number).refine(Number.isFinite, `${what} must be a number`);

const Flags = z.object({
  endpoint: z.array(EndpointUrl).min(1, "give at least one --endpoint URL"),
  model: z.string().min(1, "give the model id, e.g. --model Qwen2.5-0.5B"),
  data: z.string().min(1, "give the problems file, e.g. --data problems.jsonl"),
  out: z.string().min(1, "give an output directory, e.g. --out runs/sweep1"),
  n: int("n", 1).optional(),
  task: z.enum(["gsm8k", "math"]).optional(),
  k: z
    .string()
    .transform((s) => s.split(",").map((p) => p.trim()))
    .refine((ps) => ps.every((p) => /^\d+$/.test(p) && Number(p) >= 1), "give positive integers separated by commas, e.g. --k 1,4,16")
    .transform((ps) => ps.map(Number))
    .optional(),
  concurrency: int("concurrency", 1).optional(),
  strategy: z.enum(["least-loaded", "round-robin"]).optional(),
  "max-tokens": int("max-tokens", 1).optional(),
  temperature: num("temperature").optional(),
  "top-p": num("top-p").optional(),
  chat: z.boolean().default(false),
  "few-shot": int("few-shot", 0).optional(),
  style: z.enum(["lm-eval", "cot", "minerva"]).optional(),
  stop: z.array(z.string()).optional(),
  "model-kind": z.enum(["base", "instruct"]).optional(),
  "timeout-ms": int("timeout-ms", 1).optional(),
  "max-retries": int("max-retries", 0).optional(),
  seed: int("seed", -(2 ** 31)).optional(),
  epoch: int("epoch", 0).optional(),
  step: int("step", 0).optional(),
  logprobs: z.boolean().default(false),
  tokenizer: z.string().min(1).optional(),
  resume: z.boolean().default(false),
  json: z.boolean().default(false),
});

const OPTIONS = {
  endpoint: { type: "string", multiple: true },
  model: { type: "string" },
  data: { type: "string" },
  out: { type: "string" },
  n: { type: "string" },
  task: { type: "string" },
  k: { type: "string" },
  concurrency: { type: "string" },
  strategy: { type: "string" },
  "max-tokens": { type: "string" },
  temperature: { type: "string" },
  "top-p": { type: "string" },
  chat: { type: "boolean" },
  "few-shot": { type: "string" },
  style: { type: "string" },
  stop: { type: "string", multiple: true },
  "model-kind": { type: "string" },
  "timeout-ms": { type: "string" },
  "max-retries": { type: "string" },
  seed: { type: "string" },
  epoch: { type: "string" },
  step: { type: "string" },
  logprobs: { type: "boolean" },
  tokenizer: { type: "string" },
  resume: { type: "boolean" },
  json: { type: "boolean" },
} as const;

function pct(x: number): string {
  return (100 * x).toFixed(1).padStart(5);
}

export function run(argv: string[]): Promise<number> {
  return withUsage(async () => {
    if (printedHelp(argv, USAGE)) return 0;
    const { flags } = parseFlags(argv, OPTIONS, Flags, USAGE);
    try {
      checkInputFile(flags.data, { label: "--data", expect: "a problems JSONL file", suggest: [".jsonl"] });
    } catch (err) {
      throw err instanceof InputFileError ? new UsageError(`rlvr sweep: ${err.message}`) : err;
    }
    const { problems, errors } = await loadProblems(flags.data).catch((err: NodeJS.ErrnoException) => {
      throw new UsageError(`rlvr sweep: ${describeFileError(err, flags.data, { label: "--data" }).message}`);
    });
    for (const e of errors) console.error(formatJsonlError(e));
    if (problems.length === 0) {
      console.error(`rlvr sweep: no usable problems in ${flags.data}`);
      return 1;
    }
    const ctl = new AbortController();
    const stop = () => {
      console.error("\nrlvr sweep: interrupted; flushing what is done (rerun with --resume to finish)");
      ctl.abort();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    let result;
    try {
      result = await runSweep(
        problems,
        {
          endpoints: flags.endpoint,
          model: flags.model,
          outDir: flags.out,
          n: flags.n,
          ks: flags.k,
          task: flags.task,
          concurrency: flags.concurrency,
          strategy: flags.strategy,
          maxTokens: flags["max-tokens"],
          temperature: flags.temperature,
          topP: flags["top-p"],
          chat: flags.chat,
          fewShot: flags["few-shot"],
          style: flags.style,
          stop: flags.stop?.filter((s) => s !== ""),
          modelKind: flags["model-kind"],
          timeoutMs: flags["timeout-ms"],
          maxRetries: flags["max-retries"],
          runSeed: flags.seed,
          epoch: flags.epoch,
          step: flags.step,
          logprobs: flags.logprobs,
          tokenizer: flags.tokenizer,
          resume: flags.resume,
        },
        { signal: ctl.signal, onWarning: (m) => console.error(`warning: ${m}`) },
      );
    } catch (err) {
      if (err instanceof EndpointError) {
        console.error(`rlvr sweep: ${err.message}\nstart the server (e.g. rlvr serve --port 8000), or fix --endpoint`);
        return 1;
      }
      if (/already exists|--resume with different|invalid sweep options|larger than n|^--tokenizer|tokenizer\.json|tokenizer_config\.json/.test((err as Error).message)) throw new UsageError((err as Error).message);
      throw err;
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      await closeDefaultPool();
    }
    if (result.interrupted) {
      const p = result.summary as { present: number; expected: number };
      console.error(`rlvr sweep: interrupted with ${p.present} of ${p.expected} samples recorded in ${flags.out}; rerun with --resume to finish`);
      return 130;
    }
    const s = result.summary as {
      "pass@k": Record<string, { estimate: number; ci95: [number, number] }>;
      n_problems: number;
      n_samples: number;
      completions: { total: number; missing: number; truncated: number; errors: number; duplicates_on_read: number; by_finish_reason: Record<string, number> };
      verdicts: Record<string, number>;
      truncated_verdicts: Record<string, number>;
      this_run: { recorded: number; skipped_complete: number; seconds: number; completions_per_s: number; retried_attempt_errors: number };
      failures: Record<string, { count: number; causes: Record<string, number> }>;
      "excluded_from_pass@k": { errors: number };
    };
    // Failures first, and never as a result: failed samples are not in pass@k.
    for (const [ep, f] of Object.entries(s.failures)) {
      console.error(`rlvr sweep: ${f.count} samples failed at ${ep}: ${Object.entries(f.causes).map(([c, n]) => `${c.replace(/[\u0000-\u001f\u007f]/g, " ")} (×${n})`).join("; ")}`);
    }
    const valid = s.n_samples;
    if (flags.json) console.log(JSON.stringify(s, null, 2));
    else if (valid === 0 || Object.keys(s["pass@k"]).length === 0) {
      console.error(`rlvr sweep: no pass@k: ${valid === 0 ? "every sample failed" : "no problem has enough successful samples for any k"} (${s["excluded_from_pass@k"].errors} failed samples excluded); nothing to report. Fix the endpoint and rerun with --resume`);
    } else {
      const excluded = s["excluded_from_pass@k"].errors;
      const lines = [`${s.n_problems} problems, ${s.n_samples} samples → ${flags.out}${excluded ? ` (${excluded} failed samples excluded from pass@k)` : ""}`];
      for (const [k, e] of Object.entries(s["pass@k"])) lines.push(`  pass@${k.padEnd(4)} ${pct(e.estimate)}%  [${pct(e.ci95[0]).trim()}, ${pct(e.ci95[1]).trim()}]`);
      const c = s.completions;
      lines.push(`  finish: ${Object.entries(c.by_finish_reason).map(([r, v]) => `${r} ${v}`).join(", ")}`);
      lines.push(`  truncated (finish_reason length): ${c.truncated}  verdicts among them: ${JSON.stringify(s.truncated_verdicts)}`);
      lines.push(`  verdicts: ${Object.entries(s.verdicts).map(([r, v]) => `${r} ${v}`).join(", ")}`);
      lines.push(`  errors after retries: ${c.errors}  retried attempt errors this run: ${s.this_run.retried_attempt_errors}  duplicates on read: ${c.duplicates_on_read}`);
      lines.push(`  this run: ${s.this_run.recorded} recorded, ${s.this_run.skipped_complete} already complete, ${s.this_run.seconds} s, ${s.this_run.completions_per_s} completions/s`);
      console.log(lines.join("\n"));
    }
    if (s.completions.errors > 0) console.error(`rlvr sweep: ${s.completions.errors} samples failed after all retries (recorded with finish_reason "error"); rerun with --resume to retry them`);
    return errors.length > 0 || s.completions.errors > 0 || s.completions.missing > 0 ? 1 : 0;
  });
}
