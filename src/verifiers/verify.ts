/**
 * The two public verbs of the verifiers: `extractAnswer(text, options)` and
 * `verifyAnswer(gold, completion, options)` (gold first: the comparison is asymmetric on purpose), plus
 * `verifyMany(records, options)` for batches.
 *
 * Dispatch:
 *   gsm8k → `verifyGsm8k` inline (synchronous, microseconds).
 *   math  → `verifyMathFast` inline; only when it returns null (the symbolic stage is needed) does the full
 *           `verifyMath` run in the worker pool under a hard `timeoutMs`.
 * Every call resolves a Verdict (fail closed): a pool timeout is status "timeout", rule "pool/timeout",
 * score 0; a verifier that throws is status "error" (rule "verify/error" or "pool/error"), score 0.
 * Invalid options are a programming error and throw/reject with a message saying how to fix them.
 */
import { z } from "zod";
import type { Verdict as VerdictT } from "../schemas/verdict.js";
import { Verdict } from "../schemas/verdict.js";
import type { Extraction } from "./extraction.js";
import { extractGsm8k, verifyGsm8k, GSM8K_MODES, type Gsm8kOptions } from "./gsm8k/index.js";
import { extractMath, verifyMathFast, type MathOptions } from "./math/index.js";
import { resolveGsm8kOptions } from "./gsm8k/options.js";
import { resolveMathOptions } from "./math/options.js";
import { WorkerPool, getDefaultPool } from "./pool.js";

export const TASKS = ["gsm8k", "math"] as const;
export type Task = (typeof TASKS)[number];
export const MATH_MODES = ["default", "contract", "minerva"] as const;

/** Options of extractAnswer / verifyAnswer / verifyMany; defaults live here and only here. */
export const VerifyOptionsSchema = z
  .object({
    task: z.enum(TASKS),
    /** Task mode (gsm8k: numeric | lm-eval-strict | lm-eval-flexible | lm-eval-cot-strict; math: default | contract | minerva). Omitted: the task's default. */
    mode: z.string().optional(),
    /** Relative tolerance of the numeric comparison, passed to the task verifier (gsm8k ≤ 0.1, math ≤ 0.5). Omitted: the task's default. */
    relTol: z.number().min(0).max(0.5).optional(),
    /** Hard limit (ms) of the symbolic math stage in the worker pool; past it the verdict is "timeout". */
    timeoutMs: z.number().int().positive().max(600_000).default(2000),
    /** verifyMany / the CLI: most records whose symbolic stage may be pending at once. */
    concurrency: z.number().int().min(1).max(100_000).default(64),
    /** Worker pool for the symbolic stage; omitted: the shared default pool (getDefaultPool()). */
    pool: z.custom<WorkerPool>((v) => v instanceof WorkerPool, "pool must be a WorkerPool").optional(),
  })
  .superRefine((o, ctx) => {
    if (o.task === "gsm8k" && o.relTol !== undefined && o.relTol > 0.1) {
      ctx.addIssue({ code: "custom", path: ["relTol"], message: `gsm8k relTol must be at most 0.1 (got ${o.relTol})` });
    }
    if (o.mode === undefined) return;
    const modes: readonly string[] = o.task === "gsm8k" ? GSM8K_MODES : MATH_MODES;
    if (!modes.includes(o.mode)) {
      ctx.addIssue({
        code: "custom",
        path: ["mode"],
        message: `"${o.mode}" is not a ${o.task} mode; use one of ${modes.join(", ")} (or omit it for the default)`,
      });
    }
  });
export type VerifyOptions = z.input<typeof VerifyOptionsSchema>;
export type ResolvedVerifyOptions = Readonly<z.output<typeof VerifyOptionsSchema>>;

const resolvedCache = new WeakMap<object, ResolvedVerifyOptions>();

/** safeParse once per options object (cached), throwing a message that says how to fix a bad field. */
export function resolveVerifyOptions(options: VerifyOptions): ResolvedVerifyOptions {
  const hit = resolvedCache.get(options);
  if (hit) return hit;
  const r = VerifyOptionsSchema.safeParse(options);
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${i.path.join(".") || "(options)"}: ${i.message}`).join("; ");
    throw new Error(`invalid verify options — ${msg}`);
  }
  const resolved = Object.freeze(r.data);
  resolvedCache.set(options, resolved);
  resolvedCache.set(resolved, resolved);
  return resolved;
}

/** How many verdicts took which path (tests prove the math fast path never touches the pool). */
export interface VerifyCounters {
  inline: number;
  pooled: number;
  timeouts: number;
  errors: number;
}
const counters: VerifyCounters = { inline: 0, pooled: 0, timeouts: 0, errors: 0 };
export function getVerifyCounters(): VerifyCounters {
  return { ...counters };
}
export function resetVerifyCounters(): void {
  counters.inline = counters.pooled = counters.timeouts = counters.errors = 0;
}

/** Find the final answer in a completion with the task's extractor (no comparison). */
export function extractAnswer(text: string, options: Pick<VerifyOptions, "task" | "mode">): Extraction {
  const o = resolveVerifyOptions(options);
  return o.task === "gsm8k" ? extractGsm8k(text, gsm8kOptions(o)) : extractMath(text, mathOptions(o));
}

// Task options resolved once per VerifyOptions object (the verifiers' hot paths then skip validation).
// The modes were checked against the task's list in VerifyOptionsSchema.
const taskOptionsCache = new WeakMap<object, Gsm8kOptions | MathOptions>();
function gsm8kOptions(o: ResolvedVerifyOptions): Gsm8kOptions | undefined {
  if (o.mode === undefined && o.relTol === undefined) return undefined;
  let t = taskOptionsCache.get(o);
  if (!t) taskOptionsCache.set(o, (t = resolveGsm8kOptions({ mode: o.mode, relTol: o.relTol } as Gsm8kOptions)));
  return t as Gsm8kOptions;
}
function mathOptions(o: ResolvedVerifyOptions): MathOptions | undefined {
  if (o.mode === undefined && o.relTol === undefined) return undefined;
  let t = taskOptionsCache.get(o);
  if (!t) taskOptionsCache.set(o, (t = resolveMathOptions({ mode: o.mode, relTol: o.relTol } as MathOptions)));
  return t as MathOptions;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

function failVerdict(status: "error" | "timeout", rule: string, message: string, ms: number, extraction?: Extraction | null, queueMs?: number): VerdictT {
  const v: VerdictT = {
    status,
    score: 0,
    extracted: extraction?.extracted ?? null,
    span: extraction?.span ?? null,
    normalizedGold: null,
    normalizedPred: null,
    rule,
    ms,
    message,
  };
  if (queueMs !== undefined) v.queueMs = queueMs;
  return v;
}

/** Extraction for a fail verdict's context; never throws. */
function safeExtract(completion: string, o: ResolvedVerifyOptions): Extraction | null {
  try {
    return extractAnswer(completion, o);
  } catch {
    return null;
  }
}

/**
 * Inline stage: the gsm8k verdict, or the math fast-path verdict, or null when math needs the symbolic
 * stage. Throws only if the verifier itself throws (callers turn that into an "error" verdict).
 */
function verifyInline(gold: string, completion: string, o: ResolvedVerifyOptions): VerdictT | null {
  if (o.task === "gsm8k") return verifyGsm8k(gold, completion, gsm8kOptions(o));
  return verifyMathFast(gold, completion, mathOptions(o));
}

/** Try the inline stage; returns a verdict (possibly an error verdict) or null (go to the pool). */
function inlineOrNull(gold: string, completion: string, o: ResolvedVerifyOptions, t0: number): VerdictT | null {
  try {
    const v = verifyInline(gold, completion, o);
    if (v) counters.inline++;
    return v;
  } catch (err) {
    counters.errors++;
    const ms = performance.now() - t0;
    return failVerdict("error", "verify/error", `${o.task} verifier threw: ${messageOf(err)} (scored 0, fail closed)`, ms, safeExtract(completion, o));
  }
}

/** The symbolic stage in the pool; resolves a verdict whatever happens. */
async function verifySymbolic(gold: string, completion: string, o: ResolvedVerifyOptions, t0: number): Promise<VerdictT> {
  counters.pooled++;
  const inlineMs = performance.now() - t0; // the fast path that sent it here
  const pool = o.pool ?? getDefaultPool();
  const r = await pool.run<unknown>("verifyMath", { gold, completion, options: mathOptions(o) }, { timeoutMs: o.timeoutMs });
  // `ms` is verification time (fast path + the job's run in its worker); waiting in the pool's queue, worker
  // start-up and message transfer are `queueMs`, reported apart.
  const total = performance.now() - t0;
  const ms = inlineMs + r.ms;
  const queueMs = Math.max(0, total - ms);
  if (r.status === "ok") {
    const parsed = Verdict.safeParse(r.value);
    if (parsed.success) return { ...parsed.data, ms: inlineMs + Math.min(parsed.data.ms, r.ms), queueMs };
    counters.errors++;
    return failVerdict("error", "pool/error", `verifyMath returned an invalid verdict: ${parsed.error.issues[0]?.message}`, ms, safeExtract(completion, o), queueMs);
  }
  if (r.status === "timeout") {
    counters.timeouts++;
    return failVerdict(
      "timeout",
      "pool/timeout",
      `symbolic verification exceeded the ${o.timeoutMs} ms limit (timeoutMs / --timeout-ms); its worker was terminated; scored 0 (fail closed)`,
      ms,
      safeExtract(completion, o),
      queueMs,
    );
  }
  counters.errors++;
  return failVerdict("error", "pool/error", `verifyMath failed in the worker: ${r.message} (scored 0, fail closed)`, ms, safeExtract(completion, o), queueMs);
}

/** Verify one completion against its gold answer. Resolves a Verdict; rejects only on invalid options. */
export async function verifyAnswer(gold: string, completion: string, options: VerifyOptions): Promise<VerdictT> {
  const o = resolveVerifyOptions(options);
  const t0 = performance.now();
  return inlineOrNull(gold, completion, o, t0) ?? verifySymbolic(gold, completion, o, t0);
}

/**
 * Synchronous-when-possible variant used by batches and the CLI: returns the verdict itself when the
 * inline stage decides, a promise only when the record goes to the pool.
 */
export function verifyAnswerMaybeSync(gold: string, completion: string, options: VerifyOptions): VerdictT | Promise<VerdictT> {
  const o = resolveVerifyOptions(options);
  const t0 = performance.now();
  return inlineOrNull(gold, completion, o, t0) ?? verifySymbolic(gold, completion, o, t0);
}

export interface VerifyInput {
  id?: string | number;
  gold: string;
  completion: string;
}

/**
 * Verify a batch; verdicts come back in input order with each record's `id` echoed. At most
 * `options.concurrency` records wait on the pool at once.
 */
export async function verifyMany(records: Iterable<VerifyInput>, options: VerifyOptions): Promise<VerdictT[]> {
  const o = resolveVerifyOptions(options);
  const out: VerdictT[] = [];
  const pending = new Set<Promise<void>>();
  let i = 0;
  for (const rec of records) {
    const index = i++;
    const r = verifyAnswerMaybeSync(rec.gold, rec.completion, o as VerifyOptions);
    if (!(r instanceof Promise)) {
      out[index] = rec.id === undefined ? r : { id: rec.id, ...r };
      continue;
    }
    const p: Promise<void> = r.then((v) => {
      out[index] = rec.id === undefined ? v : { id: rec.id, ...v };
      pending.delete(p);
    });
    pending.add(p);
    if (pending.size >= o.concurrency) await Promise.race(pending);
  }
  await Promise.all(pending);
  return out;
}
