/**
 * Sweep throughput (completions/s) against the project's own server, with 1 and 2 endpoints, and the
 * server's raw throughput as the baseline measured in the same run: a plain loop of `fetch` calls with
 * the same concurrency, prompt and max_tokens but none of the sweep's work (prompt building, seeds,
 * retry bookkeeping, endpoint pool, JSONL appends with fsync'd batches).
 *
 * Servers run as separate processes (`rlvr serve --port 0`) so that server and client do not share an
 * event loop. Each figure is the median of REPS runs.
 *
 *   node scripts/run-bench.mjs sweep      (env: BENCH_PROBLEMS, BENCH_N, BENCH_CONCURRENCY, BENCH_REPS)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runSweep } from "../src/rollout/sweep.js";
import { buildPrompt } from "../src/rollout/prompts.js";
import { closeDefaultPool } from "../src/verifiers/pool.js";
import type { Problem } from "../src/schemas/index.js";

const PROBLEMS = Number(process.env.BENCH_PROBLEMS ?? 64);
const N = Number(process.env.BENCH_N ?? 8);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const MAX_TOKENS = 256;
const repo = fileURLToPath(new URL("..", import.meta.url));

function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve", "--synthetic", "--port", "0"], { cwd: repo, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let buf = "";
    child.stdout!.on("data", (d) => {
      buf += d;
      const m = /listening on (\S+)/.exec(buf);
      if (m) resolve({ url: m[1], child });
    });
    child.on("exit", (code) => reject(new Error(`server exited ${code}`)));
  });
}

const problems: Problem[] = Array.from({ length: PROBLEMS }, (_, i) => ({ id: `b${i}`, question: `What is ${i + 3} * ${(i % 9) + 2} + ${i % 13}?`, gold: String((i + 3) * ((i % 9) + 2) + (i % 13)) }));

/** Baseline: C concurrent loops of plain fetches per endpoint, same request shape as the sweep. */
async function rawThroughput(urls: string[], total: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  const worker = async (url: string) => {
    for (let i = next++; i < total; i = next++) {
      const p = problems[i % problems.length];
      const built = buildPrompt(p.question);
      const body = JSON.stringify({ model: "m", prompt: built.kind === "raw" ? built.prompt : "", n: 1, max_tokens: MAX_TOKENS, stop: built.stop, seed: i, temperature: 1 });
      const r = await fetch(`${url}/v1/completions`, { method: "POST", headers: { "content-type": "application/json" }, body });
      await r.json();
    }
  };
  await Promise.all(urls.flatMap((u) => Array.from({ length: CONCURRENCY }, () => worker(u))));
  return total / ((performance.now() - t0) / 1000);
}

async function sweepThroughput(urls: string[]): Promise<{ gen: number; endToEnd: number }> {
  const dir = mkdtempSync(join(tmpdir(), "rlvr-bench-sweep-"));
  const t0 = performance.now();
  const r = await runSweep(problems, { endpoints: urls, model: "m", n: N, outDir: dir, concurrency: CONCURRENCY, maxTokens: MAX_TOKENS, progress: false }, { onWarning: () => {} });
  const endToEnd = (PROBLEMS * N) / ((performance.now() - t0) / 1000);
  rmSync(dir, { recursive: true, force: true });
  return { gen: (r.summary as { this_run: { completions_per_s: number } }).this_run.completions_per_s, endToEnd };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const servers = await Promise.all([startServer(), startServer()]);
try {
  const urls = servers.map((s) => s.url);
  const total = PROBLEMS * N;
  await rawThroughput(urls.slice(0, 1), 64); // warm-up both sides
  await rawThroughput(urls.slice(1), 64);
  const raw1: number[] = [];
  const raw2: number[] = [];
  const sw1: { gen: number; endToEnd: number }[] = [];
  const sw2: { gen: number; endToEnd: number }[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    raw1.push(await rawThroughput(urls.slice(0, 1), total));
    sw1.push(await sweepThroughput(urls.slice(0, 1)));
    raw2.push(await rawThroughput(urls, total));
    sw2.push(await sweepThroughput(urls));
  }
  const r1 = median(raw1);
  const r2 = median(raw2);
  const g1 = median(sw1.map((x) => x.gen));
  const g2 = median(sw2.map((x) => x.gen));
  const e1 = median(sw1.map((x) => x.endToEnd));
  const e2 = median(sw2.map((x) => x.endToEnd));
  console.log(`sweep bench: ${PROBLEMS} problems × n=${N} = ${total} completions, concurrency ${CONCURRENCY}/endpoint, max_tokens ${MAX_TOKENS}, median of ${REPS}`);
  console.log(`  raw fetch loop, 1 endpoint   ${r1.toFixed(1).padStart(8)} completions/s   (baseline)`);
  console.log(`  sweep sampling, 1 endpoint   ${g1.toFixed(1).padStart(8)} completions/s   ratio vs raw ${(g1 / r1).toFixed(2)}`);
  console.log(`  sweep end-to-end, 1 endpoint ${e1.toFixed(1).padStart(8)} completions/s   ratio vs raw ${(e1 / r1).toFixed(2)}  (incl. verify + summary)`);
  console.log(`  raw fetch loop, 2 endpoints  ${r2.toFixed(1).padStart(8)} completions/s   (baseline)`);
  console.log(`  sweep sampling, 2 endpoints  ${g2.toFixed(1).padStart(8)} completions/s   ratio vs raw ${(g2 / r2).toFixed(2)}`);
  console.log(`  sweep end-to-end, 2 endpoints${e2.toFixed(1).padStart(8)} completions/s   ratio vs raw ${(e2 / r2).toFixed(2)}`);
  console.log(`  2 vs 1 endpoint: sweep ×${(g2 / g1).toFixed(2)}, raw ×${(r2 / r1).toFixed(2)}`);
} finally {
  for (const s of servers) s.child.kill("SIGTERM");
  await closeDefaultPool();
}
