/**
 * `rlvr traces summary|doctor|compare PATH...` — trace analytics from the command line.
 *   summary  per-metric first/last/min/max/mean of each trace (any supported format)
 *   doctor   detectors over the trace and its rollouts (rollouts.jsonl beside it, or --rollouts F)
 *   compare  two or more runs aligned by step on every shared metric
 * `--json` prints machine-readable output. Exit code: 0; `doctor` exits 1 when it finds a critical issue.
 */
import { z } from "zod";
import { parseFlags, withUsage, UsageError } from "./args.js";

export const summary = "trace analytics: summary | doctor | compare of training traces (own, TRL, verl, Tinker)";

const USAGE = `usage: rlvr traces summary PATH... [--format rlvr|trl|verl|tinker] [--json]
       rlvr traces doctor PATH [--rollouts FILE | --no-rollouts] [--format F] [--json]
       rlvr traces compare PATH PATH... [--json]`;

const Flags = z.object({
  json: z.boolean().default(false),
  format: z.enum(["rlvr", "trl", "verl", "tinker"]).optional(),
  rollouts: z.string().optional(),
  "no-rollouts": z.boolean().default(false),
});

function fmt(x: unknown): string {
  return typeof x === "number" ? (Number.isInteger(x) ? String(x) : x.toPrecision(4)) : String(x ?? "");
}

export async function run(argv: string[]): Promise<number> {
  return withUsage(async () => {
    const [sub, ...rest] = argv;
    if (!sub || sub === "--help" || sub === "-h") {
      console.log(USAGE);
      return sub ? 0 : 2;
    }
    const { flags, positionals } = parseFlags(
      rest,
      { json: { type: "boolean" }, format: { type: "string" }, rollouts: { type: "string" }, "no-rollouts": { type: "boolean" } },
      Flags,
      USAGE,
      { max: Infinity, what: "trace path" },
    );
    if (positionals.length === 0) throw new UsageError(`rlvr traces ${sub}: give at least one trace path\n\n${USAGE}`);
    const { existsSync } = await import("node:fs");
    for (const p of positionals) if (!existsSync(p)) throw new UsageError(`rlvr traces: no such file: ${p}`);
    const traces = await import("../traces/index.js");
    const { METRIC_NAMES } = await import("../schemas/metrics.js");
    const { tableText } = await import("../notebook/table.js");

    if (sub === "summary") {
      const out = positionals.map((p) => {
        const t = traces.loadTrace(p, { format: flags.format, vocabulary: METRIC_NAMES });
        return { path: p, format: t.format, steps: t.steps.length, warnings: t.warnings, unknownColumns: t.unknownColumns, metrics: traces.summarizeTrace(t.steps) };
      });
      if (flags.json) console.log(JSON.stringify(out.length === 1 ? out[0] : out, null, 2));
      else
        for (const o of out) {
          console.log(`${o.path}  (${o.format}, ${o.steps} steps)`);
          for (const w of o.warnings) console.error(`warning: ${w}`);
          console.log(tableText(o.metrics as unknown as Record<string, unknown>[], { maxRows: 500 }));
          console.log();
        }
      return 0;
    }

    if (sub === "doctor") {
      if (positionals.length !== 1) throw new UsageError(`rlvr traces doctor takes one trace\n\n${USAGE}`);
      const report = await traces.doctorRun(positionals[0], { format: flags.format, rollouts: flags["no-rollouts"] ? null : flags.rollouts });
      if (flags.json) console.log(JSON.stringify(report, null, 2));
      else {
        console.log(`${report.trace.path}  (${report.trace.format}, ${report.trace.steps} steps)` + (report.rollouts ? `; rollouts ${report.rollouts.path} (${report.rollouts.parsed} completions)` : ""));
        for (const w of report.warnings) console.error(`warning: ${w}`);
        if (report.findings.length === 0) console.log("no findings: none of the detectors fired");
        for (const f of report.findings) {
          const where = f.steps ? `steps ${f.steps[0]}–${f.steps[1]}` : "whole run";
          console.log(`\n[${f.severity.toUpperCase()}] ${f.title} (${f.id}, ${where})`);
          console.log(`  evidence: ${Object.entries(f.evidence).map(([k, v]) => `${k}=${fmt(v)}`).join(", ")}`);
          console.log(`  likely cause: ${f.cause}`);
          console.log(`  check: ${f.check}`);
        }
        if (report.mismatch) {
          const q = report.mismatch.quantiles;
          console.log(`\nsampler−trainer logprob |Δ| over ${report.mismatch.tokens} tokens: p50=${fmt(q.p50)} p90=${fmt(q.p90)} p99=${fmt(q.p99)} p99.9=${fmt(q.p999)} max=${fmt(report.mismatch.maxAbs)}`);
        }
      }
      return report.findings.some((f) => f.severity === "critical") ? 1 : 0;
    }

    if (sub === "compare") {
      if (positionals.length < 2) throw new UsageError(`rlvr traces compare needs two or more traces\n\n${USAGE}`);
      const loaded = positionals.map((p, i) => {
        const t = traces.loadTrace(p, { format: flags.format, vocabulary: METRIC_NAMES });
        for (const w of t.warnings) console.error(`warning: ${w}`);
        return { name: `run${i + 1}`, path: p, steps: t.steps };
      });
      const cmp = traces.compareRuns(loaded);
      if (flags.json) console.log(JSON.stringify({ ...cmp, paths: Object.fromEntries(loaded.map((l) => [l.name, l.path])) }, null, 2));
      else {
        loaded.forEach((l) => console.log(`${l.name} = ${l.path}`));
        console.log(`${cmp.commonSteps} steps in common; ${cmp.shared.length} shared metrics\n`);
        console.log(tableText(cmp.table as Record<string, unknown>[], { maxRows: 500 }));
      }
      return 0;
    }
    throw new UsageError(`rlvr traces: unknown subcommand "${sub}"\n\n${USAGE}`);
  });
}
