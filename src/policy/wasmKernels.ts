/**
 * This project's SIMD kernels for the tfjs-wasm backend (src/policy/wasm/assembly/kernels.ts, AssemblyScript,
 * compiled to src/policy/wasm/kernels.wasm, and kernels-shared.wasm for the threaded build's shared memory),
 * run in the backend's own wasm memory on the tensors' own bytes. Registered in place of some of tfjs-wasm's
 * kernels:
 *
 *  - `BatchMatMul` (every float32 matmul, batched or not; not both operands transposed). tfjs-wasm sends a 2-D
 *    matmul to XNNPACK, which repacks its right operand on every call unless it is the same tensor as before
 *    (19–44 GFLOP/s on the policy's shapes here), and a batched one through a scalar loop (~3 GFLOP/s on the
 *    attention shapes: `[32, 200, 16] × [32, 16, 60]` took 4.2 ms); ours runs 31–50 GFLOP/s on both
 *    (`node scripts/run-bench.mjs policy`, section "wasm kernels").
 *  - `GatherV2` on axis 0 of a float32 matrix (embedding lookups): tfjs-wasm's took ~100 µs to gather 64 rows
 *    of 64 floats, ours ~9 µs.
 *  - `Sum` over trailing or leading axes and `Exp` of float32 (SIMD; tfjs-wasm's Sum transposed before
 *    reducing over leading axes and ran 0.3–0.5 ms on a [1792, 99] row sum).
 *  - `Identity` (tf.clone, and every tensor `tf.customGrad` saves): shares the buffer instead of copying it.
 *
 * and as kernels of their own: `RlvrScatterAddRows` (an embedding's table gradient, embed.ts) and
 * `RlvrAttnForward` / `RlvrAttnBackward` (the training passes' attention, attention.ts). decode.ts calls the
 * module's fused decoding step directly.
 *
 * Any other call (dtypes, broadcasting other than equal batch dims or a batch of 1, both transposed, other
 * gather axes) goes to tfjs's kernel unchanged. `setWasmKernels("tfjs")` routes every call to tfjs's kernels
 * and turns embed.ts, attention.ts and decode.ts back to tfjs ops (the benchmark's baseline, and what the tests
 * compare against). `initBackend` installs them on the wasm backend (single-threaded or threaded build);
 * `wasmKernels()` says which are active and `initBackend` reports it.
 */
import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { kernelThreads, runSplit, startKernelThreads, type SplitKernel } from "./kernelThreads.js";

// The WebAssembly global (this project compiles without the DOM lib, which types it).
declare const WebAssembly: {
  Memory: abstract new (...args: never[]) => object;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
};

type Kernels = {
  gatherRows(x: number, idx: number, out: number, n: number, rowBytes: number): void;
  decodeStep(desc: number, t: number): void;
  scatterAddRows(dy: number, idx: number, out: number, n: number, rows: number, cols: number): void;
  attnForward(desc: number): void;
  sumInner(x: number, out: number, outer: number, inner: number): void;
  sumOuter(x: number, out: number, outer: number, inner: number): void;
  expArray(x: number, out: number, n: number): void;
  geluForward(x: number, y: number, n: number): void;
  lnForward(x: number, g: number, b: number, y: number, mean: number, rstd: number, R: number, C: number): void;
  lnBackwardX(x: number, g: number, mean: number, rstd: number, dy: number, dx: number, R: number, C: number): void;
  lnBackwardGB(x: number, mean: number, rstd: number, dy: number, dg: number, db: number, R: number, C: number): void;
  geluBackward(x: number, dy: number, dx: number, n: number): void;
  lpEntForward(z: number, tgt: number, lp: number, ent: number, shift: number, R: number, V: number): void;
  lpEntBackward(z: number, tgt: number, shift: number, ent: number, glp: number, gent: number, dz: number, R: number, V: number): void;
  attnBackward(desc: number): void;
  bmmRows(a: number, b: number, c: number, Z: number, M: number, K: number, N: number, sAz: number, sAi: number, sAk: number, sBz: number): void;
  bmmDots(a: number, b: number, c: number, Z: number, M: number, K: number, N: number, sAz: number, sBz: number): void;
};

export type WasmKernels = "simd" | "tfjs";
let choice: WasmKernels = "simd";
let kernels: Kernels | null = null;
let installedOn: object | null = null;

/** Route matmuls and gathers to this project's SIMD kernels ("simd", default, once installed) or tfjs's own ("tfjs"). */
export function setWasmKernels(k: WasmKernels): void {
  choice = k;
}

/** The kernels that run now: "simd" when installed on the active backend and chosen, else "tfjs". */
export function wasmKernels(): WasmKernels {
  return kernels && installedOn === tf.backend() && choice === "simd" ? "simd" : "tfjs";
}

/** @internal The kernels and the backend's memory while "simd" is active on the current backend (decode.ts), else null. */
export function activeKernels(): { kernels: Kernels; memory: { buffer: ArrayBuffer }; offset(t: tf.TensorInfo): number } | null {
  if (wasmKernels() !== "simd") return null;
  const backend = tf.backend() as unknown as WasmBackendLike;
  return { kernels: kernels!, memory: backendMemory(backend) as { buffer: ArrayBuffer }, offset: (t) => addr(backend, t) };
}

/** The backend's memory: exported by the single-threaded build, created shared by the threaded one (Module.wasmMemory). */
function backendMemory(backend: WasmBackendLike): unknown {
  return backend.wasm.asm?.memory ?? backend.wasm.wasmMemory;
}

/** Byte offset of a tensor's data in the backend's memory. */
function addr(backend: WasmBackendLike, t: tf.TensorInfo): number {
  const d = backend.dataIdMap.get(t.dataId);
  if (!d) throw new Error("wasm kernels: a tensor is not on the wasm backend (disposed?)");
  return d.memoryOffset;
}

/** Throws naming `kernel` unless the SIMD kernels are installed on `backend` (this project's own kernel names). */
function requireInstalled(kernel: string, backend: object): void {
  if (!kernels || installedOn !== backend) throw new Error(`${kernel}: the SIMD kernels are not installed on this backend`);
}

/** The compiled kernel module's bytes (committed; `node scripts/build-wasm.mjs` rebuilds them from the AssemblyScript). */
export function kernelWasmBytes(shared = false): Uint8Array {
  return readFileSync(new URL(shared ? "./wasm/kernels-shared.wasm" : "./wasm/kernels.wasm", import.meta.url));
}

interface WasmBackendLike {
  wasm: { asm?: { memory?: unknown }; wasmMemory?: unknown; HEAPU8?: Uint8Array };
  dataIdMap: { get(id: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: "float32" | "int32"): tf.TensorInfo;
}

/**
 * `installWasmKernels`, then on the threaded build (shared memory) `threads − 1` worker threads for large
 * matmuls (kernelThreads.ts). Resolves to null when installed, else why not.
 */
export async function installWasmKernelsThreaded(threads: number): Promise<string | null> {
  const why = installWasmKernels();
  if (why || threads <= 1) return why;
  const memory = backendMemory(tf.backend() as unknown as WasmBackendLike);
  if (!((memory as { buffer: unknown }).buffer instanceof SharedArrayBuffer)) return "kernel threads need the threaded build's shared memory";
  if (kernelThreads() !== threads) await startKernelThreads(memory as object, kernelWasmBytes(true), threads - 1);
  return null;
}

/**
 * Register the SIMD kernels on the active wasm backend (call after it started). Returns null when installed,
 * else why not (not wasm, no memory exposed, module failed to instantiate): tfjs's kernels stay.
 */
export function installWasmKernels(): string | null {
  if (tf.getBackend() !== "wasm") return `backend is ${tf.getBackend()}, not wasm`;
  const backend = tf.backend() as unknown as WasmBackendLike;
  if (installedOn === backend) return null;
  const memory = backendMemory(backend);
  if (!(memory instanceof WebAssembly.Memory)) return "the wasm backend exposes no WebAssembly.Memory";
  const shared = typeof SharedArrayBuffer !== "undefined" && (memory as { buffer: unknown }).buffer instanceof SharedArrayBuffer;
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(kernelWasmBytes(shared)), { env: { memory } });
    kernels = instance.exports as unknown as Kernels;
  } catch (e) {
    return `the SIMD kernels did not load: ${(e as Error).message}`;
  }
  override(tf.BatchMatMul, batchMatmul as Ours);
  override(tf.GatherV2, gather as Ours);
  override(tf.Sum, sum as Ours);
  override(tf.Exp, exp as Ours);
  override(tf.Identity, identity as Ours);
  for (const [name, f] of [[SCATTER_ADD_ROWS, scatterAddRows], [ATTN_FORWARD, attnForward], [ATTN_BACKWARD, attnBackward], [LP_ENT_FORWARD, lpEntForward], [LP_ENT_BACKWARD, lpEntBackward], [GELU_FORWARD, geluForward], [GELU_BACKWARD, geluBackward], [LN_FORWARD, lnForwardKernel], [LN_BACKWARD, lnBackwardKernel]] as const)
    if (!tf.getKernel(name, "wasm")) tf.registerKernel({ kernelName: name, backendName: "wasm", kernelFunc: f as unknown as tf.KernelFunc });
  installedOn = backend;
  return null;
}

/** Kernel name of `scatterAddRows` (this project's; registered on wasm by `installWasmKernels`). */
export const SCATTER_ADD_ROWS = "RlvrScatterAddRows";

interface ScatterArgs {
  inputs: { dy: tf.TensorInfo; indices: tf.TensorInfo };
  backend: WasmBackendLike;
  attrs: { rows: number };
}

/** zeros [rows, cols] with dy's row r added into row indices[r] (the gradient of an axis-0 gather). */
function scatterAddRows({ inputs: { dy, indices }, backend, attrs: { rows } }: ScatterArgs): tf.TensorInfo {
  requireInstalled(SCATTER_ADD_ROWS, backend);
  const n = size(indices.shape);
  const cols = dy.shape[dy.shape.length - 1];
  if (dy.dtype !== "float32" || indices.dtype !== "int32" || size(dy.shape) !== n * cols) throw new Error(`${SCATTER_ADD_ROWS}: need float32 dy [n, cols] and int32 indices [n]`);
  const pi = checkedIndices(backend, indices, rows, SCATTER_ADD_ROWS);
  const out = backend.makeOutput([rows, cols], "float32");
  if (rows * cols === 0) return out;
  kernels!.scatterAddRows(addr(backend, dy), pi, addr(backend, out), n, rows, cols);
  return out;
}

/** Kernel names of the fused log-prob / entropy op (src/policy/logprobs.ts says what they compute). */
export const LP_ENT_FORWARD = "RlvrLogprobEntropy";
export const LP_ENT_BACKWARD = "RlvrLogprobEntropyGrad";

interface LpEntArgs {
  inputs: Record<string, tf.TensorInfo>;
  backend: WasmBackendLike;
}

function lpEntShapes(name: string, backend: object, z: tf.TensorInfo, targets: tf.TensorInfo): [number, number] {
  requireInstalled(name, backend);
  if (z.shape.length !== 2 || z.dtype !== "float32") throw new Error(`${name}: logits must be float32 [rows, vocab], got ${z.dtype} [${z.shape}]`);
  const [R, V] = z.shape;
  if (targets.dtype !== "int32" || size(targets.shape) !== R) throw new Error(`${name}: targets must be int32 [${R}], got ${targets.dtype} [${targets.shape}]`);
  return [R, V];
}

/** [2, R]: row 0 the target's log-probability, row 1 the entropy; and [2, R] row maxima and log Σ e^{z − max} (saved for the backward). */
function lpEntForward({ inputs: { logits, targets }, backend }: LpEntArgs): tf.TensorInfo[] {
  const [R, V] = lpEntShapes(LP_ENT_FORWARD, backend, logits, targets);
  const pt = checkedIndices(backend, targets, V, LP_ENT_FORWARD);
  const out = backend.makeOutput([2, R], "float32");
  const shift = backend.makeOutput([2, R], "float32");
  const at = (t: tf.TensorInfo) => addr(backend, t);
  if (R > 0) kernels!.lpEntForward(at(logits), pt, at(out), at(out) + R * 4, at(shift), R, V);
  return [out, shift];
}

/** d logits [R, V] from dy [2, R] (the log-prob's and the entropy's gradients). */
function lpEntBackward({ inputs: { logits, targets, shift, out, dy }, backend }: LpEntArgs): tf.TensorInfo {
  const [R, V] = lpEntShapes(LP_ENT_BACKWARD, backend, logits, targets);
  const dz = backend.makeOutput([R, V], "float32");
  const at = (t: tf.TensorInfo) => addr(backend, t);
  if (R > 0) kernels!.lpEntBackward(at(logits), at(targets), at(shift), at(out) + R * 4, at(dy), at(dy) + R * 4, at(dz), R, V);
  return dz;
}

/** Kernel names of the shared-prefix attention (src/policy/attention.ts says what they compute). */
export const ATTN_FORWARD = "RlvrAttnForward";
export const ATTN_BACKWARD = "RlvrAttnBackward";

/** Attributes of both attention kernels: B groups of G rows of S positions, Pp prefix keys, H heads of D. */
export interface AttnAttrs {
  B: number;
  G: number;
  S: number;
  Pp: number;
  H: number;
  D: number;
}

interface AttnArgs {
  inputs: Record<string, tf.TensorInfo>;
  backend: WasmBackendLike & { disposeData(id: object): void };
  attrs: AttnAttrs;
}

function checkAttn(name: string, backend: object, inputs: Record<string, tf.TensorInfo>, a: AttnAttrs): void {
  requireInstalled(name, backend);
  const E = a.H * a.D;
  const want: Record<string, number[]> = { qkv: [a.B * a.G * a.S, 3 * E], kp: [a.B, a.H, a.Pp, a.D], vp: [a.B, a.H, a.Pp, a.D], pre: [a.B], dy: [a.B * a.G * a.S, E], P: [a.B * a.G, a.H, a.S, a.Pp + a.S] };
  for (const [k, t] of Object.entries(inputs)) {
    const w = want[k];
    if (w && t.shape.join() !== w.join()) throw new Error(`${name}: ${k} has shape [${t.shape}], expected [${w}]`);
    if (t.dtype !== (k === "pre" ? "int32" : "float32")) throw new Error(`${name}: ${k} must be ${k === "pre" ? "int32" : "float32"}`);
  }
  if (a.D % 4 !== 0) throw new Error(`${name}: head size ${a.D} must be a multiple of 4`);
}

/** y [N·S, E] and the attention probabilities P [N, H, S, Pp + S] (saved for the backward). */
function attnForward({ inputs, backend, attrs: a }: AttnArgs): tf.TensorInfo[] {
  checkAttn(ATTN_FORWARD, backend, inputs, a);
  const { qkv, kp, vp, pre } = inputs;
  const N = a.B * a.G;
  checkedIndices(backend, pre, a.Pp + 1, ATTN_FORWARD); // valid prefix lengths in [0, Pp] (all 0 without a prefix), before allocating
  const y = backend.makeOutput([N * a.S, a.H * a.D], "float32");
  const P = backend.makeOutput([N, a.H, a.S, a.Pp + a.S], "float32");
  const at = (t: tf.TensorInfo) => addr(backend, t);
  if (N * a.S > 0)
    runAttention(backend, a, "attnForward", { qkv: at(qkv), kp: a.Pp ? at(kp) : 0, vp: a.Pp ? at(vp) : 0, pre: at(pre), y: at(y), P: at(P), dqkv: 0, dkp: 0, dvp: 0 });
  return [y, P];
}

/** Byte addresses of the attention kernels' tensors (y is dy in the backward). */
interface AttnPointers {
  qkv: number; kp: number; vp: number; pre: number; y: number; P: number; dqkv: number; dkp: number; dvp: number;
}

/**
 * Run an attention kernel over all B groups, split by groups across the kernel threads when there are some and
 * the work is large (each part has its own descriptor and, for the backward, its own dS scratch; groups never
 * share outputs, so parts are independent and the result equals one call's bit for bit).
 */
function runAttention(backend: AttnArgs["backend"], a: AttnAttrs, name: "attnForward" | "attnBackward", p: AttnPointers): void {
  const E = a.H * a.D;
  const K = a.Pp + a.S;
  const groups = ranges(a.B, partsFor(4 * a.B * a.G * a.H * a.S * K * a.D, SPLIT_FLOPS)); // ~flops of the forward
  const scratchFloats = name === "attnBackward" ? a.S * K : 0; // dS of one (row, head), per part
  const buf = backend.makeOutput([groups.length * (16 + scratchFloats)], "float32");
  try {
    const base = addr(backend, buf);
    const words = new Int32Array(backend.wasm.HEAPU8!.buffer, base, groups.length * 16);
    const descs = groups.map(([b0, b1], q) => {
      const rows = b0 * a.G * a.S; // first position of the part
      const pre4 = b0 * a.H * a.Pp * a.D * 4; // first prefix key of the part (bytes)
      const scratch = base + groups.length * 64 + q * scratchFloats * 4;
      words.set([b1 - b0, a.G, a.S, a.Pp, a.H, a.D, p.qkv + rows * 3 * E * 4, p.kp && p.kp + pre4, p.vp && p.vp + pre4, p.pre + b0 * 4,
        p.y + rows * E * 4, p.P + b0 * a.G * a.H * a.S * K * 4, p.dqkv && p.dqkv + rows * 3 * E * 4, p.dkp && p.dkp + pre4, p.dvp && p.dvp + pre4, scratch], q * 16);
      return [base + q * 64];
    });
    runParts(name, descs);
  } finally {
    backend.disposeData(buf.dataId);
  }
}

/** dqkv [N·S, 3E] (every element written), dKp, dVp [B, H, Pp, D] from dy [N·S, E] and the forward's P. */
function attnBackward({ inputs, backend, attrs: a }: AttnArgs): tf.TensorInfo[] {
  checkAttn(ATTN_BACKWARD, backend, inputs, a);
  const { dy, qkv, kp, vp, P, pre } = inputs;
  const N = a.B * a.G;
  const dqkv = backend.makeOutput([N * a.S, 3 * a.H * a.D], "float32");
  const dkp = backend.makeOutput([a.B, a.H, a.Pp, a.D], "float32");
  const dvp = backend.makeOutput([a.B, a.H, a.Pp, a.D], "float32");
  const at = (t: tf.TensorInfo) => addr(backend, t);
  if (N * a.S > 0)
    runAttention(backend, a, "attnBackward", { qkv: at(qkv), kp: a.Pp ? at(kp) : 0, vp: a.Pp ? at(vp) : 0, pre: at(pre), y: at(dy), P: at(P), dqkv: at(dqkv), dkp: a.Pp ? at(dkp) : 0, dvp: a.Pp ? at(dvp) : 0 });
  else if (a.B * a.H * a.Pp * a.D > 0) // no queries: the prefix gets no gradient
    for (const t of [dkp, dvp]) new Float32Array(backend.wasm.HEAPU8!.buffer, at(t), a.B * a.H * a.Pp * a.D).fill(0);
  return [dqkv, dkp, dvp];
}

/** Byte offset of int32 `indices`, after checking each is in [0, rows). */
function checkedIndices(backend: WasmBackendLike, indices: tf.TensorInfo, rows: number, kernel: string): number {
  const n = size(indices.shape);
  const pi = addr(backend, indices);
  const idx = new Int32Array(backend.wasm.HEAPU8!.buffer, pi, n);
  for (let r = 0; r < n; r++) if (!(idx[r] >= 0 && idx[r] < rows)) throw new Error(`${kernel}: the index value ${idx[r]} is not in [0, ${rows - 1}]`);
  return pi;
}

type Ours = (args: unknown) => tf.TensorInfo | null;
/** Register `ours` for `name` on wasm; tfjs's kernel runs whenever ours returns null or "tfjs" is chosen. */
function override(name: string, ours: Ours): void {
  const original = tf.getKernel(name, "wasm");
  if (!original) throw new Error(`installWasmKernels: tfjs-wasm has no ${name} kernel`);
  if ((original.kernelFunc as { rlvrOverride?: boolean }).rlvrOverride) return; // a second backend instance: already ours
  tf.unregisterKernel(name, "wasm");
  const kernelFunc = Object.assign((args: Parameters<tf.KernelFunc>[0]) => (choice === "simd" && installedOn === args.backend && ours(args)) || original.kernelFunc(args), { rlvrOverride: true });
  tf.registerKernel({ kernelName: name, backendName: "wasm", setupFunc: original.setupFunc, kernelFunc: kernelFunc as tf.KernelFunc });
}

interface UnaryArgs<A = Record<string, never>> {
  inputs: { x: tf.TensorInfo };
  backend: WasmBackendLike;
  attrs: A;
}

/**
 * float32 sums over trailing axes (`out[r] = Σ_j x[r, j]`: softmax normalisers, entropies, log-prob selection)
 * or leading axes (`out[j] = Σ_r x[r, j]`: bias gradients; tfjs-wasm transposes first, then reduces).
 */
function sum({ inputs: { x }, backend, attrs }: UnaryArgs<{ axis: number | number[]; keepDims: boolean }>): tf.TensorInfo | null {
  if (!kernels || x.dtype !== "float32") return null;
  const r = x.shape.length;
  const axes = [...tf.util.parseAxisParam(attrs.axis, x.shape)].sort((a, b) => a - b);
  if (axes.length === 0) return null;
  const reduced = size(axes.map((a) => x.shape[a]));
  const contiguous = !axes.some((a, i) => i > 0 && a !== axes[i - 1] + 1);
  const trailing = contiguous && axes[axes.length - 1] === r - 1;
  const leading = contiguous && axes[0] === 0;
  if (!trailing && !leading && reduced !== 0) return null; // (an empty reduction is zeros on any axes: tfjs-wasm leaves it unwritten)
  const kept = size(x.shape) / (reduced || 1);
  const outShape = attrs.keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
  const out = backend.makeOutput(outShape, "float32");
  const n = size(outShape);
  if (n === 0) return out;
  const px = addr(backend, x);
  const po = addr(backend, out);
  if (reduced === 0) new Float32Array(backend.wasm.HEAPU8!.buffer, po, n).fill(0);
  else if (trailing) kernels.sumInner(px, po, kept, reduced);
  else kernels.sumOuter(px, po, reduced, kept);
  return out;
}

/** e^x of float32 (SIMD; ≤ ~1.3e-7 relative to the exact value, 0 below −87.3, ∞ above 88.72, NaN kept). */
function exp({ inputs: { x }, backend }: UnaryArgs): tf.TensorInfo | null {
  if (!kernels || x.dtype !== "float32") return null;
  const out = backend.makeOutput([...x.shape], "float32");
  const n = size(x.shape);
  if (n > 0) runElementwise("expArray", n, [addr(backend, x), addr(backend, out)]);
  return out;
}

/** Elementwise kernels split by index ranges (multiples of 4) across the kernel threads for large arrays. */
const SPLIT_ELEMENTS = 65_536;
function runElementwise(name: "expArray" | "geluForward" | "geluBackward", n: number, pointers: number[]): void {
  runParts(name, ranges(n, partsFor(n, SPLIT_ELEMENTS), 4).map(([i0, i1]) => [...pointers.map((p) => p + i0 * 4), i1 - i0]));
}

/** Threads a call of `work` (flops or elements) is split across: all of them from `threshold` on, else 1. */
function partsFor(work: number, threshold: number): number {
  return work >= threshold ? kernelThreads() : 1;
}

/**
 * [0, n) cut into at most `parts` non-empty ranges of near-equal size, inner boundaries at multiples of
 * `multiple` (the kernels' SIMD width or row tile: every element is then computed as on one thread).
 */
function ranges(n: number, parts: number, multiple = 1): [number, number][] {
  const k = Math.max(1, Math.min(parts, Math.ceil(n / multiple)));
  const out: [number, number][] = [];
  for (let q = 0, i0 = 0; q < k; q++) {
    const i1 = q === k - 1 ? n : Math.min(n, Math.round(((q + 1) * n) / k / multiple) * multiple);
    if (i1 > i0) out.push([i0, i1]);
    i0 = Math.max(i0, i1);
  }
  return out;
}

/** Run kernel `name` once per argument list: on this thread alone, or split across the kernel threads. */
function runParts(name: SplitKernel, argsList: number[][]): void {
  const call = (args: number[]) => (kernels as unknown as Record<SplitKernel, (...a: number[]) => void>)[name](...args);
  if (argsList.length <= 1) argsList.forEach(call);
  else runSplit(name, argsList, call);
}

/** Kernel names of the fused LayerNorm (GPT.layerNorm). */
export const LN_FORWARD = "RlvrLayerNorm";
export const LN_BACKWARD = "RlvrLayerNormGrad";

function lnShapes(name: string, backend: object, x: tf.TensorInfo, g: tf.TensorInfo): [number, number] {
  requireInstalled(name, backend);
  if (x.shape.length !== 2 || x.dtype !== "float32") throw new Error(`${name}: x must be float32 [rows, C], got ${x.dtype} [${x.shape}]`);
  if (g.shape.join() !== String(x.shape[1])) throw new Error(`${name}: gain must be [${x.shape[1]}], got [${g.shape}]`);
  return [x.shape[0], x.shape[1]];
}

/** y, and the per-row mean and 1/std saved for the backward. */
function lnForwardKernel({ inputs: { x, g, b }, backend }: { inputs: Record<string, tf.TensorInfo>; backend: WasmBackendLike }): tf.TensorInfo[] {
  const [R, C] = lnShapes(LN_FORWARD, backend, x, g);
  if (b.shape.join() !== String(C)) throw new Error(`${LN_FORWARD}: bias must be [${C}], got [${b.shape}]`);
  const y = backend.makeOutput([R, C], "float32");
  const mean = backend.makeOutput([R], "float32");
  const rstd = backend.makeOutput([R], "float32");
  const at = (t: tf.TensorInfo) => addr(backend, t);
  const row = C * 4;
  if (R * C > 0)
    runParts("lnForward", ranges(R, partsFor(R * C, SPLIT_ELEMENTS)).map(([r0, r1]) => [at(x) + r0 * row, at(g), at(b), at(y) + r0 * row, at(mean) + r0 * 4, at(rstd) + r0 * 4, r1 - r0, C]));
  return [y, mean, rstd];
}

/** dx [R, C], dg [C], db [C]. */
function lnBackwardKernel({ inputs: { x, g, mean, rstd, dy }, backend }: { inputs: Record<string, tf.TensorInfo>; backend: WasmBackendLike }): tf.TensorInfo[] {
  const [R, C] = lnShapes(LN_BACKWARD, backend, x, g);
  const dx = backend.makeOutput([R, C], "float32");
  const dg = backend.makeOutput([C], "float32");
  const db = backend.makeOutput([C], "float32");
  const at = (t: tf.TensorInfo) => addr(backend, t);
  if (R * C > 0) {
    const row = C * 4;
    runParts("lnBackwardX", ranges(R, partsFor(R * C, SPLIT_ELEMENTS)).map(([r0, r1]) => [at(x) + r0 * row, at(g), at(mean) + r0 * 4, at(rstd) + r0 * 4, at(dy) + r0 * row, at(dx) + r0 * row, r1 - r0, C]));
    kernels!.lnBackwardGB(at(x), at(mean), at(rstd), at(dy), at(dg), at(db), R, C);
  } else if (C > 0) for (const t of [dg, db]) new Float32Array(backend.wasm.HEAPU8!.buffer, at(t), C).fill(0);
  return [dx, dg, db];
}

/** Kernel names of the fused GELU (gelu.ts). */
export const GELU_FORWARD = "RlvrGelu";
export const GELU_BACKWARD = "RlvrGeluGrad";

function geluForward({ inputs: { x }, backend }: UnaryArgs): tf.TensorInfo {
  requireInstalled(GELU_FORWARD, backend);
  if (x.dtype !== "float32") throw new Error(`${GELU_FORWARD}: needs float32 input`);
  const y = backend.makeOutput([...x.shape], "float32");
  const n = size(x.shape);
  if (n > 0) runElementwise("geluForward", n, [addr(backend, x), addr(backend, y)]);
  return y;
}

function geluBackward({ inputs: { x, dy }, backend }: { inputs: { x: tf.TensorInfo; dy: tf.TensorInfo }; backend: WasmBackendLike }): tf.TensorInfo {
  requireInstalled(GELU_BACKWARD, backend);
  if (x.dtype !== "float32" || size(dy.shape) !== size(x.shape)) throw new Error(`${GELU_BACKWARD}: needs float32 x and dy of one size`);
  const dx = backend.makeOutput([...x.shape], "float32");
  const n = size(x.shape);
  const at = (t: tf.TensorInfo) => addr(backend, t);
  if (n > 0) runElementwise("geluBackward", n, [at(x), at(dy), at(dx)]);
  return dx;
}

/**
 * A clone shares its input's buffer (one more reference, as tfjs's cpu backend does) instead of copying it:
 * tfjs never writes into a tensor's buffer in place, and `tf.customGrad` clones every tensor it saves for the
 * backward, so tfjs-wasm's copying Identity cost ~100 copies of activations per training step.
 */
function identity({ inputs: { x }, backend }: UnaryArgs): tf.TensorInfo | null {
  if (!kernels || x.dtype === "string") return null;
  (backend as unknown as { incRef(id: object): void }).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

interface GatherArgs {
  inputs: { x: tf.TensorInfo; indices: tf.TensorInfo };
  backend: WasmBackendLike;
  attrs: { axis: number; batchDims: number };
}

/** Rows of a float32 matrix by int32 indices (axis 0): out = x[indices]; out-of-range indices throw, as in tfjs. */
function gather({ inputs: { x, indices }, backend, attrs }: GatherArgs): tf.TensorInfo | null {
  if (!kernels || x.dtype !== "float32" || indices.dtype !== "int32" || x.shape.length !== 2) return null;
  if ((attrs.axis !== 0 && attrs.axis !== -2) || attrs.batchDims !== 0) return null;
  const [rows, cols] = x.shape;
  const n = size(indices.shape);
  const pi = checkedIndices(backend, indices, rows, "GatherV2");
  const out = backend.makeOutput([...indices.shape, cols], "float32");
  if (n * cols === 0) return out;
  kernels.gatherRows(addr(backend, x), pi, addr(backend, out), n, cols * 4);
  return out;
}

interface BmmArgs {
  inputs: { a: tf.TensorInfo; b: tf.TensorInfo };
  backend: WasmBackendLike;
  attrs: { transposeA: boolean; transposeB: boolean };
}

const size = (dims: readonly number[]) => dims.reduce((p, d) => p * d, 1);

/** Our kernel for the call, or null to leave it to tfjs. */
function batchMatmul({ inputs: { a, b }, backend, attrs }: BmmArgs): tf.TensorInfo | null {
  const { transposeA, transposeB } = attrs;
  if (!kernels || a.dtype !== "float32" || b.dtype !== "float32" || (transposeA && transposeB)) return null;
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) return null;
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const Za = size(outerA);
  const Zb = size(outerB);
  const Z = Math.max(Za, Zb);
  const sameOuter = outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i]);
  if (!sameOuter && Za !== 1 && Zb !== 1) return null; // general broadcasting: tfjs
  const M = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const K = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const Kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const N = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (K !== Kb) return null; // tfjs throws the shape error
  // tfjs's output shape: the broadcast of the outer dims (a batch of 1 against a lower-rank operand keeps its rank).
  const outShape = [...tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB), M, N];
  const out = backend.makeOutput(outShape, "float32"); // may grow memory: offsets are read after it
  if (M * N === 0) return out;
  const pa = addr(backend, a);
  const pb = addr(backend, b);
  const pc = addr(backend, out);
  const sAz = Za === 1 ? 0 : M * K * 4;
  const sBz = Zb === 1 ? 0 : K * N * 4;
  // A's row stride (bytes between A(i, ·) and A(i+1, ·)), and which kernel.
  const sAi = transposeB ? K * 4 : transposeA ? 4 : K * 4;
  const name = transposeB ? "bmmDots" : "bmmRows";
  const argsOf = (a0: number, c0: number, b0: number, z: number, m: number) =>
    name === "bmmDots" ? [a0, b0, c0, z, m, K, N, sAz, sBz] : [a0, b0, c0, z, m, K, N, sAz, sAi, transposeA ? M * 4 : 4, sBz];
  // Split (when large) by batch entries, else by rows in multiples of 4 (the kernels' row tiles).
  const parts = partsFor(2 * Z * M * N * K, SPLIT_FLOPS);
  runParts(
    name,
    Z >= 2
      ? ranges(Z, parts).map(([z0, z1]) => argsOf(pa + z0 * sAz, pc + z0 * M * N * 4, pb + z0 * sBz, z1 - z0, M))
      : ranges(M, parts, 4).map(([i0, i1]) => argsOf(pa + i0 * sAi, pc + i0 * N * 4, pb, Z, i1 - i0)), // Z is 1, or 0 (empty batch)
  );
  return out;
}

/** Matmuls of at least this many flops are split across the kernel threads (smaller ones: hand-off costs more). */
const SPLIT_FLOPS = 2_000_000;
