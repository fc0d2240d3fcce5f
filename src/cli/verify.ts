/**
 * `rlvr verify` — verdicts for a JSONL file of completions, streamed, in input order.
 *
 *   rlvr verify --task gsm8k|math [--mode M] [--in F] [--out F] [--workers N] [--timeout-ms N]
 *               [--explain ID] [--side-by-side] [--progress] [--rel-tol X]
 *   rlvr verify --red-team --task gsm8k|math|code|ifeval [--mode M] [--rel-tol X] [--family F,…] [--json | --list]
 *
 * Input: one VerifyRecord `{id, gold, completion}` a line (stdin by default). Output: one Verdict a line
 * with the record's `id` echoed (stdout by default), in input order. Records flow through a bounded
 * in-flight window (orderedMap), so memory stays bounded whatever the file size. A bad line is reported
 * on stderr as `file:line: field "x": …`; the other records are still verified and the exit code is 1
 * at the end (0 when every line was good, 2 for a usage error). `--explain ID` prints the extraction
 * trace of one record for humans instead. Imports only src/verifiers and src/schemas (fast start).
 */
import { createWriteStream } from "node:fs";
import { checkInputFile, describeFileError, InputFileError } from "../schemas/files.js";
import type { Readable, Writable } from "node:stream";
import { z } from "zod";
import { parseFlags, withUsage, UsageError, positiveInt, printedHelp } from "./args.js";
import { readJsonl, formatJsonlError, type JsonlError } from "../schemas/jsonl.js";
import { VerifyRecord } from "../schemas/completion.js";
import type { Verdict } from "../schemas/verdict.js";
import { WorkerPool } from "../verifiers/pool.js";
import { orderedMap } from "../verifiers/orderedMap.js";
import { verifyAnswerMaybeSync, resolveVerifyOptions, VerifyOptionsSchema, type ResolvedVerifyOptions } from "../verifiers/verify.js";
import { explainVerdict } from "../verifiers/explain.js";
import { verifyGsm8kSideBySide, type Gsm8kSideBySide } from "../verifiers/gsm8k/index.js";
import { extractAnswer } from "../verifiers/verify.js";
import { classifyFailure, FAILURE_CATEGORIES, type FailureCategory } from "../verifiers/taxonomy.js";
import { wilson } from "../stats/wilson.js";
import { runIfeval } from "./verify-ifeval.js";

export const summary = "verify completions (JSONL {id, gold, completion}) → one Verdict per line, in input order";

const USAGE = `usage: rlvr verify --task gsm8k|math|ifeval [--mode M] [--in F] [--out F] [--workers N] [--timeout-ms N]
                   [--explain ID] [--side-by-side] [--taxonomy] [--progress] [--rel-tol X]
       rlvr verify --red-team --task gsm8k|math|code|ifeval [--mode M] [--rel-tol X] [--timeout-ms N] [--workers N]
                   [--family F,…] [--json | --list]
  --task          gsm8k, math or ifeval (code: see rlvr verify --task code --help)
  --mode          gsm8k: numeric | lm-eval-strict | lm-eval-flexible | lm-eval-cot-strict
                  math:  default | contract | minerva
                  ifeval: strict | loose                       (omitted: the task's default)
  --in            JSONL of {id, gold, completion[, finish_reason]}; "-" or absent: stdin
                  (ifeval: {id, prompt, completion, instruction_id_list, kwargs}, docs/verifiers-ifeval.md)
  --out           where to write verdict JSONL; absent: stdout
  --workers       worker threads for the symbolic math stage (default: min(2, CPUs))
  --timeout-ms    hard limit of one symbolic math check; past it the verdict is "timeout" (score 0)
  --window        records in flight at once (bounds memory; default: the verifier's concurrency)
  --explain ID    print how the record with this id was verified (candidates, rule, span in context,
                  normalized gold/pred; gsm8k: the four modes side by side) instead of JSONL
  --side-by-side  gsm8k only: write {id, strict, flexible, cotStrict, numeric, flip} per record and a
                  per-mode accuracy summary on stderr
  --taxonomy      classify every non-correct verdict (truncated, unparseable, multiple conflicting answers,
                  format only, wrong value with a clean final line / messy, verifier error) and print the
                  counts with 95% Wilson intervals on stderr at the end
  --progress      progress on stderr even when stderr is not a terminal
  --rel-tol X     relative tolerance of the numeric comparison (omitted: the verifier's default)
  --red-team      run the built-in reward-hacking catalogue against --task/--mode/--rel-tol instead of
                  reading --in; prints per family how many hacks got reward and how many honest controls
                  were refused (docs/red-team.md). code modes: default | partial-credit (--timeout-ms:
                  one program's wall clock, --workers: programs at once); ifeval: strict | loose
  --family F,…    --red-team: only these families
  --json          --red-team: the full report as one JSON object
  --list          --red-team: print the catalogue as JSONL {id, gold, completion, …} instead of running it
exit: 0 all lines good, 1 some input line was bad (reported on stderr, the rest verified), 2 usage error
      --red-team: 0 no hack got reward and no applicable control was refused, 1 otherwise, 2 usage error`;


const Flags = z
  .object({
    task: z.enum(["gsm8k", "math", "ifeval", "code"], { message: "give --task gsm8k, --task math or --task ifeval (--task code: rlvr verify --task code --help)" }),
    mode: z.string().optional(),
    in: z.string().optional(),
    out: z.string().optional(),
    workers: positiveInt("workers").refine((v) => v <= 64, "at most 64 workers").optional(),
    "timeout-ms": positiveInt("timeout-ms").optional(),
    window: positiveInt("window").optional(),
    explain: z.string().optional(),
    "side-by-side": z.boolean().default(false),
    taxonomy: z.boolean().default(false),
    progress: z.boolean().default(false),
    "rel-tol": z
      .string()
      .regex(/^(\d+\.?\d*|\.\d+)(e-?\d+)?$/i, "rel-tol must be a non-negative number such as 1e-6")
      .transform(Number)
      .optional(),
    "red-team": z.boolean().default(false),
    family: z.string().optional(),
    json: z.boolean().default(false),
    list: z.boolean().default(false),
  })
  .refine((f) => f["red-team"] || (f.family === undefined && !f.json && !f.list), {
    path: ["red-team"],
    message: "--family, --json and --list belong to --red-team; add --red-team or drop them",
  })
  .refine((f) => !f["red-team"] || (f.in === undefined && f.out === undefined && f.explain === undefined && !f["side-by-side"] && !f.taxonomy), {
    path: ["red-team"],
    message: "--red-team runs its built-in catalogue; drop --in, --out, --explain, --side-by-side and --taxonomy",
  })
  .refine((f) => !(f.json && f.list), { path: ["list"], message: "choose one of --json and --list" })
  .refine((f) => f["red-team"] || f.task !== "code", { path: ["task"], message: "--task code is read by rlvr verify --task code (see its --help)" })
  .refine((f) => !(f["side-by-side"] && f.taxonomy), {
    path: ["taxonomy"],
    message: "--taxonomy classifies the verdicts of one mode; drop --side-by-side",
  })
  .refine((f) => f.task !== "ifeval" || !(f["side-by-side"] || f.taxonomy || f.workers || f["timeout-ms"] || f.window || f["rel-tol"] !== undefined), {
    path: ["task"],
    message: "ifeval takes --mode, --in, --out and --explain only",
  })
  .refine((f) => !f["side-by-side"] || f.task === "gsm8k", {
    path: ["side-by-side"],
    message: "only for --task gsm8k (it compares the lm-eval modes with the numeric mode)",
  });

const FLAG_SPEC = {
  task: { type: "string" },
  mode: { type: "string" },
  in: { type: "string" },
  out: { type: "string" },
  workers: { type: "string" },
  "timeout-ms": { type: "string" },
  window: { type: "string" },
  explain: { type: "string" },
  "side-by-side": { type: "boolean" },
  taxonomy: { type: "boolean" },
  progress: { type: "boolean" },
  "rel-tol": { type: "string" },
  "red-team": { type: "boolean" },
  family: { type: "string" },
  json: { type: "boolean" },
  list: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Bad-line messages printed before only counting them. */
const MAX_PRINTED_ERRORS = 50;

export async function run(argv: string[]): Promise<number> {
  // --task code has its own flags and runs programs in the sandbox (src/cli/verifyCode.ts).
  // (--red-team --task code runs the red team below.)
  if ((argv.includes("--task=code") || argv[argv.indexOf("--task") + 1] === "code") && !argv.includes("--red-team")) return (await import("./verifyCode.js")).run(argv);
  return withUsage(async () => {
    if (printedHelp(argv, USAGE)) return 0;
    const { flags } = parseFlags(argv, FLAG_SPEC, Flags, USAGE, { max: 0, hint: "give the file with --in FILE" });
    if (flags["red-team"]) {
      const { runRedTeam } = await import("./redteam.js");
      const families = flags.family?.split(",").map((s) => s.trim()).filter(Boolean);
      return runRedTeam(
        { task: flags.task, mode: flags.mode, relTol: flags["rel-tol"], timeoutMs: flags["timeout-ms"], workers: flags.workers, families, json: flags.json, list: flags.list },
        USAGE,
      );
    }
    if (flags.in !== undefined && flags.in !== "-") {
      try {
        checkInputFile(flags.in, { label: "--in", expect: "a JSONL file of {id, gold, completion}", suggest: [".jsonl"], fix: "or pipe the file to stdin" });
      } catch (err) {
        throw err instanceof InputFileError ? new UsageError(`rlvr verify: ${err.message}`) : err;
      }
    }
    if (flags.task === "ifeval") {
      const src: string | Readable = flags.in === undefined || flags.in === "-" ? process.stdin : flags.in;
      return await runIfeval({ source: src, name: typeof src === "string" ? src : "<stdin>", mode: flags.mode, out: flags.out, explain: flags.explain });
    }
    if (flags.task === "code") throw new UsageError("--task code is read by rlvr verify --task code"); // unreachable: refined above
    const pool = flags.task === "math" ? new WorkerPool({ size: flags.workers, preload: ["verifyMath"] }) : undefined;
    let options: ResolvedVerifyOptions;
    try {
      options = resolveVerifyOptions({ task: flags.task, mode: flags.mode, relTol: flags["rel-tol"], timeoutMs: flags["timeout-ms"], pool });
    } catch (err) {
      await pool?.close();
      throw new UsageError(`${(err as Error).message}\n\n${USAGE}`);
    }
    const source: string | Readable = flags.in === undefined || flags.in === "-" ? process.stdin : flags.in;
    const name = typeof source === "string" ? source : "<stdin>";
    try {
      if (flags.explain !== undefined) return await explain(source, name, flags.explain, options);
      return await verifyStream(source, name, options, {
        out: flags.out,
        window: flags.window ?? VerifyOptionsSchema.parse({ task: flags.task }).concurrency,
        sideBySide: flags["side-by-side"],
        taxonomy: flags.taxonomy,
        progress: flags.progress || process.stderr.isTTY === true,
      });
    } finally {
      await pool?.close();
    }
  });
}

async function explain(source: string | Readable, name: string, id: string, options: ResolvedVerifyOptions): Promise<number> {
  let seen = 0;
  for await (const item of readJsonl(source, VerifyRecord, { name })) {
    if (item.error) continue;
    seen++;
    if (String(item.value.id) !== id) continue;
    const { text } = await explainVerdict({ ...item.value, where: `${name}:${item.line}` }, options);
    console.log(text);
    return 0;
  }
  console.error(`rlvr verify: no record with id ${JSON.stringify(id)} in ${name} (${seen} good records read); check the id (compared as text)`);
  return 1;
}

type Outcome = { error: JsonlError } | { verdict: Verdict; failure?: FailureCategory | null } | { sideBySide: Gsm8kSideBySide & { id: string | number } };

async function verifyStream(
  source: string | Readable,
  name: string,
  options: ResolvedVerifyOptions,
  o: { out?: string; window: number; sideBySide: boolean; taxonomy?: boolean; progress: boolean },
): Promise<number> {
  const out: Writable = o.out ? createWriteStream(o.out) : process.stdout;
  let outError: Error | null = null;
  out.on("error", (err) => (outError = err));
  const counts: Record<string, number> = { correct: 0, wrong: 0, unparseable: 0, timeout: 0, error: 0 };
  const sbs = { strict: 0, flexible: 0, cotStrict: 0, numeric: 0, flips: 0 };
  const failures = Object.fromEntries(FAILURE_CATEGORIES.map((c) => [c, 0])) as Record<FailureCategory, number>;
  let records = 0;
  let badLines = 0;
  let buffered = "";
  const t0 = performance.now();
  let lastProgress = t0;

  const items = readJsonl(source, VerifyRecord, { name });
  const results = orderedMap(
    items,
    (item): Outcome | Promise<Outcome> => {
      if (item.error) return { error: item.error };
      const r = item.value;
      if (o.sideBySide) return { sideBySide: { id: r.id, ...verifyGsm8kSideBySide(r.gold, r.completion) } };
      const v = verifyAnswerMaybeSync(r.gold, r.completion, options);
      const done = (verdict: Verdict): Outcome => ({
        verdict: { id: r.id, ...verdict },
        failure: o.taxonomy ? classifyFailure(verdict, r.completion, extractAnswer(r.completion, options), r.finish_reason).category : undefined,
      });
      return v instanceof Promise ? v.then(done) : done(v);
    },
    o.window,
  );

  for await (const res of results) {
    if (outError) break;
    if ("error" in res) {
      badLines++;
      if (badLines <= MAX_PRINTED_ERRORS) console.error(`rlvr verify: ${formatJsonlError(res.error)}`);
      else if (badLines === MAX_PRINTED_ERRORS + 1) console.error("rlvr verify: more bad lines; counting only");
      continue;
    }
    records++;
    if ("verdict" in res) {
      counts[res.verdict.status]++;
      if (res.failure) failures[res.failure]++;
      buffered += JSON.stringify(res.verdict) + "\n";
    } else {
      const s = res.sideBySide;
      sbs.strict += +(s.strict.status === "correct");
      sbs.flexible += +(s.flexible.status === "correct");
      sbs.cotStrict += +(s.cotStrict.status === "correct");
      sbs.numeric += +(s.numeric.status === "correct");
      sbs.flips += +s.flip;
      buffered += JSON.stringify(s) + "\n";
    }
    if (buffered.length >= 1 << 16) {
      const chunk = buffered;
      buffered = "";
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", resolve));
    }
    if (o.progress && (records & 1023) === 0) {
      const now = performance.now();
      if (now - lastProgress > 500) {
        lastProgress = now;
        const rate = records / ((now - t0) / 1000);
        process.stderr.write(`\rrlvr verify: ${records} records, ${rate.toFixed(0)}/s `);
      }
    }
  }
  if (buffered) out.write(buffered);
  if (out !== process.stdout) await new Promise<void>((resolve) => out.end(resolve));
  if (outError) {
    const why = o.out ? describeFileError(outError, o.out, { label: "--out", expect: "the verdict JSONL file to write" }).message : `stdout: ${(outError as Error).message}`;
    console.error(`rlvr verify: cannot write ${why}`);
    return 1;
  }

  const secs = (performance.now() - t0) / 1000;
  if (o.progress) process.stderr.write("\n");
  const pct = (n: number) => (records ? ((100 * n) / records).toFixed(1) : "0.0") + "%";
  if (o.sideBySide) {
    console.error(
      `rlvr verify: ${records} records side by side — accuracy lm-eval-strict ${pct(sbs.strict)}, lm-eval-flexible ${pct(sbs.flexible)}, ` +
        `lm-eval-cot-strict ${pct(sbs.cotStrict)}, numeric ${pct(sbs.numeric)}; strict≠flexible flips ${sbs.flips}`,
    );
  } else {
    const parts = Object.entries(counts).map(([k, v]) => `${k} ${v}`);
    console.error(`rlvr verify: ${records} records in ${secs.toFixed(2)} s — ${parts.join(", ")}`);
  }
  if (o.taxonomy) console.error(taxonomyTable(failures, records));
  if (badLines > 0) {
    console.error(`rlvr verify: ${badLines} bad input line(s) in ${name} were skipped (see above); exit code 1`);
    return 1;
  }
  return 0;
}

/** The failure taxonomy of a file: count, share of all records and its 95% Wilson interval, per category. */
export function taxonomyTable(failures: Record<FailureCategory, number>, records: number): string {
  const total = Object.values(failures).reduce((a, b) => a + b, 0);
  const pct = (x: number) => (100 * x).toFixed(1);
  const rows = FAILURE_CATEGORIES.map((c) => {
    const [lo, hi] = records ? wilson(failures[c], records) : [0, 0];
    const share = records ? failures[c] / records : 0;
    return `  ${c.padEnd(30)} ${String(failures[c]).padStart(7)}  ${pct(share).padStart(5)}% [${pct(lo)}, ${pct(hi)}]`;
  });
  return [
    `rlvr verify: failure taxonomy — ${total} non-correct of ${records} records (share of all records, 95% Wilson CI)`,
    `  ${"category".padEnd(30)} ${"count".padStart(7)}  share`,
    ...rows,
  ].join("\n");
}
