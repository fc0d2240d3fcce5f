/**
 * Math verifier throughput on MATH-500-like inputs (single thread), against a baseline measured in the same
 * run on the same inputs: Minerva's `last_boxed_only_string` + `normalize_final_answer` + string equality
 * (what lm-eval's string stage costs). Inputs: every MATH-500 gold solution used as a completion, three
 * ways — unchanged (exact match), its last box replaced by a wrong answer, and by an equivalent rewrite
 * (`\frac{a}{b}` → `a/b`, `N` → `N.0`, answer as `x = ...`). Without /work/shared/data a synthetic set is used.
 *
 *   node scripts/run-bench.mjs verify-math
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { lastBoxedOnlyString, normalizeFinalAnswer, removeBoxed, verifyMath, verifyMathFast } from "../src/verifiers/math/index.js";

const root = new URL("..", import.meta.url).pathname;
const dataFile = join(root, "..", "shared", "data", "math500.jsonl");

type Pair = [gold: string, completion: string];

function variants(answer: string, solution: string): Pair[] {
  const i = solution.lastIndexOf("\\boxed{");
  const replace = (s: string) => (i < 0 ? solution : solution.slice(0, i) + `\\boxed{${s}}` + solution.slice(i + 7 + answer.length + 1));
  const wrong = /^-?\d+$/.test(answer) ? String(Number(answer) + 1) : "0";
  const equiv = /^-?\d+$/.test(answer)
    ? `${answer}.0`
    : answer.replace(/\\[dt]?frac\{([^{}]+)\}\{([^{}]+)\}/g, "($1)/($2)");
  return [[answer, solution], [answer, replace(wrong)], [answer, `So $x = ${equiv}$ and the answer is \\boxed{${equiv}}.`]];
}

function inputs(): { pairs: Pair[]; source: string } {
  if (existsSync(dataFile)) {
    const rows = readFileSync(dataFile, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { answer: string; solution: string });
    return { pairs: rows.flatMap((r) => variants(r.answer, r.solution)), source: dataFile };
  }
  const pairs: Pair[] = [];
  for (let k = 0; k < 500; k++) {
    const ans = k % 3 === 0 ? `\\frac{${k + 1}}{${k + 7}}` : String(k * 37);
    pairs.push(...variants(ans, `We compute step by step: ${k} + ${k} = ${2 * k}. Hence the result is $\\boxed{${ans}}$.`));
  }
  return { pairs, source: "synthetic" };
}

function rateOnce(pairs: Pair[], fn: (g: string, c: string) => unknown, minMs: number): number {
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < minMs) for (const [g, c] of pairs) { fn(g, c); n++; }
  return (n / (performance.now() - t0)) * 1000;
}

/** Best of ROUNDS interleaved rounds (the machine is shared: the best round is the least disturbed one). */
const ROUNDS = 5;
function rates(pairs: Pair[], fns: ((g: string, c: string) => unknown)[], minMs = 600): number[] {
  for (const fn of fns) for (const [g, c] of pairs) fn(g, c); // warm-up
  const best = fns.map(() => 0);
  for (let r = 0; r < ROUNDS; r++) fns.forEach((fn, i) => (best[i] = Math.max(best[i], rateOnce(pairs, fn, minMs))));
  return best;
}

const { pairs, source } = inputs();
let fastDecided = 0;
for (const [g, c] of pairs) if (verifyMathFast(g, c) !== null) fastDecided++;
const [baseline, fast, full] = rates(pairs, [
  (g, c) => {
    const b = lastBoxedOnlyString(c);
    const inner = b ? removeBoxed(b.boxed) : null;
    return inner !== null && normalizeFinalAnswer(inner) === normalizeFinalAnswer(g);
  },
  (g, c) => verifyMathFast(g, c),
  (g, c) => verifyMath(g, c),
]);
// Short completions (an RL rollout's last line): the answer alone in a box, as is and as the rewrite.
const short: Pair[] = pairs.filter((_, k) => k % 3 !== 1).map(([g, c], k) =>
  k % 2 === 0 ? [g, `So the answer is $\\boxed{${g}}$.`] : [g, c.slice(c.lastIndexOf("the answer is"))]);
const [shortFast, shortFull] = rates(short, [(g, c) => verifyMathFast(g, c), (g, c) => verifyMath(g, c)], 300);
const fmt = (x: number) => Math.round(x).toLocaleString("en-US");
console.log(`best of ${ROUNDS} interleaved rounds, one thread`);
console.log(`inputs: ${pairs.length} (gold, completion) pairs from ${source}; fast path decides ${fastDecided} (${((100 * fastDecided) / pairs.length).toFixed(1)}%)`);
console.log(`baseline minerva string stage : ${fmt(baseline)} verdicts/s  (${(1000 / baseline * 1000).toFixed(1)} µs each)`);
console.log(`verifyMathFast                : ${fmt(fast)} verdicts/s  (${(1000 / fast * 1000).toFixed(1)} µs each)  ratio vs baseline ${(fast / baseline).toFixed(2)}`);
console.log(`verifyMath (full)             : ${fmt(full)} verdicts/s  (${(1000 / full * 1000).toFixed(1)} µs each)  ratio vs baseline ${(full / baseline).toFixed(2)}`);
console.log(`short completions (${short.length}): verifyMathFast ${fmt(shortFast)}/s (${(1e6 / shortFast).toFixed(1)} µs), verifyMath ${fmt(shortFull)}/s (${(1e6 / shortFull).toFixed(1)} µs)`);
