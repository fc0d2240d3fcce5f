/**
 * Verifier throughput and latency: verdicts/s and p50/p99 per call for GSM8K and MATH, inline on one
 * thread and through `verifyMany` (math: fast path inline, symbolic stage in the worker pool), plus the
 * pool's per-job overhead (round trip of a no-op job).
 *
 * Baselines measured in the same run:
 *  - GSM8K: a naive verifier that compiles its regexes on every call (lm-eval strict, then flexible).
 *  - Pool: a bare Worker echoing postMessage (no pool bookkeeping, no time limit).
 * Targets (from the project brief): math ≥ 5,000 verdicts/s on 2 cores, gsm8k ≥ 100,000 verdicts/s.
 *
 * Data: /work/shared/data (../shared/data from the repo root) when present — MATH-500 gold solutions as
 * completions against their `answer`, GSM8K test solutions as completions; else generated look-alikes.
 *
 *   node scripts/run-bench.mjs verifiers
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { verifyGsm8k } from "../src/verifiers/gsm8k/index.js";
import { verifyMathFast, verifyMath } from "../src/verifiers/math/index.js";
import { verifyMany, getVerifyCounters, resetVerifyCounters } from "../src/verifiers/verify.js";
import { WorkerPool } from "../src/verifiers/pool.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const dataDir = join(root, "..", "shared", "data");

interface Rec {
  gold: string;
  completion: string;
}

function readLines(file: string): any[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l));
}

function gsm8kRecords(): { recs: Rec[]; source: string } {
  const f = join(dataDir, "gsm8k_test.jsonl");
  if (existsSync(f)) {
    const rows = readLines(f);
    const recs: Rec[] = [];
    rows.forEach((r, i) => {
      const final = String(r.answer).split("####").pop()!.trim();
      // Three completion styles a model produces: the solution itself, "The answer is N.", a wrong number.
      const body = String(r.answer).split("####")[0];
      if (i % 3 === 0) recs.push({ gold: r.answer, completion: r.answer });
      else if (i % 3 === 1) recs.push({ gold: r.answer, completion: `${body}The answer is ${final}.` });
      else recs.push({ gold: r.answer, completion: `${body}So the total is ${Number(final.replace(/,/g, "")) + 1}.` });
    });
    return { recs, source: `${f} (${rows.length} solutions, 3 completion styles)` };
  }
  const recs = Array.from({ length: 1500 }, (_, i) => ({
    gold: `She has ${i} + ${i} = <<${i}+${i}=${2 * i}>>${2 * i} apples.\n#### ${2 * i}`,
    completion: `She has ${i} + ${i} = ${2 * i} apples, then sells ${i % 7}.\n#### ${2 * i + (i % 3 === 0 ? 1 : 0)}`,
  }));
  return { recs, source: "generated (1500 GSM8K-like records)" };
}

function mathRecords(): { recs: Rec[]; source: string } {
  const f = join(dataDir, "math500.jsonl");
  if (existsSync(f)) {
    const rows = readLines(f);
    return { recs: rows.map((r) => ({ gold: r.answer, completion: r.solution })), source: `${f} (${rows.length} gold solutions vs answers)` };
  }
  const forms = (i: number): Rec => {
    switch (i % 5) {
      case 0:
        return { gold: String(i), completion: `Thus the answer is $\\boxed{${i}}$.` };
      case 1:
        return { gold: `\\frac{${i}}{${i + 1}}`, completion: `We get $\\boxed{\\frac{${2 * i}}{${2 * i + 2}}}$.` };
      case 2:
        return { gold: `${i}\\sqrt{2}`, completion: `So $\\boxed{\\sqrt{${2 * i * i}}}$` };
      case 3:
        return { gold: `(1,${i})`, completion: `The point is $\\boxed{(1, ${i})}$.` };
      default:
        return { gold: `x^2+${2 * i}x+${i * i}`, completion: `Expanding, $\\boxed{(x+${i})^2}$.` };
    }
  };
  return { recs: Array.from({ length: 500 }, (_, i) => forms(i)), source: "generated (500 MATH-like records)" };
}

function pct(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** Time each call; returns verdicts/s over the whole loop and per-call p50/p99 in µs. */
function timeCalls(n: number, call: (i: number) => unknown): { rate: number; p50: number; p99: number } {
  for (let i = 0; i < Math.min(n, 2000); i++) call(i); // warm-up (JIT)
  const lat = new Float64Array(n);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    call(i);
    lat[i] = performance.now() - s;
  }
  const secs = (performance.now() - t0) / 1000;
  lat.sort();
  return { rate: n / secs, p50: pct(lat, 0.5) * 1000, p99: pct(lat, 0.99) * 1000 };
}

const fmt = (x: number) => (x >= 100 ? Math.round(x).toLocaleString("en-US") : x.toFixed(x >= 10 ? 1 : 2));
const rows: string[][] = [];
function row(what: string, rate: number | null, p50us: number | null, p99us: number | null, note = ""): void {
  rows.push([what, rate === null ? "" : fmt(rate), p50us === null ? "" : fmt(p50us), p99us === null ? "" : fmt(p99us), note]);
  console.log(`  ${what}: ${rate === null ? "" : `${fmt(rate)}/s `}${p50us === null ? "" : `p50 ${fmt(p50us)} µs p99 ${fmt(p99us!)} µs `}${note}`);
}

/** The naive GSM8K baseline: regexes compiled on every call, lm-eval strict then flexible, string compare. */
function naiveGsm8k(gold: string, completion: string): boolean {
  const g = new RegExp("#### (\\-?[0-9\\.\\,]+)").exec(gold)?.[1] ?? gold;
  let m = new RegExp("#### (\\-?[0-9\\.\\,]+)").exec(completion)?.[1];
  if (m === undefined) {
    const all = [...completion.matchAll(new RegExp("(-?[$0-9.,]{2,})|(-?[0-9]+)", "g"))];
    m = all.length ? all[all.length - 1][0] : undefined;
  }
  const clean = (s: string) => s.replace(new RegExp(",", "g"), "").replace(new RegExp("\\$", "g"), "").replace(new RegExp("\\.$"), "").trim();
  return m !== undefined && clean(m) === clean(g);
}

async function main(): Promise<void> {
  console.log(`verifiers bench — node ${process.version}, ${availableParallelism()} CPUs (shared machine: figures vary with load)`);

  // ---------- GSM8K ----------
  const g = gsm8kRecords();
  console.log(`\ngsm8k data: ${g.source}`);
  const G = g.recs.length;
  const N_G = 200_000;
  const gInline = timeCalls(N_G, (i) => verifyGsm8k(g.recs[i % G].gold, g.recs[i % G].completion));
  row("gsm8k verifyGsm8k inline (1 thread)", gInline.rate, gInline.p50, gInline.p99);
  const gNaive = timeCalls(N_G / 4, (i) => naiveGsm8k(g.recs[i % G].gold, g.recs[i % G].completion));
  row("gsm8k baseline: naive per-call regex compile", gNaive.rate, gNaive.p50, gNaive.p99);
  const batch = Array.from({ length: 50_000 }, (_, i) => g.recs[i % G]);
  await verifyMany(batch.slice(0, 5000), { task: "gsm8k" });
  let t0 = performance.now();
  await verifyMany(batch, { task: "gsm8k" });
  const gMany = batch.length / ((performance.now() - t0) / 1000);
  row("gsm8k verifyMany (50k batch)", gMany, null, null);

  // ---------- MATH ----------
  const m = mathRecords();
  console.log(`\nmath data: ${m.source}`);
  const M = m.recs.length;
  const needSymbolic = m.recs.filter((r) => verifyMathFast(r.gold, r.completion) === null).length;
  console.log(`  fast path decides ${M - needSymbolic}/${M}; ${needSymbolic} need the symbolic stage`);
  const N_M = Math.max(5 * M, 2500);
  const mFast = timeCalls(N_M, (i) => verifyMathFast(m.recs[i % M].gold, m.recs[i % M].completion));
  row("math verifyMathFast only (1 thread)", mFast.rate, mFast.p50, mFast.p99, "(null = undecided)");
  const mInline = timeCalls(N_M, (i) => {
    const r = m.recs[i % M];
    return verifyMathFast(r.gold, r.completion) ?? verifyMath(r.gold, r.completion);
  });
  row("math fast + verifyMath inline (1 thread, no limit)", mInline.rate, mInline.p50, mInline.p99);

  const pool = new WorkerPool({ preload: ["verifyMath"] });
  await pool.warm();
  const mBatch = Array.from({ length: N_M }, (_, i) => m.recs[i % M]);
  await verifyMany(mBatch.slice(0, M), { task: "math", pool });
  resetVerifyCounters();
  t0 = performance.now();
  const verdicts = await verifyMany(mBatch, { task: "math", pool });
  const mMany = mBatch.length / ((performance.now() - t0) / 1000);
  const c = getVerifyCounters();
  const correct = verdicts.filter((v) => v.status === "correct").length;
  row(
    `math verifyMany (pool of ${pool.size}, ${N_M} records)`,
    mMany,
    null,
    null,
    `inline ${c.inline}, pooled ${c.pooled}, timeouts ${c.timeouts}; correct ${((100 * correct) / verdicts.length).toFixed(1)}%`,
  );

  // Records the fast path cannot decide: the symbolic stage, inline vs in the pool.
  const sym: Rec[] = [];
  for (let i = 1; sym.length < 400 && i < 5000; i++) {
    const cands: Rec[] = [
      { gold: `x^2+${2 * i}x+${i * i}`, completion: `Expanding, $\\boxed{(x+${i})^2}$.` },
      { gold: `(x+${i})(x-${i})`, completion: `so $\\boxed{x^2-${i * i}}$` },
      { gold: `\\frac{x^2-${i * i}}{x-${i}}`, completion: `$\\boxed{x+${i}}$` },
    ];
    for (const r of cands) if (verifyMathFast(r.gold, r.completion) === null) sym.push(r);
  }
  if (sym.length > 0) {
    const S = sym.length;
    const symInline = timeCalls(Math.max(S, 400), (i) => verifyMath(sym[i % S].gold, sym[i % S].completion));
    row(`math symbolic-only verifyMath inline (1 thread, ${S} records)`, symInline.rate, symInline.p50, symInline.p99);
    const symBatch = Array.from({ length: Math.max(S, 400) * 4 }, (_, i) => sym[i % S]);
    // Same-run baseline for the message batching: a pool that sends one job at a time per worker.
    const unpipelined = new WorkerPool({ preload: ["verifyMath"], pipeline: 1 });
    await unpipelined.warm();
    for (const [label, p] of [
      [`pipeline 1`, unpipelined],
      [`pipeline ${pool.pipeline}, default`, pool],
    ] as const) {
      await verifyMany(symBatch, { task: "math", pool: p }); // warm the workers' JIT on this code path
      resetVerifyCounters();
      t0 = performance.now();
      const sv = await verifyMany(symBatch, { task: "math", pool: p });
      const symMany = symBatch.length / ((performance.now() - t0) / 1000);
      const sc = getVerifyCounters();
      row(
        `math symbolic-only verifyMany (pool of ${p.size}, ${label})`,
        symMany,
        null,
        null,
        `pooled ${sc.pooled}, timeouts ${sc.timeouts}; correct ${((100 * sv.filter((v) => v.status === "correct").length) / sv.length).toFixed(1)}%; ${(symMany / symInline.rate).toFixed(2)}× inline`,
      );
    }
    await unpipelined.close();
  } else {
    console.log("  (no generated record needed the symbolic stage: the fast path decided all)");
  }

  // ---------- pool overhead ----------
  console.log("\npool overhead (no-op job round trip, sequential)");
  const lat = new Float64Array(5000);
  for (let i = 0; i < 500; i++) await pool.run("selftest/noop", i);
  t0 = performance.now();
  for (let i = 0; i < lat.length; i++) {
    const s = performance.now();
    await pool.run("selftest/noop", i);
    lat[i] = performance.now() - s;
  }
  const poolRate = lat.length / ((performance.now() - t0) / 1000);
  lat.sort();
  row("WorkerPool.run no-op round trip", poolRate, pct(lat, 0.5) * 1000, pct(lat, 0.99) * 1000);
  await pool.close();

  const raw = new Worker(`require("node:worker_threads").parentPort.on("message", (m) => require("node:worker_threads").parentPort.postMessage(m));`, { eval: true });
  const echo = (x: number) => new Promise<unknown>((r) => (raw.once("message", r), raw.postMessage(x)));
  for (let i = 0; i < 500; i++) await echo(i);
  const rawLat = new Float64Array(5000);
  t0 = performance.now();
  for (let i = 0; i < rawLat.length; i++) {
    const s = performance.now();
    await echo(i);
    rawLat[i] = performance.now() - s;
  }
  const rawRate = rawLat.length / ((performance.now() - t0) / 1000);
  rawLat.sort();
  row("baseline: bare Worker postMessage echo", rawRate, pct(rawLat, 0.5) * 1000, pct(rawLat, 0.99) * 1000);
  await raw.terminate();

  // ---------- summary ----------
  const poolP50 = pct(lat, 0.5) * 1000;
  const poolP99 = pct(lat, 0.99) * 1000;
  console.log("\n| measurement | verdicts/s | p50 µs | p99 µs | note |\n|---|---:|---:|---:|---|");
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
  console.log("\nratios");
  console.log(`  gsm8k inline vs target 100,000/s: ${(gInline.rate / 100_000).toFixed(2)}×; vs naive baseline: ${(gInline.rate / gNaive.rate).toFixed(2)}×`);
  console.log(`  gsm8k verifyMany vs target 100,000/s: ${(gMany / 100_000).toFixed(2)}×`);
  console.log(`  math verifyMany vs target 5,000/s: ${(mMany / 5000).toFixed(2)}×; vs math inline 1 thread: ${(mMany / mInline.rate).toFixed(2)}×`);
  console.log(
    `  pool overhead p50 ${fmt(poolP50)} µs, p99 ${fmt(poolP99)} µs vs budget 2,000 µs: ${poolP99 <= 2000 ? "within" : "OVER"}; ` +
      `vs bare postMessage echo p50: +${fmt(poolP50 - pct(rawLat, 0.5) * 1000)} µs`,
  );
}

await main();
