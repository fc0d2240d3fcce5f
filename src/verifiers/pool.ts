/**
 * WorkerPool: persistent worker threads that run named verifier jobs under a HARD time limit.
 *
 * `pool.run(name, payload, { timeoutMs })` never rejects: it resolves a `JobResult` that is `ok`,
 * `timeout` or `error`. Each worker runs one job at a time; the job's clock starts when it is handed to a
 * worker (queueing and worker start-up are not counted). When the clock passes `timeoutMs` the job
 * resolves `timeout` at once, the worker is `terminate()`d (the only way to stop a synchronous loop such
 * as a symbolic simplifier that never returns) and a fresh worker is started for the queued jobs.
 * A handler that throws resolves `error`; a worker that dies resolves `error` and is replaced.
 *
 * Workers are unref'd while idle, so an idle pool (including the shared default pool) never keeps the
 * process alive; `close()` terminates them all.
 *
 * Worker entry: from `dist/` the compiled `worker.js` is started directly. From TypeScript sources (tests
 * and benches run through tsx) Node 20 does not apply `--import tsx` inside workers, so `worker.ts` is
 * transpiled once with esbuild (tsx's own dependency) and started from a `data:` URL; it registers tsx
 * itself before it imports other `.ts` modules (see worker.ts). Without esbuild it falls back to a
 * bootstrap that registers tsx first (slower start).
 */
import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** Pool configuration; defaults live here and only here. */
export const PoolOptions = z.object({
  /** Number of worker threads (default: min(2, CPU count)). */
  size: z
    .number()
    .int()
    .min(1, "a pool needs at least one worker")
    .max(64)
    .default(() => Math.min(2, availableParallelism())),
  /** Default hard time limit of one job, ms (a job may override it). */
  timeoutMs: z.number().positive().max(3_600_000).default(5000),
  /** Handlers whose modules each worker loads before accepting jobs (so limits never include loading). */
  preload: z.array(z.string()).default([]),
});
export type PoolOptions = z.input<typeof PoolOptions>;

export type JobResult<T = unknown> =
  | { status: "ok"; value: T; ms: number }
  | { status: "timeout"; ms: number; limitMs: number; message: string }
  | { status: "error"; ms: number; message: string };

export interface PoolStats {
  spawned: number;
  completed: number;
  timeouts: number;
  errors: number;
  crashes: number;
}

interface Job {
  id: number;
  name: string;
  payload: unknown;
  timeoutMs: number;
  start: number;
  resolve: (r: JobResult<any>) => void;
}

interface Slot {
  worker: Worker;
  threadId: number;
  ready: boolean;
  dead: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

const MAX_SPAWN_FAILURES = 3;

export class WorkerPool {
  readonly size: number;
  readonly timeoutMs: number;
  private readonly preload: string[];
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly live = new Set<number>();
  private readonly exits = new Set<Promise<unknown>>();
  private nextId = 1;
  private spawnFailures = 0;
  private closed = false;
  readonly stats: PoolStats = { spawned: 0, completed: 0, timeouts: 0, errors: 0, crashes: 0 };

  constructor(options: PoolOptions = {}) {
    const r = PoolOptions.safeParse(options);
    if (!r.success) {
      const msg = r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`invalid WorkerPool options: ${msg}`);
    }
    this.size = r.data.size;
    this.timeoutMs = r.data.timeoutMs;
    this.preload = r.data.preload;
  }

  /** Thread ids of workers that have started and not yet exited (terminated ones leave on 'exit'). */
  get liveThreadIds(): number[] {
    return [...this.live];
  }

  /** Jobs waiting for a worker (not yet started). */
  get queued(): number {
    return this.queue.length;
  }

  /** Run one job; resolves (never rejects) with ok / timeout / error. */
  run<T = unknown>(name: string, payload: unknown, options: { timeoutMs?: number } = {}): Promise<JobResult<T>> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    return new Promise<JobResult<T>>((resolve) => {
      if (this.closed) return resolve({ status: "error", ms: 0, message: "worker pool is closed" });
      if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
        return resolve({ status: "error", ms: 0, message: `timeoutMs must be a positive finite number, got ${timeoutMs}` });
      }
      this.queue.push({ id: this.nextId++, name, payload, timeoutMs, start: 0, resolve });
      this.pump();
    });
  }

  /** Start every worker now and wait until all are ready (benchmarks; avoids start-up in the first calls). */
  async warm(): Promise<void> {
    const jobs: Promise<unknown>[] = [];
    for (let i = 0; i < this.size; i++) jobs.push(this.run("selftest/noop", null, { timeoutMs: 60_000 }));
    await Promise.all(jobs);
  }

  /** Terminate all workers; queued and running jobs resolve `error`. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.resolve({ status: "error", ms: 0, message: "worker pool closed" });
    for (const slot of [...this.slots]) {
      if (slot.job) this.finish(slot, { status: "error", ms: performance.now() - slot.job.start, message: "worker pool closed" });
      this.kill(slot);
    }
    await Promise.all([...this.exits]);
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => s.ready && !s.dead && s.job === null);
      if (!slot) break;
      this.dispatch(slot, this.queue.shift()!);
    }
    const starting = this.slots.filter((s) => !s.ready && !s.dead).length;
    let want = Math.min(this.queue.length - starting, this.size - this.slots.length);
    while (want-- > 0 && !this.closed) this.spawn();
  }

  private dispatch(slot: Slot, job: Job): void {
    slot.job = job;
    job.start = performance.now();
    slot.worker.ref();
    slot.timer = setTimeout(() => this.onTimeout(slot), job.timeoutMs);
    try {
      slot.worker.postMessage({ id: job.id, name: job.name, payload: job.payload });
    } catch (err) {
      this.stats.errors++;
      this.finish(slot, { status: "error", ms: 0, message: `job payload cannot be sent to a worker: ${(err as Error).message}` });
      slot.worker.unref();
      this.pump();
    }
  }

  /** Resolve the slot's job and free the slot. */
  private finish(slot: Slot, result: JobResult): void {
    const job = slot.job;
    if (!job) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    job.resolve(result);
  }

  private onTimeout(slot: Slot): void {
    const job = slot.job;
    if (!job) return;
    this.stats.timeouts++;
    const ms = performance.now() - job.start;
    this.finish(slot, {
      status: "timeout",
      ms,
      limitMs: job.timeoutMs,
      message: `job "${job.name}" exceeded the ${job.timeoutMs} ms limit; its worker was terminated and replaced`,
    });
    this.kill(slot);
    this.pump();
  }

  private kill(slot: Slot): void {
    if (slot.dead) return;
    slot.dead = true;
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    void slot.worker.terminate();
  }

  private spawn(): void {
    const entry = resolveWorkerEntry();
    const worker = new Worker(entry.url, {
      ...(entry.eval ? { eval: true } : {}),
      workerData: { ...entry.workerData, preload: this.preload },
      execArgv: workerExecArgv(),
    });
    this.stats.spawned++;
    const slot: Slot = { worker, threadId: worker.threadId, ready: false, dead: false, job: null, timer: null };
    this.slots.push(slot);
    this.live.add(worker.threadId);
    const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    this.exits.add(exited);

    worker.on("message", (msg: { type: string; id?: number; ok?: boolean; value?: unknown; message?: string }) => {
      if (msg.type === "result") {
        if (!slot.job || slot.job.id !== msg.id) return; // a late answer after a timeout: ignore
        const ms = performance.now() - slot.job.start;
        if (msg.ok) {
          this.stats.completed++;
          this.finish(slot, { status: "ok", value: msg.value, ms });
        } else {
          this.stats.errors++;
          this.finish(slot, { status: "error", ms, message: msg.message ?? "handler failed" });
        }
        if (!slot.dead) slot.worker.unref();
        this.pump();
      } else if (msg.type === "ready") {
        slot.ready = true;
        this.spawnFailures = 0;
        slot.worker.unref();
        this.pump();
      } else if (msg.type === "fatal") {
        this.onSpawnFailure(slot, msg.message ?? "worker failed to start");
      }
    });
    worker.on("error", (err) => {
      // Uncaught exception inside the worker: it is exiting.
      if (!slot.ready) return this.onSpawnFailure(slot, `worker failed to start: ${err.message}`);
      this.onCrash(slot, `worker crashed: ${err.message}`);
    });
    worker.on("exit", (code) => {
      this.live.delete(slot.threadId);
      this.exits.delete(exited);
      if (slot.dead) return;
      if (!slot.ready) return this.onSpawnFailure(slot, `worker exited with code ${code} before it was ready`);
      this.onCrash(slot, `worker exited unexpectedly with code ${code}`);
    });
  }

  private onCrash(slot: Slot, message: string): void {
    this.stats.crashes++;
    if (slot.job) {
      this.stats.errors++;
      this.finish(slot, { status: "error", ms: performance.now() - slot.job.start, message });
    }
    this.kill(slot);
    this.pump();
  }

  /** A worker that cannot start fails the oldest queued job (so nothing hangs); repeated failures fail all. */
  private onSpawnFailure(slot: Slot, message: string): void {
    this.kill(slot);
    this.spawnFailures++;
    const victims = this.spawnFailures >= MAX_SPAWN_FAILURES ? this.queue.splice(0) : this.queue.splice(0, 1);
    for (const job of victims) {
      this.stats.errors++;
      job.resolve({ status: "error", ms: 0, message });
    }
    if (this.spawnFailures >= MAX_SPAWN_FAILURES) this.spawnFailures = 0;
    this.pump();
  }
}

interface WorkerEntry {
  url: URL | string;
  eval?: boolean;
  workerData: { base?: string; tsx?: string };
}

let cachedEntry: WorkerEntry | null = null;

/**
 * The parent's `execArgv` minus what must not reach a worker: tsx's loader flags (Node 20 workers load
 * `--import tsx`, ~250 ms a start, without applying it; worker.ts registers tsx itself when it needs
 * it), the entry-point flags `-e/--eval/-p/--print/--input-type` (a worker rejects them) and `--test*`.
 */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const isLoaderFlag = /^--(import|require|loader|experimental-loader)$/.test(a) || a === "-r";
    if (isLoaderFlag && i + 1 < argv.length && /tsx/.test(argv[i + 1])) {
      i++;
      continue;
    }
    if (/^--(import|require|loader|experimental-loader)=.*tsx/.test(a)) continue;
    if (/^(-e|--eval|-p|--print)$/.test(a)) {
      i++; // its code argument
      continue;
    }
    if (/^--(eval|print|input-type|test)/.test(a)) continue;
    out.push(a);
  }
  return out;
}

/** How to start worker.ts/worker.js from wherever this module was loaded (see the module comment). */
export function resolveWorkerEntry(): WorkerEntry {
  if (cachedEntry) return cachedEntry;
  const here = import.meta.url;
  if (!here.endsWith(".ts")) {
    cachedEntry = { url: new URL("./worker.js", here), workerData: {} };
    return cachedEntry;
  }
  const workerTs = new URL("./worker.ts", here);
  const tsx = import.meta.resolve("tsx/esm/api");
  try {
    const require = createRequire(here);
    const esbuild = require("esbuild") as { transformSync(src: string, o: object): { code: string } };
    const js = esbuild.transformSync(readFileSync(fileURLToPath(workerTs), "utf8"), {
      loader: "ts",
      format: "esm",
      target: "node20",
    }).code;
    cachedEntry = {
      url: new URL(`data:text/javascript;base64,${Buffer.from(js).toString("base64")}`),
      workerData: { base: workerTs.href, tsx },
    };
  } catch {
    const boot = `import(${JSON.stringify(tsx)}).then((a) => { a.register(); return import(${JSON.stringify(workerTs.href)}); })`;
    cachedEntry = { url: boot, eval: true, workerData: {} };
  }
  return cachedEntry;
}

let defaultPool: WorkerPool | null = null;

/**
 * The shared pool used by `verifyAnswer`/`verifyMany` when no pool is passed: created on first use,
 * preloads the math verifier, never keeps the process alive while idle.
 */
export function getDefaultPool(): WorkerPool {
  defaultPool ??= new WorkerPool({ preload: ["verifyMath"] });
  return defaultPool;
}

/** Close the shared pool (a later `getDefaultPool()` creates a new one). */
export async function closeDefaultPool(): Promise<void> {
  const p = defaultPool;
  defaultPool = null;
  if (p) await p.close();
}
