import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startOpenAIServer, type OpenAIServer } from "../../src/rollout/server.js";
import { runSweep } from "../../src/rollout/sweep.js";
import { loadProblems } from "../../src/rollout/problems.js";
import { closeDefaultPool } from "../../src/verifiers/pool.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "rlvr-cli-sweep-"));
const children = new Set<ChildProcess>();
const servers: OpenAIServer[] = [];
after(async () => {
  for (const c of children) c.kill("SIGKILL");
  for (const s of servers) await s.close();
  await closeDefaultPool();
});

function cli(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "sweep", ...args], { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) =>
    child.on("exit", (code, signal) => {
      children.delete(child);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return { child, done };
}

function countLines(file: string): number {
  if (!existsSync(file)) return 0;
  return readFileSync(file, "utf8").split("\n").length - 1;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function writeProblems(file: string, n: number): void {
  const ls = [];
  for (let i = 0; i < n; i++) ls.push(JSON.stringify({ id: `q${i}`, question: `What is ${i + 2} * ${(i % 7) + 3} - ${i % 5}?`, gold: String((i + 2) * ((i % 7) + 3) - (i % 5)) }));
  writeFileSync(file, ls.join("\n") + "\n");
}

test("kill -9 three times mid-sweep, then --resume: every (problem, sample) exactly once and the summary adds up", async () => {
  const server = await startOpenAIServer({ latencyMs: 15 });
  servers.push(server);
  const data = join(dir, "kill-problems.jsonl");
  const P = 16;
  const N = 6;
  writeProblems(data, P);
  const out = join(dir, "kill-run");
  const file = join(out, "completions.jsonl");
  const args = ["--endpoint", server.url, "--model", "m", "--data", data, "--n", String(N), "--out", out, "--k", "1,2,6", "--concurrency", "2"];
  let killed = 0;
  for (let round = 0; round < 3; round++) {
    const { child, done } = cli(round === 0 ? args : [...args, "--resume"]);
    const start = countLines(file);
    // Wait until this process has written some completions, then kill at a random moment shortly after.
    const deadline = Date.now() + 15_000;
    while (countLines(file) < start + 8 && Date.now() < deadline && child.exitCode === null) await sleep(20);
    await sleep(Math.floor(Math.random() * 120));
    if (child.exitCode === null) {
      child.kill("SIGKILL");
      killed++;
    }
    const r = await done;
    if (round === 2) appendFileSync(file, '{"problem_id":"q3","sample_in'); // what a writer killed mid-line leaves
    assert.ok(r.signal === "SIGKILL" || r.code === 0, `round ${round}: ${r.code} ${r.signal} ${r.stderr}`);
  }
  assert.ok(killed >= 2, `killed mid-run ${killed} times`);
  assert.ok(countLines(file) < P * N, "the kills left work to do");
  const fin = cli([...args, "--resume", "--json"]);
  const r = await fin.done;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /dropped a partial last line/);
  const recs = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const keys = recs.map((x) => `${x.problem_id}#${x.sample_index}`);
  assert.equal(keys.length, P * N);
  assert.equal(new Set(keys).size, P * N, "no (problem, sample) twice");
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  assert.deepEqual(JSON.parse(r.stdout), summary);
  assert.equal(summary.complete, true);
  assert.equal(summary.n_samples, P * N);
  assert.equal(summary.completions.total, P * N);
  assert.equal(summary.completions.duplicates_on_read, 0);
  const verdicts = readFileSync(join(out, "verdicts.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(verdicts.length, P * N);
  const status: Record<string, number> = {};
  for (const v of verdicts) status[v.status] = (status[v.status] ?? 0) + 1;
  assert.deepEqual(summary.verdicts, status);
  const c1 = verdicts.filter((v) => v.status === "correct").length / verdicts.length;
  assert.ok(Math.abs(summary["pass@k"]["1"].estimate - c1) < 1e-12, "pass@1 = fraction correct when every problem has n samples");
  // The resumed run produced exactly what one uninterrupted run produces.
  const { problems } = await loadProblems(data);
  const ref = join(dir, "kill-ref");
  await runSweep(problems, { endpoints: [server.url], model: "m", n: N, outDir: ref, concurrency: 16, progress: false }, { onWarning: () => {} });
  const refText = new Map(readFileSync(join(ref, "completions.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l)).map((x) => [`${x.problem_id}#${x.sample_index}`, x.completion]));
  for (const x of recs) assert.equal(x.completion, refText.get(`${x.problem_id}#${x.sample_index}`));
});

test("rlvr sweep reads GSM8K and MATH-500 shapes, reports bad lines as file:line: field, runs the rest, exits 1", async () => {
  const server = await startOpenAIServer({ synthetic: { answers: new Map([["Janet has 3 ducks and buys 4. How many ducks?", "7"]]) } });
  servers.push(server);
  const data = join(dir, "mixed.jsonl");
  writeFileSync(
    data,
    [
      JSON.stringify({ question: "Janet has 3 ducks and buys 4. How many ducks?", answer: "3 + 4 = 7\n#### 7" }),
      JSON.stringify({ id: "bad", question: "no gold here" }),
      JSON.stringify({ problem: "What is $2 + 3$?", answer: "5", unique_id: "test/prealgebra/1.json", level: 1, subject: "Prealgebra" }),
    ].join("\n") + "\n",
  );
  const out = join(dir, "mixed-run");
  const r = await cli(["--endpoint", server.url, "--model", "Qwen3-4B-Base", "--data", data, "--n", "2", "--out", out, "--chat"]).done;
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /mixed\.jsonl:2: field "gold"/);
  assert.match(r.stderr, /warning: chat template applied to a model flagged as base/);
  assert.match(r.stdout, /2 problems, 4 samples/);
  const recs = readFileSync(join(out, "completions.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(new Set(recs.map((x) => x.problem_id)), new Set(["gsm8k-L1", "test/prealgebra/1.json"]));
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  assert.equal(summary.n_problems, 2);
  assert.equal(summary.by_level["1"].n_problems, 1, "MATH-500 level becomes a pass@k stratum");
  const verdicts = readFileSync(join(out, "verdicts.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const math = verdicts.filter((v) => v.problem_id === "test/prealgebra/1.json");
  assert.equal(math.length, 2);
  assert.ok(math.every((v) => v.rule.startsWith("math/")), "MATH-500 lines are verified with the math verifier");
});

test("rlvr serve injects the scripted faults it is given, and a sweep against it retries through them", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve", "--synthetic", "--port", "0", "--fault-script", "500,reset,malformed"], { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    let buf = "";
    child.stdout!.on("data", (d) => {
      buf += d;
      const m = /listening on (\S+)/.exec(buf);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  const problems = [{ id: "a", question: "What is 2 + 2?", gold: "4" }];
  const r = await runSweep(problems, { endpoints: [url], model: "m", n: 2, outDir: join(dir, "serve-run"), concurrency: 1, backoffBaseMs: 1, backoffMaxMs: 5, progress: false }, { onWarning: () => {} });
  const s = r.summary as { this_run: { retried_attempt_errors: number }; completions: { total: number; errors: number } };
  assert.deepEqual([s.this_run.retried_attempt_errors, s.completions.total, s.completions.errors], [3, 2, 0]);
  const exited = new Promise((resolve) => child.on("exit", resolve));
  child.kill("SIGTERM");
  await exited;
  assert.match(stderr, /served 5 generation requests \(faults: \{"500":1,"reset":1,"malformed":1\}\)/);
});

test("rlvr sweep usage errors exit 2 and name the flag", async () => {
  const r = await cli(["--model", "m", "--data", "x.jsonl", "--out", join(dir, "u")]).done;
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--endpoint/);
});
