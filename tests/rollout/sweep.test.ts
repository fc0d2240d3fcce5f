import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startOpenAIServer, type OpenAIServer } from "../../src/rollout/server.js";
import { runSweep, type SweepOptions } from "../../src/rollout/sweep.js";
import type { Problem } from "../../src/schemas/index.js";
import { closeDefaultPool } from "../../src/verifiers/pool.js";

const servers: OpenAIServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
  await closeDefaultPool();
});
async function server(opts: Parameters<typeof startOpenAIServer>[0] = {}): Promise<OpenAIServer> {
  const s = await startOpenAIServer(opts);
  servers.push(s);
  return s;
}
const root = mkdtempSync(join(tmpdir(), "rlvr-sweep-"));
let dirNo = 0;
const outDir = () => join(root, `run${dirNo++}`);

function problems(n: number): Problem[] {
  return Array.from({ length: n }, (_, i) => {
    const a = 3 + ((i * 7) % 40);
    const b = 2 + ((i * 11) % 20);
    const c = 1 + (i % 6);
    return { id: `p${i}`, question: `What is ${a} + ${b} * ${c}?`, gold: String(a + b * c) };
  });
}

function lines(dir: string, file: string): any[] {
  return readFileSync(join(dir, file), "utf8").trim().split("\n").map((l) => JSON.parse(l));
}

/** Every (problem, sample) key appears exactly once in completions.jsonl. */
function assertExactlyOnce(dir: string, ps: Problem[], n: number): any[] {
  const recs = lines(dir, "completions.jsonl");
  const keys = recs.map((r) => `${r.problem_id}#${r.sample_index}`);
  assert.equal(new Set(keys).size, keys.length, "no key twice");
  assert.deepEqual(new Set(keys), new Set(ps.flatMap((p) => Array.from({ length: n }, (_, s) => `${p.id}#${s}`))));
  return recs;
}

const quiet = { onWarning: () => {} };
const fast: Partial<SweepOptions> = { backoffBaseMs: 1, backoffMaxMs: 5, progress: false, temperature: 1, maxTokens: 200 };
const byKey = (recs: any[]) => new Map(recs.map((r) => [`${r.problem_id}#${r.sample_index}`, r.completion]));

test("sweep under injected 500/429/503/reset/malformed faults records every sample exactly once, same text as a clean run", async () => {
  const ps = problems(12);
  const faulty = await server({ faults: { rates: { "500": 0.08, "429": 0.08, "503": 0.05, reset: 0.05, malformed: 0.05 }, seed: 7 } });
  const clean = await server();
  const d1 = outDir();
  const d2 = outDir();
  const r1 = await runSweep(ps, { ...fast, endpoints: [faulty.url], model: "m", n: 4, outDir: d1, maxRetries: 10, concurrency: 4 }, quiet);
  await runSweep(ps, { ...fast, endpoints: [clean.url], model: "m", n: 4, outDir: d2, concurrency: 4 }, quiet);
  const recs = assertExactlyOnce(d1, ps, 4);
  assert.ok(recs.every((r) => r.finish_reason !== "error"));
  const injected = Object.values(faulty.stats.faults).reduce((a, b) => a + b, 0);
  assert.ok(injected > 0, "some faults fired");
  const s = r1.summary as any;
  assert.equal(s.this_run.retried_attempt_errors, injected, "every injected fault was seen and retried");
  assert.equal(faulty.stats.requests, 48 + injected);
  assert.equal(s.completions.errors, 0);
  assert.deepEqual(byKey(recs), byKey(lines(d2, "completions.jsonl")), "faults and retries do not change any sample's text");
  assert.equal(lines(d1, "verdicts.jsonl").length, 48);
  assert.ok(s["pass@k"]["1"].estimate > 0 && s["pass@k"]["4"].estimate >= s["pass@k"]["1"].estimate);
});

test("truncated samples (finish_reason length) are counted separately and keep the verifier's verdict", async () => {
  const ps = problems(6);
  const s = await server();
  const dir = outDir();
  const r = await runSweep(ps, { ...fast, endpoints: [s.url], model: "m", n: 4, outDir: dir, maxTokens: 26 }, quiet);
  const recs = lines(dir, "completions.jsonl");
  const truncated = recs.filter((x) => x.finish_reason === "length").length;
  assert.ok(truncated > 0 && truncated < recs.length, `some but not all truncated (${truncated})`);
  const sum = r.summary as any;
  assert.equal(sum.completions.truncated, truncated);
  assert.equal(sum.completions["completions/truncated_frac"], truncated / recs.length);
  const vs = lines(dir, "verdicts.jsonl");
  assert.equal(vs.filter((v) => v.truncated).length, truncated);
  const counted = Object.values(sum.truncated_verdicts as Record<string, number>).reduce((a, b) => a + b, 0);
  assert.equal(counted, truncated);
  assert.ok(vs.filter((v) => v.truncated).every((v) => ["correct", "wrong", "unparseable"].includes(v.status)));
});

test("fan-out over two endpoints: both get requests and neither exceeds its concurrency limit", async () => {
  const a = await server({ latencyMs: 15 });
  const b = await server({ latencyMs: 15 });
  const ps = problems(10);
  const dir = outDir();
  const r = await runSweep(ps, { ...fast, endpoints: [a.url, b.url], model: "m", n: 4, outDir: dir, concurrency: 3 }, quiet);
  assertExactlyOnce(dir, ps, 4);
  assert.ok(a.stats.requests > 0 && b.stats.requests > 0);
  assert.equal(a.stats.requests + b.stats.requests, 40);
  assert.ok(a.stats.maxInFlight <= 3 && b.stats.maxInFlight <= 3, `max in flight ${a.stats.maxInFlight}, ${b.stats.maxInFlight}`);
  assert.ok(a.stats.maxInFlight >= 2 || b.stats.maxInFlight >= 2, "requests did run concurrently");
  const eps = (r.summary as any).endpoints;
  assert.deepEqual(eps.map((e: any) => e.requests), [a.stats.requests, b.stats.requests]);
  const recs = lines(dir, "completions.jsonl");
  assert.deepEqual(new Set(recs.map((x) => x.endpoint)), new Set([a.url, b.url]));
});

test("samples that fail after all retries are recorded as finish_reason error, and --resume retries them", async () => {
  const ps = problems(3);
  const s = await server({ faults: { script: ["500", "500", "503", "503"] } });
  const dir = outDir();
  const base = { ...fast, endpoints: [s.url], model: "m", n: 2, outDir: dir, concurrency: 1, maxRetries: 1 };
  const r1 = await runSweep(ps, base, quiet);
  const first = lines(dir, "completions.jsonl");
  assert.equal(first.length, 6);
  const failed = first.filter((x) => x.finish_reason === "error");
  assert.equal(failed.length, 2);
  assert.match(failed[0].error, /HTTP 50[03]/);
  assert.equal(failed[0].retry_errors.length, 2);
  assert.equal((r1.summary as any).completions.errors, 2);
  assert.equal((r1.summary as any).verdicts.error, 2);
  const r2 = await runSweep(ps, { ...base, resume: true }, quiet);
  const recs = assertExactlyOnce(dir, ps, 2);
  assert.ok(recs.every((x) => x.finish_reason !== "error"));
  const s2 = r2.summary as any;
  assert.deepEqual([s2.this_run.requested, s2.this_run.skipped_complete, s2.completions.errors, s2.completions.superseded_on_read], [2, 4, 0, 2]);
});

test("resume refuses an existing run without --resume and a resume with different generation settings", async () => {
  const s = await server();
  const dir = outDir();
  const base = { ...fast, endpoints: [s.url], model: "m", n: 1, outDir: dir };
  await runSweep(problems(2), base, quiet);
  await assert.rejects(runSweep(problems(2), base, quiet), /already exists: pass --resume/);
  await assert.rejects(runSweep(problems(2), { ...base, resume: true, temperature: 0.5 }, quiet), /temperature: was 1, now 0.5/);
  const r = await runSweep(problems(2), { ...base, resume: true, n: 2 }, quiet);
  assert.equal((r.summary as any).this_run.requested, 2, "raising n on resume only samples the new indices");
});

test("chat few-shot sweeps are reproducible run to run and record per-token logprobs when asked", async () => {
  const s = await server();
  const ps = problems(4);
  const opts = { ...fast, endpoints: [s.url], model: "tiny-instruct", n: 3, chat: true, fewShot: 2, logprobs: true };
  const d1 = outDir();
  const d2 = outDir();
  await runSweep(ps, { ...opts, outDir: d1 }, quiet);
  await runSweep(ps, { ...opts, outDir: d2, concurrency: 1 }, quiet);
  const a = byKey(lines(d1, "completions.jsonl"));
  assert.deepEqual(a, byKey(lines(d2, "completions.jsonl")));
  assert.ok([...a.values()].every((t) => t.startsWith("Let's think step by step.")));
  const recs = lines(d1, "completions.jsonl");
  assert.ok(recs.every((r) => Array.isArray(r.logprobs) && r.logprobs.length === r.num_tokens && r.logprobs.every((x: number) => x <= 0)));
});
