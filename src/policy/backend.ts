/**
 * Backend selection and start-up self-test for the tiny tfjs policy.
 *
 * Order: an explicitly requested backend, else `tensorflow` (tfjs-node-gpu / tfjs-node) when one of those
 * packages resolves, else `wasm` (SIMD auto-detected), else `cpu` (correctness fallback, ~150× slower).
 *
 * wasm threads: `threads` (option, else env RLVR_TFJS_THREADS, else {@link defaultWasmThreads}: 1) > 1 starts the
 * threaded SIMD build through worker_threads (src/policy/wasmThreads.ts says how), whose shared memory lets
 * `threads − 1` workers take shares of this project's large matmuls (kernelThreads.ts; XNNPACK's own pool stays
 * at 1 thread); 1 is the single-threaded SIMD build. A process has one wasm module: its thread count is fixed when it first starts. When threads
 * cannot start, the single-threaded build runs and `fallbacks` says why.
 *
 * Two measured tfjs-wasm traps (see DESIGN.md) are checked at start-up and make `initBackend` throw:
 *  1. `tf.oneHot(i, d, 1, 0, "float32")` yields ~1e-45 on wasm. The project always writes
 *     `tf.oneHot(i, d).cast("float32")`; the self-test checks that this form gives exact 1s.
 *  2. "A training step gives a non-zero gradient": a one-hot-embedding → matmul → logSoftmax loss must have
 *     a finite, non-zero gradient (catches silently-zero gradients such as trap 1).
 * `tf.setBackend` resolves `false` instead of throwing when a backend fails to initialise: we check it.
 */
import { createRequire } from "node:module";
import { dirname } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { terminatePthreadWorkers, threadedGlue, withPthreadWorkers } from "./wasmThreads.js";
import { installWasmKernelsThreaded, wasmKernels, type WasmKernels } from "./wasmKernels.js";
import { kernelThreads } from "./kernelThreads.js";

export type BackendName = "wasm" | "cpu" | "tensorflow";

export interface BackendOptions {
  backend?: BackendName;
  /** wasm threads (1 = the single-threaded SIMD build; at most {@link MAX_WASM_THREADS}). */
  threads?: number;
}

export interface BackendInfo {
  /** `tf.getBackend()` after initialisation. */
  backend: string;
  /**
   * Threads the backend computes with: for wasm, the caller plus this project's kernel threads (or XNNPACK's pool, whichever is larger), 1 for `cpu`, null for
   * `tensorflow` (TensorFlow sizes its own thread pools).
   */
  threads: number | null;
  /** One line for run summaries: `wasm (SIMD, 2 threads)`, `tensorflow (@tensorflow/tfjs-node)`, `cpu (1 thread)`. */
  label: string;
  selfTest: { oneHotOk: boolean; gradNonZero: boolean };
  /**
   * Which kernels run matmuls, gathers, reductions and the fused ops: "simd", this project's, in the wasm
   * backend's memory (src/policy/wasmKernels.ts), or "tfjs", the backend's own (other backends).
   */
  kernels: WasmKernels;
  /** Why preferred backends (or wasm threads) were skipped (empty when the first choice started). */
  fallbacks: string[];
}

/** tfjs caps XNNPACK's pool at 8 threads and Emscripten pre-allocates 8 workers (more would deadlock). */
export const MAX_WASM_THREADS = 8;

const require = createRequire(import.meta.url);

function resolves(name: string): string | null {
  try {
    return require.resolve(name);
  } catch {
    return null;
  }
}

/**
 * wasm threads to start with: `requested`, else env RLVR_TFJS_THREADS (an integer 1…8), else
 * {@link defaultWasmThreads}. Throws naming the variable when it is not such an integer.
 */
export function resolveWasmThreads(requested?: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = requested ?? env.RLVR_TFJS_THREADS;
  if (raw === undefined || raw === "") return defaultWasmThreads();
  const n = typeof raw === "number" ? raw : /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_WASM_THREADS) {
    const where = requested !== undefined ? "initBackend({ threads })" : "RLVR_TFJS_THREADS";
    throw new Error(`${where} must be an integer from 1 to ${MAX_WASM_THREADS} (got ${JSON.stringify(raw)}); 1 is the single-threaded SIMD build`);
  }
  return n;
}

/**
 * The default: 1 (the single-threaded SIMD build), whatever the cores. Measured on this project's 2-core machine
 * (bench/policy-threads.bench.ts, docs/policy.md): 2 threads speed a dense training step up but slow sampling,
 * which is most of a GRPO step, so the main job runs slower. Set RLVR_TFJS_THREADS=2 (or `{ threads }`) for
 * dense work such as SFT or pretraining.
 */
export function defaultWasmThreads(): number {
  return 1;
}

let wasmModule: typeof import("@tensorflow/tfjs-backend-wasm") | null = null;
async function loadWasm(): Promise<typeof import("@tensorflow/tfjs-backend-wasm")> {
  if (wasmModule) return wasmModule;
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  // In Node the .wasm binaries are read from disk: point tfjs at dist/ (a file path with a trailing slash).
  // RLVR_TFJS_WASM_DIR overrides it (bundled scripts that ship the .wasm files beside them).
  wasm.setWasmPaths(wasmDir());
  wasmModule = wasm;
  return wasm;
}

/** Where the .wasm binaries are read from (with a trailing slash). */
function wasmDir(): string {
  const dir = process.env.RLVR_TFJS_WASM_DIR || `${wasmPackageDir()}/dist`;
  return dir.endsWith("/") ? dir : `${dir}/`;
}

function wasmPackageDir(): string {
  const entry = require.resolve("@tensorflow/tfjs-backend-wasm"); // …/tfjs-backend-wasm/dist/tf-backend-wasm.node.js
  return dirname(entry).endsWith("dist") ? dirname(dirname(entry)) : dirname(entry);
}

/** Start the wasm backend with `threads`; on a threaded start that fails, note why and start one thread. */
async function startWasm(threads: number, failures: string[]): Promise<boolean> {
  const wasm = await loadWasm();
  if (threads > 1) {
    const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
    const glue = simd ? threadedGlue(wasmPackageDir(), wasmDir()) : { reason: "wasm SIMD is not supported (the threaded build needs it)" };
    if ("path" in glue) {
      tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true); // tfjs says false for every Node (tfjs issue 3830)
      // XNNPACK's own pool stays at 1 thread: its workers spin on the many small elementwise ops and slowed a GRPO
      // step (docs/policy.md); the threads run this project's large matmuls instead (kernelThreads.ts).
      wasm.setThreadsCount(1);
      try {
        if (await withPthreadWorkers(glue.path, threads, () => tf.setBackend("wasm"))) return true;
        failures.push(`wasm with ${threads} threads: tf.setBackend returned false`);
      } catch (e) {
        failures.push(`wasm with ${threads} threads: ${(e as Error).message}`);
      }
      await terminatePthreadWorkers(); // a failed start leaves its pool ref'd: the process would never exit
      tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    } else {
      failures.push(`wasm threads: ${glue.reason}`);
    }
  }
  wasm.setThreadsCount(1);
  return tf.setBackend("wasm");
}

/** The package whose "tensorflow" backend was loaded (first that loads: GPU, then CPU). */
let tensorflowPackage: string | null = null;
async function setupTensorflow(): Promise<boolean> {
  if (tensorflowPackage) return true;
  for (const pkg of ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"]) {
    const path = resolves(pkg);
    if (path === null) continue;
    try {
      require(path); // registers the "tensorflow" backend as a side effect
      tensorflowPackage = pkg;
      return true;
    } catch {
      /* binary missing or broken: try the next one */
    }
  }
  return false;
}

/** Self-test 1: `oneHot(...).cast("float32")` must give exact 1s and 0s. */
export function checkOneHot(): boolean {
  const values = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 2, 1], "int32"), 3).cast("float32").dataSync());
  const expected = [1, 0, 0, 0, 0, 1, 0, 1, 0];
  return expected.every((e, i) => values[i] === e);
}

/** Self-test 2: one SGD-style gradient of a tiny one-hot embedding + logSoftmax loss is finite and non-zero. */
export function checkGradNonZero(): boolean {
  const w = tf.variable(tf.tensor2d([0.1, -0.2, 0.3, 0.05, 0.2, -0.1, 0, 0.4, -0.3], [3, 3]));
  try {
    const { value, grads } = tf.variableGrads(() =>
      tf.tidy(() => {
        const x = tf.oneHot(tf.tensor1d([0, 1, 2], "int32"), 3).cast("float32"); // [N, V]
        const logits = tf.matMul(x, w); // [N, V]
        const target = tf.oneHot(tf.tensor1d([1, 2, 0], "int32"), 3).cast("float32");
        return tf.logSoftmax(logits).mul(target).sum().neg() as tf.Scalar;
      }),
      [w],
    );
    const g = grads[w.name].dataSync();
    const loss = value.dataSync()[0];
    tf.dispose([value, ...Object.values(grads)]);
    let norm = 0;
    for (const v of g) norm += v * v;
    return Number.isFinite(loss) && Number.isFinite(norm) && norm > 1e-12;
  } finally {
    w.dispose();
  }
}

/**
 * Select and initialise a tfjs backend, then run the self-tests. Throws with a message saying what to do when
 * the requested backend cannot start, a self-test fails, or wasm already runs with another thread count.
 */
export async function initBackend(options: BackendOptions = {}): Promise<BackendInfo> {
  const wanted = options.backend;
  const candidates: BackendName[] = wanted
    ? [wanted]
    : resolves("@tensorflow/tfjs-node-gpu") || resolves("@tensorflow/tfjs-node")
      ? ["tensorflow", "wasm", "cpu"]
      : ["wasm", "cpu"];
  const threads = resolveWasmThreads(options.threads); // a bad RLVR_TFJS_THREADS is an error, whichever backend runs
  const explicitThreads = options.threads !== undefined || !!process.env.RLVR_TFJS_THREADS;
  const failures: string[] = [];
  let chosen: string | null = null;
  let threadedStart = false;
  for (const name of candidates) {
    try {
      if (isStarted(name)) {
        if (name === "wasm") checkSameThreads(threads, explicitThreads);
        await tf.setBackend(name);
        chosen = name;
        break;
      }
      if (name === "tensorflow" && !(await setupTensorflow())) {
        failures.push("tensorflow: neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node loads");
        continue;
      }
      const ok = name === "wasm" ? await startWasm(threads, failures) : await tf.setBackend(name); // false (no throw) on failure
      if (name === "wasm") threadedStart = ok && tf.env().getBool("WASM_HAS_MULTITHREAD_SUPPORT");
      if (ok) {
        await tf.ready();
        chosen = name;
        break;
      }
      failures.push(`${name}: tf.setBackend returned false`);
    } catch (e) {
      if (e instanceof ThreadMismatch) throw e;
      failures.push(`${name}: ${(e as Error).message}`);
    }
  }
  if (chosen === null) {
    throw new Error(
      `initBackend: no tfjs backend could start (${failures.join("; ")}). ` +
        `Try { backend: "cpu" } or reinstall @tensorflow/tfjs-backend-wasm.`,
    );
  }
  const selfTest = { oneHotOk: checkOneHot(), gradNonZero: checkGradNonZero() };
  if (!selfTest.oneHotOk || !selfTest.gradNonZero) {
    throw new Error(
      `initBackend: self-test failed on backend "${tf.getBackend()}" ` +
        `(oneHotOk=${selfTest.oneHotOk}, gradNonZero=${selfTest.gradNonZero}); ` +
        `training would silently produce zero gradients. Use { backend: "cpu" } to fall back.`,
    );
  }
  if (failures.length > 0) console.warn(`initBackend: using ${chosen} (${failures.join("; ")})`);
  // This project's SIMD kernels on wasm (either build); on the threaded build, large calls are also split across
  // threads − 1 workers (kernelThreads.ts).
  if (chosen === "wasm") await installWasmKernelsThreaded(threadedStart ? threads : 1);
  return { ...describeBackend(), selfTest, kernels: wasmKernels(), fallbacks: failures };
}

/** The active backend's name, threads and summary label (what {@link initBackend} reports). */
export function describeBackend(): Pick<BackendInfo, "backend" | "threads" | "label"> {
  const backend = tf.getBackend();
  if (backend === "wasm" && wasmModule) {
    const threads = Math.max(wasmModule.getThreadsCount(), kernelThreads());
    const simd = tf.env().getBool("WASM_HAS_SIMD_SUPPORT");
    return { backend, threads, label: `wasm (${simd ? "SIMD" : "no SIMD"}, ${threads} thread${threads === 1 ? "" : "s"})` };
  }
  if (backend === "tensorflow") return { backend, threads: null, label: `tensorflow (${tensorflowPackage ?? "registered elsewhere"})` };
  if (backend === "cpu") return { backend, threads: 1, label: "cpu (1 thread)" };
  return { backend, threads: null, label: backend };
}

class ThreadMismatch extends Error {}

function isStarted(name: BackendName): boolean {
  return tf.engine().registry[name] !== undefined;
}

/** A second request for another wasm thread count cannot be honoured: the module is per process. */
function checkSameThreads(threads: number, explicit: boolean): void {
  const running = wasmModule ? Math.max(wasmModule.getThreadsCount(), kernelThreads()) : undefined;
  if (!explicit || running === undefined || running === threads) return;
  throw new ThreadMismatch(
    `initBackend: the wasm backend already runs with ${running} thread${running === 1 ? "" : "s"} in this process (asked: ${threads}); ` +
      `the thread count is fixed when wasm first starts (set RLVR_TFJS_THREADS or { threads } before the first initBackend)`,
  );
}
