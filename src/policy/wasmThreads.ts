/**
 * The threaded SIMD build of tfjs-backend-wasm (4.22) in Node, via worker_threads.
 *
 * tfjs disables it under Node (`WASM_HAS_MULTITHREAD_SUPPORT` is false when `IS_NODE`; tfjs issue 3830).
 * Forcing the flag on fails, and each failure has a fix here (read from dist/tf-backend-wasm.node.js):
 *
 * | what tfjs / Emscripten does in Node                                   | what breaks                              | fix here |
 * |---|---|---|
 * | `PThread.allocateUnusedWorker`: `new Worker(locateFile("…worker.js"))`, and tfjs's `locateFile` returns `URL.createObjectURL(new Blob([wasmWorkerContents]))` | `worker_threads.Worker` throws ERR_WORKER_PATH on a `blob:` URL; blob URLs do not cross threads | {@link PthreadWorker}: reads the blob on this thread and starts an eval'd bootstrap that runs its text as CommonJS |
 * | the factory sets `globalThis.Worker = worker_threads.Worker` each time it runs | would replace the shim | the global `Worker` is an accessor that ignores that one assignment, installed only while tfjs initialises |
 * | the "load" message carries `urlOrBlob: new Blob(["var WasmBackendModuleThreadedSimd = " + factory.toString()])` | the factory text is the bundle's transpiled copy; it names bundle-scope variables, so a worker fails with `ReferenceError: require$$0 is not defined` | `urlOrBlob` becomes the package's own Emscripten glue, `wasm-out/tfjs-backend-wasm-threaded-simd.js` (same build, self-contained) |
 * | `init_with_threads_count(n)` caps n at `emscripten_num_logical_cores() / 2` (it assumes 2 hyper-threads a core) | 1 thread on a 2-core machine, whatever was asked | `os.cpus()` reports 2·n entries while the module initialises ({@link withLogicalCores}) |
 * | `spawnThread` calls `worker.ref()` while a pthread runs; XNNPACK's pool threads never return | the process never exits (CLI commands hang) | `ref()` is a no-op: workers are ref'd only until they report "loaded" |
 *
 * Message order is kept: while a blob is being read, later posts queue behind it; once the queue drains,
 * `postMessage` is synchronous again. That matters: `pthread_create` on the main thread posts "run" and then
 * blocks (Atomics.wait) until the worker starts, so a post deferred to a later tick would deadlock.
 */
import { resolveObjectURL } from "node:buffer";
import { existsSync } from "node:fs";
import os from "node:os";
import { Worker as NodeWorker, type TransferListItem, type WorkerOptions } from "node:worker_threads";

/** Runs in each worker: the first message is the worker script's text, run as CommonJS with a real `require`. */
const BOOTSTRAP = `
const { parentPort } = require("node:worker_threads");
const vm = require("node:vm");
let started = false;
parentPort.on("message", (m) => {
  if (started) return;
  started = true;
  const run = vm.runInThisContext("(function (require, __filename, __dirname) {" + m.source + "\\n})", { filename: m.url });
  run(require, m.url, ".");
});
`;

const live = new Set<PthreadWorker>();

/**
 * A Web-style `Worker` backed by worker_threads that accepts what Emscripten passes: a `blob:` URL (read here,
 * run in the worker) or a file path / `file:` URL (passed through). `{ type: "module" }` is refused (the
 * bootstrap runs classic scripts only). Messages whose `urlOrBlob` is a Blob get `mainScript` instead.
 */
export class PthreadWorker extends NodeWorker {
  #queue: Promise<void> | null = null;
  readonly #mainScript: string;

  constructor(url: string | URL, options: { type?: string; name?: string } = {}, mainScript = "") {
    const { blob, args } = PthreadWorker.#spawnArgs(url, options);
    super(...args);
    if (blob) this.#enqueue(async () => ({ data: { source: await blob.text(), url: String(url) } }));
    this.#mainScript = mainScript;
    live.add(this);
    this.once("exit", () => live.delete(this));
  }

  static #spawnArgs(url: string | URL, options: { type?: string; name?: string }): { blob?: Blob; args: [string | URL, WorkerOptions] } {
    if (options.type !== undefined && options.type !== "classic")
      throw new Error(`PthreadWorker: only classic workers are supported (got type "${options.type}")`);
    const href = String(url);
    const nodeOptions: WorkerOptions = { execArgv: [], name: options.name }; // no tsx or other loaders in pthreads
    if (!href.startsWith("blob:")) return { args: [url, nodeOptions] };
    const blob = resolveObjectURL(href);
    if (blob === undefined) throw new Error(`PthreadWorker: ${href} is not a live blob URL of this thread`);
    return { blob, args: [BOOTSTRAP, { ...nodeOptions, eval: true }] };
  }

  override postMessage(data: unknown, transfer?: readonly TransferListItem[]): void {
    const d = data as { urlOrBlob?: unknown } | null;
    if (d !== null && typeof d === "object" && d.urlOrBlob instanceof Blob && this.#mainScript) data = { ...d, urlOrBlob: this.#mainScript };
    if (this.#queue === null) super.postMessage(data, transfer as never);
    else this.#enqueue(async () => ({ data, transfer }));
  }

  /** Emscripten refs a worker while it runs a pthread; XNNPACK's pool threads run forever, so never. */
  override ref(): void {}

  #enqueue(next: () => Promise<{ data: unknown; transfer?: readonly TransferListItem[] }>): void {
    const q: Promise<void> = (this.#queue ?? Promise.resolve())
      .then(next)
      .then(({ data, transfer }) => super.postMessage(data, transfer as never))
      .catch((e: unknown) => void this.emit("error", e))
      .finally(() => {
        if (this.#queue === q) this.#queue = null;
      });
    this.#queue = q;
  }
}

/**
 * Path of the package's Emscripten glue for the threaded build, or a reason it cannot be used (no shared
 * memory, no threaded binary in `wasmDir`, no glue).
 */
export function threadedGlue(wasmPackageDir: string, wasmDir: string): { path: string } | { reason: string } {
  if (typeof SharedArrayBuffer === "undefined") return { reason: "SharedArrayBuffer is not available in this Node" };
  if (typeof resolveObjectURL !== "function") return { reason: "node:buffer has no resolveObjectURL (Node ≥ 16.7 needed)" };
  const binary = `${wasmDir.replace(/\/$/, "")}/tfjs-backend-wasm-threaded-simd.wasm`;
  if (!existsSync(binary)) return { reason: `${binary} is missing` };
  const path = `${wasmPackageDir}/wasm-out/tfjs-backend-wasm-threaded-simd.js`;
  if (!existsSync(path)) return { reason: `${path} is missing` };
  return { path };
}

/**
 * Run `init` (tfjs's backend initialisation) with the global `Worker` set to {@link PthreadWorker} and
 * `os.cpus()` reporting 2·threads entries, then restore both. The worker pool Emscripten allocates during
 * `init` is all it ever uses (8 workers; tfjs caps threads at 8).
 */
export async function withPthreadWorkers<T>(mainScript: string, threads: number, init: () => Promise<T>): Promise<T> {
  const g = globalThis as { Worker?: unknown };
  const previous = Object.getOwnPropertyDescriptor(g, "Worker");
  let assigned: unknown = previous?.value;
  class Shim extends PthreadWorker {
    constructor(url: string | URL, options?: { type?: string; name?: string }) {
      super(url, options, mainScript);
    }
  }
  Object.defineProperty(g, "Worker", {
    configurable: true,
    get: () => Shim,
    set: (v: unknown) => {
      if (v !== NodeWorker) assigned = v; // Emscripten's `globalThis.Worker = worker_threads.Worker` is ignored
    },
  });
  try {
    return await withLogicalCores(2 * threads, init);
  } finally {
    if (previous) Object.defineProperty(g, "Worker", previous);
    else if (assigned !== undefined) g.Worker = assigned;
    else delete g.Worker;
  }
}

/** `os.cpus()` returns `n` entries while `fn` runs (tfjs reads it once, in the module's static initialisers). */
export async function withLogicalCores<T>(n: number, fn: () => Promise<T>): Promise<T> {
  const mutable = os as { cpus: typeof os.cpus };
  const original = mutable.cpus;
  mutable.cpus = () => {
    const real = original();
    return Array.from({ length: n }, (_, i) => real[i % Math.max(1, real.length)]);
  };
  try {
    return await fn();
  } finally {
    mutable.cpus = original;
  }
}

/** Workers started by {@link PthreadWorker} and not yet exited. */
export function livePthreadWorkers(): number {
  return live.size;
}

/** Terminate every pthread worker (after a failed initialisation, whose pool would otherwise stay ref'd). */
export async function terminatePthreadWorkers(): Promise<void> {
  await Promise.all([...live].map((w) => w.terminate()));
}
