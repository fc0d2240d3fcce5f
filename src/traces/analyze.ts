/**
 * The three things `rlvr traces` does, as library calls:
 * - `summarizeTrace` — per metric: steps present, first, last, min, max, mean;
 * - `doctorRun` — load a trace (any format), aggregate its rollouts in DuckDB when there are any, run the
 *   detectors; returns findings and the warnings met on the way;
 * - `compareRuns` — two or more runs aligned by step on every metric they share.
 */
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { METRIC_NAMES } from "../schemas/metrics.js";
import type { TraceStep } from "../schemas/trace.js";
import { extent } from "../stats/extent.js";
import { TraceDB } from "./db.js";
import { diagnose, series, type DetectorOptions, type Finding } from "./detectors.js";
import { loadTrace, resolveTracePath, type LoadedTrace, type TraceFormat } from "./importers.js";
import { identicalGroups, logprobMismatch, missingCharacters, summarizeRolloutsFile, type LogprobMismatch, type RolloutStepSummary, type RolloutsSummary } from "./rollouts.js";
import { TraceInputError, duckdbError, safeText } from "./traceErrors.js";

export interface MetricSummary {
  metric: string;
  steps: number;
  first: number;
  last: number;
  min: number;
  max: number;
  mean: number;
}

export function summarizeTrace(steps: readonly TraceStep[]): MetricSummary[] {
  const names = new Set<string>();
  for (const s of steps) for (const k of Object.keys(s)) if (k !== "step") names.add(k);
  const vocab = METRIC_NAMES as readonly string[];
  const ordered = [...vocab.filter((n) => names.has(n)), ...[...names].filter((n) => !vocab.includes(n)).sort()];
  const out: MetricSummary[] = [];
  for (const name of ordered) {
    const pts = series(steps, name);
    if (pts.length === 0) continue;
    const vs = pts.map((p) => p.v);
    const [min, max] = extent(vs);
    out.push({
      metric: name,
      steps: pts.length,
      first: vs[0],
      last: vs[vs.length - 1],
      min,
      max,
      mean: vs.reduce((a, b) => a + b, 0) / vs.length,
    });
  }
  return out;
}

export interface DoctorReport {
  trace: Pick<LoadedTrace, "path" | "format" | "unknownColumns" | "stepBase" | "segments" | "notes"> & { steps: number };
  rollouts?: { path: string; lines: number; parsed: number; steps: RolloutStepSummary[] };
  mismatch?: LogprobMismatch | null;
  findings: Finding[];
  warnings: string[];
}

/** Find rollouts next to a trace (`rollouts.jsonl` in the same folder), or use the one given. */
export function siblingRollouts(tracePath: string): string | null {
  const p = join(dirname(tracePath), "rollouts.jsonl");
  return existsSync(p) ? p : null;
}

/** A rollouts file that exists and is a regular file, or a TraceInputError that names the flag and the path. */
function checkRollouts(path: string, flag: string): void {
  let ok = false;
  try {
    ok = statSync(path).isFile();
  } catch {
    /* reported below */
  }
  if (!ok) throw new TraceInputError(`${flag} ${safeText(path)}: no such file (give a rollouts JSONL, or --no-rollouts to analyse the trace alone)`);
}

/** Summarise a rollouts JSONL in DuckDB, with DuckDB's errors translated into the file's terms. */
export async function readRollouts(db: TraceDB, path: string): Promise<RolloutsSummary> {
  checkRollouts(path, "rollouts");
  try {
    return await summarizeRolloutsFile(db, path);
  } catch (err) {
    throw duckdbError(path, "the rollouts", err);
  }
}

export async function doctorRun(
  tracePath: string,
  options: { rollouts?: string | null; format?: TraceFormat; detectors?: DetectorOptions; db?: TraceDB } = {},
): Promise<DoctorReport> {
  tracePath = resolveTracePath(tracePath);
  const trace = loadTrace(tracePath, { format: options.format, vocabulary: METRIC_NAMES });
  const warnings = [...trace.warnings];
  if (typeof options.rollouts === "string") checkRollouts(options.rollouts, "--rollouts");
  const rolloutsPath = options.rollouts === undefined ? siblingRollouts(tracePath) : options.rollouts;
  let rollouts: DoctorReport["rollouts"];
  let mismatch: LogprobMismatch | null = null;
  let missingChars: { char: string; promptShare: number }[] = [];
  let identical: { step: number; frac_identical_groups: number }[] = [];
  if (rolloutsPath) {
    const db = options.db ?? (await TraceDB.open());
    try {
      const summary = await readRollouts(db, rolloutsPath);
      if (summary.parsed < summary.lines)
        warnings.push(`${safeText(rolloutsPath)}: ${summary.lines - summary.parsed} of ${summary.lines} line(s) could not be read as rollouts (bad JSON, a truncated last line, or no step); the other ${summary.parsed} were analysed`);
      if (summary.parsed === 0) throw new TraceInputError(`${safeText(rolloutsPath)}: no rollout could be read (${summary.lines} line(s)); each line must be a JSON object with step, problem_id, completion and reward`);
      rollouts = { path: rolloutsPath, ...summary };
      try {
        mismatch = await logprobMismatch(db, rolloutsPath);
        missingChars = await missingCharacters(db, rolloutsPath);
        identical = await identicalGroups(db, rolloutsPath);
      } catch (err) {
        throw duckdbError(rolloutsPath, "the rollouts", err);
      }
    } finally {
      if (!options.db) db.close();
    }
  }
  const findings = diagnose(
    { steps: trace.steps, rollouts: rollouts?.steps, identical, mismatch, missingChars, nonFinite: trace.nonFinite, segments: trace.segments },
    options.detectors,
  );
  return {
    trace: { path: trace.path, format: trace.format, unknownColumns: trace.unknownColumns, steps: trace.steps.length, stepBase: trace.stepBase, segments: trace.segments, notes: trace.notes },
    rollouts,
    mismatch,
    findings,
    warnings,
  };
}

export interface RunComparison {
  runs: string[];
  /** Metrics present in every run. */
  shared: string[];
  /** Per shared metric: each run's last value and mean over the steps all runs have. */
  table: { metric: string; [run: string]: number | string }[];
  /** Steps present in every run. */
  commonSteps: number;
}

/**
 * Align runs by what a step means, not by its number: step − stepBase is the number of optimizer updates
 * before the step (TRL and verl count from 1, rlvr and Tinker from 0), so TRL step 1 meets rlvr step 0.
 * `commonSteps` and the table use that aligned index.
 */
export function compareRuns(runs: readonly { name: string; steps: readonly TraceStep[]; stepBase?: number }[]): RunComparison {
  const traces = runs.map((r) => ({ name: r.name, steps: r.steps.map((s) => ({ ...s, step: s.step - (r.stepBase ?? 0) })) }));
  const names = traces.map((t) => t.name);
  const metricSets = traces.map((t) => new Set(summarizeTrace(t.steps).map((m) => m.metric)));
  const shared = [...metricSets[0]].filter((m) => metricSets.every((s) => s.has(m)));
  const stepSets = traces.map((t) => new Set(t.steps.map((s) => s.step)));
  const common = [...stepSets[0]].filter((s) => stepSets.every((x) => x.has(s)));
  const commonSet = new Set(common);
  const table = shared.map((metric) => {
    const row: { metric: string; [run: string]: number | string } = { metric };
    traces.forEach((t, i) => {
      const pts = series(t.steps, metric).filter((p) => commonSet.has(p.step));
      const vs = pts.map((p) => p.v);
      row[`${names[i]} mean`] = vs.length ? Number((vs.reduce((a, b) => a + b, 0) / vs.length).toPrecision(4)) : Number.NaN;
      row[`${names[i]} last`] = vs.length ? Number(vs[vs.length - 1].toPrecision(4)) : Number.NaN;
    });
    return row;
  });
  return { runs: names, shared, table, commonSteps: common.length };
}
