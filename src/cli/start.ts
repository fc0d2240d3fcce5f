/**
 * `rlvr start` (= `npm start`): the main job. Loads the base checkpoint, evaluates it on the test split's
 * arithmetic problems (`--split validation` when choosing hyper-parameters), trains it with GRPO on the
 * train split, evaluates the tuned policy on the same problems and prints the pass@1 lift with its
 * paired-bootstrap 95% CI. Every knob has a default in src/grpo/config.ts; the flags
 * here override the common ones, `--config file.json` any of them.
 */
import { readJsonFile, InputFileError } from "../schemas/files.js";
import { escapeControl, formatSeconds } from "../schemas/text.js";
import { readdirSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import { parseFlags, UsageError, withUsage } from "./args.js";

export const summary = "the main job: evaluate the base policy, train it with GRPO, evaluate again, report the lift";

const USAGE = `usage: rlvr start [--quick] [--steps N] [--heldout N] [--split test|validation] [--seed N] [--config file.json] [--out DIR] [--backend wasm|cpu|tensorflow] [--checkpoint DIR] [--no-report] [--force] [--json]

  --quick           a fast smoke run (few steps, few held-out problems)
  --steps N         GRPO steps
  --heldout N       held-out problems (evaluated before and after, same problems)
  --split S         held-out split: test (default; report it) or validation (tune on it)
  --config FILE     JSON object of TrainConfig fields (see docs/grpo.md; flags override it)
  --out DIR         run folder (default runs/<timestamp>); it must be new or empty
  --force           delete the previous run in --out DIR first
  --checkpoint DIR  base checkpoint (default data/checkpoints/base)
  --json            print summary.json to stdout instead of the headline`;

/** Overrides applied by --quick: small enough for a smoke run in well under a minute. */
export const QUICK = { steps: 4, promptsPerStep: 4, groupSize: 4, heldout: 16, evalSamples: 2, passK: [1, 2], trainProblems: 200, resamples: 500, logEvery: 1 };

const Flags = z.object({
  quick: z.boolean().default(false),
  steps: z.coerce.number().int().nonnegative().optional(),
  heldout: z.coerce.number().int().positive().optional(),
  split: z.enum(["validation", "test"]).optional(),
  seed: z.coerce.number().int().optional(),
  config: z.string().optional(),
  out: z.string().optional(),
  backend: z.enum(["wasm", "cpu", "tensorflow"]).optional(),
  checkpoint: z.string().optional(),
  "no-report": z.boolean().default(false),
  force: z.boolean().default(false),
  json: z.boolean().default(false),
  help: z.boolean().default(false),
});

const OPTIONS = {
  quick: { type: "boolean" },
  steps: { type: "string" },
  heldout: { type: "string" },
  split: { type: "string" },
  seed: { type: "string" },
  config: { type: "string" },
  out: { type: "string" },
  backend: { type: "string" },
  checkpoint: { type: "string" },
  "no-report": { type: "boolean" },
  force: { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Read a JSON config file (BOM accepted); errors name the flag, the file, the line and the fix. */
export function readConfigFile(path: string): Record<string, unknown> {
  const label = { label: "--config", expect: "a JSON object of TrainConfig fields", fix: "rlvr train --print-config > c.json writes one", suggest: [".json"] };
  let v: unknown;
  try {
    v = readJsonFile(path, label);
  } catch (err) {
    if (err instanceof InputFileError) throw new UsageError(err.message);
    throw err;
  }
  if (v === null || typeof v !== "object" || Array.isArray(v))
    throw new UsageError(`--config ${escapeControl(path)}: the top level must be a JSON object of TrainConfig fields, not ${v === null ? "null" : Array.isArray(v) ? "an array" : typeof v} (rlvr train --print-config > c.json writes one)`);
  return v as Record<string, unknown>;
}

/** What a run folder holds (src/grpo/experiment.ts); `--force` deletes only these. */
export const RUN_FILES = ["trace.jsonl", "rollouts.jsonl", "summary.json", "eval.jsonl", "checkpoint", "report.html"];

/**
 * A run folder must be new or empty: a second run into it would append to its trace and rollouts and
 * overwrite its summary (two runs silently mixed). `force` deletes a previous run's files first, and only
 * those: a folder with anything else in it is refused either way.
 */
export function prepareRunDir(dir: string, force: boolean): void {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new UsageError(`--out ${escapeControl(dir)}: is a file, not a folder (give a new folder for the run)`);
    entries = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw err instanceof UsageError ? err : new UsageError(`--out ${escapeControl(dir)}: ${(err as Error).message}`);
  }
  if (entries.length === 0) return;
  const foreign = entries.filter((e) => !RUN_FILES.includes(e));
  const list = (xs: string[]) => xs.slice(0, 5).map((f) => escapeControl(f)).join(", ") + (xs.length > 5 ? `, … (${xs.length} in all)` : "");
  if (foreign.length > 0)
    throw new UsageError(`--out ${escapeControl(dir)}: not empty and not a run folder (it holds ${list(foreign)}); give a new or empty folder`);
  if (!force)
    throw new UsageError(`--out ${escapeControl(dir)}: already holds a run (${list(entries)}); a second run would mix with it. Give a new --out, or pass --force to delete that run and start fresh`);
  for (const e of entries) rmSync(join(dir, e), { recursive: true, force: true });
}

export const defaultRunDir = () => join("runs", new Date().toISOString().replace(/[:.]/g, "-").replace(/Z$/, ""));

/** Validate, run, print. Shared by `rlvr start` and `rlvr train`. */
export async function runAndPrint(
  input: Record<string, unknown>,
  o: { out?: string; checkpoint?: string; report: boolean; json: boolean; force?: boolean },
): Promise<number> {
  const { parseTrainConfig, ConfigError } = await import("../grpo/config.js");
  let config;
  try {
    config = parseTrainConfig(input);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
  const runDir = resolve(o.out ?? defaultRunDir());
  prepareRunDir(runDir, o.force === true);
  const { runGrpoExperiment, fmtPct } = await import("../grpo/experiment.js");
  const { describeBackend } = await import("../policy/backend.js");
  const log = o.json ? (s: string) => console.error(s) : (s: string) => console.log(s);
  const s = await runGrpoExperiment(config, { runDir, checkpointDir: o.checkpoint, log, report: o.report });
  if (o.json) {
    console.log(JSON.stringify(s, null, 2));
    return 0;
  }
  const ci = (x: [number, number]) => `[${fmtPct(x[0])}, ${fmtPct(x[1])}]`;
  console.log(
    [
      "",
      `${s.eval_split} problems: ${s.n_heldout} (distinct arithmetic, none in train) × ${config.evalSamples} samples (temperature ${config.evalTemperature})`,
      `base  pass@1 ${fmtPct(s.base["pass@1"].estimate)}  95% CI ${ci(s.base["pass@1"].ci95)}`,
      `tuned pass@1 ${fmtPct(s.tuned["pass@1"].estimate)}  95% CI ${ci(s.tuned["pass@1"].ci95)}`,
      ...Object.keys(s.tuned["pass@k"])
        .filter((k) => k !== "1")
        .map((k) => `pass@${k}: base ${fmtPct(s.base["pass@k"][k].estimate)} → tuned ${fmtPct(s.tuned["pass@k"][k].estimate)}`),
      `greedy (temperature 0, reference, n=${s.base.greedy["pass@1"].n_problems}): base ${fmtPct(s.base.greedy["pass@1"].estimate)} ${ci(s.base.greedy["pass@1"].ci95)} → tuned ${fmtPct(s.tuned.greedy["pass@1"].estimate)} ${ci(s.tuned.greedy["pass@1"].ci95)}`,
      `lift  ${s.lift.estimate >= 0 ? "+" : ""}${(100 * s.lift.estimate).toFixed(1)} points  95% CI [${(100 * s.lift.ci95[0]).toFixed(1)}, ${(100 * s.lift.ci95[1]).toFixed(1)}]  p = ${s.lift.p_value.toPrecision(2)} (paired bootstrap)`,
      `time  ${formatSeconds(s.seconds)} on ${describeBackend().label} (training ${formatSeconds(s.seconds_by_phase.train)})`,
      `wrote ${runDir}/: ${Object.values(s.files).map((f) => f.slice(runDir.length + 1)).join(", ")}`,
    ].join("\n"),
  );
  return 0;
}

export async function run(argv: string[]): Promise<number> {
  return withUsage(async () => {
    const { flags } = parseFlags(argv, OPTIONS, Flags, USAGE);
    if (flags.help) {
      console.log(USAGE);
      return 0;
    }
    const input: Record<string, unknown> = {
      ...(flags.quick ? QUICK : {}),
      ...(flags.config ? readConfigFile(flags.config) : {}),
      ...(flags.steps !== undefined ? { steps: flags.steps } : {}),
      ...(flags.heldout !== undefined ? { heldout: flags.heldout } : {}),
      ...(flags.split !== undefined ? { evalSplit: flags.split } : {}),
      ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
      ...(flags.backend ? { backend: flags.backend } : {}),
    };
    if (flags.quick && input.warmupSteps === undefined && typeof input.steps === "number") input.warmupSteps = Math.min(5, input.steps);
    return runAndPrint(input, { out: flags.out, checkpoint: flags.checkpoint, report: !flags["no-report"], json: flags.json, force: flags.force });
  });
}
