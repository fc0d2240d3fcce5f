/**
 * GSM8K verifier throughput on one core: verdicts per second for typical completions in every mode.
 * Baseline (same run): a bare lm-eval strict-match one-liner (one regex exec + string compare), the
 * least work any GSM8K check can do; the ratio says what extraction chain, flags, spans and Verdict cost.
 * Run: node scripts/run-bench.mjs verifiers-gsm8k
 */
import { cpus, loadavg } from "node:os";
import { verifyGsm8k, verifyGsm8kSideBySide, type Gsm8kMode } from "../src/verifiers/gsm8k/index.js";

const STEPS = [
  "Janet's ducks lay 16 eggs per day.",
  "She eats 3 for breakfast and bakes muffins with 4, so she uses 3 + 4 = 7 eggs.",
  "That leaves 16 - 7 = 9 eggs to sell at the farmers' market.",
  "Each egg sells for $2, so she makes 9 * 2 = $18 every day.",
  "In a week that would be 18 * 7 = 126 dollars, but the question asks about one day.",
  "Let me double-check: 16 - 3 - 4 = 9 and 9 x 2 = 18.",
  "The muffins use 4 eggs, which is 4 / 16 = 25% of the eggs laid each day.",
  "Breakfast uses 3 eggs, so together that is 7 eggs, leaving 9 for the market.",
  "At $2.00 per egg, 9 eggs bring in 9 * $2.00 = $18.00 in total.",
  "So the daily revenue from the farmers' market is eighteen dollars.",
];
const ENDINGS = [
  "#### 18",
  "The answer is 18.",
  "Therefore, the final answer is $\\boxed{18}$.",
  "So she makes $18.00 every day.",
  "#### 18\n\nQuestion: Tom has 3 apples and buys 5 more. How many apples does he have?\nAnswer: 3 + 5 = 8\n#### 8",
  "**Final Answer:** 17",
];
// 36 completions: 4–10 reasoning sentences (about 300–800 characters) with every ending style.
const completions: string[] = [];
for (const k of [4, 6, 8, 10, 5, 7]) for (const e of ENDINGS) completions.push(STEPS.slice(0, k).join(" ") + "\n" + e);
const GOLD = "Janet sells 16 - 3 - 4 = <<16-3-4=9>>9 duck eggs a day.\nShe makes 9 * 2 = $<<9*2=18>>18 every day.\n#### 18";
const meanLen = completions.reduce((s, c) => s + c.length, 0) / completions.length;

/**
 * Calls per second of `fn`, by wall clock and by this process's CPU time (user + system, all threads, so GC
 * is counted), as the median of 5 rounds. On a shared machine the CPU-time figure is the one-core
 * throughput; wall clock drops with load.
 */
function rate(fn: (c: string) => unknown, iterations = 300_000): { wall: number; cpu: number } {
  for (let i = 0; i < 20_000; i++) fn(completions[i % completions.length]); // warm-up
  const per = Math.ceil(iterations / 5);
  const walls: number[] = [];
  const cpus: number[] = [];
  let sink = 0;
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = 0; i < per; i++) if (fn(completions[i % completions.length])) sink++;
    const cpu = process.cpuUsage(c0);
    walls.push(per / ((performance.now() - t0) / 1000));
    cpus.push(per / ((cpu.user + cpu.system) / 1e6));
  }
  if (sink < 0) console.log(sink);
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { wall: median(walls), cpu: median(cpus) };
}
const fmt = (x: number) => Math.round(x).toLocaleString("en").padStart(10);

const baselineRe = /#### (-?[0-9.,]+)/;
const baseline = rate((c) => {
  const m = baselineRe.exec(c);
  return m !== null && m[1].replace(/,/g, "") === "18";
});
console.log(`completions: ${completions.length}, mean length ${meanLen.toFixed(0)} chars; node ${process.version}; load ${loadavg()[0].toFixed(1)} on ${cpus().length} cpus`);
console.log(`${"(median of 5 rounds)".padEnd(40)} ${"per CPU-s".padStart(10)} ${"per wall-s".padStart(10)}  ratio vs baseline (CPU)`);
console.log(`${"baseline bare strict regex".padEnd(40)} ${fmt(baseline.cpu)} ${fmt(baseline.wall)}`);
const modes: Gsm8kMode[] = ["numeric", "lm-eval-strict", "lm-eval-flexible", "lm-eval-cot-strict"];
for (const mode of modes) {
  const opts = { mode };
  const r = rate((c) => verifyGsm8k(GOLD, c, opts).score);
  console.log(`${`verifyGsm8k ${mode}`.padEnd(40)} ${fmt(r.cpu)} ${fmt(r.wall)}  ${(baseline.cpu / r.cpu).toFixed(1)}x slower`);
}
const sbs = rate((c) => verifyGsm8kSideBySide(GOLD, c).flip, 100_000);
console.log(`${"verifyGsm8kSideBySide (4 verdicts/call)".padEnd(40)} ${fmt(sbs.cpu)} ${fmt(sbs.wall)}  ${(baseline.cpu / sbs.cpu).toFixed(1)}x slower`);
