/**
 * `rlvr traces summary|doctor|compare PATH...` — trace analytics from the command line.
 *   summary  per-metric first/last/min/max/mean of each trace (any supported format, a trainer's output
 *            directory, or a rollouts JSONL, which is aggregated in DuckDB without loading it)
 *   doctor   detectors over the trace and its rollouts (rollouts.jsonl beside it, or --rollouts F)
 *   compare  two or more runs aligned by step meaning (updates before the step) on every shared metric
 *   repro    run one debug-note reproduction for real (src/traces/reproRuns.ts: the bug, or --control) into --out
 * `--json` prints machine-readable output.
 * Exit codes: 0 ok; 2 bad usage or input that cannot be analysed (empty, no steps, unknown format, missing or
 * unreadable file); `doctor`: 1 when a finding reaches `--fail-on` (critical by default; `warning` makes
 * warnings fail too), else 0.
 */
import { z } from "zod";
import { parseFlags, withUsage, UsageError } from "./args.js";

export const summary = "trace analytics: summary | doctor | compare of training traces (own, TRL, verl, Tinker)";

const USAGE = `usage: rlvr traces summary PATH... [--format rlvr|trl|verl|verl-console|tinker] [--json]
       rlvr traces doctor PATH [--rollouts FILE | --no-rollouts] [--format F] [--fail-on critical|warning] [--json]
       rlvr traces compare PATH PATH... [--format F] [--json]
       rlvr traces repro NAME --out DIR [--control] [--json]
PATH: a trace file, or a directory holding one (TRL output or checkpoint dir, a run folder)`;

const Flags = z.object({
  json: z.boolean().default(false),
  format: z.enum(["rlvr", "trl", "verl", "verl-console", "tinker"]).optional(),
  rollouts: z.string().optional(),
  "no-rollouts": z.boolean().default(false),
  "fail-on": z.enum(["critical", "warning"]).default("critical"),
  out: z.string().optional(),
  control: z.boolean().default(false),
});

function fmt(x: unknown): string {
  return typeof x === "number" ? (Number.isInteger(x) ? String(x) : x.toPrecision(4)) : String(x ?? "");
}

export async function run(argv: string[]): Promise<number> {
  const { TraceInputError, safeText } = await import("../traces/traceErrors.js");
  try {
    return await withUsage(() => body(argv));
  } catch (err) {
    if (err instanceof TraceInputError) {
      console.error(`rlvr traces: ${err.message}`);
      return 2;
    }
    throw new Error(safeText(String((err as Error)?.message ?? err)));
  }
}

async function body(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === "--help" || sub === "-h") {
    console.log(USAGE);
    return sub ? 0 : 2;
  }
  const { flags, positionals } = parseFlags(
    rest,
    { json: { type: "boolean" }, format: { type: "string" }, rollouts: { type: "string" }, "no-rollouts": { type: "boolean" }, "fail-on": { type: "string" }, out: { type: "string" }, control: { type: "boolean" } },
    Flags,
    USAGE,
    { max: Infinity, what: "trace path" },
  );
  if (sub === "repro") return repro(positionals, flags);
  if (positionals.length === 0) throw new UsageError(`rlvr traces ${sub}: give at least one trace path\n\n${USAGE}`);
  const { existsSync } = await import("node:fs");
  const { safeText } = await import("../traces/traceErrors.js");
  for (const p of positionals) if (!existsSync(p)) throw new UsageError(`rlvr traces: no such file: ${safeText(p)}`);
  const say = (s: string) => console.log(s.split("\n").map(safeText).join("\n"));
  const warn = (s: string) => console.error(`warning: ${safeText(s)}`);

  if (sub === "summary") {
    const importers = await import("../traces/importers.js");
    const { summarizeTrace } = await import("../traces/analyze.js");
    const { METRIC_NAMES } = await import("../schemas/metrics.js");
    const out = [];
    for (const p0 of positionals) {
      const p = importers.resolveTracePath(p0);
      if (!flags.format && importers.looksLikeRollouts(p)) {
        const { TraceDB } = await import("../traces/db.js");
        const { readRollouts } = await import("../traces/analyze.js");
        const db = await TraceDB.open();
        try {
          const r = await readRollouts(db, p);
          if (r.parsed === 0) throw new (await import("../traces/traceErrors.js")).TraceInputError(`${safeText(p)}: no rollout could be read (${r.lines} line(s))`);
          const warnings = r.parsed < r.lines ? [`${p}: ${r.lines - r.parsed} of ${r.lines} line(s) could not be read as rollouts; the other ${r.parsed} were summarised`] : [];
          const steps = r.steps.map(({ n: _n, groups: _g, ...s }) => s);
          out.push({ path: p, format: "rollouts", steps: r.steps.length, completions: r.parsed, warnings, unknownColumns: [], notes: [], metrics: summarizeTrace(steps) });
        } finally {
          db.close();
        }
        continue;
      }
      const t = importers.loadTrace(p, { format: flags.format, vocabulary: METRIC_NAMES });
      out.push({ path: p, format: t.format, steps: t.steps.length, warnings: t.warnings, unknownColumns: t.unknownColumns, notes: t.notes, metrics: summarizeTrace(t.steps) });
    }
    if (flags.json) console.log(JSON.stringify(out.length === 1 ? out[0] : out, null, 2));
    else {
      const { tableText } = await import("../notebook/table.js");
      for (const o of out) {
        say(`${o.path}  (${o.format}, ${o.steps} steps${"completions" in o ? `, ${o.completions} completions` : ""})`);
        for (const w of o.warnings) warn(w);
        for (const n of o.notes) say(`note: ${n}`);
        say(tableText(o.metrics as unknown as Record<string, unknown>[], { maxRows: 500 }));
        console.log();
      }
    }
    return 0;
  }

  if (sub === "doctor") {
    if (positionals.length !== 1) throw new UsageError(`rlvr traces doctor takes one trace\n\n${USAGE}`);
    const { doctorRun } = await import("../traces/analyze.js");
    const report = await doctorRun(positionals[0], { format: flags.format, rollouts: flags["no-rollouts"] ? null : flags.rollouts });
    const fail = report.findings.some((f) => f.severity === "critical" || (flags["fail-on"] === "warning" && f.severity === "warning"));
    if (flags.json) console.log(JSON.stringify(report, null, 2));
    else {
      say(`${report.trace.path}  (${report.trace.format}, ${report.trace.steps} steps)` + (report.rollouts ? `; rollouts ${report.rollouts.path} (${report.rollouts.parsed} completions)` : ""));
      for (const w of report.warnings) warn(w);
      for (const n of report.trace.notes) say(`note: ${n}`);
      if (report.findings.length === 0) say("no findings: none of the detectors fired");
      for (const f of report.findings) {
        const where = f.steps ? `steps ${f.steps[0]}–${f.steps[1]}` : "whole run";
        say(`\n[${f.severity.toUpperCase()}] ${f.title} (${f.id}, ${where})`);
        say(`  evidence: ${Object.entries(f.evidence).map(([k, v]) => `${k}=${fmt(v)}`).join(", ")}`);
        say(`  likely cause: ${f.cause}`);
        say(`  check: ${f.check}`);
      }
      if (report.mismatch) {
        const q = report.mismatch.quantiles;
        say(`\nsampler−trainer logprob |Δ| over ${report.mismatch.tokens} tokens: p50=${fmt(q.p50)} p90=${fmt(q.p90)} p99=${fmt(q.p99)} p99.9=${fmt(q.p999)} max=${fmt(report.mismatch.maxAbs)}`);
      }
    }
    return fail ? 1 : 0;
  }

  if (sub === "compare") {
    if (positionals.length < 2) throw new UsageError(`rlvr traces compare needs two or more traces\n\n${USAGE}`);
    const { loadTrace } = await import("../traces/importers.js");
    const { compareRuns } = await import("../traces/analyze.js");
    const { METRIC_NAMES } = await import("../schemas/metrics.js");
    const loaded = positionals.map((p, i) => {
      const t = loadTrace(p, { format: flags.format, vocabulary: METRIC_NAMES });
      for (const w of t.warnings) warn(w);
      return { name: `run${i + 1}`, path: t.path, format: t.format, steps: t.steps, stepBase: t.stepBase };
    });
    const cmp = compareRuns(loaded);
    if (flags.json)
      console.log(JSON.stringify({ ...cmp, paths: Object.fromEntries(loaded.map((l) => [l.name, l.path])), stepBase: Object.fromEntries(loaded.map((l) => [l.name, l.stepBase])) }, null, 2));
    else {
      const { tableText } = await import("../notebook/table.js");
      loaded.forEach((l) => say(`${l.name} = ${l.path} (${l.format}; its step ${l.stepBase} is the first update)`));
      say(`${cmp.commonSteps} steps in common (aligned by updates before the step); ${cmp.shared.length} shared metrics\n`);
      say(tableText(cmp.table as Record<string, unknown>[], { maxRows: 500 }));
    }
    return 0;
  }
  throw new UsageError(`rlvr traces: unknown subcommand "${safeText(sub)}"\n\n${USAGE}`);
}

/** `rlvr traces repro NAME --out DIR`: a real training run with one bug on (or its control), then a hint to doctor it. */
async function repro(positionals: string[], flags: z.infer<typeof Flags>): Promise<number> {
  const { REAL_REPROS, runRealRepro } = await import("../traces/reproRuns.js");
  const names = Object.keys(REAL_REPROS) as (keyof typeof REAL_REPROS)[];
  const name = positionals[0] as keyof typeof REAL_REPROS;
  if (positionals.length !== 1 || !names.includes(name)) throw new UsageError(`rlvr traces repro takes one reproduction name: ${names.join(", ")}\n\n${USAGE}`);
  if (!flags.out) throw new UsageError(`rlvr traces repro: give --out DIR (the run's trace.jsonl and rollouts.jsonl go there)\n\n${USAGE}`);
  const { existsSync, readdirSync, statSync } = await import("node:fs");
  const { safeText } = await import("../traces/traceErrors.js");
  const out = safeText(flags.out);
  // The run replaces DIR: only an empty folder or a previous reproduction's two files may be there.
  if (existsSync(flags.out) && !statSync(flags.out).isDirectory()) throw new UsageError(`rlvr traces repro: --out ${out} is a file; give a folder`);
  const foreign = existsSync(flags.out) ? readdirSync(flags.out).filter((f) => f !== "trace.jsonl" && f !== "rollouts.jsonl") : [];
  if (foreign.length) throw new UsageError(`rlvr traces repro: --out ${out} holds other files (${foreign.slice(0, 3).map(safeText).join(", ")}); give an empty or new folder`);
  const variant = flags.control ? "control" : "bug";
  const r = await runRealRepro(name, flags.out, variant);
  if (flags.json) console.log(JSON.stringify({ ...r, note: REAL_REPROS[name].note, control: REAL_REPROS[name].control, expect: REAL_REPROS[name].expect }, null, 2));
  else {
    console.log(`${name} (${variant}: ${variant === "bug" ? REAL_REPROS[name].note : REAL_REPROS[name].control}) trained in ${r.seconds.toFixed(1)} s`);
    console.log(`  ${safeText(r.trace)}\n  ${safeText(r.rollouts)}`);
    console.log(`the doctor should ${variant === "bug" ? "name" : "not name"}: ${REAL_REPROS[name].expect.join(", ")}\nnext: rlvr traces doctor ${out}`);
  }
  return 0;
}
