/**
 * Trace importers: read a training trace written by any supported trainer and map its metric names onto
 * the project's vocabulary (src/schemas/metrics.ts). Unknown columns are kept under their own names.
 *
 * Formats (auto-detected, or forced with `format`):
 * - `rlvr`   — this project's trace.jsonl: one `{step, <metric>: value, …}` object a line.
 * - `trl`    — Hugging Face TRL `trainer_state.json`: `{"log_history": [{"step", "reward", …}, …]}`.
 * - `verl`   — verl's file logger JSONL: `{"step": N, "data": {"actor/entropy": …, …}}` a line.
 * - `tinker` — Tinker cookbook `metrics.jsonl`: `{"step": N, "env/all/reward/total": …, "optim/…": …}` a line.
 *
 * Bad input never loses good records: a truncated last line, lines without a step, NaN/Infinity values
 * (Python's json writes them) and gaps in the step sequence become warnings with counts.
 */
import { readFileSync } from "node:fs";
import type { TraceStep } from "../schemas/trace.js";
import { parseTolerant } from "./tolerantJson.js";

export type TraceFormat = "rlvr" | "trl" | "verl" | "tinker";

/** Foreign name → vocabulary name. Documented choices: TRL's and verl's default KL estimator is k3. */
export const NAME_MAPS: Record<TraceFormat, Record<string, string>> = {
  rlvr: {},
  trl: {
    reward: "reward/mean",
    reward_std: "reward/std",
    kl: "kl/k3_mean",
    "clip_ratio/low_mean": "clip_ratio/low",
    "clip_ratio/high_mean": "clip_ratio/high",
    learning_rate: "lr",
    "completions/clipped_ratio": "completions/truncated_frac",
    "sampling/sampling_logp_difference/mean": "logprob_diff/mean",
    "sampling/sampling_logp_difference/max": "logprob_diff/max",
  },
  verl: {
    "critic/score/mean": "reward/mean",
    "critic/score/std": "reward/std",
    "actor/entropy": "entropy",
    "actor/kl_loss": "kl/k3_mean",
    "actor/grad_norm": "grad_norm",
    "actor/lr": "lr",
    "actor/pg_loss": "loss",
    "response_length/mean": "completions/mean_length",
    "response_length/clip_ratio": "completions/truncated_frac",
  },
  tinker: {
    "env/all/reward/total": "reward/mean",
    "optim/entropy": "entropy",
    "optim/kl_sample_train_v1": "logprob_diff/mean",
    "optim/lr": "lr",
    "env/all/ac_tokens_per_turn": "completions/mean_length",
  },
};

export interface LoadedTrace {
  path: string;
  format: TraceFormat;
  steps: TraceStep[];
  warnings: string[];
  /** Columns kept under their original names (not in the vocabulary). */
  unknownColumns: string[];
}

/** Decide the format from the file name and its first record. */
export function detectFormat(path: string, first: unknown): TraceFormat {
  const r = first as Record<string, unknown> | null;
  if (r && Array.isArray(r.log_history)) return "trl";
  if (r && typeof r.data === "object" && r.data !== null && "step" in r) return "verl";
  if (r && Object.keys(r).some((k) => k.startsWith("env/") || k.startsWith("optim/") || k.startsWith("progress/"))) return "tinker";
  if (/trainer_state\.json$/.test(path)) return "trl";
  return "rlvr";
}

function mapRecord(raw: Record<string, unknown>, map: Record<string, string>, unknown: Set<string>, vocab: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const name = map[k] ?? k;
    // A mapped name wins over a same-named raw column (e.g. TRL logs both `reward` and `rewards/*/mean`).
    if (name in out && !(k in map)) continue;
    out[name] = v;
    if (name !== "step" && !vocab.has(name)) unknown.add(name);
  }
  return out;
}

/** Derived vocabulary metrics a format implies but does not log under our name. */
function derive(format: TraceFormat, rec: Record<string, unknown>): void {
  if (format === "tinker" && rec.frac_reward_zero_std === undefined) {
    const good = rec["env/all/frac_all_good"];
    const bad = rec["env/all/frac_all_bad"];
    if (typeof good === "number" && typeof bad === "number") rec.frac_reward_zero_std = good + bad;
  }
}

export function loadTrace(path: string, options: { format?: TraceFormat; vocabulary?: Iterable<string> } = {}): LoadedTrace {
  const text = readFileSync(path, "utf8");
  const warnings: string[] = [];
  let nonFinite = 0;
  let rawRecords: { line: number; value: Record<string, unknown> }[] = [];
  let format: TraceFormat | undefined = options.format;

  const trimmed = text.trimStart();
  const wholeJson = trimmed.startsWith("{") && (/trainer_state\.json$/.test(path) || /^\{\s*"(best_|epoch|global_step|log_history)/.test(trimmed));
  if (wholeJson) {
    const p = parseTolerant(text);
    nonFinite += p.nonFinite;
    const v = p.value as { log_history?: unknown[] };
    format ??= detectFormat(path, v);
    if (!Array.isArray(v.log_history)) throw new Error(`${path}: a JSON document without "log_history" — not a TRL trainer_state.json`);
    rawRecords = v.log_history.map((x, i) => ({ line: i + 1, value: x as Record<string, unknown> }));
  } else {
    const lines = text.split("\n");
    let bad = 0;
    lines.forEach((line, i) => {
      if (line.trim() === "") return;
      try {
        const p = parseTolerant(line);
        nonFinite += p.nonFinite;
        if (p.value && typeof p.value === "object" && !Array.isArray(p.value)) rawRecords.push({ line: i + 1, value: p.value as Record<string, unknown> });
        else {
          bad++;
          warnings.push(`${path}:${i + 1}: not a JSON object; skipped`);
        }
      } catch (err) {
        const last = i === lines.length - 1 || lines.slice(i + 1).every((l) => l.trim() === "");
        if (last && !text.endsWith("\n")) warnings.push(`${path}:${i + 1}: truncated last line (a crashed writer?); skipped, every earlier line kept`);
        else {
          bad++;
          if (bad <= 5) warnings.push(`${path}:${i + 1}: not valid JSON (${(err as Error).message}); skipped`);
        }
      }
    });
    if (bad > 5) warnings.push(`${path}: ${bad} unparseable lines in total (first 5 listed)`);
    format ??= detectFormat(path, rawRecords[0]?.value ?? null);
  }
  if (nonFinite) warnings.push(`${path}: ${nonFinite} NaN/Infinity value(s) read as missing (null); their records are kept`);

  const vocab = new Set(options.vocabulary ?? []);
  const map = NAME_MAPS[format];
  const unknown = new Set<string>();
  const byStep = new Map<number, Record<string, unknown>>();
  let noStep = 0;
  for (const { value } of rawRecords) {
    const flat = format === "verl" ? { step: value.step, ...(value.data as Record<string, unknown>) } : value;
    const stepRaw = flat.step ?? flat["progress/batch"];
    const step = typeof stepRaw === "number" ? stepRaw : typeof stepRaw === "string" ? Number(stepRaw) : Number.NaN;
    if (!Number.isInteger(step) || step < 0) {
      noStep++;
      continue;
    }
    // TRL logs train and eval entries for the same step: merge them.
    const mapped = mapRecord({ ...flat, step }, map, unknown, vocab);
    derive(format, mapped);
    byStep.set(step, { ...(byStep.get(step) ?? {}), ...mapped });
  }
  if (noStep) warnings.push(`${path}: ${noStep} record(s) without a usable step (summary or eval-only lines); not plotted`);
  const steps = [...byStep.values()].sort((a, b) => (a.step as number) - (b.step as number)) as TraceStep[];
  const gaps = missingSteps(steps.map((s) => s.step));
  if (gaps.count) warnings.push(`${path}: ${gaps.count} step(s) missing inside [${steps[0].step}, ${steps[steps.length - 1].step}] (stride ${gaps.stride}), e.g. ${gaps.examples.join(", ")}`);
  return { path, format, steps, warnings, unknownColumns: [...unknown].sort() };
}

/** Steps missing from an otherwise regular sequence (stride = the most common difference). */
export function missingSteps(steps: readonly number[]): { count: number; stride: number; examples: number[] } {
  if (steps.length < 3) return { count: 0, stride: 1, examples: [] };
  const diffs = new Map<number, number>();
  for (let i = 1; i < steps.length; i++) diffs.set(steps[i] - steps[i - 1], (diffs.get(steps[i] - steps[i - 1]) ?? 0) + 1);
  const stride = [...diffs.entries()].sort((a, b) => b[1] - a[1])[0][0];
  if (stride <= 0) return { count: 0, stride, examples: [] };
  const examples: number[] = [];
  let count = 0;
  for (let i = 1; i < steps.length; i++) {
    for (let s = steps[i - 1] + stride; s < steps[i]; s += stride) {
      count++;
      if (examples.length < 5) examples.push(s);
    }
  }
  return { count, stride, examples };
}
