/**
 * `rlvr passk` on 960,000 verdict records (7,500 problems × 128 samples), end to end, against baselines
 * measured in the same run on the same file:
 *   - line-count read: stream the file and count '\n' bytes (the I/O floor; no parsing at all);
 *   - naive: readline + JSON.parse + a zod schema per line, then the same per-problem summary;
 * plus the same work as the CLI done in-process (no process start-up), to compare like with like.
 * The CLI is spawned from dist/ when dist/cli/passk.js is newer than its sources (`npm run bench` builds
 * first), else through tsx (the output says which). RLVR_BENCH_PROBLEMS / RLVR_BENCH_SAMPLES override the size,
 * RLVR_BENCH_ROUNDS the number of interleaved rounds (median reported).
 *
 *   node scripts/run-bench.mjs passk
 */
import { spawnSync } from "node:child_process";
import { createReadStream, mkdtempSync, rmSync, statSync, existsSync, readdirSync } from "node:fs";
import { createInterface } from "node:readline";
import { tmpdir, cpus, loadavg } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { generateVerdicts } from "../scripts/gen-verdicts.js";
import { ProblemCounts, summarizeCounts } from "../src/stats/index.js";
import { readVerdictCounts } from "../src/cli/passk.js";
import { Verdict } from "../src/schemas/verdict.js";

const root = new URL("..", import.meta.url).pathname;
const P = Number(process.env.RLVR_BENCH_PROBLEMS ?? 7500);
const S = Number(process.env.RLVR_BENCH_SAMPLES ?? 128);
const KS = [1, 8, 64, 128].filter((k) => k <= S);
const ROUNDS = Number(process.env.RLVR_BENCH_ROUNDS ?? 3);
const dir = mkdtempSync(join(tmpdir(), "rlvr-bench-passk-"));
const file = join(dir, "verdicts.jsonl");

const secs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

async function lineCount(path: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let i = -1;
    while ((i = chunk.indexOf(10, i + 1)) !== -1) n++;
  }
  return n;
}

const NaiveRecord = Verdict.extend({
  problem_id: z.string(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

async function naive(path: string): Promise<{ samples: number; pass1: number }> {
  const counts = new ProblemCounts();
  const rl = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const r = NaiveRecord.safeParse(JSON.parse(line));
    if (!r.success) throw new Error(r.error.message);
    counts.add(r.data.problem_id, r.data.status === "correct");
  }
  const s = summarizeCounts(counts, KS, { onWarning: () => {} });
  return { samples: s.n_samples, pass1: s["pass@k"]["1"].estimate };
}

function newestMtime(path: string): number {
  return readdirSync(path, { withFileTypes: true }).reduce(
    (m, e) => Math.max(m, e.isDirectory() ? newestMtime(join(path, e.name)) : statSync(join(path, e.name)).mtimeMs),
    0,
  );
}

async function main() {
  let t0 = process.hrtime.bigint();
  const written = generateVerdicts(file, { problems: P, samples: S, seed: 1 });
  const genS = secs(t0);
  const mb = statSync(file).size / 2 ** 20;
  console.log(`generated ${written} records (${P} problems × ${S} samples, ${mb.toFixed(0)} MiB) in ${genS.toFixed(2)} s`);

  const dist = join(root, "dist/cli/passk.js");
  const fresh =
    existsSync(dist) &&
    statSync(dist).mtimeMs >= Math.max(newestMtime(join(root, "src/stats")), statSync(join(root, "src/cli/passk.ts")).mtimeMs);
  const cmd = fresh ? ["dist/cli/main.js"] : ["--import", "tsx", "src/cli/main.ts"];
  const args = [...cmd, "passk", "--k", KS.join(","), "--json", "--in", file];

  // Interleaved rounds, median of each: the machine is shared, so wall-clock timings drift by 2×. CPU
  // seconds (user + system, all threads) drift much less: the child's come from /usr/bin/time when it
  // exists, in-process ones from process.cpuUsage().
  const timeBin = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;
  type M = { wall: number[]; cpu: number[] };
  const m: Record<"cli" | "lib" | "wc" | "naive", M> = {
    cli: { wall: [], cpu: [] }, lib: { wall: [], cpu: [] }, wc: { wall: [], cpu: [] }, naive: { wall: [], cpu: [] },
  };
  async function inProcess<T>(into: M, f: () => Promise<T>): Promise<T> {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const v = await f();
    into.wall.push(secs(t0));
    const c = process.cpuUsage(c0);
    into.cpu.push((c.user + c.system) / 1e6);
    return v;
  }
  let out: { n_samples: number; "pass@k": Record<string, { estimate: number }> } | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    t0 = process.hrtime.bigint();
    const r = timeBin
      ? spawnSync(timeBin, ["-f", "__cpu %U %S", process.execPath, ...args], { cwd: root, encoding: "utf8", maxBuffer: 1 << 26 })
      : spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", maxBuffer: 1 << 26 });
    m.cli.wall.push(secs(t0));
    const cpu = /__cpu ([\d.]+) ([\d.]+)/.exec(r.stderr);
    m.cli.cpu.push(cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN);
    if (r.status !== 0) throw new Error(`rlvr passk exited ${r.status}: ${r.stderr}`);
    out = JSON.parse(r.stdout);
    if (out!.n_samples !== written) throw new Error(`rlvr passk counted ${out!.n_samples} of ${written} records`);

    const libSummary = await inProcess(m.lib, async () => {
      const lib = await readVerdictCounts(file, { report: (msg) => console.error(msg) });
      return summarizeCounts(lib.counts, KS, { onWarning: () => {} });
    });
    if (libSummary["pass@k"]["1"].estimate !== out!["pass@k"]["1"].estimate) throw new Error("in-process run disagrees with the CLI");

    const lines = await inProcess(m.wc, () => lineCount(file));
    if (lines !== written) throw new Error(`line count ${lines} ≠ ${written}`);

    const nv = await inProcess(m.naive, () => naive(file));
    if (nv.samples !== written || Math.abs(nv.pass1 - out!["pass@k"]["1"].estimate) > 1e-12)
      throw new Error("naive baseline disagrees with rlvr passk");
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const W = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, med(v.wall)])) as Record<keyof typeof m, number>;
  const C = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, med(v.cpu)])) as Record<keyof typeof m, number>;
  const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "n/a");
  console.log(`\nnode ${process.version}, ${cpus().length} CPUs (load avg ${loadavg()[0].toFixed(1)}), ${written} records, k = ${KS.join(",")}, 2000 bootstrap resamples`);
  console.log(`median of ${ROUNDS} interleaved rounds; wall s per round: passk ${m.cli.wall.map(f2).join("/")}, in-process ${m.lib.wall.map(f2).join("/")}, naive ${m.naive.wall.map(f2).join("/")}`);
  console.log(`${"what".padEnd(58)}${"wall s".padStart(8)}${"cpu s".padStart(8)}${"M rec/s (wall)".padStart(16)}  ratio (wall; cpu)`);
  const row = (name: string, k: keyof typeof m, ratio: string) =>
    console.log(`${name.padEnd(58)}${f2(W[k]).padStart(8)}${f2(C[k]).padStart(8)}${(written / W[k] / 1e6).toFixed(2).padStart(16)}  ${ratio}`);
  const ratio = (a: keyof typeof m, b: keyof typeof m) => `${f2(W[a] / W[b])}×; ${f2(C[a] / C[b])}×`;
  row(`rlvr passk --json, end to end (${fresh ? "dist" : "tsx"})`, "cli", "—");
  row("same work in-process (readVerdictCounts + summarizeCounts)", "lib", `in-process / passk = ${ratio("lib", "cli")}`);
  row("baseline: line-count read of the same file", "wc", `passk / line-count = ${ratio("cli", "wc")}`);
  row("baseline: naive readline + JSON.parse + zod, in-process", "naive", `naive / passk = ${ratio("naive", "cli")}; naive / in-process = ${ratio("naive", "lib")}`);
  console.log(`\npass@k: ${KS.map((k) => `pass@${k} = ${out!["pass@k"][String(k)].estimate.toFixed(4)}`).join(", ")}`);
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
