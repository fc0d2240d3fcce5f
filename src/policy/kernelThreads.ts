/**
 * Worker threads for this project's matmul and attention kernels (wasmKernels.ts) on the threaded wasm build, whose memory
 * is shared: each worker instantiates kernels-shared.wasm on the same `WebAssembly.Memory`, and a large matmul
 * is split by rows (or batch entries), an attention call by groups, between the calling thread and the workers. Every output element is
 * computed by the same code in the same order as on one thread, so results are bit-identical whatever the
 * thread count (tests/policy/backend-threads.test.ts).
 *
 * Hand-off: one control block (a SharedArrayBuffer of int32) per worker — the caller writes the job, bumps
 * `seq` and wakes the worker (Atomics.notify); the worker runs it, sets `done = seq` and wakes the caller, who
 * has meanwhile run its own share. A worker that does not answer in 30 s (killed, trapped) makes the call
 * throw instead of hanging. Workers are unref'd: they never keep a process alive.
 */
import { Worker } from "node:worker_threads";

/**
 * The kernel module's exports a job can run, by job id (its index here). The worker calls the export with as
 * many argument words as it takes (a wasm export's `length`), each read as unsigned: byte offsets can pass 2³¹.
 */
export const SPLIT_KERNELS = ["bmmRows", "bmmDots", "attnForward", "attnBackward", "geluForward", "geluBackward", "expArray", "lnForward", "lnBackwardX"] as const;
export type SplitKernel = (typeof SPLIT_KERNELS)[number];
const JOB_STOP = -1;

// ctrl words: 0 seq, 1 done, 2 job, 3 status (0 ok, 1 failed), 4… arguments.
const SEQ = 0;
const DONE = 1;
const JOB = 2;
const STATUS = 3;
const ARGS = 4;

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { memory, bytes, ctrl } = workerData;
const k = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
const c = new Int32Array(ctrl);
const names = ${JSON.stringify(SPLIT_KERNELS)};
parentPort.postMessage("ready");
let seen = 0;
for (;;) {
  Atomics.wait(c, ${SEQ}, seen);
  const s = Atomics.load(c, ${SEQ});
  if (s === seen) continue;
  seen = s;
  const job = c[${JOB}];
  if (job === ${JOB_STOP}) break;
  const a = c.subarray(${ARGS});
  try {
    const f = k[names[job]];
    if (typeof f !== "function") throw new Error("unknown job " + job);
    f(...Array.from(a.subarray(0, f.length), (v) => v >>> 0));
    c[${STATUS}] = 0;
  } catch (e) {
    c[${STATUS}] = 1;
  }
  Atomics.store(c, ${DONE}, s);
  Atomics.notify(c, ${DONE});
}
`;

interface Slot {
  worker: Worker;
  ctrl: Int32Array;
  seq: number;
}

let slots: Slot[] = [];
let splits = 0;

/** How many calls were split across threads so far (observability for tests and benchmarks). */
export function splitCount(): number {
  return splits;
}

/** Threads a split job runs on (the caller plus the workers); 1 when none are started. */
export function kernelThreads(): number {
  return 1 + slots.length;
}

/**
 * Start `n` workers on `memory` (shared) with the kernel module `bytes`; resolves when all are ready.
 * Replaces (and stops) any earlier pool.
 */
export async function startKernelThreads(memory: object, bytes: Uint8Array, n: number): Promise<void> {
  stopKernelThreads();
  const started = await Promise.all(
    Array.from({ length: n }, async () => {
      const ctrl = new Int32Array(new SharedArrayBuffer(4 * 32));
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { memory, bytes, ctrl: ctrl.buffer } });
      await new Promise<void>((resolve, reject) => {
        worker.once("message", () => resolve());
        worker.once("error", reject);
        worker.once("exit", (code) => reject(new Error(`kernel thread exited with code ${code} before it was ready`)));
      });
      worker.removeAllListeners();
      worker.on("error", () => {}); // reported by the next job that waits on it
      worker.unref();
      return { worker, ctrl, seq: 0 };
    }),
  );
  slots = started;
}

/** Stop the workers (also called at exit by the runtime: they are unref'd). */
export function stopKernelThreads(): void {
  for (const s of slots) {
    s.ctrl[JOB] = JOB_STOP;
    Atomics.store(s.ctrl, SEQ, ++s.seq);
    Atomics.notify(s.ctrl, SEQ);
    void s.worker.terminate();
  }
  slots = [];
}

/**
 * Run kernel `name` once per argument list at once: `argsList[0]` on this thread (through `own`, the caller's
 * instance of the module), the others on workers 0…; returns when all are done. Throws when a worker's kernel
 * failed or a worker did not answer.
 */
export function runSplit(name: SplitKernel, argsList: number[][], own: (args: number[]) => void): void {
  const used = slots.slice(0, argsList.length - 1);
  const job = SPLIT_KERNELS.indexOf(name);
  splits++;
  used.forEach((s, w) => {
    s.ctrl[JOB] = job;
    s.ctrl.set(argsList[w + 1], ARGS);
    Atomics.store(s.ctrl, SEQ, ++s.seq);
    Atomics.notify(s.ctrl, SEQ);
  });
  own(argsList[0]);
  const failed: number[] = [];
  used.forEach((s, w) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const d = Atomics.load(s.ctrl, DONE);
      if (d === s.seq) break;
      if (Date.now() > deadline) throw new Error(`kernel thread ${w + 1} did not answer in 30 s (stopped?); restart the process or use RLVR_TFJS_THREADS=1`);
      Atomics.wait(s.ctrl, DONE, d, 1000);
    }
    if (s.ctrl[STATUS] !== 0) failed.push(w + 1);
  });
  if (failed.length) throw new Error(`kernel thread${failed.length > 1 ? "s" : ""} ${failed.join(", ")} failed (a wasm trap: out-of-bounds memory?)`);
}
