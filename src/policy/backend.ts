/**
 * Backend selection and start-up self-test for the tiny tfjs policy.
 *
 * Order: an explicitly requested backend, else `tensorflow` (tfjs-node-gpu / tfjs-node) when one of those
 * packages resolves, else `wasm` (SIMD auto-detected), else `cpu` (correctness fallback, ~150× slower).
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

export type BackendName = "wasm" | "cpu" | "tensorflow";

export interface BackendInfo {
  /** `tf.getBackend()` after initialisation. */
  backend: string;
  selfTest: { oneHotOk: boolean; gradNonZero: boolean };
  /** Why preferred backends were skipped (empty when the first choice started). */
  fallbacks: string[];
}

const require = createRequire(import.meta.url);

function resolves(name: string): string | null {
  try {
    return require.resolve(name);
  } catch {
    return null;
  }
}

let wasmLoaded = false;
async function setupWasm(): Promise<void> {
  if (wasmLoaded) return;
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  // In Node the .wasm binaries are read from disk: point tfjs at dist/ (a file path with a trailing slash).
  // RLVR_TFJS_WASM_DIR overrides it (bundled scripts that ship the .wasm files beside them).
  let distDir = process.env.RLVR_TFJS_WASM_DIR;
  if (!distDir) {
    const entry = require.resolve("@tensorflow/tfjs-backend-wasm");
    distDir = dirname(entry).endsWith("dist") ? dirname(entry) : `${dirname(entry)}/dist`;
  }
  wasm.setWasmPaths(distDir.endsWith("/") ? distDir : `${distDir}/`);
  wasmLoaded = true;
}

async function setupTensorflow(): Promise<boolean> {
  for (const pkg of ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"]) {
    const path = resolves(pkg);
    if (path === null) continue;
    try {
      require(path); // registers the "tensorflow" backend as a side effect
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
 * the requested backend cannot start or a self-test fails.
 */
export async function initBackend(options: { backend?: BackendName } = {}): Promise<BackendInfo> {
  const wanted = options.backend;
  const candidates: BackendName[] = wanted
    ? [wanted]
    : resolves("@tensorflow/tfjs-node-gpu") || resolves("@tensorflow/tfjs-node")
      ? ["tensorflow", "wasm", "cpu"]
      : ["wasm", "cpu"];
  const failures: string[] = [];
  let chosen: string | null = null;
  for (const name of candidates) {
    if (tf.getBackend() === name && tf.engine().backend) {
      chosen = name;
      break;
    }
    try {
      if (name === "wasm") await setupWasm();
      if (name === "tensorflow" && !(await setupTensorflow())) {
        failures.push("tensorflow: neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node loads");
        continue;
      }
      const ok = await tf.setBackend(name); // resolves false (does not throw) on failure
      if (ok) {
        await tf.ready();
        chosen = name;
        break;
      }
      failures.push(`${name}: tf.setBackend returned false`);
    } catch (e) {
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
  return { backend: tf.getBackend(), selfTest, fallbacks: failures };
}
