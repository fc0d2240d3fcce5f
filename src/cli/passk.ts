/**
 * `rlvr passk` — pass@k with 95% CIs from a JSONL file of verdicts (one record per sample).
 *
 *   rlvr passk --k 1,8,64 [--in verdicts.jsonl] [--by level] [--json] [--resamples N] [--seed S]
 *              [--baseline base.jsonl --max-drop 0.02]
 *
 * Records need `problem_id` and `status` (only "correct" is correct) or a boolean `correct`; `--by FIELD`
 * reads FIELD at the top level or under `metadata`. The file is streamed in 64 KiB chunks, each line is
 * JSON.parse'd and checked by hand (parseVerdictLine), and only per-problem counts are kept, so a million
 * records take seconds. Bad lines are reported as `file:line: field "x": …` on stderr, the good lines are
 * still counted, and the exit code is 1 at the end. Problems with fewer than k samples are skipped for that
 * k with a warning (see src/stats/summary.ts); a k that no problem reaches is an error (exit 1).
 * With --baseline the run is compared against the baseline on shared problems (src/stats/regressionGate.ts)
 * and a failed gate exits 1. Exit 2 is a usage error.
 *
 * --maj K,… adds maj@k (majority vote, src/stats/majAtK.ts: unbiased over k-subsets, ties split) with a
 * bootstrap CI over problems. A sample's vote is its `normalizedPred`, else `extracted`, else `answer`
 * (null: it abstains). Two samples of one problem with the same answer but different correctness are a
 * bad line (maj@k needs one verdict per answer); the sample still counts for pass@k.
 */
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { z } from "zod";
import { parseFlags, withUsage, UsageError } from "./args.js";
import { formatJsonlError } from "../schemas/jsonl.js";
import { escapeControl, stripBom } from "../schemas/text.js";
import { checkInputFile, InputFileError } from "../schemas/files.js";
import { missingByFieldMessage } from "./byField.js";
import {
  ProblemCounts,
  parseVerdictLine,
  majAtK,
  bootstrapMeanCI,
  type Estimate,
  type MajSample,
  summarizeCounts,
  regressionGate,
  BOOTSTRAP_DEFAULTS,
  type PassAtKSummary,
  type PassAtKTable,
  type GateResult,
} from "../stats/index.js";

export const summary = "pass@k with bootstrap 95% CIs from verdict JSONL (per stratum, regression gate vs a baseline)";

const USAGE = `usage: rlvr passk --k 1,8,64 [--maj 8,64] [--in verdicts.jsonl] [--by FIELD] [--json] [--resamples N] [--seed S]
                   [--baseline base.jsonl [--max-drop D]]
  --k          comma-separated k values (positive integers)
  --maj        also maj@k (majority vote over normalizedPred / extracted / answer) for these k
  --in         verdict JSONL (records with problem_id and status or correct); "-" or absent: stdin
  --by         stratify by this field (top level or under "metadata"), e.g. level, subject, source
  --json       print {"n_problems", "n_samples", "pass@k": {k: {estimate, ci95}}, "maj@k"?, "by"?, "gate"?}
  --resamples  bootstrap resamples over problems
  --seed       bootstrap seed
  --baseline   compare against this verdict JSONL (same problems); exit 1 if pass@k drops by more than
               --max-drop (absolute) and the 95% CI of the difference excludes 0`;

const intString = (what: string, min: number) =>
  z.string().regex(/^-?\d+$/, `${what} must be an integer`).transform(Number).refine((v) => v >= min, `${what} must be at least ${min}`);

const kList = (example: string) =>
  z
    .string()
    .transform((s) => s.split(",").map((p) => p.trim()))
    .refine((ps) => ps.every((p) => /^\d+$/.test(p) && Number(p) >= 1), `give positive integers separated by commas, e.g. ${example}`)
    .transform((ps) => [...new Set(ps.map(Number))].sort((a, b) => a - b));

const Flags = z
  .object({
    k: kList("--k 1,8,64").default([1]),
    maj: kList("--maj 8,64").optional(),
    in: z.string().optional(),
    by: z.string().min(1, "give a field name, e.g. --by level").optional(),
    json: z.boolean().default(false),
    resamples: intString("resamples", 1).default(BOOTSTRAP_DEFAULTS.resamples),
    seed: intString("seed", -(2 ** 31)).default(BOOTSTRAP_DEFAULTS.seed),
    baseline: z.string().optional(),
    "max-drop": z
      .string()
      .transform(Number)
      .refine((v) => Number.isFinite(v) && v >= 0 && v <= 1, "max-drop is an absolute pass@k difference in [0, 1], e.g. 0.02")
      .optional(),
    help: z.boolean().default(false),
  })
  .refine((f) => f["max-drop"] === undefined || f.baseline !== undefined, {
    path: ["max-drop"],
    message: "only makes sense with --baseline FILE",
  });

/** How many bad-line messages to print before only counting them. */
const MAX_PRINTED_ERRORS = 50;

export interface ReadResult {
  counts: ProblemCounts;
  badLines: number;
  /** With `by`: good records without the field, and the fields seen on (the first few of) those records. */
  missingBy?: { records: number; fields: string[] };
  /** With `answers: true`: per problem, per vote (null = abstain), how many samples and whether correct. */
  votes?: Map<string, Map<string | null, { n: number; correct: boolean }>>;
}

/**
 * Stream verdict JSONL into per-problem counts. Bad lines go to `report` (already formatted as
 * file:line: field …); a conflicting stratum for an already-seen problem counts as a bad line.
 */
export async function readVerdictCounts(
  source: string | Readable,
  options: { name?: string; by?: string; answers?: boolean; report: (message: string) => void },
): Promise<ReadResult> {
  const file = options.name ?? (typeof source === "string" ? source : "<stdin>");
  const stream =
    typeof source === "string" ? createReadStream(source, { encoding: "utf8", highWaterMark: 1 << 16 }) : source.setEncoding("utf8");
  const counts = new ProblemCounts();
  const by = options.by;
  const votes = options.answers ? new Map<string, Map<string | null, { n: number; correct: boolean }>>() : undefined;
  let badLines = 0;
  let lineNo = 0;
  const missingBy = by === undefined ? undefined : { records: 0, fields: new Set<string>(), sampled: 0 };
  const handle = (line: string, last: boolean) => {
    const r = parseVerdictLine(line, by, votes !== undefined);
    if (!r.ok) {
      badLines++;
      options.report(formatJsonlError({ file, line: lineNo, ...r.error, truncated: last && r.error.field === "" }));
      return;
    }
    const { problem_id, correct, stratum } = r.value;
    if (missingBy && stratum === null) {
      missingBy.records++;
      // Which fields the records do have, for the message (the first 20 such records suffice).
      if (missingBy.sampled++ < 20) {
        const rec = JSON.parse(line) as Record<string, unknown>;
        for (const [k, v] of Object.entries(rec)) {
          if (k === "metadata" && v !== null && typeof v === "object" && !Array.isArray(v))
            for (const m of Object.keys(v)) missingBy.fields.add(`metadata.${m}`);
          else missingBy.fields.add(k);
        }
      }
    }
    if (votes) {
      const answer = r.value.answer ?? null;
      let byAnswer = votes.get(problem_id);
      if (!byAnswer) votes.set(problem_id, (byAnswer = new Map()));
      const v = byAnswer.get(answer);
      if (!v) byAnswer.set(answer, { n: 1, correct });
      else if (answer === null || v.correct === correct) v.n++;
      else {
        badLines++;
        options.report(
          formatJsonlError({
            file, line: lineNo, field: "correct",
            message: `problem ${problem_id}: answer ${JSON.stringify(answer)} was scored ${v.correct ? "correct" : "wrong"} before and ${correct ? "correct" : "wrong"} here; maj@k needs one verdict per answer (re-verify the file); counted for pass@k, not for maj@k`,
          }),
        );
      }
    }
    const prev = counts.add(problem_id, correct, by === undefined ? undefined : stratum);
    if (prev !== null) {
      badLines++;
      options.report(
        formatJsonlError({
          file, line: lineNo, field: by!,
          message: `problem ${problem_id} was first seen with ${by}=${prev}, here ${stratum ?? "(missing)"}; counted under ${prev}`,
        }),
      );
    }
  };
  // 64 KiB chunks split with String#split: measured 2-3× faster here than 1 MiB chunks scanned with
  // indexOf/slice (large strings fall out of cache). A chunk without a newline (a huge line) is kept in
  // `pending` and joined once, so a long line costs linear, not quadratic, time.
  let pending: string[] = [];
  let first = true;
  for await (const raw of stream as AsyncIterable<string>) {
    const chunk = first ? stripBom(raw) : raw; // a UTF-8 byte-order mark before line 1
    first = false;
    if (chunk.indexOf("\n") === -1) {
      pending.push(chunk);
      continue;
    }
    const parts = (pending.length ? pending.join("") + chunk : chunk).split("\n");
    pending = [parts.pop()!];
    for (let p = 0; p < parts.length; p++) {
      lineNo++;
      let line = parts[p];
      if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
      if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === "")) continue;
      handle(line, false);
    }
  }
  const rest = pending.join("");
  if (rest.trim() !== "") {
    lineNo++;
    handle(rest.replace(/\r$/, ""), true);
  }
  return { counts, badLines, votes, missingBy: missingBy && { records: missingBy.records, fields: [...missingBy.fields].sort() } };
}

export interface MajSummary {
  /** Per k: estimate and 95% CI over the problems with at least k samples, and how many those are. */
  "maj@k": Record<string, Estimate & { n_problems: number }>;
  /** k values skipped because no problem has k samples. */
  missing: number[];
  warnings: string[];
}

/** maj@k per problem (unbiased, src/stats/majAtK.ts), averaged over problems with ≥ k samples, bootstrap CI. */
export function summarizeMaj(
  votes: Map<string, Map<string | null, { n: number; correct: boolean }>>,
  ks: number[],
  options: { resamples: number; seed: number },
): MajSummary {
  const perProblem = [...votes.values()].map((byAnswer) => {
    const samples: MajSample[] = [];
    for (const [answer, v] of byAnswer) for (let i = 0; i < v.n; i++) samples.push({ answer, correct: v.correct });
    return samples;
  });
  const out: MajSummary = { "maj@k": {}, missing: [], warnings: [] };
  for (const k of ks) {
    const values = perProblem.filter((s) => s.length >= k).map((s) => majAtK(s, k));
    if (values.length === 0) {
      out.missing.push(k);
      continue;
    }
    if (values.length < perProblem.length)
      out.warnings.push(`maj@${k}: ${perProblem.length - values.length} of ${perProblem.length} problems have fewer than ${k} samples and are left out`);
    out["maj@k"][String(k)] = { ...bootstrapMeanCI(values, options), n_problems: values.length };
  }
  return out;
}

const f4 = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : "n/a");
const cell = (e: { estimate: number; ci95: [number, number] } | undefined) =>
  e ? `${f4(e.estimate)} [${f4(e.ci95[0])}, ${f4(e.ci95[1])}]` : "—";

function renderTable(s: PassAtKSummary, ks: number[], by: string | undefined, resamples: number, seed: number): string {
  const lines = [
    `${s.n_problems} problems, ${s.n_samples} samples; 95% CI: percentile bootstrap over problems (${resamples} resamples, seed ${seed})`,
    "",
    `${"k".padEnd(6)}${"pass@k".padEnd(9)}95% CI`,
  ];
  for (const k of ks) {
    const e = s["pass@k"][String(k)];
    lines.push(`${String(k).padEnd(6)}${e ? f4(e.estimate).padEnd(9) + `[${f4(e.ci95[0])}, ${f4(e.ci95[1])}]` : "— (no problem has k samples)"}`);
  }
  if (by && s.by) {
    const rows: string[][] = [[by, "problems", "samples", ...ks.map((k) => `pass@${k} [95% CI]`)]];
    const add = (label: string, t: PassAtKTable) =>
      rows.push([label, String(t.n_problems), String(t.n_samples), ...ks.map((k) => cell(t["pass@k"][String(k)]))]);
    for (const [value, t] of Object.entries(s.by)) add(escapeControl(value), t); // stratum labels are input
    add("(all)", s);
    const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
    lines.push("", ...rows.map((r) => r.map((c, j) => c.padEnd(widths[j])).join("  ").trimEnd()));
  }
  return lines.join("\n");
}

function renderMaj(m: MajSummary, ks: number[]): string {
  const lines = ["", `${"k".padEnd(6)}${"maj@k".padEnd(9)}95% CI${" ".repeat(14)}problems`];
  for (const k of ks) {
    const e = m["maj@k"][String(k)];
    lines.push(`${String(k).padEnd(6)}${e ? f4(e.estimate).padEnd(9) + `[${f4(e.ci95[0])}, ${f4(e.ci95[1])}]`.padEnd(20) + e.n_problems : "— (no problem has k samples)"}`);
  }
  return lines.join("\n");
}

function renderGate(g: GateResult, baselineName: string): string {
  const lines = [
    "",
    `regression gate vs ${baselineName} (max-drop ${g.max_drop}; fails when the drop exceeds it AND the 95% CI of the difference excludes 0)`,
  ];
  if (g.only_in_baseline || g.only_in_candidate)
    lines.push(`  excluded: ${g.only_in_baseline} problems only in the baseline, ${g.only_in_candidate} only in this run`);
  for (const m of g.metrics)
    lines.push(
      `  ${m.metric.padEnd(9)} ${m.failed ? "FAIL" : "ok  "}  baseline ${f4(m.baseline)} → ${f4(m.candidate)}  diff ${f4(m.diff)} ` +
        `[${f4(m.ci95[0])}, ${f4(m.ci95[1])}]  p=${f4(m.p_value)}  n=${m.n_problems}  (${m.reason})`,
    );
  lines.push(`gate: ${g.passed ? "PASSED" : "FAILED"}`);
  return lines.join("\n");
}

export async function run(argv: string[]): Promise<number> {
  return withUsage(async () => {
    const { flags } = parseFlags(argv, {
      k: { type: "string" }, maj: { type: "string" }, in: { type: "string" }, by: { type: "string" }, json: { type: "boolean" },
      resamples: { type: "string" }, seed: { type: "string" }, baseline: { type: "string" },
      "max-drop": { type: "string" }, help: { type: "boolean", short: "h" },
    }, Flags, USAGE, { max: 0, hint: "give the file with --in FILE" });
    if (flags.help) {
      console.log(USAGE);
      return 0;
    }
    let printed = 0;
    let suppressed = 0;
    const report = (m: string) => {
      if (printed < MAX_PRINTED_ERRORS) {
        printed++;
        console.error(m);
      } else suppressed++;
    };
    const input = flags.in === undefined || flags.in === "-" ? process.stdin : flags.in;
    const files = [
      ["--in", flags.in, { expect: "a verdict JSONL file", fix: "give a verdict JSONL file (rlvr verify --out, or a sweep's verdicts.jsonl), or omit --in to read stdin" }],
      ["--baseline", flags.baseline, { expect: "the baseline's verdict JSONL", fix: "give the verdict JSONL of the run to compare against (e.g. runs/<old sweep>/verdicts.jsonl)" }],
    ] as const;
    for (const [label, path, o] of files) {
      if (path === undefined || path === "-") continue;
      try {
        checkInputFile(path, { label, suggest: [".jsonl"], ...o });
      } catch (err) {
        if (!(err instanceof InputFileError)) throw err;
        console.error(`rlvr passk: ${err.message}`);
        return 1;
      }
    }
    const main = await readVerdictCounts(input, { by: flags.by, answers: flags.maj !== undefined, report });
    let bad = main.badLines;
    const warnings: string[] = [];
    if (flags.by !== undefined && main.missingBy) {
      const good = main.counts.n.reduce((a, b) => a + b, 0);
      const msg = missingByFieldMessage(flags.by, main.missingBy, good);
      if (msg) {
        if (suppressed > 0) console.error(`… and ${suppressed} more bad lines`);
        console.error(`rlvr passk: ${msg}`);
        return 2;
      }
      if (main.missingBy.records > 0)
        warnings.push(`--by ${flags.by}: ${main.missingBy.records} of ${good} records lack the field; they are counted under "(missing)"`);
    }
    const opts = { resamples: flags.resamples, seed: flags.seed, by: flags.by, onWarning: (m: string) => warnings.push(m) };
    const s = summarizeCounts(main.counts, flags.k, opts);
    const maj = flags.maj && main.votes ? summarizeMaj(main.votes, flags.maj, { resamples: flags.resamples, seed: flags.seed }) : undefined;
    if (maj) warnings.push(...maj.warnings);
    let gate: GateResult | undefined;
    if (flags.baseline !== undefined) {
      const base = await readVerdictCounts(flags.baseline, { report });
      bad += base.badLines;
      gate = regressionGate(base.counts, main.counts, {
        ks: flags.k, maxDrop: flags["max-drop"] ?? 0.02, resamples: flags.resamples, seed: flags.seed,
      });
    }
    if (suppressed > 0) console.error(`… and ${suppressed} more bad lines`);
    for (const w of warnings) console.error(`warning: ${w}`);
    const missing = flags.k.filter((k) => !(String(k) in s["pass@k"]));
    if (flags.json) {
      const out: Record<string, unknown> = { n_problems: s.n_problems, n_samples: s.n_samples, "pass@k": s["pass@k"] };
      if (maj) out["maj@k"] = maj["maj@k"];
      if (s.by) out.by = s.by;
      if (gate) out.gate = gate;
      // Two-space JSON with number arrays ([lo, hi]) kept on one line.
      console.log(JSON.stringify(out, null, 2).replace(/\[\s+([^[\]{}"]*?)\s+\]/g, (_, inner: string) => `[${inner.split(/,\s+/).join(", ")}]`));
    } else {
      console.log(renderTable(s, flags.k, flags.by, flags.resamples, flags.seed));
      if (maj) console.log(renderMaj(maj, flags.maj!));
      if (gate) console.log(renderGate(gate, flags.baseline!));
    }
    let code = 0;
    if (bad > 0) {
      console.error(`rlvr passk: ${bad} bad line(s) reported above; unreadable records were skipped, the estimates use the rest`);
      code = 1;
    }
    if (s.n_samples === 0) {
      console.error("rlvr passk: no verdict records read; pass a JSONL file with --in or pipe one on stdin");
      code = 1;
    } else if (missing.length > 0) {
      console.error(`rlvr passk: no problem has enough samples for k=${missing.join(",")}; lower --k or sample more`);
      code = 1;
    }
    if (maj && maj.missing.length > 0 && s.n_samples > 0) {
      console.error(`rlvr passk: no problem has enough samples for maj@${maj.missing.join(",")}; lower --maj or sample more`);
      code = 1;
    }
    if (gate && !gate.passed) code = 1;
    return code;
  });
}
