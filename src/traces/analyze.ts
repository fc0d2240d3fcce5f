/**
 * The three things `rlvr traces` does, as library calls:
 * - `summarizeTrace` — per metric: steps present, first, last, min, max, mean;
 * - `doctorRun` — load a trace (any format), aggregate its rollouts in DuckDB when there are any, run the
 *   detectors; returns findings and the warnings met on the way;
 * - `compareRuns` — two or more runs aligned by step on every metric they share.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { METRIC_NAMES } from "../schemas/metrics.js";
import type { TraceStep } from "../schemas/trace.js";
import { extent } from "../stats/extent.js";
import { TraceDB } from "./db.js";
import { diagnose, series, type DetectorOptions, type Finding } from "./detectors.js";
import { loadTrace, type LoadedTrace, type TraceFormat } from "./importers.js";
import { countRolloutLines, identicalGroups, logprobMismatch, missingCharacters, summarizeRollouts, type LogprobMismatch, type RolloutStepSummary } from "./rollouts.js";

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
  trace: Pick<LoadedTrace, "path" | "format" | "unknownColumns"> & { steps: number };
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

export async function doctorRun(
  tracePath: string,
  options: { rollouts?: string | null; format?: TraceFormat; detectors?: DetectorOptions; db?: TraceDB } = {},
): Promise<DoctorReport> {
  const trace = loadTrace(tracePath, { format: options.format, vocabulary: METRIC_NAMES });
  const warnings = [...trace.warnings];
  const rolloutsPath = options.rollouts === undefined ? siblingRollouts(tracePath) : options.rollouts;
  let rollouts: DoctorReport["rollouts"];
  let mismatch: LogprobMismatch | null = null;
  let missingChars: { char: string; promptShare: number }[] = [];
  let identical: { step: number; frac_identical_groups: number }[] = [];
  if (rolloutsPath) {
    const db = options.db ?? (await TraceDB.open());
    try {
      const counts = await countRolloutLines(db, rolloutsPath);
      if (counts.parsed < counts.lines)
        warnings.push(`${rolloutsPath}: ${counts.lines - counts.parsed} of ${counts.lines} line(s) could not be read as rollouts (bad JSON, a truncated last line, or no step); the other ${counts.parsed} were analysed`);
      const steps = await summarizeRollouts(db, rolloutsPath);
      rollouts = { path: rolloutsPath, ...counts, steps };
      mismatch = await logprobMismatch(db, rolloutsPath);
      missingChars = await missingCharacters(db, rolloutsPath);
      identical = await identicalGroups(db, rolloutsPath);
    } finally {
      if (!options.db) db.close();
    }
  }
  const findings = diagnose({ steps: trace.steps, rollouts: rollouts?.steps, identical, mismatch, missingChars }, options.detectors);
  return {
    trace: { path: trace.path, format: trace.format, unknownColumns: trace.unknownColumns, steps: trace.steps.length },
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

export function compareRuns(traces: readonly { name: string; steps: readonly TraceStep[] }[]): RunComparison {
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
