/**
 * The validation search behind the main job's defaults: each candidate is START (below) with a few fields
 * changed, trained from the base checkpoint and evaluated on the VALIDATION split (never test;
 * src/tasks/arithSplit.ts). The rule: the candidate with the highest validation lift wins if its paired
 * 95% CI against d0 (tuned − tuned on the same problems) excludes 0; otherwise d0 stays. Writes <out>/<name>/ (a normal run folder) and <out>/results.json,
 * and prints a markdown table for docs/grpo.md.
 *
 *   npx tsx scripts/tune.ts [--out .tmp/tune] [--only d0,t10] [--checkpoint data/checkpoints/base]
 *
 * Two processes with disjoint --only lists can share a 2-core machine; results.json then holds what each
 * wrote (one file per candidate: <out>/<name>/summary.json), and a last run with --table only re-prints.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseTrainConfig } from "../src/grpo/config.js";
import { runGrpoExperiment, type RunSummary } from "../src/grpo/experiment.js";
import { pairedBootstrap } from "../src/stats/bootstrap.js";

/**
 * The search's start point: the defaults of the time (found on the previous split, docs/grpo.md), written
 * out so that the search re-runs the same configs whatever today's defaults are. Every other field is
 * today's default (src/grpo/config.ts).
 */
export const START = { steps: 250, temperature: 1.5, lr: 1e-3 };
/** The candidates: name → fields changed from START. `d0` is START itself. */
export const CANDIDATES: Record<string, Record<string, unknown>> = {
  d0: {},
  t10: { temperature: 1.0 },
  lr7: { lr: 7e-4 },
  s400: { steps: 400 },
};

const { values: a } = parseArgs({
  options: {
    out: { type: "string", default: ".tmp/tune" },
    only: { type: "string" },
    checkpoint: { type: "string" },
    table: { type: "boolean", default: false },
  },
});
const names = a.only ? a.only.split(",") : Object.keys(CANDIDATES);
for (const n of names) if (!(n in CANDIDATES)) throw new Error(`--only: unknown candidate ${n} (have ${Object.keys(CANDIDATES).join(", ")})`);
mkdirSync(a.out!, { recursive: true });

if (!a.table) {
  for (const name of names) {
    const dir = join(a.out!, name);
    if (existsSync(join(dir, "summary.json"))) {
      console.log(`${name}: already in ${dir}, skipped`);
      continue;
    }
    const config = parseTrainConfig({ ...START, ...CANDIDATES[name], evalSplit: "validation" });
    const s = await runGrpoExperiment(config, { runDir: dir, checkpointDir: a.checkpoint, report: false, log: (l) => console.log(`[${name}] ${l}`) });
    console.log(`${name}: validation lift ${(100 * s.lift.estimate).toFixed(1)} [${s.lift.ci95.map((x) => (100 * x).toFixed(1)).join(", ")}] in ${s.seconds.toFixed(0)} s`);
  }
}

/** Rows of every candidate that has a finished run folder, with the paired difference to d0. */
const done = Object.keys(CANDIDATES).filter((n) => existsSync(join(a.out!, n, "summary.json")));
const summaries = Object.fromEntries(done.map((n) => [n, JSON.parse(readFileSync(join(a.out!, n, "summary.json"), "utf8")) as RunSummary]));
const tunedPerProblem = (n: string) =>
  readFileSync(join(a.out!, n, "eval.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      const row = JSON.parse(l) as { tuned_correct: number; n: number };
      return row.tuned_correct / row.n;
    });
const pct = (x: number) => (100 * x).toFixed(1);
const rows = done.map((n) => {
  const s = summaries[n];
  if (s.eval_split !== "validation") throw new Error(`${n}: its run evaluated ${s.eval_split}, not validation`);
  const vsD0 = n !== "d0" && summaries.d0 ? pairedBootstrap(tunedPerProblem("d0"), tunedPerProblem(n), { resamples: 2000, seed: 1 }) : null;
  return {
    name: n,
    changes: CANDIDATES[n],
    n: s.n_heldout,
    base_pass1: s.base["pass@1"].estimate,
    tuned_pass1: s.tuned["pass@1"].estimate,
    lift: s.lift,
    vs_default: vsD0 && { estimate: vsD0.estimate, ci95: vsD0.ci95, p_value: vsD0.p_value },
    train_seconds: s.seconds_by_phase.train,
  };
});
writeFileSync(join(a.out!, "results.json"), JSON.stringify(rows, null, 2) + "\n");
console.log("\n| candidate | changed from d0 | validation base pass@1 | tuned pass@1 | lift [95% CI] | − d0 [95% CI] | train s |\n|---|---|---|---|---|---|---|");
for (const r of rows)
  console.log(
    `| ${r.name} | ${Object.entries(r.changes).map(([k, v]) => `${k} ${v}`).join(", ") || "(start point)"} | ${pct(r.base_pass1)}% | ${pct(r.tuned_pass1)}% | ` +
      `${r.lift.estimate >= 0 ? "+" : ""}${pct(r.lift.estimate)} [${pct(r.lift.ci95[0])}, ${pct(r.lift.ci95[1])}] | ` +
      `${r.vs_default ? `${r.vs_default.estimate >= 0 ? "+" : ""}${pct(r.vs_default.estimate)} [${pct(r.vs_default.ci95[0])}, ${pct(r.vs_default.ci95[1])}]` : ""} | ${r.train_seconds.toFixed(0)} |`,
  );
