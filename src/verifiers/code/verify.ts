/**
 * The code verifier: `verifyCode(record, options)` runs a completion's program against its tests in the
 * sandbox (sandbox.ts) and returns a Verdict. Stages: extract (extract.ts) → assemble the program (prompt
 * prepended when the program lacks the entry point) → run the judge/candidate pair → read the judge's
 * records (fd 3) into a verdict.
 *
 * | outcome                                         | status  | rule                      |
 * |-------------------------------------------------|---------|---------------------------|
 * | every test ran and passed                       | correct | code/all-passed           |
 * | a test failed (first failing test + message)    | wrong   | code/test-failed          |
 * | the program does not compile                    | wrong   | code/syntax-error         |
 * | it raised / exited / lacks the entry point      | wrong   | code/load-error, code/exit-before-tests, code/missing-function |
 * | its process ended or broke the channel          | wrong   | code/process-ended        |
 * | it printed more than maxOutputBytes             | wrong   | code/output-limit         |
 * | wall clock or CPU limit                         | timeout | code/timeout              |
 * | sandbox unavailable / harness or test-data fault| error   | code/sandbox-error, code/harness-error |
 *
 * `score` is 1/0 unless `partialCredit` is set: then passed/total (fraction of tests passed). `tests`
 * gives {passed, total}; `failure` the first failing test's source and message; `output` the program's
 * stdout/stderr (truncated). Flags carry the extraction rule (`extract/fenced-block`…), how the prompt was
 * used and what the sandbox enforced (`sandbox/netns`, …).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { Verdict } from "../../schemas/verdict.js";
import { PoolOptions, WorkerPool } from "../pool.js";
import { extractCode, type CodeExtraction } from "./extract.js";
import { isHumanEval, type CodeRecord } from "./records.js";
import { runInSandbox, SandboxLimits, SandboxSlots, insideSandboxRoot, type SandboxJob, type SandboxResult } from "./sandbox.js";

/** Options of verifyCode / verifyCodeMany; defaults live here and in SandboxLimits only. */
export const CodeOptionsSchema = z.object({
  /** Sandbox limits (wall clock, CPU, memory, file size, processes, output). */
  limits: SandboxLimits.partial().default({}),
  /** score = fraction of tests passed (partial credit) instead of 1/0. */
  partialCredit: z.boolean().default(false),
  /** Python interpreter; must resolve under /usr (the only host tree visible in the sandbox). */
  python: z.string().default("/usr/bin/python3"),
  /** Node interpreter for JavaScript; must resolve under /usr. */
  node: z.string().default("/usr/bin/node"),
  /** Runs at once; omitted: the worker-pool size of `pool`, else the pool default (min(2, CPUs)). */
  concurrency: z.number().int().min(1).max(64).optional(),
  pool: z.custom<WorkerPool>((v) => v instanceof WorkerPool, "pool must be a WorkerPool").optional(),
});
export type CodeOptions = z.input<typeof CodeOptionsSchema>;
type Resolved = z.output<typeof CodeOptionsSchema>;

const slotsBySize = new Map<number, SandboxSlots>();
function slotsFor(o: Resolved): SandboxSlots {
  const size = o.concurrency ?? o.pool?.size ?? PoolOptions.parse({}).size;
  let s = slotsBySize.get(size);
  if (!s) slotsBySize.set(size, (s = new SandboxSlots(size)));
  return s;
}

function harnessSource(file: string): string {
  for (const rel of [`./harness/${file}`, `../../../src/verifiers/code/harness/${file}`]) {
    try {
      return readFileSync(fileURLToPath(new URL(rel, import.meta.url)), "utf8");
    } catch {
      /* next */
    }
  }
  throw new Error(`code harness ${file} not found next to ${import.meta.url} or in src/verifiers/code/harness/`);
}
const harnessCache = new Map<string, string>();
function harness(file: string): string {
  let h = harnessCache.get(file);
  if (h === undefined) harnessCache.set(file, (h = harnessSource(file)));
  return h;
}

/** The program and test spec the judge receives, plus what the prompt did. */
export function assembleProgram(record: CodeRecord, extraction: CodeExtraction): { spec: Record<string, unknown>; flags: string[] } {
  const flags: string[] = [];
  const code = extraction.code;
  const js = record.language === "javascript";
  if (isHumanEval(record)) {
    const e = record.entry_point.replace(/\$/g, "\\$");
    const defines = js
      ? new RegExp(`(^|\\n)\\s*(export\\s+)?((async\\s+)?function\\s*\\*?\\s*${e}\\s*\\(|(const|let|var)\\s+${e}\\s*=)`).test(code)
      : new RegExp(`(^|\\n)(async[ \\t]+)?def[ \\t]+${e}[ \\t]*\\(`).test(code);
    let source = code;
    let preamble = "";
    if (record.prompt) {
      if (!defines) {
        source = record.prompt + code;
        flags.push("code/prompt-prepended");
      } else {
        preamble = record.prompt;
        flags.push("code/prompt-as-preamble");
      }
    }
    // `prompt` goes to the judge too: helpers the tests call (HumanEval/38's encode_cyclic) are bound from the
    // judge's own run of the prompt, never from the program, which could redefine them.
    return { spec: { kind: "humaneval", source, preamble, prompt: record.prompt ?? "", test: record.test, entry_point: record.entry_point }, flags };
  }
  return { spec: { kind: "mbpp", source: code, preamble: "", test_list: record.test_list, setup: record.test_setup_code ?? "" }, flags };
}

interface JudgeReport {
  total: number | null;
  tests: string[];
  results: Map<number, { ok: boolean; msg?: string }>;
  current: number | null;
  load: { status: string; msg: string } | null;
  harnessError: string | null;
  done: boolean;
  launcher: { judge: number; candidate: number } | null;
  bad: number;
}

export function parseJudgeRecords(text: string): JudgeReport {
  const r: JudgeReport = { total: null, tests: [], results: new Map(), current: null, load: null, harnessError: null, done: false, launcher: null, bad: 0 };
  for (const line of text.split("\n")) {
    if (!line) continue;
    let o: any;
    try {
      o = JSON.parse(line);
    } catch {
      r.bad++;
      continue;
    }
    if (typeof o.total === "number") {
      r.total = o.total;
      r.tests = Array.isArray(o.tests) ? o.tests.map(String) : [];
    } else if (typeof o.begin === "number") r.current = o.begin;
    else if (typeof o.result === "number") r.results.set(o.result, { ok: o.ok === true, msg: typeof o.msg === "string" ? o.msg : undefined });
    else if (typeof o.load === "string") r.load = { status: o.load, msg: String(o.msg ?? "") };
    else if (typeof o.harness_error === "string") r.harnessError = o.harness_error;
    else if (o.done === true) r.done = true;
    else if (o.launcher && typeof o.launcher === "object") r.launcher = { judge: Number(o.launcher.judge), candidate: Number(o.launcher.candidate) };
    else r.bad++;
  }
  return r;
}

const LOAD_RULES: Record<string, string> = {
  "syntax-error": "code/syntax-error",
  exit: "code/exit-before-tests",
  exception: "code/load-error",
  missing: "code/missing-function",
  "process-ended": "code/process-ended",
  protocol: "code/process-ended",
};

/** Exit statuses of the candidate that mean "CPU limit": SIGXCPU (soft) or SIGKILL at the hard limit. */
const CPU_LIMIT_STATUSES = new Set([128 + 24]);

/** Turn the sandbox result and the judge's records into a Verdict (pure; tested on its own). */
export function verdictFromRun(run: SandboxResult, extraction: CodeExtraction, flags: string[], partialCredit: boolean): Verdict {
  const rep = parseJudgeRecords(run.results);
  const total = rep.total ?? 0;
  const passed = [...rep.results.values()].filter((x) => x.ok).length;
  const outText = (run.stdout + (run.stderr ? (run.stdout ? "\n" : "") + run.stderr : "")).slice(0, 64 << 10);
  const allFlags = [`extract/${extraction.rule}`, ...flags, ...run.enforced.map((e) => `sandbox/${e}`)];
  const base = {
    extracted: extraction.code,
    span: extraction.span,
    normalizedGold: null,
    normalizedPred: null,
    ms: run.ms,
    flags: allFlags,
    ...(outText ? { output: outText } : {}),
  };
  const tests = rep.total === null ? undefined : { passed, total };
  const score = (ok: boolean) => (ok ? 1 : partialCredit && total > 0 ? passed / total : 0);
  const firstFailure = () => {
    for (let i = 0; i < total; i++) {
      const x = rep.results.get(i);
      if (x && !x.ok) return { index: i, test: rep.tests[i] ?? `test ${i}`, message: x.msg ?? "failed" };
    }
    for (let i = 0; i < total; i++) if (!rep.results.has(i)) return { index: i, test: rep.tests[i] ?? `test ${i}`, message: "the test did not run" };
    return null;
  };

  if (run.status === "unavailable" || run.status === "failed") {
    return { ...base, status: "error", score: 0, rule: "code/sandbox-error", message: `sandbox: ${run.message} (scored 0; not the program's fault)` };
  }
  if (rep.harnessError) {
    return { ...base, status: "error", score: 0, rule: "code/harness-error", message: `harness: ${rep.harnessError} (scored 0; not the program's fault)`, ...(tests ? { tests } : {}) };
  }
  const cpuLimit = rep.launcher !== null && CPU_LIMIT_STATUSES.has(rep.launcher.candidate);
  if (run.status === "timeout" || cpuLimit) {
    const at = rep.current !== null && !rep.results.has(rep.current) ? ` during test ${rep.current}: ${rep.tests[rep.current] ?? ""}` : rep.total === null || rep.load === null ? " while the program was loading" : "";
    const what = run.status === "timeout" ? `the run exceeded the wall-clock limit` : `the program exceeded the CPU-time limit`;
    return { ...base, status: "timeout", score: score(false), rule: "code/timeout", message: `${what}${at}`.trim(), ...(tests ? { tests } : {}) };
  }
  if (run.status === "output-limit") {
    return { ...base, status: "wrong", score: score(false), rule: "code/output-limit", message: `the program wrote more than the output limit (${run.outputBytes} bytes); the run was killed`, ...(tests ? { tests } : {}) };
  }
  if (rep.total === null) {
    const why = rep.launcher ? `the judge exited with status ${rep.launcher.judge} before starting` : `the sandbox ended without a judge report (exit ${run.exitCode}): ${run.stderr.trim().split("\n").slice(-3).join(" | ")}`;
    return { ...base, status: "error", score: 0, rule: "code/harness-error", message: `harness: ${why} (scored 0; not the program's fault)` };
  }
  if (rep.load) {
    const rule = LOAD_RULES[rep.load.status] ?? "code/load-error";
    return { ...base, status: "wrong", score: 0, rule, message: rep.load.msg, tests: { passed: 0, total } };
  }
  if (!rep.done) {
    const why = rep.launcher ? `the judge exited with status ${rep.launcher.judge} before finishing` : `the sandbox ended before the judge finished (exit ${run.exitCode})`;
    return { ...base, status: "error", score: 0, rule: "code/harness-error", message: `harness: ${why} (scored 0; not the program's fault)`, ...(tests ? { tests } : {}) };
  }
  const failure = firstFailure();
  if (failure === null && passed === total) {
    return { ...base, status: "correct", score: 1, rule: "code/all-passed", tests: { passed, total } };
  }
  const f = failure ?? { index: -1, test: "", message: "not every test reported a result" };
  return {
    ...base,
    status: "wrong",
    score: score(false),
    rule: "code/test-failed",
    message: `test ${f.index + 1} of ${total} failed: ${f.test}\n${f.message}`,
    tests: { passed, total },
    failure: { index: f.index, test: f.test, message: f.message },
  };
}

/** Verify one code record in the sandbox. Resolves a Verdict (fail closed); rejects only on invalid options. */
export async function verifyCode(record: CodeRecord, options: CodeOptions = {}): Promise<Verdict> {
  const o = CodeOptionsSchema.parse(options);
  const t0 = performance.now();
  const extraction = extractCode(record.completion);
  const { spec, flags } = assembleProgram(record, extraction);
  const js = record.language === "javascript";
  const interp = js ? o.node : o.python;
  if (!insideSandboxRoot(interp)) {
    const run: SandboxResult = { status: "unavailable", results: "", stdout: "", stderr: "", outputBytes: 0, ms: performance.now() - t0, exitCode: null, enforced: [], message: `${js ? "node" : "python"} interpreter ${interp} does not resolve under /usr, the only host tree the sandbox exposes; pass options.${js ? "node" : "python"}` };
    return verdictFromRun(run, extraction, flags, o.partialCredit);
  }
  const harnessFile = js ? "javascript.mjs" : "python.py";
  // -u: unbuffered, so what the program printed is not lost when it is killed after the tests.
  const argv = js ? [interp, "/io/harness.mjs"] : [interp, "-I", "-B", "-u", "/io/harness.py"];
  const job: SandboxJob = {
    judgeFiles: { "spec.json": JSON.stringify(spec) },
    sharedFiles: { [js ? "harness.mjs" : "harness.py"]: harness(harnessFile) },
    judge: [...argv, "judge"],
    candidate: [...argv, "candidate"],
    // node starts ~10 threads (V8 platform, libuv pool): it hangs below about 8.
    ...(js ? { candidateProcesses: Math.max(16, o.limits.processes ?? 16), judgeProcesses: 16 } : {}),
  };
  const limits = js ? { memoryMb: 2048, ...o.limits } : o.limits;
  const slots = slotsFor(o);
  const slot = await slots.acquire();
  let run: SandboxResult;
  try {
    run = await runInSandbox(job, limits, slot);
  } finally {
    slots.release(slot);
  }
  return verdictFromRun(run, extraction, flags, o.partialCredit);
}

/** Verify a batch; verdicts in input order with `id` (and `problem_id` when given) echoed. */
export async function verifyCodeMany(records: Iterable<CodeRecord>, options: CodeOptions = {}): Promise<Verdict[]> {
  const all = [...records];
  return Promise.all(all.map(async (r) => withIds(r, await verifyCode(r, options))));
}

/** The verdict line of a record: its `id`, its problem id (for pass@k), then the verdict. */
export function withIds(r: CodeRecord, v: Verdict): Verdict & { problem_id?: string | number } {
  const pid = r.problem_id ?? r.task_id;
  return { id: r.id, ...(pid !== undefined ? { problem_id: pid } : {}), ...v };
}
