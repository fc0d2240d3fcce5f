/**
 * Threaded wasm the way users reach it: `rlvr start` through the bin link and a notebook cell in the
 * project's kernel (`rlvr notebook run`), both with RLVR_TFJS_THREADS=2. Each must exit on its own (the
 * pthread workers must not keep the process alive) and say which backend and how many threads ran.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { binSkip, REPO, rlvr } from "../helpers/cli.js";

test("rlvr start with RLVR_TFJS_THREADS=2 trains, exits by itself and names the backend and its threads", { skip: binSkip }, async () => {
  const out = join(mkdtempSync(join(tmpdir(), "threads-start-")), "run");
  const r = await rlvr(["start", "--quick", "--steps", "1", "--heldout", "4", "--no-report", "--out", out], { env: { RLVR_TFJS_THREADS: "2" }, timeoutMs: 300_000 });
  assert.equal(r.signal, null, `rlvr start did not exit by itself: ${r.stderr}`);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^time {2}.* on wasm \(SIMD, 2 threads\) \(training/m);
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as { backend: string; backend_threads: number | null; backend_label: string };
  assert.equal(summary.backend, "wasm");
  assert.equal(summary.backend_threads, 2, "summary.json records the thread count");
  assert.equal(summary.backend_label, "wasm (SIMD, 2 threads)");
});

test("a notebook cell starts threaded wasm in the kernel, computes, and the run ends", { skip: binSkip }, async () => {
  // Inside the repository so the kernel (cwd = the notebook's folder) resolves "rlvr-lab"; .tmp/ is git-ignored.
  const dir = join(REPO, ".tmp");
  mkdirSync(dir, { recursive: true });
  const nbDir = mkdtempSync(join(dir, "threads-nb-"));
  const cell = (source: string) => ({ cell_type: "code", metadata: {}, execution_count: null, outputs: [], source });
  const nb = {
    cells: [
      cell('import { initBackend } from "rlvr-lab";\nconst info = await initBackend();\ninfo.label'),
      cell('import * as tf from "@tensorflow/tfjs";\nArray.from(tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).dataSync())'),
    ],
    metadata: { kernelspec: { name: "rlvr-lab", display_name: "rlvr-lab", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(join(nbDir, "t.ipynb"), JSON.stringify(nb));
  const r = await rlvr(["notebook", "run", join(nbDir, "t.ipynb"), "--out", join(nbDir, "out.ipynb")], { env: { RLVR_TFJS_THREADS: "2" }, timeoutMs: 180_000 });
  assert.equal(r.signal, null, `rlvr notebook run did not exit by itself: ${r.stderr}`);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const done = JSON.parse(readFileSync(join(nbDir, "out.ipynb"), "utf8")) as { cells: { outputs: { data?: Record<string, string> }[] }[] };
  assert.deepEqual(
    done.cells.map((c) => c.outputs[0]?.data?.["text/plain"]),
    ["'wasm (SIMD, 2 threads)'", "[ 3, 3, 3, 3 ]"],
  );
  rmSync(nbDir, { recursive: true, force: true });
});
