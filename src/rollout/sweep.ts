/**
 * runSweep: sample `n` completions for every problem from one or many OpenAI-compatible endpoints,
 * record each one, verify, and summarise pass@k — resumable after a crash.
 *
 * Files in `outDir`:
 * - `sweep.json` — the generation settings; `--resume` refuses to continue under different ones.
 * - `completions.jsonl` — append-only, one SweepCompletion per (problem, sample) with its finish_reason;
 *   written by JsonlAppender in fsync'd batches (every `flushEvery` records or `flushIntervalMs`).
 * - `verdicts.jsonl` — one Verdict per (problem, sample), written after sampling (atomic rename).
 * - `summary.json` — pass@k with 95% CIs, finish reasons, truncation, errors, duplicates, throughput.
 *
 * Each sample is its own request (n = 1) with seed = sampleSeed(problem id, epoch, step, index), so
 * the text of a sample does not depend on scheduling, endpoint or resume. Truncated samples
 * (finish_reason "length") keep the verifier's verdict — a truncated text may still hold an answer —
 * and are counted separately (`completions.truncated`, `truncated_verdicts`), never silently merged
 * into "wrong". Samples that failed after all retries are recorded with finish_reason "error", reported
 * under `failures` (per endpoint, with their causes) and left out of pass@k (`excluded_from_pass@k`): a
 * refused connection is not a wrong answer. `--resume` retries them. Before sampling, every endpoint must
 * answer GET /v1/models (`EndpointError` names each one that does not and why). A stop string the server
 * left in the text is cut before verification and flagged (`stop_trimmed`); requested logprobs that come
 * back missing are counted — both are `warnings` in the summary.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { JsonlAppender, writeJsonl, type Problem, type Verdict } from "../schemas/index.js";
import { summarizePassAtK } from "../stats/summary.js";
import { OpenAIClient, CLIENT_DEFAULTS, describeNetworkError, getIdempotent } from "./client.js";
import { compactCompletions, isComplete, readCompletions, repairTail, type SweepCompletion } from "./completionStore.js";
import { EndpointPool } from "./endpointPool.js";
import { ProgressBar } from "./progress.js";
import { buildPrompt, inferModelKind, ModelKind, PromptStyle, type BuiltPrompt } from "./prompts.js";
import { sampleKeyString, sampleSeed } from "./seed.js";
import { compareServerTemplate, loadClientTemplate } from "./clientTemplate.js";

/** An http(s) base URL: `localhost:8000` (no scheme) parses as a URL with scheme "localhost:" and is refused. */
export const EndpointUrl = z.string().refine((u) => {
  try {
    const p = new URL(u).protocol;
    return p === "http:" || p === "https:";
  } catch {
    return false;
  }
}, "give an http:// or https:// URL, e.g. http://127.0.0.1:8000 (a host:port without a scheme is not one)");

export const SweepOptions = z.object({
  endpoints: z.array(EndpointUrl).min(1),
  /** Requests in flight per endpoint. */
  concurrency: z.number().int().min(1).default(8),
  strategy: z.enum(["round-robin", "least-loaded"]).default("least-loaded"),
  model: z.string().min(1),
  n: z.number().int().min(1).default(16),
  /** k values of pass@k; default: 1, powers of two below n, and n. */
  ks: z.array(z.number().int().min(1)).optional(),
  /** Verifier task; default: each problem's own task (gsm8k when it has none). */
  task: z.enum(["gsm8k", "math"]).optional(),
  maxTokens: z.number().int().min(1).default(512),
  temperature: z.number().min(0).max(2).default(1),
  topP: z.number().gt(0).max(1).default(1),
  chat: z.boolean().default(false),
  fewShot: z.number().int().min(0).max(8).default(0),
  /** Prompt style; default: minerva for math problems, lm-eval otherwise. */
  style: PromptStyle.optional(),
  /** Model kind for prompt warnings; default: inferred from the model id. */
  modelKind: ModelKind.optional(),
  /** Replaces the style's stop sequences. */
  stop: z.array(z.string()).optional(),
  logprobs: z.boolean().default(false),
  /** With `chat`: a model folder whose chat template renders prompts client-side (sent raw to /v1/completions). */
  tokenizer: z.string().min(1).optional(),
  outDir: z.string().min(1),
  resume: z.boolean().default(false),
  epoch: z.number().int().min(0).default(0),
  step: z.number().int().min(0).default(0),
  runSeed: z.number().int().default(0),
  timeoutMs: z.number().int().min(1).default(CLIENT_DEFAULTS.timeoutMs),
  maxRetries: z.number().int().min(0).default(CLIENT_DEFAULTS.maxRetries),
  backoffBaseMs: z.number().min(0).default(CLIENT_DEFAULTS.backoffBaseMs),
  backoffMaxMs: z.number().min(0).default(CLIENT_DEFAULTS.backoffMaxMs),
  flushEvery: z.number().int().min(1).default(32),
  flushIntervalMs: z.number().int().min(1).default(200),
  /** Draw a progress bar on stderr (only if it is a TTY). */
  progress: z.boolean().default(true),
  /** Check every endpoint answers (GET /v1/models) before sampling; a dead one fails the sweep with its cause. */
  preflight: z.boolean().default(true),
});
export type SweepOptions = z.input<typeof SweepOptions>;

/** Settings that change what a sample's text is: a resume must use the same ones. */
const PINNED = ["model", "temperature", "topP", "maxTokens", "chat", "fewShot", "style", "stop", "epoch", "step", "runSeed", "logprobs", "tokenizer"] as const;

export interface SweepHooks {
  signal?: AbortSignal;
  onWarning?: (message: string) => void;
}

/** Endpoints that did not answer the preflight check, each with its cause; nothing was sampled. */
export class EndpointError extends Error {
  constructor(readonly failures: { endpoint: string; cause: string }[]) {
    super(`${failures.length === 1 ? "an endpoint does" : `${failures.length} endpoints do`} not answer; nothing was sampled:\n${failures.map((f) => `  ${f.endpoint}: ${f.cause}`).join("\n")}`);
  }
}

/** GET /v1/models on each endpoint (network errors, 5xx, 401/403 fail; a 404 means the server has no such route, fine). */
export async function preflightEndpoints(endpoints: string[], model: string, timeoutMs: number, warn: (m: string) => void): Promise<void> {
  const failures: { endpoint: string; cause: string }[] = [];
  await Promise.all(
    endpoints.map(async (url) => {
      const base = url.replace(/\/+$/, "").replace(/\/v1$/, "");
      let r: Response;
      try {
        r = await getIdempotent(`${base}/v1/models`, timeoutMs);
      } catch (err) {
        const e = err as Error;
        failures.push({ endpoint: url, cause: e.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : describeNetworkError(err) });
        return;
      }
      const text = await r.text().catch(() => "");
      if (r.status >= 500 || r.status === 401 || r.status === 403) {
        failures.push({ endpoint: url, cause: `HTTP ${r.status} on GET /v1/models${r.status === 401 || r.status === 403 ? " (an API key is needed?)" : ""}: ${text.slice(0, 120)}` });
        return;
      }
      if (!r.ok) return;
      try {
        const ids = ((JSON.parse(text) as { data?: { id?: string }[] }).data ?? []).map((m) => m.id);
        if (ids.length && !ids.includes(model)) warn(`${url} lists models ${ids.slice(0, 5).map((m) => JSON.stringify(m)).join(", ")} but not --model ${JSON.stringify(model)}; if it refuses the id every sample will fail`);
      } catch {
        // not a JSON model list: the generation requests will tell
      }
    }),
  );
  if (failures.length) throw new EndpointError(failures);
}

/** Cut the text before the earliest stop string the server left in it. */
export function trimStop(text: string, stop: string[]): { text: string; trimmed?: { stop: string; at: number; removed: number } } {
  let at = -1;
  let which = "";
  for (const s of stop) {
    if (!s) continue;
    const i = text.indexOf(s);
    if (i >= 0 && (at < 0 || i < at)) (at = i), (which = s);
  }
  return at < 0 ? { text } : { text: text.slice(0, at), trimmed: { stop: which, at, removed: text.length - at } };
}

export interface SweepResult {
  summary: Record<string, unknown>;
  interrupted: boolean;
}

function defaultKs(n: number): number[] {
  const ks = [1];
  for (let k = 2; k < n; k *= 2) ks.push(k);
  if (n > 1) ks.push(n);
  return ks;
}

function errorVerdict(message: string): Verdict {
  return { status: "error", score: 0, extracted: null, span: null, normalizedGold: null, normalizedPred: null, rule: "sweep/request-error", ms: 0, message };
}

/** Run (or resume) a sweep over `problems`; see module comment. */
export async function runSweep(problems: Problem[], input: SweepOptions, hooks: SweepHooks = {}): Promise<SweepResult> {
  const parsed = SweepOptions.safeParse(input);
  if (!parsed.success) throw new Error(`invalid sweep options: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const o = parsed.data;
  const warn = hooks.onWarning ?? ((m: string) => console.warn(`warning: ${m}`));
  const ks = (o.ks ?? defaultKs(o.n)).filter((k) => k <= o.n);
  if (ks.length === 0) throw new Error(`every k in --k is larger than n = ${o.n}; give k ≤ n`);
  if (o.tokenizer && !o.chat) throw new Error("invalid sweep options: --tokenizer renders chat prompts; add --chat (or drop --tokenizer)");
  if (o.preflight) await preflightEndpoints(o.endpoints, o.model, Math.min(o.timeoutMs, 10_000), warn);
  const clientTemplate = o.tokenizer ? await loadClientTemplate(o.tokenizer, { modelKind: o.modelKind === "unknown" ? undefined : o.modelKind, stop: o.stop ?? [] }) : null;
  if (clientTemplate) {
    for (const w of clientTemplate.warnings) warn(w);
    for (const e of o.endpoints) {
      const m = await compareServerTemplate(e, clientTemplate, Math.min(o.timeoutMs, 30_000));
      if (m) warn(m);
    }
  }
  mkdirSync(o.outDir, { recursive: true });
  const completionsPath = join(o.outDir, "completions.jsonl");
  const configPath = join(o.outDir, "sweep.json");

  // 1. Resume bookkeeping.
  const pinned = Object.fromEntries(PINNED.map((k) => [k, o[k] ?? null]));
  if (existsSync(completionsPath) && !o.resume) {
    throw new Error(`${completionsPath} already exists: pass --resume to continue that sweep, or choose a new --out`);
  }
  if (o.resume && existsSync(configPath)) {
    const saved = JSON.parse(readFileSync(configPath, "utf8")) as { pinned?: Record<string, unknown> } & Record<string, unknown>;
    const before = saved.pinned ?? {};
    const diff = PINNED.filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(pinned[k])).map(
      (k) => `${k}: was ${JSON.stringify(before[k] ?? null)}, now ${JSON.stringify(pinned[k])}`,
    );
    // The sweep's identity beyond the text of a sample: which verifier scores them and which servers
    // answer. A resume that changed them would mix two sweeps. n may grow (the new sample indices are
    // added) but never shrink: a smaller n would rewrite a finished sweep with fewer samples.
    const identity = { task: o.task ?? null, endpoints: o.endpoints };
    for (const [k, now] of Object.entries(identity)) {
      if (k in saved && JSON.stringify(saved[k]) !== JSON.stringify(now)) diff.push(`${k}: was ${JSON.stringify(saved[k])}, now ${JSON.stringify(now)}`);
    }
    if (typeof saved.n === "number" && o.n < saved.n) diff.push(`n: was ${saved.n}, now ${o.n} (n may only grow on --resume)`);
    if (diff.length > 0) {
      throw new Error(`--resume with different generation settings (${diff.join("; ")}); use the original flags (see ${configPath}) or a new --out`);
    }
  }
  writeFileSync(configPath, JSON.stringify({ pinned, endpoints: o.endpoints, n: o.n, task: o.task ?? null }, null, 2) + "\n");
  const dropped = o.resume ? repairTail(completionsPath) : 0;
  if (dropped > 0) warn(`${completionsPath}: dropped a partial last line (${dropped} bytes) left by an interrupted writer; that sample is generated again`);
  const before = await readCompletions(completionsPath);
  for (const b of before.badLines) warn(b);

  // 2. Plan: every (problem, sample) without a complete record.
  const modelKind = o.modelKind ?? inferModelKind(o.model);
  const prompts = new Map<string, BuiltPrompt>();
  const warned = new Set<string>();
  for (const p of problems) {
    const isMath = (o.task ?? p.task) === "math";
    let built = buildPrompt(p.question, { style: o.style ?? (isMath ? "minerva" : "lm-eval"), fewShot: o.fewShot, chat: o.chat, modelKind, stop: o.stop });
    if (clientTemplate && built.kind === "chat") built = { kind: "raw", prompt: clientTemplate.render(built.messages), stop: built.stop, warnings: built.warnings };
    for (const w of built.warnings) if (!warned.has(w)) (warned.add(w), warn(w));
    prompts.set(p.id, built);
  }
  const tasks: { problem: Problem; sample: number }[] = [];
  for (const p of problems) {
    for (let s = 0; s < o.n; s++) {
      const prev = before.byKey.get(sampleKeyString(p.id, s));
      if (!prev || !isComplete(prev)) tasks.push({ problem: p, sample: s });
    }
  }

  // 3. Sample.
  const pool = new EndpointPool(o.endpoints.map((url) => ({ url, concurrency: o.concurrency })), o.strategy);
  const clients = o.endpoints.map((url, i) => new OpenAIClient({ baseUrl: url, timeoutMs: o.timeoutMs, maxRetries: o.maxRetries, backoffBaseMs: o.backoffBaseMs, backoffMaxMs: o.backoffMaxMs, seed: o.runSeed + i }));
  const appender = new JsonlAppender(completionsPath);
  const timer = setInterval(() => appender.flush(), o.flushIntervalMs);
  const bar = new ProgressBar(process.stderr, { label: "sweep" });
  const run = { done: 0, truncated: 0, errors: 0, attemptErrors: 0, tokens: 0, stopTrimmed: 0 };
  const t0 = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length && !hooks.signal?.aborted) {
      const { problem, sample } = tasks[next++];
      const built = prompts.get(problem.id)!;
      const seed = sampleSeed({ problemId: problem.id, sampleIndex: sample, epoch: o.epoch, step: o.step, runSeed: o.runSeed });
      const params = { model: o.model, n: 1, temperature: o.temperature, top_p: o.topP, max_tokens: o.maxTokens, stop: built.stop.length ? built.stop : undefined, seed, logprobs: o.logprobs || undefined };
      const lease = await pool.acquire();
      let res;
      try {
        const client = clients[lease.index];
        res = built.kind === "chat" ? await client.chat(built.messages, params, hooks.signal) : await client.completions(built.prompt, params, hooks.signal);
      } finally {
        lease.release();
      }
      if (hooks.signal?.aborted) break; // an aborted request is not a result: the resume redoes it
      run.attemptErrors += res.errors.length;
      const base = { problem_id: problem.id, sample_index: sample, model: o.model, endpoint: lease.endpoint.url, seed, epoch: o.epoch, step: o.step, attempts: res.attempts, latency_ms: Math.round(res.ms) };
      let rec: SweepCompletion;
      if (res.ok) {
        const c = res.choices[0];
        const cut = trimStop(c?.text ?? "", built.stop);
        if (cut.trimmed) run.stopTrimmed++;
        rec = { ...base, completion: cut.text, finish_reason: cut.trimmed ? "stop" : (c?.finishReason ?? null), num_tokens: res.completionTokens, ...(c?.logprobs ? { logprobs: c.logprobs } : {}), ...(cut.trimmed ? { stop_trimmed: cut.trimmed } : {}) };
        if (res.errors.length) rec.retry_errors = res.errors;
        if (c?.finishReason === "length") run.truncated++;
        run.tokens += res.completionTokens ?? 0;
      } else {
        rec = { ...base, completion: "", finish_reason: "error", error: res.error, retry_errors: res.errors };
        run.errors++;
      }
      appender.write(rec);
      if (appender.pending >= o.flushEvery) appender.flush();
      run.done++;
      if (o.progress) bar.update({ done: run.done, total: tasks.length, truncated: run.truncated, errors: run.errors });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(pool.capacity, Math.max(1, tasks.length)) }, worker));
  } finally {
    clearInterval(timer);
    appender.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  if (o.progress) bar.done({ done: run.done, total: tasks.length, truncated: run.truncated, errors: run.errors });
  const interrupted = hooks.signal?.aborted === true;

  // 4. Read back (second dedupe guard), compact if needed, verify, summarise.
  const after = await readCompletions(completionsPath);
  for (const b of after.badLines) warn(b);
  const runStats = {
    resumed: o.resume,
    skipped_complete: problems.length * o.n - tasks.length,
    requested: tasks.length,
    recorded: run.done,
    truncated: run.truncated,
    errors: run.errors,
    retried_attempt_errors: run.attemptErrors,
    seconds: Number(seconds.toFixed(3)),
    completions_per_s: seconds > 0 ? Number((run.done / seconds).toFixed(2)) : 0,
    completion_tokens_per_s: seconds > 0 ? Number((run.tokens / seconds).toFixed(1)) : 0,
    partial_line_bytes_dropped: dropped,
  };
  if (interrupted) {
    // No verdicts or pass@k from a partial sweep (they would silently describe a subset).
    const summary = { model: o.model, complete: false, interrupted: true, expected: problems.length * o.n, present: after.byKey.size, this_run: runStats };
    writeFileSync(join(o.outDir, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
    return { summary, interrupted };
  }
  if (after.duplicates > 0 || after.superseded > 0 || after.badLines.length > 0) compactCompletions(completionsPath, after.byKey.values());
  const verdicts: Record<string, unknown>[] = [];
  const samples: { problem_id: string; correct: boolean; strata?: Record<string, string> }[] = [];
  const finish: Record<string, number> = {};
  const status: Record<string, number> = {};
  const truncatedStatus: Record<string, number> = {};
  const failures: Record<string, { count: number; causes: Record<string, number> }> = {};
  let stopTrimmed = 0;
  let logprobsMissing = 0;
  let missing = 0;
  let lengthSum = 0;
  let lengthN = 0;
  // Loaded here, not at start-up: the verifiers (math: a CAS) are not needed until sampling is done.
  const { verifyAnswer } = await import("../verifiers/verify.js");
  const verifyOptions = { gsm8k: { task: "gsm8k" as const }, math: { task: "math" as const } }; // one object per task: verifyAnswer caches its parse
  for (const p of problems) {
    const task: "gsm8k" | "math" = o.task ?? (p.task === "math" ? "math" : "gsm8k");
    const recs: SweepCompletion[] = [];
    for (let s = 0; s < o.n; s++) {
      const r = after.byKey.get(sampleKeyString(p.id, s));
      if (r) recs.push(r);
      else missing++;
    }
    const vs = await Promise.all(recs.map((r) => (isComplete(r) ? verifyAnswer(p.gold, r.completion, verifyOptions[task]) : Promise.resolve(errorVerdict(r.error ?? "request failed")))));
    recs.forEach((r, j) => {
      const v = vs[j];
      const fr = String(r.finish_reason ?? "null");
      const truncated = fr === "length";
      finish[fr] = (finish[fr] ?? 0) + 1;
      status[v.status] = (status[v.status] ?? 0) + 1;
      if (truncated) truncatedStatus[v.status] = (truncatedStatus[v.status] ?? 0) + 1;
      if (isComplete(r) && r.num_tokens !== undefined) (lengthSum += r.num_tokens), lengthN++;
      verdicts.push({ ...v, id: `${p.id}#${r.sample_index}`, problem_id: p.id, sample_index: r.sample_index, finish_reason: r.finish_reason ?? null, truncated });
      if (!isComplete(r)) {
        // A failed request is not an answer: it is reported under `failures` and left out of pass@k.
        const ep = (failures[r.endpoint ?? "?"] ??= { count: 0, causes: {} });
        ep.count++;
        const cause = (r.error ?? "request failed").slice(0, 200);
        if (cause in ep.causes || Object.keys(ep.causes).length < 5) ep.causes[cause] = (ep.causes[cause] ?? 0) + 1;
        return;
      }
      if (r.stop_trimmed) stopTrimmed++;
      if (o.logprobs && !r.logprobs) logprobsMissing++;
      const level = p.metadata?.level;
      samples.push({ problem_id: p.id, correct: v.status === "correct", ...(level !== undefined ? { strata: { level: String(level) } } : {}) });
    });
  }
  const tmp = join(o.outDir, "verdicts.jsonl.tmp");
  writeJsonl(tmp, verdicts);
  renameSync(tmp, join(o.outDir, "verdicts.jsonl"));
  const total = verdicts.length;
  // MATH-500 problems carry a difficulty level: report pass@k per level as well.
  const byLevel = samples.some((x) => x.strata !== undefined);
  const pk = summarizePassAtK(samples, ks, { onWarning: warn, ...(byLevel ? { by: "level" } : {}) });
  const errored = total - samples.length;
  const warnings: string[] = [];
  if (stopTrimmed) warnings.push(`${stopTrimmed} completions still contained a stop string (the server did not apply \`stop\`); they were cut before it and flagged stop_trimmed before verification`);
  if (logprobsMissing) warnings.push(`--logprobs was requested but ${logprobsMissing} of ${samples.length} completions came back without logprobs (the server dropped the field)`);
  if (errored) warnings.push(`${errored} of ${total} samples failed after all retries; pass@k uses the other ${samples.length} (see failures)`);
  for (const w of warnings) warn(w);
  const summary = {
    model: o.model,
    complete: missing === 0,
    n_problems: pk.n_problems,
    n_samples: pk.n_samples,
    n: o.n,
    ks,
    task: o.task ?? "per-problem",
    "pass@k": pk["pass@k"],
    ...(pk.by ? { by_level: pk.by } : {}),
    "excluded_from_pass@k": { errors: errored },
    failures,
    warnings,
    completions: {
      total,
      missing,
      by_finish_reason: finish,
      truncated: finish.length ?? 0,
      "completions/truncated_frac": total ? (finish.length ?? 0) / total : 0,
      "completions/mean_length": lengthN ? lengthSum / lengthN : 0,
      errors: finish.error ?? 0,
      stop_trimmed: stopTrimmed,
      logprobs_missing: logprobsMissing,
      duplicates_on_read: after.duplicates,
      superseded_on_read: after.superseded,
      bad_lines: after.badLines.length,
    },
    verdicts: status,
    truncated_verdicts: truncatedStatus,
    this_run: runStats,
    endpoints: pool.endpoints.map((e) => ({ url: e.url, requests: e.requests, max_in_flight: e.maxInFlight, concurrency: e.concurrency })),
  };
  writeFileSync(join(o.outDir, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
  return { summary, interrupted };
}
